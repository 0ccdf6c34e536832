"""Route an accepted inbound message to the assistant and store its replies.

Rasa is called with our conversation id as sender id (never a phone number),
so the tracker store and Rasa's logs hold nothing that identifies the texter.
Messages of one conversation are processed one at a time, in arrival order
(a FIFO asyncio lock per conversation, taken before any other await).
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from bot.content.loader import load_content
from bot.messaging import outbox
from bot.messaging.outbox import Splitter, no_split
from bot.store.db import session_scope
from bot.store.models import Conversation, InboundMessage

SILENT = "silent"  # fixed_reply value: accept the message, answer nothing

logger = logging.getLogger(__name__)

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


class Router:
    def __init__(self, db_url: str, on_new_message: OnNewMessage, *,
                 delivered_inline: bool, splitter: Splitter = no_split,
                 on_replies_stored: Callable[[], None] | None = None,
                 default_language: str = "en") -> None:
        self.db_url = db_url
        self.on_new_message = on_new_message
        self.delivered_inline = delivered_inline
        self.splitter = splitter
        self.on_replies_stored = on_replies_stored
        self.default_language = default_language
        self._locks: dict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    async def process(self, inbound_id: int, conversation_id: str) -> list[dict[str, Any]]:
        """Process one inbox row (once) and return its replies as `{"text": ...}` dicts.

        A row with a `fixed_reply` skips the assistant (e.g. "I can't see
        pictures") but still goes through the outbox like any other reply.
        """
        async with self._locks[conversation_id]:
            inbound = await asyncio.to_thread(self._load, inbound_id)
            if inbound.status == "processed":
                return await asyncio.to_thread(self._stored_replies, inbound_id)
            if inbound.fixed_reply:
                texts = await asyncio.to_thread(self._fixed_texts, inbound)
            else:
                collector = CollectingOutputChannel()
                await self.on_new_message(UserMessage(
                    inbound.body, collector, sender_id=inbound.conversation_id,
                    input_channel=inbound.channel,
                    message_id=f"{inbound.channel}-{inbound.id}",
                ))
                texts = [m["text"] for m in collector.messages if m.get("text")]
            await asyncio.to_thread(self._store, inbound_id, texts)
            logger.info("processed inbound=%s conversation=%s replies=%d",
                        inbound_id, inbound.conversation_id, len(texts))
        if self.on_replies_stored is not None:
            self.on_replies_stored()
        return await asyncio.to_thread(self._stored_replies, inbound_id)

    async def recover(self, channel: str) -> int:
        """Process messages accepted before a crash, oldest first; returns how many."""
        from bot.messaging.inbox import unprocessed

        pending = await asyncio.to_thread(unprocessed, self.db_url, channel)
        for inbound_id, conversation_id in pending:
            try:
                await self.process(inbound_id, conversation_id)
            except Exception:
                logger.exception("recovery failed for inbound=%s", inbound_id)
        if pending:
            logger.info("recovered %d unprocessed %s message(s)", len(pending), channel)
        return len(pending)

    def _load(self, inbound_id: int) -> InboundMessage:
        with session_scope(self.db_url) as session:
            row = session.get(InboundMessage, inbound_id)
            if row is None:
                raise LookupError(f"inbound message {inbound_id} not found")
            return row

    def _fixed_texts(self, inbound: InboundMessage) -> list[str]:
        if inbound.fixed_reply == SILENT:
            return []
        with session_scope(self.db_url) as session:
            language = session.get(Conversation, inbound.conversation_id).language
        lang = language if language in ("en", "es") else self.default_language
        return [load_content().template(inbound.fixed_reply, lang)]

    def _store(self, inbound_id: int, texts: list[str]) -> None:
        with session_scope(self.db_url) as session:
            inbound = session.get(InboundMessage, inbound_id)
            if inbound.status == "processed":  # another replica finished it first
                return
            outbox.store_replies(session, inbound, texts, delivered_inline=self.delivered_inline,
                                 splitter=self.splitter)

    def _stored_replies(self, inbound_id: int) -> list[dict[str, Any]]:
        with session_scope(self.db_url) as session:
            return [{"text": r.body} for r in outbox.replies_for(session, inbound_id)]
