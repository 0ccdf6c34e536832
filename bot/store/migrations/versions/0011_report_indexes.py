"""report indexes

Indexes on the time columns the reports page and the statistics export group
by (bot/reports/), so a year of traffic is aggregated by the database with
range scans instead of full-table reads.

Revision ID: 0011
Revises: 0007
Create Date: 2026-12-01 22:30:00.000000
"""
from alembic import op


revision = '0011'
down_revision = '0012'
branch_labels = None
depends_on = None

INDEXES = (
    ("conversations", "created_at"),
    ("inbound_messages", "received_at"),
    ("outbound_messages", "created_at"),
    ("screening_results", "created_at"),
    ("tips", "created_at"),
    ("handoff_requests", "created_at"),
    ("referral_consents", "given_at"),
)


def upgrade() -> None:
    for table, column in INDEXES:
        op.create_index(f"ix_{table}_{column}", table, [column], unique=False)


def downgrade() -> None:
    for table, column in reversed(INDEXES):
        op.drop_index(f"ix_{table}_{column}", table_name=table)
