"""Safe texting: the assistant never texts first; quick exit cancels what is queued;
"delete my data" mid-turn still answers, from a fresh conversation.

The worker runs against a real SQLite store and the real twilio Client talking to
tests/fakes/twilio_api.FakeTwilioApi (as in test_outbox_worker.py).
"""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select

from bot.config import Settings
from bot.messaging import inbox, outbox
from bot.messaging.outbox_worker import OutboxWorker
from bot.messaging.router import Router
from bot.privacy import erase_conversation
from bot.store.db import session_scope
from bot.store.models import (
    Conversation,
    HandoffRequest,
    InboundMessage,
    OutboundMessage,
    Tip,
    utcnow,
)
from tests.unit.outbox_support import SECRET, worker


async def drain(w: OutboxWorker, rounds: int = 4) -> None:
    for _ in range(rounds):
        await w.drain_once()
        await asyncio.sleep(0.02)


def queue(db_url: str, number: str, texts: list[str], provider_id: str) -> str:
    accepted = inbox.accept(db_url, SECRET, channel="twilio", provider_message_id=provider_id,
                            address=number, body="hi")
    with session_scope(db_url) as s:
        row = s.get(InboundMessage, accepted.inbound_id)
        outbox.store_replies(s, row, texts, delivered_inline=False)
    return accepted.conversation_id


def last_heard(db_url: str, conversation_id: str, hours_ago: float) -> None:
    with session_scope(db_url) as s:
        s.get(Conversation, conversation_id).last_inbound_at = (
            utcnow() - timedelta(hours=hours_ago))


def add_advocate_row(db_url: str, conversation_id: str, body: str) -> None:
    with session_scope(db_url) as s:
        s.add(OutboundMessage(conversation_id=conversation_id, channel="twilio",
                              author="advocate", body=body, status="queued"))


def statuses(db_url: str) -> list[tuple[str, str]]:
    with session_scope(db_url) as s:
        return [(r.body, r.status) for r in
                s.execute(select(OutboundMessage).order_by(OutboundMessage.id)).scalars()]


# ---- never text first -----------------------------------------------------------------
async def test_rows_outside_the_reply_window_expire_unsent(fake, db_url) -> None:
    quiet = queue(db_url, "+15551110001", ["late one", "late two"], "SM-q")
    recent = queue(db_url, "+15551110002", ["on time"], "SM-r")
    last_heard(db_url, quiet, hours_ago=25)
    last_heard(db_url, recent, hours_ago=23)
    await drain(worker(fake, db_url))
    assert statuses(db_url) == [("late one", "expired"), ("late two", "expired"),
                                ("on time", "sent")]
    assert fake.messages_to("+15551110001") == []
    assert [m["body"] for m in fake.messages_to("+15551110002")] == ["on time"]
    with session_scope(db_url) as s:
        errors = {r.last_error for r in s.execute(
            select(OutboundMessage).where(OutboundMessage.status == "expired")).scalars()}
    assert errors == {"outside the reply window"}


async def test_the_window_is_configurable(fake, db_url) -> None:
    assert Settings.from_env({}).reply_window_hours == 24
    assert Settings.from_env({"HOTLINE_REPLY_WINDOW_HOURS": "2"}).reply_window_hours == 2
    with pytest.raises(ValueError):
        Settings.from_env({"HOTLINE_REPLY_WINDOW_HOURS": "0"})
    cid = queue(db_url, "+15551110003", ["after three hours"], "SM-w")
    last_heard(db_url, cid, hours_ago=3)
    await drain(worker(fake, db_url, reply_window_hours=2))
    assert statuses(db_url) == [("after three hours", "expired")]
    assert fake.messages == []


async def test_never_heard_from_means_never_sent(fake, db_url) -> None:
    with session_scope(db_url) as s:
        s.add(Conversation(id="c-silent", channel="twilio", contact_key="k",
                           contact_address="+15551110004"))
        s.flush()
        s.add(OutboundMessage(conversation_id="c-silent", channel="twilio", body="hello?",
                              status="queued"))
    await drain(worker(fake, db_url))
    assert statuses(db_url) == [("hello?", "expired")]
    assert fake.messages == []


