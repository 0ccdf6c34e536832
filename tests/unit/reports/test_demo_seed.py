"""`hotline demo seed`: real models, real encryption, deterministic, never on real data."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from bot.cli import main
from bot.demo.seed import RealDataPresent, seed
from bot.store.crypto import Keyring, set_keyring
from bot.store.db import session_scope
from bot.store.models import Conversation, HandoffRequest, InboundMessage, ScreeningRecord
from tests.conftest import TEST_DATA_KEY, plain

END = date(2026, 11, 30)


@pytest.fixture(autouse=True)
def keyring():  # type: ignore[no-untyped-def]
    set_keyring(Keyring([TEST_DATA_KEY]))
    yield
    set_keyring(None)


def _fingerprint(url: str) -> list:  # type: ignore[type-arg]
    with session_scope(url) as s:
        return [tuple(r) for r in s.execute(
            sa.select(Conversation.id, Conversation.channel, Conversation.language,
                      Conversation.created_at).order_by(Conversation.id)).all()]


def test_seed_writes_every_kind_of_row_encrypted_and_in_range(db_url: str) -> None:
    with session_scope(db_url) as s:
        summary = seed(s, 20, end=END, seed=3, per_day=12)
    with session_scope(db_url) as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(Conversation)) \
            == summary.counts["conversations"] > 150
        assert s.scalar(sa.select(sa.func.count()).select_from(HandoffRequest)) \
            == summary.counts["escalations"] > 30
        assert s.scalar(sa.select(sa.func.count()).select_from(ScreeningRecord)) \
            == summary.counts["screenings"] > 30
        for kind in ("tips", "cases", "consents", "inbound", "outbound"):
            assert summary.counts[kind] > 0, kind
        first, last = s.execute(sa.select(sa.func.min(Conversation.created_at),
                                          sa.func.max(Conversation.created_at))).one()
        assert str(first)[:10] >= "2026-11-11" and str(last)[:10] <= "2026-11-30"
        raw = s.execute(sa.text("select body from inbound_messages limit 1")).scalar_one()
        decrypted = s.execute(sa.select(InboundMessage.body).limit(1)).scalar_one()
    assert raw != decrypted and plain(raw) == decrypted  # stored encrypted, readable


def test_same_seed_same_rows(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.databases import migrated_database

    with migrated_database(tmp_path, "a.db") as a, migrated_database(tmp_path, "b.db") as b:
        for url in (a, b):
            with session_scope(url) as s:
                seed(s, 5, end=END, seed=7, per_day=10)
        assert _fingerprint(a) == _fingerprint(b)


def test_refuses_a_database_with_real_conversations(db_url: str, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    with session_scope(db_url) as s:
        s.add(Conversation(channel="twilio", contact_key="a" * 64, contact_address="+15550100"))
    with session_scope(db_url) as s, pytest.raises(RealDataPresent):
        seed(s, 2, end=END)
    monkeypatch.setenv("HOTLINE_DATABASE_URL", db_url)
    monkeypatch.setenv("HOTLINE_SECRET_KEY", "demo-test")
    monkeypatch.setenv("HOTLINE_DATA_KEYS", TEST_DATA_KEY)
    from bot.config import get_settings

    get_settings.cache_clear()
    assert main(["demo", "seed", "--days", "2"]) == 2
    assert "real conversations" in capsys.readouterr().err
    with session_scope(db_url) as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(Conversation)) == 1


def test_cli_seeds_an_empty_database_and_can_add_more_demo_days(db_url: str, monkeypatch,  # type: ignore[no-untyped-def]
                                                                capsys) -> None:
    monkeypatch.setenv("HOTLINE_DATABASE_URL", db_url)
    monkeypatch.setenv("HOTLINE_SECRET_KEY", "demo-test")
    monkeypatch.setenv("HOTLINE_DATA_KEYS", TEST_DATA_KEY)
    from bot.config import get_settings

    get_settings.cache_clear()
    assert main(["demo", "seed", "--days", "3", "--end", "2026-11-30", "--per-day", "5"]) == 0
    assert "3 day(s) to 2026-11-30" in capsys.readouterr().out
    assert main(["demo", "seed", "--days", "2", "--end", "2026-10-30", "--seed", "2",
                 "--per-day", "5"]) == 0
