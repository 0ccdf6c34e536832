"""Handoff mode in the router: once an advocate claims the conversation, Rasa hears
nothing; while it waits in the queue, the assistant still answers.

Real SQLite store, real router; the "assistant" is a recording coroutine standing
in for Rasa (the full-stack path is covered in tests/integration/).
"""

from __future__ import annotations

from sqlalchemy import select

from bot.handoff import queue as handoff_queue
from bot.handoff.queue import record_handoff
from bot.messaging import inbox
from bot.messaging.router import Router
from bot.store.db import session_scope
from bot.store.models import Advocate, Conversation, HandoffRequest, InboundMessage, OutboundMessage
from tests.unit.outbox_support import SECRET

NUMBER = "+15551230001"


class Assistant:
    """Stands in for Rasa: records what it was asked, answers one line, may escalate."""

    def __init__(self, db_url: str, escalate_on: str | None = None) -> None:
        self.db_url, self.escalate_on, self.heard = db_url, escalate_on, []

    async def __call__(self, message) -> None:  # type: ignore[no-untyped-def]
        self.heard.append(message.text)
        if message.text == self.escalate_on:
            with session_scope(self.db_url) as s:
                record_handoff(s, message.sender_id, reason="asked", priority="normal")
            await message.output_channel.send_text_message(message.sender_id, "I asked a person.")
            return
        await message.output_channel.send_text_message(message.sender_id, f"bot: {message.text}")


async def send(router: Router, db_url: str, body: str, n: int) -> list[str]:
    accepted = inbox.accept(db_url, SECRET, channel="twilio", provider_message_id=f"SM-h{n}",
                            address=NUMBER, body=body)
    replies = await router.process(accepted.inbound_id, accepted.conversation_id)
    return [r["text"] for r in replies]


def request_of(db_url: str) -> HandoffRequest:
    with session_scope(db_url) as s:
        newest = select(HandoffRequest).order_by(HandoffRequest.id.desc())
        return s.execute(newest).scalars().first()


def conversation_status(db_url: str) -> str:
    with session_scope(db_url) as s:
        return s.execute(select(Conversation.status)).scalar_one()


async def escalated(db_url: str) -> tuple[Router, Assistant]:
    assistant = Assistant(db_url, escalate_on="talk to a person")
    router = Router(db_url, assistant, delivered_inline=False)
    replies = await send(router, db_url, "talk to a person", 0)
    # A first message that is not a greeting starts with the safety line (session_check).
    assert "not safe to text" in replies[0]
    assert replies[1] == "I asked a person."
    # Right after the escalation, once: may a person text back later?
    assert "YES or NO" in replies[2] and len(replies) == 3
    assert conversation_status(db_url) == "queued"
    return router, assistant


async def test_while_waiting_the_assistant_still_answers_and_the_advocate_sees_it(db_url) -> None:
    """Round 7: "ok keep going" after asking for a person got silence until one was free."""
    router, assistant = await escalated(db_url)
    first = await send(router, db_url, "ok keep going with the questions", 1)
    second = await send(router, db_url, "do you report to immigration", 2)
    assert assistant.heard == ["talk to a person", "ok keep going with the questions",
                               "do you report to immigration"]
    assert first == ["bot: ok keep going with the questions"]
    assert second == ["bot: do you report to immigration"]
    assert (request_of(db_url).status, conversation_status(db_url)) == ("open", "queued")
    with session_scope(db_url) as s:
        rows = s.execute(select(InboundMessage.body, InboundMessage.status)
                         .order_by(InboundMessage.id)).all()
    assert [status for _, status in rows] == ["processed"] * 3


def claimed_by_an_advocate(db_url: str, username: str = "ana") -> None:
    """An advocate account claims the waiting request (what the console's Take does)."""
    with session_scope(db_url) as s:
        advocate = Advocate(username=username, display_name="Ana", password_hash="x")
        s.add(advocate)
        s.flush()
        assert handoff_queue.claim(s, request_of(db_url).id, advocate)


async def test_once_claimed_messages_never_reach_the_assistant(db_url) -> None:
    router, assistant = await escalated(db_url)
    claimed_by_an_advocate(db_url)
    held = await send(router, db_url, "my boss took my passport", 1)
    assert held == []
    assert assistant.heard == ["talk to a person"]
    with session_scope(db_url) as s:
        row = s.execute(select(InboundMessage.handled_by).order_by(InboundMessage.id.desc())
                        ).scalars().first()
    assert row == "advocate"


async def test_contact_back_answer_is_recorded_from_the_texters_message(db_url) -> None:
    router, _ = await escalated(db_url)
    reply = await send(router, db_url, "yes", 1)
    assert "text you here when one is free" in reply[0]
    assert request_of(db_url).contact_back is True


async def test_contact_back_no_is_respected(db_url) -> None:
    router, _ = await escalated(db_url)
    reply = await send(router, db_url, "no", 1)
    assert "No one will text you first" in reply[0]
    assert request_of(db_url).contact_back is False


async def test_emergency_while_waiting_gets_numbers_at_once_and_jumps_the_queue(db_url) -> None:
    router, assistant = await escalated(db_url)
    reply = await send(router, db_url, "he has a gun, help", 1)
    assert "911" in reply[0]
    request = request_of(db_url)
    assert (request.priority, request.status) == ("emergency", "open")
    assert assistant.heard == ["talk to a person"]


