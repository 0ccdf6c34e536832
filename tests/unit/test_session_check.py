"""A new session starts with the safety check whatever the texter's first message is."""

from __future__ import annotations

from datetime import timedelta

from bot.messaging import inbox
from bot.messaging.router import Router
from bot.safety.session_check import opening_texts, session_expiry, starts_new_session
from bot.store.db import session_scope
from bot.store.models import InboundMessage, utcnow
from tests.unit.outbox_support import SECRET

SAFETY_EN = "If this phone is not safe to text on right now"
SAFETY_ES = "Si este teléfono no es seguro ahora"


def test_expiry_and_opening_come_from_the_domain() -> None:
    assert session_expiry() == timedelta(minutes=15)
    assert any("(Y/N)" in t for t in opening_texts()) and any("(S/N)" in t for t in opening_texts())


def test_new_session_rule() -> None:
    now = utcnow()
    fifteen = timedelta(minutes=15)
    assert starts_new_session(None, now, fifteen)
    assert not starts_new_session(now - timedelta(minutes=14), now, fifteen)
    assert starts_new_session(now - timedelta(minutes=15), now, fifteen)
    assert not starts_new_session(now - timedelta(days=3), now, timedelta(0))  # never expires


class Assistant:
    def __init__(self) -> None:
        self.replies: dict[str, list[str]] = {}

    async def __call__(self, message) -> None:  # type: ignore[no-untyped-def]
        for text in self.replies.get(message.text, [f"answer to {message.text}"]):
            await message.output_channel.send_text_message(message.sender_id, text)


async def say(router: Router, db_url: str, body: str, n: int, *, minutes_ago: float = 0,
              number: str = "+15557770001") -> list[str]:
    accepted = inbox.accept(db_url, SECRET, channel="twilio", provider_message_id=f"SM-s{n}",
                            address=number, body=body)
    if minutes_ago:  # move the whole history back in time
        with session_scope(db_url) as s:
            for row in s.query(InboundMessage).filter(InboundMessage.id < accepted.inbound_id):
                row.received_at = row.received_at - timedelta(minutes=minutes_ago)
    return [r["text"] for r in await router.process(accepted.inbound_id,
                                                    accepted.conversation_id)]


async def test_first_non_greeting_message_gets_the_safety_line_first(db_url) -> None:
    router = Router(db_url, Assistant(), delivered_inline=False)
    replies = await say(router, db_url, "what are my rights", 1)
    assert SAFETY_EN in replies[0] and replies[1] == "answer to what are my rights"
    # Same session: no repeat.
    assert await say(router, db_url, "and wages?", 2) == ["answer to and wages?"]


async def test_after_expiry_the_next_message_starts_with_the_safety_line_again(db_url) -> None:
    router = Router(db_url, Assistant(), delivered_inline=False)
    await say(router, db_url, "rights", 1)
    replies = await say(router, db_url, "wages", 2, minutes_ago=16)
    assert SAFETY_EN in replies[0]


async def test_a_greeting_gets_the_opening_only(db_url) -> None:
    assistant = Assistant()
    opening = sorted(opening_texts())[-1]
    assistant.replies["hi"] = [opening]
    router = Router(db_url, assistant, delivered_inline=False)
    assert await say(router, db_url, "hi", 1) == [opening]


async def test_emergency_numbers_lead_and_the_safety_line_follows(db_url) -> None:
    assistant = Assistant()
    assistant.replies["he is going to kill me"] = ["Call 911 now."]
    router = Router(db_url, assistant, delivered_inline=False)
    replies = await say(router, db_url, "he is going to kill me", 1)
    assert replies[0] == "Call 911 now." and SAFETY_EN in replies[1]


async def test_quick_exit_gets_no_safety_line_and_spanish_gets_spanish(db_url) -> None:
    router = Router(db_url, Assistant(), delivered_inline=False)
    assert await say(router, db_url, "salir", 1) == ["answer to salir"]
    with session_scope(db_url) as s:
        from bot.store.models import Conversation

        s.query(Conversation).update({"language": "es"})
    replies = await say(router, db_url, "mis derechos", 2, minutes_ago=20)
    assert SAFETY_ES in replies[0]
