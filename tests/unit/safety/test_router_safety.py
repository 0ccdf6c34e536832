"""The router's safety step, in every state: must-stop, the Y/N danger check,
other languages and 988. Real SQLite store, real router, the real twilio client
against the local Twilio fake; the "assistant" records what Rasa would hear."""

from __future__ import annotations

from sqlalchemy import select

from bot.content.loader import load_content
from bot.content.lockscreen import first_line_is_safe
from bot.handoff.queue import record_handoff
from bot.messaging import inbox
from bot.messaging.router import Router
from bot.safety.lines import safety_lines
from bot.store.db import session_scope
from bot.store.models import Conversation, HandoffRequest, OutboundMessage
from tests.unit.outbox_support import SECRET, worker

NUMBER = "+15551239001"
EMERGENCY_EN = load_content().template("emergency", "en")


class Assistant:
    """Stands in for Rasa: records text and metadata; answers the emergency text when told."""

    def __init__(self, db_url: str, escalate_on: str | None = None) -> None:
        self.db_url, self.escalate_on = db_url, escalate_on
        self.heard: list[tuple[str, dict | None]] = []

    async def __call__(self, message) -> None:  # type: ignore[no-untyped-def]
        self.heard.append((message.text, message.metadata))
        if message.text == self.escalate_on:
            with session_scope(self.db_url) as s:
                record_handoff(s, message.sender_id, reason="asked", priority="normal")
            await message.output_channel.send_text_message(message.sender_id, "I asked a person.")
            return
        if (message.metadata or {}).get("hotline_safety") == "emergency":
            await message.output_channel.send_text_message(message.sender_id, EMERGENCY_EN)
            return
        await message.output_channel.send_text_message(message.sender_id, f"bot: {message.text}")


async def send(router: Router, db_url: str, body: str, n: int) -> list[str]:
    accepted = inbox.accept(db_url, SECRET, channel="twilio", provider_message_id=f"SM-s{n}",
                            address=NUMBER, body=body)
    replies = await router.process(accepted.inbound_id, accepted.conversation_id)
    return [r["text"] for r in replies]


def outbound(db_url: str) -> list[tuple[str, str, str]]:
    with session_scope(db_url) as s:
        return [tuple(r) for r in s.execute(
            select(OutboundMessage.author, OutboundMessage.status, OutboundMessage.body)
            .order_by(OutboundMessage.id)).all()]


def conversation(db_url: str) -> Conversation:
    with session_scope(db_url) as s:
        conv = s.execute(select(Conversation)).scalar_one()
        s.expunge(conv)
        return conv


def add_advocate_row(db_url: str, body: str) -> None:
    with session_scope(db_url) as s:
        conv = s.execute(select(Conversation)).scalar_one()
        s.add(OutboundMessage(conversation_id=conv.id, inbound_id=None, seq=0,
                              channel="twilio", author="advocate", body=body, status="queued"))


async def drain(w, rounds: int = 4) -> None:  # type: ignore[no-untyped-def]
    for _ in range(rounds):
        await w.drain_once()


# --------------------------------------------------------------------- must stop

async def test_must_stop_cancels_queued_sends_one_short_neutral_line_and_pauses(
        fake, db_url) -> None:
    assistant = Assistant(db_url)
    router = Router(db_url, assistant, delivered_inline=False)
    await send(router, db_url, "what are my rights", 1)  # replies stay queued (no worker yet)
    queued_before = [b for a, st, b in outbound(db_url) if st == "queued"]
    assert queued_before

    replies = await send(router, db_url, "hes back gotta go", 2)

    assert replies == [safety_lines().template("must_stop", "en")]
    line = replies[0]
    assert len(line) <= 20 and "?" not in line and first_line_is_safe(line, load_content())
    assert [h[0] for h in assistant.heard] == ["what are my rights"]  # Rasa never heard it
    rows = outbound(db_url)
    assert all(st == "cancelled" for a, st, b in rows if b in queued_before)
    assert conversation(db_url).paused_after_id is not None

    # An advocate's message written during the pause waits; only the line goes out.
    add_advocate_row(db_url, "are you there?")
    w = worker(fake, db_url)
    await drain(w)
    assert [m["body"] for m in fake.messages_to(NUMBER)] == [line]

    # The texter writes again: the pause lifts and what waited goes out, in order.
    await send(router, db_url, "hi again", 3)
    await drain(w)
    sent = [m["body"] for m in fake.messages_to(NUMBER)]
    assert sent[:2] == [line, "are you there?"]
    assert conversation(db_url).paused_after_id is None


