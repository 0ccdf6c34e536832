"""Migration 0007 copies "delete my data" flags out of the encrypted details."""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa

from bot.store.crypto import Keyring, set_keyring
from bot.store.migrate import upgrade
from tests.conftest import TEST_DATA_KEY


def test_flags_in_encrypted_details_become_the_column(tmp_path: Path) -> None:
    ring = Keyring([TEST_DATA_KEY])
    set_keyring(ring)
    try:
        url = f"sqlite:///{tmp_path / 'old.db'}"
        upgrade(url, "0006")
        engine = sa.create_engine(url, future=True)
        with engine.begin() as conn:
            conn.exec_driver_sql(
                "insert into conversations (id, channel, contact_key, urgent, status, "
                "created_at, unreachable) values ('c1', 'twilio', 'k', 0, 'queued', "
                "'2026-11-28 10:00:00', 0)")
            for details in [{"deletion_requested": "2026-11-28T10:05:00+00:00"},
                            {"active_loop": None}]:
                conn.exec_driver_sql(
                    "insert into handoff_requests (conversation_id, created_at, reason, "
                    "priority, status, details, minor) values ('c1', '2026-11-28 10:00:00', "
                    "'asked', 'normal', 'open', ?, 0)", (ring.encrypt(json.dumps(details)),))
        engine.dispose()
        upgrade(url)
        engine = sa.create_engine(url, future=True)
        with engine.connect() as conn:
            flags = conn.exec_driver_sql("select deletion_requested_at from handoff_requests "
                                         "order by id").scalars().all()
        engine.dispose()
        assert flags[0] is not None and flags[0].startswith("2026-11-28 10:05:00")
        assert flags[1] is None
    finally:
        set_keyring(None)
