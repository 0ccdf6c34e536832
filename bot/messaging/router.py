"""Route an accepted inbound message to the assistant and store its replies.

Rasa is called with our conversation id as sender id (never a phone number),
so the tracker store and Rasa's logs hold nothing that identifies the texter.
Messages of one conversation are processed one at a time, in arrival order.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from bot.messaging import outbox
from bot.store.db import session_scope
from bot.store.models import InboundMessage

logger = logging.getLogger(__name__)

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


class Router:
    def __init__(self, db_url: str, on_new_message: OnNewMessage, *,
                 delivered_inline: bool) -> None:
        self.db_url = db_url
        self.on_new_message = on_new_message
        self.delivered_inline = delivered_inline
        self._locks: dict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    async def process(self, inbound_id: int) -> list[dict[str, Any]]:
        """Process one inbox row (once) and return its replies as `{"text": ...}` dicts."""
        conversation_id = (await asyncio.to_thread(self._load, inbound_id)).conversation_id
        async with self._locks[conversation_id]:
            # Re-read inside the lock: a concurrent duplicate may have finished it.
            inbound = await asyncio.to_thread(self._load, inbound_id)
            if inbound.status == "processed":
                return await asyncio.to_thread(self._stored_replies, inbound_id)
            collector = CollectingOutputChannel()
            await self.on_new_message(UserMessage(
                inbound.body, collector, sender_id=inbound.conversation_id,
                input_channel=inbound.channel, message_id=f"{inbound.channel}-{inbound.id}",
            ))
            replies = [{"text": m["text"]} for m in collector.messages if m.get("text")]
            await asyncio.to_thread(self._store, inbound_id, replies)
            logger.info("processed inbound=%s conversation=%s replies=%d",
                        inbound_id, inbound.conversation_id, len(replies))
            return replies

    async def recover(self, channel: str) -> int:
        """Process messages accepted before a crash; returns how many."""
        from bot.messaging.inbox import unprocessed_ids

        ids = await asyncio.to_thread(unprocessed_ids, self.db_url, channel)
        for inbound_id in ids:
            try:
                await self.process(inbound_id)
            except Exception:
                logger.exception("recovery failed for inbound=%s", inbound_id)
        if ids:
            logger.info("recovered %d unprocessed %s message(s)", len(ids), channel)
        return len(ids)

    def _load(self, inbound_id: int) -> InboundMessage:
        with session_scope(self.db_url) as session:
            row = session.get(InboundMessage, inbound_id)
            if row is None:
                raise LookupError(f"inbound message {inbound_id} not found")
            return row

    def _store(self, inbound_id: int, replies: list[dict[str, Any]]) -> None:
        with session_scope(self.db_url) as session:
            inbound = session.get(InboundMessage, inbound_id)
            outbox.store_replies(session, inbound, replies, delivered_inline=self.delivered_inline)

    def _stored_replies(self, inbound_id: int) -> list[dict[str, Any]]:
        with session_scope(self.db_url) as session:
            return [{"text": r.body} for r in outbox.replies_for(session, inbound_id)]
