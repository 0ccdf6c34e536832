"""pause after "must stop now" and the pending Y/N danger check

Two nullable columns on conversations (issue 10): `paused_after_id` (outbound
rows above it wait until the texter writes again) and `danger_check_inbound_id`
(the message whose Y/N danger check is awaited). Plain integers, no foreign
keys: erasure deletes inbound rows, and a stale id only means "no check".

Revision ID: 0012
Revises: 0007
Create Date: 2026-12-01 22:15:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('paused_after_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('danger_check_inbound_id', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.drop_column('danger_check_inbound_id')
        batch_op.drop_column('paused_after_id')