async def test_must_stop_in_spanish_while_held_for_an_advocate(db_url) -> None:
    assistant = Assistant(db_url, escalate_on="quiero hablar con alguien")
    router = Router(db_url, assistant, delivered_inline=False)
    await send(router, db_url, "quiero hablar con alguien", 1)
    assert conversation(db_url).status == "queued"
    replies = await send(router, db_url, "ya llego el, luego te escribo", 2)
    assert replies == [safety_lines().template("must_stop", "es")]
    assert conversation(db_url).paused_after_id is not None
    assert all(st == "cancelled" for a, st, b in outbound(db_url)
               if b not in replies)


async def test_must_stop_is_not_an_emergency_but_a_real_emergency_still_is(db_url) -> None:
    router = Router(db_url, Assistant(db_url), delivered_inline=False)
    replies = await send(router, db_url, "someone is coming i have to go", 1)
    assert replies == [safety_lines().template("must_stop", "en")]
    assert "911" not in " ".join(replies)
    replies = await send(router, db_url, "he is hitting me right now i have to go", 2)
    assert replies != [safety_lines().template("must_stop", "en")]


async def test_must_stop_while_hiding_stays_silent_but_alerts_a_person(db_url) -> None:
    """Hiding with the searchers close: "OK." only, and an emergency request in the queue."""
    assistant = Assistant(db_url)
    router = Router(db_url, assistant, delivered_inline=False)
    replies = await send(router, db_url, "im hiding under the bed they're looking for me, "
                                         "gotta go", 1)
    assert replies == [safety_lines().template("must_stop", "en")]
    assert assistant.heard == []
    with session_scope(db_url) as s:
        request = s.execute(select(HandoffRequest)).scalar_one()
        assert (request.priority, request.reason) == ("emergency", "emergency")
        assert request.details.get("must_stop") is True
    conv = conversation(db_url)
    assert conv.paused_after_id is not None and conv.status == "queued"


async def test_a_dying_battery_never_silences_an_emergency(db_url) -> None:
    """Hiding while the battery dies: not "OK." and silence, but the assistant's turn
    (its NLU override answers the emergency with 911); a dying battery alone is "OK."."""
    assistant = Assistant(db_url)
    router = Router(db_url, assistant, delivered_inline=False)
    text = "im hiding in the closet they are looking for me, battery dying"
    replies = await send(router, db_url, text, 1)
    assert replies != [safety_lines().template("must_stop", "en")]
    assert [heard for heard, _ in assistant.heard] == [text]
    assert conversation(db_url).paused_after_id is None


async def test_a_dying_battery_alone_gets_one_short_line(db_url) -> None:
    router = Router(db_url, Assistant(db_url), delivered_inline=False)
    assert await send(router, db_url, "phone on 2%", 1) == [
        safety_lines().template("must_stop", "en")]
    assert conversation(db_url).paused_after_id is not None


async def test_an_ordinary_must_stop_queues_nothing(db_url) -> None:
    router = Router(db_url, Assistant(db_url), delivered_inline=False)
    await send(router, db_url, "my mom is here cant talk", 1)
    with session_scope(db_url) as s:
        assert s.execute(select(HandoffRequest)).first() is None


# --------------------------------------------------------------------- Y/N danger check

async def test_possible_danger_asks_once_and_yes_is_an_emergency(db_url) -> None:
    assistant = Assistant(db_url)
    router = Router(db_url, assistant, delivered_inline=False)
    first = await send(router, db_url, "my boss hits me", 1)
    assert first[-1] == safety_lines().template("danger_check", "en")
    assert assistant.heard == []
    await send(router, db_url, "Y", 2)
    # The assistant hears the original message, marked as a confirmed emergency.
    assert assistant.heard == [("my boss hits me", {"hotline_safety": "emergency"})]
    assert conversation(db_url).danger_check_inbound_id is None


