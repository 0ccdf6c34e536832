"""shift console: escalation, missed list, presence and capacity

Emergency and minor requests nobody claimed are escalated instead of closed
(`escalated_at`); a request put back in the queue restarts its unclaimed window
(`requeued_at`); expired and abandoned requests land on the supervisors'
missed list (`missed_at`, `missed_reason`, `followed_up_*`); advocates have a
presence (`available`) and a capacity (`max_conversations`).

Revision ID: 0009
Revises: 0012
Create Date: 2026-12-01 22:10:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('handoff_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('escalated_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('requeued_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('missed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('missed_reason', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('followed_up_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('followed_up_by', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_handoff_requests_missed_at'), ['missed_at'],
                              unique=False)
        batch_op.create_foreign_key('fk_handoff_requests_followed_up_by', 'advocates',
                                    ['followed_up_by'], ['id'])
    with op.batch_alter_table('advocates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('available', sa.Boolean(), server_default=sa.true(),
                                      nullable=False))
        batch_op.add_column(sa.Column('max_conversations', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('advocates', schema=None) as batch_op:
        batch_op.drop_column('max_conversations')
        batch_op.drop_column('available')
    with op.batch_alter_table('handoff_requests', schema=None) as batch_op:
        batch_op.drop_constraint('fk_handoff_requests_followed_up_by', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_handoff_requests_missed_at'))
        batch_op.drop_column('followed_up_by')
        batch_op.drop_column('followed_up_at')
        batch_op.drop_column('missed_reason')
        batch_op.drop_column('missed_at')
        batch_op.drop_column('requeued_at')
        batch_op.drop_column('escalated_at')