async def test_advocate_rows_need_consent_to_contact_back(fake, db_url) -> None:
    no_consent = queue(db_url, "+15551110005", [], "SM-a1")
    tip_consent = queue(db_url, "+15551110006", [], "SM-a2")
    case_consent = queue(db_url, "+15551110007", [], "SM-a3")
    closed_case = queue(db_url, "+15551110008", [], "SM-a4")
    for cid in (no_consent, tip_consent, case_consent, closed_case):
        last_heard(db_url, cid, hours_ago=72)
    with session_scope(db_url) as s:
        s.add(Tip(conversation_id=tip_consent, what="x", contact_ok=True))
        s.add(HandoffRequest(conversation_id=case_consent, reason="asked", priority="normal",
                             status="claimed", contact_back=True))
        s.add(HandoffRequest(conversation_id=closed_case, reason="asked", priority="normal",
                             status="closed", contact_back=True))
    add_advocate_row(db_url, no_consent, "advocate, no consent")
    add_advocate_row(db_url, tip_consent, "advocate, tip consent")
    add_advocate_row(db_url, case_consent, "advocate, case consent")
    add_advocate_row(db_url, closed_case, "advocate, closed case")
    # A bot row is never exempt, consent or not.
    with session_scope(db_url) as s:
        s.add(OutboundMessage(conversation_id=tip_consent, channel="twilio", author="bot",
                              body="bot, tip consent", status="queued"))
    await drain(worker(fake, db_url), rounds=6)
    assert dict(statuses(db_url)) == {
        "advocate, no consent": "expired",
        "advocate, tip consent": "sent",
        "advocate, case consent": "sent",
        "advocate, closed case": "expired",
        "bot, tip consent": "expired",
    }
    assert {m["body"] for m in fake.messages} == {"advocate, tip consent",
                                                  "advocate, case consent"}


# ---- quick exit cancels what is queued ---------------------------------------------------
def make_router(db_url: str, on_new_message, **kwargs) -> Router:  # type: ignore[no-untyped-def]
    return Router(db_url, on_new_message, delivered_inline=False, **kwargs)


async def test_quick_exit_cancels_queued_and_retrying_rows_before_processing(db_url) -> None:
    cid = queue(db_url, "+15551110010", ["queued", "retrying", "in flight", "done"], "SM-x0")
    with session_scope(db_url) as s:
        rows = list(s.execute(select(OutboundMessage).order_by(OutboundMessage.id)).scalars())
        rows[1].attempts, rows[1].next_attempt_at = 3, utcnow() + timedelta(minutes=5)
        rows[2].status, rows[2].claimed_at = "sending", utcnow()
        rows[3].status = "sent"
    seen_at_call: list[list[tuple[str, str]]] = []

    async def assistant(message) -> None:  # type: ignore[no-untyped-def]
        seen_at_call.append(statuses(db_url))
        await message.output_channel.send_text_message(message.sender_id, "Take care.")

    router = make_router(db_url, assistant)
    exit_msg = inbox.accept(db_url, SECRET, channel="twilio", provider_message_id="SM-x1",
                            address="+15551110010", body="EXIT")
    assert exit_msg.conversation_id == cid
    replies = await router.process(exit_msg.inbound_id, cid)
    expected = [("queued", "cancelled"), ("retrying", "cancelled"), ("in flight", "sending"),
                ("done", "sent")]
    assert seen_at_call == [expected]  # cancelled BEFORE the assistant ran
    assert replies == [{"text": "Take care."}]
    assert statuses(db_url) == [*expected, ("Take care.", "queued")]


