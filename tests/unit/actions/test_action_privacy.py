"""action_delete_my_data and action_leave_form (actions/privacy.py)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from action_helpers import SENDER, build_tracker, responses, slot_sets
from sqlalchemy import create_engine

from actions.privacy import ActionDeleteMyData, ActionLeaveForm
from bot.config import get_settings
from bot.store.db import session_scope
from bot.store.models import (
    Conversation,
    HandoffRequest,
    InboundMessage,
    OutboundMessage,
    ScreeningRecord,
    Tip,
)

OTHER = "conv-other"


@pytest.fixture
def tracker_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A tracker file with Rasa's own `events` table, events for SENDER and OTHER."""
    from rasa.core.tracker_store import SQLTrackerStore

    path = tmp_path / "tracker.db"
    engine = create_engine(f"sqlite:///{path}")
    SQLTrackerStore.Base.metadata.create_all(engine)
    engine.dispose()
    with sqlite3.connect(path) as conn:
        conn.executemany(
            "INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (?, ?, 1.0, '{}')",
            [(SENDER, "user"), (SENDER, "bot"), (SENDER, "session_started"), (OTHER, "user")])
    monkeypatch.setenv("HOTLINE_TRACKER_DB", str(path))
    get_settings.cache_clear()
    return path


def events_of(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [r[0] for r in conn.execute("SELECT sender_id FROM events ORDER BY id")]


def seed(url: str, conversation_id: str, *, handoff_status: str | None = None,
         handoff_details: dict | None = None) -> None:
    """A conversation with every kind of row the project store keeps."""
    with session_scope(url) as s:
        s.add(Conversation(id=conversation_id, channel="twilio", contact_key=f"k-{conversation_id}",
                           contact_address="+15550001111"))
        s.flush()
        inbound = InboundMessage(channel="twilio", provider_message_id=f"SM-{conversation_id}",
                                 conversation_id=conversation_id, body="my boss has my passport",
                                 status="processed")
        s.add(inbound)
        s.flush()
        s.add_all([
            OutboundMessage(conversation_id=conversation_id, inbound_id=inbound.id, seq=0,
                            channel="twilio", body="reply", status="sent"),
            ScreeningRecord(conversation_id=conversation_id, answers={"q_documents": "yes"},
                            indicators=[], exploitation_type="labor", triage="medium", result={}),
            Tip(conversation_id=conversation_id, what="something"),
        ])
        if handoff_status:
            s.add(HandoffRequest(conversation_id=conversation_id, reason="asked",
                                 priority="normal", status=handoff_status,
                                 details=handoff_details or {"active_loop": None}))


def rows_of(store, conversation_id: str) -> dict[str, int]:  # type: ignore[no-untyped-def]
    out = {}
    for model in (InboundMessage, OutboundMessage, ScreeningRecord, Tip, HandoffRequest):
        out[model.__tablename__] = sum(1 for r in store.all(model)
                                       if r.conversation_id == conversation_id)
    return out


def run_delete(dispatcher, domain, **kwargs):  # type: ignore[no-untyped-def]
    tracker = build_tracker("yes", "affirm", **kwargs)
    return ActionDeleteMyData().run(dispatcher, tracker, domain)


def test_deletes_everything_of_the_conversation_and_restarts(dispatcher, domain, store,
                                                             hotline_env, tracker_db):
    seed(hotline_env, SENDER, handoff_status="closed")
    seed(hotline_env, OTHER)
    events = run_delete(dispatcher, domain)
    assert [e["event"] for e in events] == ["restart"]
    assert responses(dispatcher) == ["utter_data_deleted"]
    assert store.conversation(SENDER) is None
    assert set(rows_of(store, SENDER).values()) == {0}
    # Nobody else's data is touched.
    assert store.conversation(OTHER) is not None
    assert rows_of(store, OTHER)["inbound_messages"] == 1
    assert events_of(tracker_db) == [OTHER]


def test_open_case_is_left_to_the_advocate(dispatcher, domain, store, hotline_env, tracker_db):
    seed(hotline_env, SENDER, handoff_status="open", handoff_details={"active_loop": None})
    events = run_delete(dispatcher, domain)
    assert events == []  # no restart: nothing was erased
    assert responses(dispatcher) == ["utter_delete_pending_case"]
    assert store.conversation(SENDER) is not None
    assert rows_of(store, SENDER) == {"inbound_messages": 1, "outbound_messages": 1,
                                      "screening_results": 1, "tips": 1,
                                      "handoff_requests": 1}
    (request,) = store.handoffs()
    assert request.status == "open"
    assert request.details["active_loop"] is None  # earlier details kept
    assert request.deletion_requested_at is not None
    assert events_of(tracker_db).count(SENDER) == 3


def test_missing_tracker_file_or_table_is_fine(dispatcher, domain, store, hotline_env,
                                              tmp_path, monkeypatch):
    seed(hotline_env, SENDER)
    monkeypatch.setenv("HOTLINE_TRACKER_DB", str(tmp_path / "absent.db"))
    get_settings.cache_clear()
    assert [e["event"] for e in run_delete(dispatcher, domain)] == ["restart"]
    assert store.conversation(SENDER) is None
    assert not (tmp_path / "absent.db").exists()

    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()  # a file with no `events` table
    monkeypatch.setenv("HOTLINE_TRACKER_DB", str(empty))
    get_settings.cache_clear()
    seed(hotline_env, SENDER)
    assert [e["event"] for e in run_delete(dispatcher, domain)] == ["restart"]


def test_unknown_conversation_still_restarts(dispatcher, domain, store, tracker_db):
    events = run_delete(dispatcher, domain, sender_id="never-seen")
    assert [e["event"] for e in events] == ["restart"]
    assert responses(dispatcher) == ["utter_data_deleted"]


def test_store_failure_erases_nothing_and_says_so(dispatcher, domain, store, hotline_env,
                                                  tracker_db, monkeypatch):
    seed(hotline_env, SENDER)
    import actions.privacy as privacy

    def broken(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("database is locked")

    monkeypatch.setattr(privacy, "erase_conversation", broken)
    assert run_delete(dispatcher, domain) == []
    assert responses(dispatcher) == ["utter_delete_failed"]
    assert store.conversation(SENDER) is not None
    assert events_of(tracker_db).count(SENDER) == 3


def test_leave_screening_keeps_partial_answers_and_clears_the_form(dispatcher, domain, store):
    tracker = build_tracker("delete", "delete_my_data", active_loop="screening_form",
                            slots={"q_safe_leave": "no", "requested_slot": "q_documents"})
    events = ActionLeaveForm().run(dispatcher, tracker, domain)
    assert slot_sets(events)["q_safe_leave"] is None
    assert dispatcher.messages == []  # silent: the confirmation question follows
    (screening,) = store.screenings()
    assert screening.complete is False


def test_leave_tip_keeps_partial_tip(dispatcher, domain, store):
    tracker = build_tracker("borrar", "delete_my_data", active_loop="tip_form",
                            slots={"tip_what": "girls locked in a bar", "language": "es"})
    events = ActionLeaveForm().run(dispatcher, tracker, domain)
    assert slot_sets(events)["tip_what"] is None
    (tip,) = store.tips()
    assert tip.complete is False and tip.what == "girls locked in a bar"


def test_leave_location_form_sets_nothing(dispatcher, domain, store):
    tracker = build_tracker("delete", "delete_my_data", active_loop="location_form")
    assert ActionLeaveForm().run(dispatcher, tracker, domain) == []
