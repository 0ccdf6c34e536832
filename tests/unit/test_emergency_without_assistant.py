"""An emergency is never left waiting on the assistant: down, or up and not answering.

Real SQLite store and router; the "assistant" is a coroutine that never finishes
(a hung Rasa whose HTTP connection stays open, so the client still calls it up).
"""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from bot.content.loader import load_content
from bot.messaging import inbox
from bot.messaging import router as router_module
from bot.messaging.router import Router
from bot.store.db import session_scope
from bot.store.models import HandoffRequest
from tests.unit.outbox_support import SECRET

NUMBER = "+15551239077"


class HungAssistant:
    def __init__(self) -> None:
        self.heard: list[str] = []
        self.cancelled = False

    async def __call__(self, message) -> None:  # type: ignore[no-untyped-def]
        self.heard.append(message.text)
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            self.cancelled = True
            raise


async def _send(router: Router, db_url: str, body: str) -> list[str]:
    accepted = inbox.accept(db_url, SECRET, channel="twilio", provider_message_id="SM-hung1",
                            address=NUMBER, body=body)
    replies = await asyncio.wait_for(
        router.process(accepted.inbound_id, accepted.conversation_id), timeout=30)
    return [r["text"] for r in replies]


async def test_a_hung_assistant_that_looks_up_still_gets_the_numbers_out(
        db_url, monkeypatch) -> None:
    monkeypatch.setattr(router_module, "EMERGENCY_WAIT_SECONDS", 0.2)
    monkeypatch.setattr(router_module, "EMERGENCY_MAX_WAIT_SECONDS", 1.0)
    assistant = HungAssistant()
    router = Router(db_url, assistant, delivered_inline=False, assistant_available=lambda: True)
    replies = await _send(router, db_url, "he is hitting me right now")
    assert replies[0] == load_content().template("emergency", "en"), replies
    assert "911" in replies[0]
    assert assistant.heard == ["he is hitting me right now"] and assistant.cancelled
    with session_scope(db_url) as s:
        (request,) = s.execute(select(HandoffRequest)).scalars().all()
        assert (request.priority, request.status) == ("emergency", "open")
        assert request.details["assistant"] == "no answer"


async def test_an_assistant_known_down_is_not_waited_for(db_url, monkeypatch) -> None:
    monkeypatch.setattr(router_module, "EMERGENCY_WAIT_SECONDS", 0.2)
    monkeypatch.setattr(router_module, "EMERGENCY_MAX_WAIT_SECONDS", 600.0)
    router = Router(db_url, HungAssistant(), delivered_inline=False,
                    assistant_available=lambda: False)
    replies = await _send(router, db_url, "me esta pegando ahorita")
    assert replies[0] == load_content().template("emergency", "es"), replies
    with session_scope(db_url) as s:
        (request,) = s.execute(select(HandoffRequest)).scalars().all()
        assert request.details["assistant"] == "unreachable"


async def test_a_slow_answer_within_the_bound_is_the_assistants(db_url, monkeypatch) -> None:
    monkeypatch.setattr(router_module, "EMERGENCY_WAIT_SECONDS", 0.1)
    monkeypatch.setattr(router_module, "EMERGENCY_MAX_WAIT_SECONDS", 5.0)

    async def slow(message) -> None:  # type: ignore[no-untyped-def]
        await asyncio.sleep(0.5)
        await message.output_channel.send_text_message(message.sender_id, "assistant: 911 now")

    router = Router(db_url, slow, delivered_inline=False, assistant_available=lambda: True)
    replies = await _send(router, db_url, "he is hitting me right now")
    assert replies[0] == "assistant: 911 now"
    with session_scope(db_url) as s:
        assert s.execute(select(HandoffRequest)).scalars().all() == []
