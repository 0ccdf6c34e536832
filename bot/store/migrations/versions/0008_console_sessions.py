"""console sessions held by the server; encrypted values bound to their row

Log-out, a password change or deactivation delete the rows, so a copied
console cookie stops working at once (issue 13.3).

Every encrypted value (and legacy plaintext) is re-encrypted bound to its
table, column and row ("f2:", bot/store/crypto.py), so a ciphertext moved to
another row is refused on read. This migration is the only reader of the old
formats besides `hotline keys rotate`; the tracker store's events are
re-encrypted here when they live in this database (PostgreSQL) and by
`hotline run` otherwise (bot/store/keys.py bind_tracker_store). Rows already
bound are left alone, so running it again is safe. Downgrade writes the
unbound "f1:" format back.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 22:00:00.000000
"""
import json

from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


# (table, primary key, column) of every encrypted column at 0007: frozen here.
SENSITIVE = [
    ("conversations", "id", "contact_address"),
    ("advocate_notes", "id", "body"),
    ("handoff_requests", "id", "details"),
    ("inbound_messages", "id", "body"),
    ("screening_results", "id", "answers"),
    ("tips", "id", "what"),
    ("tips", "id", "location"),
    ("tips", "id", "when_seen"),
    ("outbound_messages", "id", "body"),
    ("referral_cases", "id", "referral_reason"),
    ("referral_cases", "id", "referral_details"),
]
TRACKER = ("events", "id", "data")  # Rasa's tracker store, when it shares this database
BATCH = 500


def _rewrite(table: str, pk: str, column: str, transform) -> None:  # type: ignore[no-untyped-def]
    """transform(pk, value) -> new value (None = keep) for every non-NULL value, in batches."""
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
            new = transform(key, value)
            if new is not None and new != value:
                conn.execute(t.update().where(t.c[pk] == key).values({column: new}))
        last = rows[-1][0]


def _columns() -> list[tuple[str, str, str]]:
    columns = list(SENSITIVE)
    if sa.inspect(op.get_bind()).has_table(TRACKER[0]):
        columns.append(TRACKER)
    return columns


def _bind_values() -> None:
    from bot.store.crypto import get_keyring, is_bound

    keyring = get_keyring()
    for table, pk, column in _columns():
        place = f"{table}.{column}"

        def bind(key, value):  # type: ignore[no-untyped-def]
            if is_bound(value):
                return None
            if not isinstance(value, str):  # a driver that hands back parsed JSON
                value = json.dumps(value, ensure_ascii=False)
            return keyring.seal(keyring.decrypt(value), f"{place}:{key}")

        _rewrite(table, pk, column, bind)


def upgrade() -> None:
    _bind_values()
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
    from bot.store.crypto import get_keyring, is_bound

    keyring = get_keyring()
    for table, pk, column in _columns():
        _rewrite(table, pk, column,
                 lambda _k, v: keyring.encrypt(keyring.decrypt(v)) if is_bound(v) else None)
    with op.batch_alter_table('console_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_console_sessions_advocate_id'))
    op.drop_table('console_sessions')