async def test_never_mind_leaves_the_queue_and_the_assistant_answers_again(db_url) -> None:
    router, assistant = await escalated(db_url)
    reply = await send(router, db_url, "Olvídalo!", 1)
    assert "cancelé la solicitud" in reply[0] or "cancelled the request" in reply[0]
    assert (request_of(db_url).status, conversation_status(db_url)) == ("left", "bot")
    assert await send(router, db_url, "what are my rights", 2) == ["bot: what are my rights"]
    assert assistant.heard == ["talk to a person", "what are my rights"]


async def test_never_mind_inside_a_sentence_still_waits_for_a_person(db_url) -> None:
    router, _ = await escalated(db_url)
    await send(router, db_url, "never mind what I said, I need help", 1)
    assert request_of(db_url).status == "open"


async def test_quick_exit_while_waiting_ends_the_request_and_cancels_pending(db_url) -> None:
    router, assistant = await escalated(db_url)
    await send(router, db_url, "EXIT", 1)
    assert assistant.heard == ["talk to a person", "EXIT"]  # the assistant says goodbye
    assert (request_of(db_url).status, conversation_status(db_url)) == ("left", "bot")
    assert request_of(db_url).disposition == "quick_exit"
    with session_scope(db_url) as s:
        statuses = dict(s.execute(select(OutboundMessage.body, OutboundMessage.status)).all())
    assert statuses["I asked a person."] == "cancelled"


async def test_claimed_conversation_is_held_without_the_waiting_acknowledgement(db_url) -> None:
    router, assistant = await escalated(db_url)
    claimed_by_an_advocate(db_url)
    assert conversation_status(db_url) == "advocate"
    assert await send(router, db_url, "hello?", 1) == []
    assert assistant.heard == ["talk to a person"]
    with session_scope(db_url) as s:
        advocate = s.execute(select(Advocate)).scalar_one()
        handoff_queue.hand_back(s, request_of(db_url).id, advocate, "You are back.")
    assert await send(router, db_url, "menu", 2) == ["bot: menu"]


async def test_replay_of_a_held_message_does_not_answer_twice(db_url) -> None:
    router, _ = await escalated(db_url)
    accepted = inbox.accept(db_url, SECRET, channel="twilio", provider_message_id="SM-r1",
                            address=NUMBER, body="are you there")
    first = await router.process(accepted.inbound_id, accepted.conversation_id)
    again = await router.process(accepted.inbound_id, accepted.conversation_id)
    assert first == again and len(first) == 1
    with session_scope(db_url) as s:
        count = len(s.execute(select(OutboundMessage.id)
                              .where(OutboundMessage.inbound_id == accepted.inbound_id)).all())
    assert count == 1


async def test_web_chat_is_asked_about_texting_back_like_sms(db_url) -> None:
    assistant = Assistant(db_url, escalate_on="talk to a person")
    router = Router(db_url, assistant, delivered_inline=True)
    accepted = inbox.accept(db_url, SECRET, channel="webchat", provider_message_id="w-1",
                            address="browser-1", body="talk to a person")
    replies = await router.process(accepted.inbound_id, accepted.conversation_id)
    texts = [r["text"] for r in replies][1:]
    assert texts[0] == "I asked a person."
    assert texts[1].startswith("One more thing.\n") and "Reply YES or NO" in texts[1]
    accepted = inbox.accept(db_url, SECRET, channel="webchat", provider_message_id="w-2",
                            address="browser-1", body="yes")
    replies = await router.process(accepted.inbound_id, accepted.conversation_id)
    assert request_of(db_url).contact_back is True


async def test_delete_my_data_while_waiting_is_promised_and_kept_when_the_case_ends(
        db_url, tmp_path) -> None:
    from bot.handoff.erasure import erase_requested
    from bot.store.models import AdvocateNote, AuditEvent, ReferralCase

    router, assistant = await escalated(db_url)
    reply = await send(router, db_url, "BORRAR mis datos", 1)
    assert "erased when they close your case" in reply[0]
    assert assistant.heard == ["talk to a person"]
    request = request_of(db_url)
    assert request.deletion_requested_at is not None
    tracker = tmp_path / "no-tracker.db"
    assert erase_requested(db_url, str(tracker)) == 0  # the case is still waiting
    with session_scope(db_url) as s:
        ana = Advocate(username="ana", display_name="Ana", password_hash="x")
        s.add(ana)
        s.flush()
        assert handoff_queue.claim(s, request.id, ana)
        s.add(AdvocateNote(conversation_id=request.conversation_id, advocate_id=ana.id,
                           body="asked for erasure"))
        s.add(ReferralCase(conversation_id=request.conversation_id, status="Active"))
        handoff_queue.advocate_reply(s, request.id, ana, "Goodbye, take care.")
        handoff_queue.close(s, request.id, ana, "information_given")
    # Closed, but the goodbye has not gone out yet: nothing is erased.
    assert erase_requested(db_url, str(tracker)) == 0
    with session_scope(db_url) as s:
        s.query(OutboundMessage).filter(OutboundMessage.status == "queued").update(
            {"status": "sent"})
    assert erase_requested(db_url, str(tracker)) == 1
    with session_scope(db_url) as s:
        for model in (Conversation, InboundMessage, OutboundMessage, HandoffRequest,
                      AdvocateNote, ReferralCase):
            assert s.query(model).count() == 0, model.__tablename__
        (erase,) = s.query(AuditEvent).filter(AuditEvent.action == "erase").all()
        assert erase.actor == "system" and erase.conversation_id == request.conversation_id
    assert not tracker.exists()  # never created by the erasure
