"""console sessions held by the server

Log-out, a password change or deactivation delete the rows, so a copied
console cookie stops working at once (issue 13.3).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 22:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'console_sessions',
        sa.Column('id_hash', sa.String(length=64), nullable=False),
        sa.Column('advocate_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['advocate_id'], ['advocates.id']),
        sa.PrimaryKeyConstraint('id_hash'),
    )
    with op.batch_alter_table('console_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_console_sessions_advocate_id'), ['advocate_id'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('console_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_console_sessions_advocate_id'))
    op.drop_table('console_sessions')
