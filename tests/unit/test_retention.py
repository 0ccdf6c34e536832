"""Retention purge (bot/retention.py) against a migrated SQLite store and a Rasa tracker file."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select

from bot.config import Settings, get_settings
from bot.retention import purge
from bot.store.db import session_scope
from bot.store.migrate import upgrade
from bot.store.models import (
    Conversation,
    HandoffRequest,
    InboundMessage,
    OutboundMessage,
    ScreeningRecord,
    Tip,
)

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=timezone.utc)


def ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    url = f"sqlite:///{tmp_path / 'hotline.db'}"
    upgrade(url)
    tracker = tmp_path / "tracker.db"
    # The tracker table exactly as Rasa's SQLTrackerStore creates it.
    from rasa.core.tracker_store import SQLTrackerStore

    engine = create_engine(f"sqlite:///{tracker}")
    SQLTrackerStore.Base.metadata.create_all(engine)
    engine.dispose()
    return Settings.from_env({"HOTLINE_DATABASE_URL": url, "HOTLINE_TRACKER_DB": str(tracker),
                              "HOTLINE_SECRET_KEY": "retention-test-secret"})


def _key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


@pytest.fixture(autouse=True)
def data_keys(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # Encrypted columns (if any) read their keys from the settings: never var/.
    monkeypatch.setenv("HOTLINE_DATA_KEYS", _key())
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def add_conversation(settings: Settings, cid: str, *, last_inbound: datetime) -> None:
    with session_scope(settings.database_url) as s:
        s.add(Conversation(id=cid, channel="twilio", contact_key=f"k-{cid}",
                           contact_address="+15550000000", created_at=last_inbound,
                           last_inbound_at=last_inbound))


def add_exchange(settings: Settings, cid: str, at: datetime, status: str = "sent",
                 pid: str = "") -> tuple[int, int]:
    with session_scope(settings.database_url) as s:
        inbound = InboundMessage(channel="twilio", provider_message_id=pid or f"SM-{cid}-{at}",
                                 conversation_id=cid, body="hi", status="processed",
                                 received_at=at, processed_at=at)
        s.add(inbound)
        s.flush()
        outbound = OutboundMessage(conversation_id=cid, inbound_id=inbound.id, seq=0,
                                   channel="twilio", body="hello", status=status, created_at=at)
        s.add(outbound)
        s.flush()
        return inbound.id, outbound.id


def add_events(settings: Settings, sender: str, *timestamps: datetime) -> None:
    with sqlite3.connect(settings.tracker_db) as conn:
        conn.executemany(
            "INSERT INTO events (sender_id, type_name, timestamp, data) "
            "VALUES (?, 'user', ?, '{}')",
            [(sender, t.timestamp()) for t in timestamps])


def tracker_timestamps(settings: Settings) -> list[float]:
    with sqlite3.connect(settings.tracker_db) as conn:
        return sorted(r[0] for r in conn.execute("SELECT timestamp FROM events"))


def ids(settings: Settings, model: type) -> list:
    with session_scope(settings.database_url) as s:
        return list(s.execute(select(model.id).order_by(model.id)).scalars())


def test_messages_older_than_the_window_go_newer_stay(settings: Settings) -> None:
    add_conversation(settings, "c1", last_inbound=ago(1))
    old_in, old_out = add_exchange(settings, "c1", ago(31))
    new_in, new_out = add_exchange(settings, "c1", ago(29))
    counts = purge(settings, now=NOW)
    assert ids(settings, InboundMessage) == [new_in]
    assert ids(settings, OutboundMessage) == [new_out]
    assert counts["inbound_messages"] == 1 and counts["outbound_messages"] == 1
    assert ids(settings, Conversation) == ["c1"]  # still has rows


def test_queued_and_sending_rows_are_never_deleted(settings: Settings) -> None:
    add_conversation(settings, "c1", last_inbound=ago(60))
    q_in, q_out = add_exchange(settings, "c1", ago(60), status="queued", pid="a")
    s_in, s_out = add_exchange(settings, "c1", ago(60), status="sending", pid="b")
    _, failed = add_exchange(settings, "c1", ago(60), status="failed", pid="c")
    purge(settings, now=NOW)
    assert ids(settings, OutboundMessage) == [q_out, s_out]
    assert ids(settings, InboundMessage) == [q_in, s_in]  # the rows they answer stay too
    assert failed not in ids(settings, OutboundMessage)
    assert ids(settings, Conversation) == ["c1"]


def test_tips_cases_and_open_handoffs(settings: Settings) -> None:
    add_conversation(settings, "c1", last_inbound=ago(1))
    with session_scope(settings.database_url) as s:
        s.add_all([
            Tip(conversation_id="c1", what="old", created_at=ago(366)),
            Tip(conversation_id="c1", what="new", created_at=ago(364)),
            ScreeningRecord(conversation_id="c1", answers={}, indicators=[],
                            exploitation_type="unclear", triage="low", result={},
                            created_at=ago(366)),
            ScreeningRecord(conversation_id="c1", answers={}, indicators=[],
                            exploitation_type="unclear", triage="low", result={},
                            created_at=ago(364)),
            HandoffRequest(conversation_id="c1", reason="asked", priority="normal",
                           status="closed", created_at=ago(366)),
            HandoffRequest(conversation_id="c1", reason="asked", priority="normal",
                           status="open", created_at=ago(400)),
        ])
    counts = purge(settings, now=NOW)
    assert counts["tips"] == 1 and counts["screening_results"] == 1
    assert counts["handoff_requests"] == 1
    with session_scope(settings.database_url) as s:
        assert [t.what for t in s.execute(select(Tip)).scalars()] == ["new"]
        assert [h.status for h in s.execute(select(HandoffRequest)).scalars()] == ["open"]
        assert len(s.execute(select(ScreeningRecord)).all()) == 1


def test_windows_are_configurable(settings: Settings, tmp_path: Path) -> None:
    short = Settings.from_env({"HOTLINE_DATABASE_URL": settings.database_url,
                               "HOTLINE_TRACKER_DB": str(settings.tracker_db),
                               "HOTLINE_RETENTION_MESSAGES_DAYS": "2",
                               "HOTLINE_RETENTION_TIPS_DAYS": "10"})
    assert (settings.retention_messages_days, settings.retention_tips_days,
            settings.retention_cases_days, settings.retention_audit_days) == (30, 365, 365, 730)
    add_conversation(settings, "c1", last_inbound=ago(1))
    add_exchange(settings, "c1", ago(3))
    with session_scope(settings.database_url) as s:
        s.add(Tip(conversation_id="c1", what="x", created_at=ago(11)))
    counts = purge(short, now=NOW)
    assert counts["inbound_messages"] == 1 and counts["tips"] == 1
    with pytest.raises(ValueError):
        Settings.from_env({"HOTLINE_RETENTION_MESSAGES_DAYS": "0"})


def test_empty_old_conversations_go_unless_a_case_is_open(settings: Settings) -> None:
    add_conversation(settings, "gone", last_inbound=ago(40))
    add_exchange(settings, "gone", ago(40))
    add_conversation(settings, "case", last_inbound=ago(40))
    add_exchange(settings, "case", ago(40), pid="x")
    with session_scope(settings.database_url) as s:
        s.add(HandoffRequest(conversation_id="case", reason="asked", priority="normal",
                             status="open", created_at=ago(40)))
    add_conversation(settings, "recent", last_inbound=ago(2))  # no rows yet, but active
    counts = purge(settings, now=NOW)
    assert counts["conversations"] == 1
    assert ids(settings, Conversation) == ["case", "recent"]


def test_tracker_events_older_than_the_message_window_are_purged(settings: Settings) -> None:
    add_events(settings, "c1", ago(45), ago(31), ago(29), ago(0.5))
    add_events(settings, "c2", ago(100))
    counts = purge(settings, now=NOW)
    assert counts["tracker_events"] == 3
    assert tracker_timestamps(settings) == [ago(29).timestamp(), ago(0.5).timestamp()]


def test_dry_run_counts_but_deletes_nothing(settings: Settings) -> None:
    add_conversation(settings, "c1", last_inbound=ago(40))
    add_exchange(settings, "c1", ago(40))
    with session_scope(settings.database_url) as s:
        s.add(Tip(conversation_id="c1", what="old", created_at=ago(400)))
    add_events(settings, "c1", ago(40), ago(1))
    dry = purge(settings, now=NOW, dry_run=True)
    assert dry["inbound_messages"] == 1 and dry["outbound_messages"] == 1
    assert dry["tips"] == 1 and dry["conversations"] == 1 and dry["tracker_events"] == 1
    assert len(ids(settings, InboundMessage)) == 1 and len(ids(settings, Tip)) == 1
    assert ids(settings, Conversation) == ["c1"]
    assert len(tracker_timestamps(settings)) == 2
    assert purge(settings, now=NOW) == dry  # the real run deletes exactly that


def test_missing_tracker_file_and_audit_table_are_fine(settings: Settings,
                                                       tmp_path: Path) -> None:
    missing = Settings.from_env({"HOTLINE_DATABASE_URL": settings.database_url,
                                 "HOTLINE_TRACKER_DB": str(tmp_path / "nope.db")})
    counts = purge(missing, now=NOW)
    assert counts["tracker_events"] == 0 and counts["audit_events"] == 0
    assert not (tmp_path / "nope.db").exists()  # never created by the purge


def test_audit_rows_older_than_their_window(settings: Settings) -> None:
    from bot.store.models import AuditEvent

    with session_scope(settings.database_url) as s:
        s.add_all([AuditEvent(actor="cli", action="export", at=ago(731)),
                   AuditEvent(actor="cli", action="export", at=ago(729))])
    assert purge(settings, now=NOW)["audit_events"] == 1
    with session_scope(settings.database_url) as s:
        assert s.query(AuditEvent).count() == 1


def test_open_cases_notes_and_unfetched_web_chat_rows(settings: Settings) -> None:
    """Active cases stay whatever their age; closed ones, old notes and stale web chat
    rows nobody fetched go."""
    from bot.store.models import Advocate, AdvocateNote, Conversation, OutboundMessage, ReferralCase

    with session_scope(settings.database_url) as s:
        advocate = Advocate(username="ana", display_name="Ana", password_hash="x")
        s.add(advocate)
        for cid in ("c-active", "c-closed", "c-web"):
            s.add(Conversation(id=cid, channel="webchat" if cid == "c-web" else "twilio",
                               contact_key=cid, created_at=ago(800), last_inbound_at=ago(800)))
        s.flush()
        s.add_all([
            ReferralCase(conversation_id="c-active", status="Active", opened_at=ago(800),
                         updated_at=ago(800)),
            ReferralCase(conversation_id="c-closed", status="Closed", opened_at=ago(800),
                         updated_at=ago(400)),
            AdvocateNote(conversation_id="c-closed", advocate_id=advocate.id, body="n",
                         created_at=ago(400)),
            OutboundMessage(conversation_id="c-web", channel="webchat", author="advocate",
                            body="later reply", status="queued", created_at=ago(40)),
        ])
    counts = purge(settings, now=NOW)
    assert counts["referral_cases"] == 1 and counts["advocate_notes"] == 1
    assert counts["outbound_messages"] == 1
    with session_scope(settings.database_url) as s:
        assert [c.id for c in s.query(Conversation).order_by(Conversation.id)] == ["c-active"]
        assert [c.status for c in s.query(ReferralCase)] == ["Active"]