async def test_other_messages_and_other_texters_are_untouched(db_url) -> None:
    mine = queue(db_url, "+15551110011", ["mine"], "SM-y0")
    queue(db_url, "+15551110012", ["someone else's"], "SM-y1")

    async def assistant(message) -> None:  # type: ignore[no-untyped-def]
        await message.output_channel.send_text_message(message.sender_id, "ok")

    router = make_router(db_url, assistant, exit_words=("salir",))
    msg = inbox.accept(db_url, SECRET, channel="twilio", provider_message_id="SM-y2",
                       address="+15551110011", body="I want to exit this job")
    await router.process(msg.inbound_id, mine)
    assert statuses(db_url)[:2] == [("mine", "queued"), ("someone else's", "queued")]
    msg = inbox.accept(db_url, SECRET, channel="twilio", provider_message_id="SM-y3",
                       address="+15551110011", body="Salir!")
    await router.process(msg.inbound_id, mine)
    assert statuses(db_url)[:2] == [("mine", "cancelled"), ("someone else's", "queued")]


# ---- "delete my data" during a turn ---------------------------------------------------------
@pytest.fixture
def tracker_db(tmp_path: Path) -> Path:
    from rasa.core.tracker_store import SQLTrackerStore

    path = tmp_path / "tracker.db"
    engine = create_engine(f"sqlite:///{path}")
    SQLTrackerStore.Base.metadata.create_all(engine)
    engine.dispose()
    return path


def erasing_assistant(db_url: str, tracker_db: Path):  # type: ignore[no-untyped-def]
    """Stands in for Rasa + action_delete_my_data: erases, answers, and (like Rasa's
    tracker store after the action) writes this turn's events again."""

    async def assistant(message) -> None:  # type: ignore[no-untyped-def]
        with session_scope(db_url) as s:
            erase_conversation(s, message.sender_id)
        with sqlite3.connect(tracker_db) as conn:
            conn.execute("INSERT INTO events (sender_id, type_name, timestamp, data) "
                         "VALUES (?, 'user', 1.0, '{}')", (message.sender_id,))
        await message.output_channel.send_text_message(message.sender_id, "Done, cleared.")

    return assistant


async def test_erased_during_the_turn_sms_reply_still_goes_out(fake, db_url, tracker_db) -> None:
    cid = queue(db_url, "+15551110020", ["earlier reply"], "SM-d0")
    router = make_router(db_url, erasing_assistant(db_url, tracker_db), tracker_db=tracker_db)
    msg = inbox.accept(db_url, SECRET, channel="twilio", provider_message_id="SM-d1",
                       address="+15551110020", body="yes")
    replies = await router.process(msg.inbound_id, cid)
    assert replies == [{"text": "Done, cleared."}]
    with session_scope(db_url) as s:
        assert s.get(Conversation, cid) is None
        (fresh,) = s.execute(select(Conversation)).scalars()
        assert fresh.id != cid and fresh.contact_address == "+15551110020"
        assert s.execute(select(InboundMessage)).first() is None
    assert statuses(db_url) == [("Done, cleared.", "queued")]
    with sqlite3.connect(tracker_db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 0
    await drain(worker(fake, db_url))
    assert [m["body"] for m in fake.messages_to("+15551110020")] == ["Done, cleared."]
    # The texter's next message finds the fresh conversation, with no history.
    again = inbox.accept(db_url, SECRET, channel="twilio", provider_message_id="SM-d2",
                         address="+15551110020", body="hi")
    assert again.conversation_id == fresh.id


async def test_erased_during_the_turn_web_chat_answers_inline(db_url, tracker_db) -> None:
    accepted = inbox.accept(db_url, SECRET, channel="webchat", provider_message_id="w1",
                            address="browser-1", body="yes")
    router = Router(db_url, erasing_assistant(db_url, tracker_db), delivered_inline=True,
                    tracker_db=tracker_db)
    assert await router.process(accepted.inbound_id, accepted.conversation_id) == [
        {"text": "Done, cleared."}]
    with session_scope(db_url) as s:
        assert s.execute(select(Conversation)).first() is None
        assert s.execute(select(OutboundMessage)).first() is None