async def test_possible_danger_with_a_request_for_a_line_answers_the_line_first(db_url) -> None:
    """Round 7: "my husband hits me, whats the dv number" got only "Are you in danger?"."""
    from bot.content.render import line_message

    assistant = Assistant(db_url)
    router = Router(db_url, assistant, delivered_inline=False)
    first = await send(router, db_url, "my husband hits me, whats the dv number", 1)
    assert first[-2] == line_message(load_content(), "domestic_violence", "en")
    assert first[-1] == safety_lines().template("danger_check", "en")
    assert assistant.heard == []


async def test_possible_danger_no_continues_normally_in_spanish(db_url) -> None:
    assistant = Assistant(db_url)
    router = Router(db_url, assistant, delivered_inline=False)
    first = await send(router, db_url, "mi jefe me pega", 1)
    assert safety_lines().template("danger_check", "es") in first
    replies = await send(router, db_url, "no", 2)
    assert assistant.heard == [("mi jefe me pega", {"hotline_safety": "checked_safe"})]
    assert replies[-1] == "bot: mi jefe me pega"


async def test_possible_danger_while_waiting_for_an_advocate(db_url) -> None:
    assistant = Assistant(db_url, escalate_on="talk to a person")
    router = Router(db_url, assistant, delivered_inline=False)
    await send(router, db_url, "talk to a person", 1)
    check = await send(router, db_url, "he hits my friend when he drinks", 2)
    assert check == [safety_lines().template("danger_check", "en")]
    replies = await send(router, db_url, "yes", 3)
    assert replies[0] == EMERGENCY_EN
    with session_scope(db_url) as s:
        assert s.execute(select(HandoffRequest.priority)).scalar_one() == "emergency"
    assert [h[0] for h in assistant.heard] == ["talk to a person"]


async def test_an_emergency_while_held_gets_the_numbers(db_url) -> None:
    router = Router(db_url, Assistant(db_url, escalate_on="talk to a person"),
                    delivered_inline=False)
    await send(router, db_url, "talk to a person", 1)
    replies = await send(router, db_url, "they are beating my sister right now", 2)
    assert replies == [EMERGENCY_EN]


# --------------------------------------------------------------------- 988 and languages

async def test_self_harm_adds_988_after_the_emergency_reply(db_url) -> None:
    class Emergency(Assistant):
        async def __call__(self, message) -> None:  # type: ignore[no-untyped-def]
            await message.output_channel.send_text_message(message.sender_id, EMERGENCY_EN)

    router = Router(db_url, Emergency(db_url), delivered_inline=False)
    replies = await send(router, db_url, "i have the pills in my hand", 1)
    # 988 right after the emergency reply (the session's safety line comes last).
    at = replies.index(EMERGENCY_EN)
    assert replies[at + 1] == safety_lines().template("crisis_988", "en")
    assert "988" in replies[at + 1]


async def test_another_language_gets_the_interpreter_line(db_url) -> None:
    assistant = Assistant(db_url)
    router = Router(db_url, assistant, delivered_inline=False)
    replies = await send(router, db_url, "Preciso de ajuda, meu patrão pegou meu passaporte", 1)
    assert replies == safety_lines().other_language("pt")
    assert "1-888-373-7888" in replies[0] and "português" in replies[0]
    assert assistant.heard == []


async def test_a_language_without_a_line_gets_english_and_spanish(db_url) -> None:
    router = Router(db_url, Assistant(db_url), delivered_inline=False)
    lines = safety_lines()
    lines.other.pop("vi")  # as if the Vietnamese line had not been written yet
    try:
        replies = await send(router, db_url, "tôi cần giúp đỡ, ông chủ giữ hộ chiếu của tôi", 1)
    finally:
        safety_lines.cache_clear()
    assert replies == [lines.fallback["en"], lines.fallback["es"]]
    assert "interpreters" in replies[0] and "intérpretes" in replies[1]


async def test_short_sms_words_never_switch_language(db_url) -> None:
    assistant = Assistant(db_url)
    router = Router(db_url, assistant, delivered_inline=False)
    for n, word in enumerate(["ok", "y", "k", "si", "no", "lol"], start=1):
        await send(router, db_url, word, n)
    assert [h[0] for h in assistant.heard] == ["ok", "y", "k", "si", "no", "lol"]
