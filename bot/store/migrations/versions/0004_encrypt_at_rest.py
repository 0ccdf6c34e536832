"""encrypt sensitive columns at rest

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 10:00:00

Column types stay Text in the database (the JSON columns that hold free text,
screening_results.answers and handoff_requests.details, become Text), and the
existing plaintext rows are encrypted with the current data key
(bot/store/crypto.py; HOTLINE_DATA_KEYS or the key file). Rows already
encrypted are left alone, so running it on a half-migrated database is safe.
Works on SQLite (batch mode) and PostgreSQL.

Downgrade decrypts everything back to plaintext (it needs the keys).
"""
import json

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

# (table, primary key, column, was JSON) — frozen here: a migration must not follow models.py.
SENSITIVE = [
    ("conversations", "id", "contact_address", False),
    ("inbound_messages", "id", "body", False),
    ("outbound_messages", "id", "body", False),
    ("tips", "id", "what", False),
    ("tips", "id", "location", False),
    ("tips", "id", "when_seen", False),
    ("screening_results", "id", "answers", True),
    ("handoff_requests", "id", "details", True),
]
JSON_COLUMNS = [(t, c) for t, _pk, c, was_json in SENSITIVE if was_json]
BATCH = 500


def _rewrite(table: str, pk: str, column: str, transform) -> None:  # type: ignore[no-untyped-def]
    """Apply transform(value) -> new value (or None = keep) to every non-NULL value, in batches."""
    conn = op.get_bind()
    t = sa.table(table, sa.column(pk), sa.column(column, sa.Text()))
    last = None
    while True:
        q = sa.select(t.c[pk], t.c[column]).where(t.c[column].isnot(None))
        if last is not None:
            q = q.where(t.c[pk] > last)
        rows = conn.execute(q.order_by(t.c[pk]).limit(BATCH)).fetchall()
        if not rows:
            break
        for key, value in rows:
            new = transform(value)
            if new is not None and new != value:
                conn.execute(t.update().where(t.c[pk] == key).values({column: new}))
        last = rows[-1][0]


def upgrade() -> None:
    from bot.store.crypto import get_keyring

    for table, column in JSON_COLUMNS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(column, existing_type=sa.JSON(), type_=sa.Text(),
                                  postgresql_using=f"{column}::text")

    keyring = get_keyring()

    def encrypt(value):  # type: ignore[no-untyped-def]
        if not isinstance(value, str):  # a driver that hands back parsed JSON
            value = json.dumps(value, ensure_ascii=False)
        if keyring.is_valid_token(value):
            return None  # already encrypted
        return keyring.encrypt(value)

    for table, pk, column, _was_json in SENSITIVE:
        _rewrite(table, pk, column, encrypt)


def downgrade() -> None:
    from bot.store.crypto import get_keyring

    keyring = get_keyring()
    for table, pk, column, _was_json in SENSITIVE:
        _rewrite(table, pk, column, keyring.decrypt)

    for table, column in JSON_COLUMNS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(column, existing_type=sa.Text(), type_=sa.JSON(),
                                  postgresql_using=f"{column}::json")
