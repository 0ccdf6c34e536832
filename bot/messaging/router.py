"""Route an accepted inbound message to the assistant and store its replies.

Rasa is called with our conversation id as sender id (never a phone number),
so the tracker store and Rasa's logs hold nothing that identifies the texter.
Messages of one conversation are processed one at a time, in arrival order
(a FIFO asyncio lock per conversation, taken before any other await).

Handoff mode: while a person owns the conversation (queued or claimed, see
bot/handoff/), messages are stored for the advocate and never reach Rasa;
bot/handoff/held.py decides the few automatic replies.

Safe texting: a quick exit (EXIT / SALIR) first cancels everything still
queued for that texter (status "cancelled"), then the neutral goodbye is
queued as usual. "Delete my data" (actions/privacy.py) erases the
conversation during the turn; the router then deletes the tracker events Rasa
saved again at the end of the turn and delivers the neutral reply to the
address it read before the turn, on a fresh conversation row.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from sqlalchemy import select, update

from bot.content.loader import load_content
from bot.handoff import queue
from bot.handoff.held import contact_back_question, held_replies
from bot.messaging import outbox
from bot.messaging.inbox import earlier_unprocessed
from bot.messaging.outbox import Splitter, no_split
from bot.privacy import delete_tracker_events
from bot.safety.emergency import is_emergency, is_quick_exit
from bot.safety.session_check import has_opening, starts_new_session
from bot.store.db import session_scope
from bot.store.models import Conversation, InboundMessage, OutboundMessage, utcnow

SILENT = "silent"  # fixed_reply value: accept the message, answer nothing

logger = logging.getLogger(__name__)

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]

# Outbound rows not yet handed to the provider: a retry waits as "queued" too.
CANCELLABLE = ("queued",)


@dataclass(frozen=True)
class Contact:
    """Where to reach the texter, read before a turn that may erase the conversation."""

    channel: str
    contact_key: str
    contact_address: str | None
    unreachable: bool


class Router:
    def __init__(self, db_url: str, on_new_message: OnNewMessage, *,
                 delivered_inline: bool, splitter: Splitter = no_split,
                 on_replies_stored: Callable[[], None] | None = None,
                 default_language: str = "en",
                 exit_words: tuple[str, ...] = ("exit", "salir"),
                 tracker_db: str | Path | None = None) -> None:
        self.db_url = db_url
        self.on_new_message = on_new_message
        self.delivered_inline = delivered_inline
        self.splitter = splitter
        self.on_replies_stored = on_replies_stored
        self.default_language = default_language
        self.exit_words = exit_words
        self.tracker_db = tracker_db
        self._locks: dict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    async def process(self, inbound_id: int, conversation_id: str) -> list[dict[str, Any]]:
        """Process one inbox row (once) and return its replies as `{"text": ...}` dicts.

        A row with a `fixed_reply` skips the assistant (e.g. "I can't see
        pictures") but still goes through the outbox like any other reply.
        """
        # Before the lock: an earlier message waiting for this same lock must not
        # wait for us in turn.
        await self._wait_for_earlier(conversation_id, inbound_id)
        async with self._locks[conversation_id]:
            inbound, owner = await asyncio.to_thread(self._load, inbound_id)
            if inbound.status == "processed":
                return await asyncio.to_thread(self._stored_replies, inbound_id)
            contact = None
            replies: list[dict[str, Any]] = []
            if inbound.fixed_reply:
                texts = await asyncio.to_thread(self._fixed_texts, inbound)
            else:
                quick_exit = is_quick_exit(inbound.body, self.exit_words)
                if quick_exit:
                    await asyncio.to_thread(self.cancel_pending, inbound.conversation_id)
                    await asyncio.to_thread(self._leave_queue, inbound.conversation_id)
                elif owner != "bot" and await asyncio.to_thread(self._process_held, inbound_id):
                    # A person owns the conversation: stored for them, not sent to Rasa.
                    logger.info("held inbound=%s for an advocate, conversation=%s",
                                inbound_id, inbound.conversation_id)
                    if self.on_replies_stored is not None:
                        self.on_replies_stored()
                    return await asyncio.to_thread(self._stored_replies, inbound_id)
                if not self.delivered_inline:
                    contact = await asyncio.to_thread(self._contact, inbound.conversation_id)
                collector = CollectingOutputChannel()
                await self.on_new_message(UserMessage(
                    inbound.body, collector, sender_id=inbound.conversation_id,
                    input_channel=inbound.channel,
                    message_id=f"{inbound.channel}-{inbound.id}",
                ))
                texts = [m["text"] for m in collector.messages if m.get("text")]
                texts = await asyncio.to_thread(self._around_the_turn, inbound, texts,
                                                session_check=not quick_exit)
            stored = await asyncio.to_thread(self._store, inbound_id, texts)
            if not stored:  # the texter erased their data during this turn
                replies = await asyncio.to_thread(self._after_erasure,
                                                  inbound.conversation_id, contact, texts)
            logger.info("processed inbound=%s conversation=%s replies=%d",
                        inbound_id, inbound.conversation_id, len(texts))
        if self.on_replies_stored is not None:
            self.on_replies_stored()
        if not stored:
            return replies
        return await asyncio.to_thread(self._stored_replies, inbound_id)

    async def _wait_for_earlier(self, conversation_id: str, inbound_id: int,
                                timeout: float = 30.0) -> None:
        """Several replicas: an earlier message of this conversation is answered first.

        A burst from one texter may reach two replicas; without this, the lock
        store serialises the turns in lock order, not arrival order.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while await asyncio.to_thread(earlier_unprocessed, self.db_url, conversation_id,
                                      inbound_id):
            if loop.time() >= deadline:
                logger.warning("inbound=%s: an earlier message of conversation=%s is still "
                               "unprocessed; going ahead", inbound_id, conversation_id)
                return
            await asyncio.sleep(0.05)

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

    def _load(self, inbound_id: int) -> tuple[InboundMessage, str]:
        """The inbox row and who owns its conversation ("bot", "queued", "advocate")."""
        with session_scope(self.db_url) as session:
            row = session.get(InboundMessage, inbound_id)
            if row is None:
                raise LookupError(f"inbound message {inbound_id} not found")
            conversation = session.get(Conversation, row.conversation_id)
            return row, conversation.status if conversation is not None else "bot"

    def _fixed_texts(self, inbound: InboundMessage) -> list[str]:
        if inbound.fixed_reply == SILENT:
            return []
        with session_scope(self.db_url) as session:
            language = session.get(Conversation, inbound.conversation_id).language
        lang = language if language in ("en", "es") else self.default_language
        return [load_content().template(inbound.fixed_reply, lang)]

    def _store(self, inbound_id: int, texts: list[str]) -> bool:
        """Store the replies; False when the inbound row is gone (erased this turn)."""
        with session_scope(self.db_url) as session:
            inbound = session.get(InboundMessage, inbound_id)
            if inbound is None:
                return False
            if inbound.status == "processed":  # another replica finished it first
                return True
            outbox.store_replies(session, inbound, texts, delivered_inline=self.delivered_inline,
                                 splitter=self.splitter)
            inbound.handled_by = "bot"
            return True

    def _language(self, conversation: Conversation) -> str:
        lang = conversation.language
        return lang if lang in ("en", "es") else self.default_language

    def _process_held(self, inbound_id: int) -> bool:
        """Hold the message for an advocate when a person owns the conversation.

        The decision and its replies are stored in one transaction, so a replay
        after a crash neither loses the message nor answers it twice.
        """
        with session_scope(self.db_url) as session:
            inbound = session.get(InboundMessage, inbound_id)
            conversation = session.get(Conversation, inbound.conversation_id)
            texts = held_replies(session, conversation, inbound.body, load_content(),
                                 self._language(conversation))
            if texts is None:
                return False
            outbox.store_replies(session, inbound, texts, delivered_inline=self.delivered_inline,
                                 splitter=self.splitter)
            inbound.handled_by = "advocate"
            return True

    def _around_the_turn(self, inbound: InboundMessage, texts: list[str], *,
                         session_check: bool) -> list[str]:
        """What the router adds to the assistant's replies, read in one transaction.

        - First turn of a session without the opening: the safety line
          (bot/safety/session_check.py), first, except after an emergency, where
          the numbers must lead.
        - A turn that put the conversation in the queue: ask once whether a person
          may text back later (bot/handoff/held.py).
        """
        with session_scope(self.db_url) as session:
            conversation = session.get(Conversation, inbound.conversation_id)
            if conversation is None:  # erased during the turn
                return texts
            lang = self._language(conversation)
            if session_check and not has_opening(texts):
                previous = session.execute(
                    select(InboundMessage.received_at)
                    .where(InboundMessage.conversation_id == inbound.conversation_id,
                           InboundMessage.id < inbound.id)
                    .order_by(InboundMessage.id.desc()).limit(1)
                ).scalar_one_or_none()
                if starts_new_session(previous, inbound.received_at):
                    line = load_content().template("session_safety_check", lang)
                    texts = [*texts, line] if is_emergency(inbound.body) else [line, *texts]
            question = contact_back_question(session, conversation, load_content(), lang)
            return [*texts, question] if question else texts

    def _leave_queue(self, conversation_id: str,
                     why: queue.MissedReason = queue.MissedReason.QUICK_EXIT) -> None:
        """Quick exit: a waiting or claimed request ends too (the advocate sees why)."""
        with session_scope(self.db_url) as session:
            queue.leave(session, conversation_id, why)

    async def texter_left(self, conversation_id: str) -> None:
        """The texter left without a word (the web chat's Leave button): exactly what EXIT
        does on the server (nothing queued goes out, the request leaves the queue and
        lands on the missed list as "texter left"), without a goodbye to show."""
        async with self._locks[conversation_id]:
            await asyncio.to_thread(self.cancel_pending, conversation_id)
            await asyncio.to_thread(self._leave_queue, conversation_id,
                                    queue.MissedReason.TEXTER_LEFT)

    def cancel_pending(self, conversation_id: str) -> int:
        """Quick exit: nothing still waiting for this texter may go out (status "cancelled")."""
        with session_scope(self.db_url) as session:
            count = session.execute(
                update(OutboundMessage)
                .where(OutboundMessage.conversation_id == conversation_id,
                       OutboundMessage.status.in_(CANCELLABLE))
                .values(status="cancelled", last_error="quick exit",
                        next_attempt_at=None)
                .execution_options(synchronize_session=False)
            ).rowcount
        if count:
            logger.info("quick exit: cancelled %d queued message(s) for conversation=%s",
                        count, conversation_id)
        return count

    def _contact(self, conversation_id: str) -> Contact | None:
        with session_scope(self.db_url) as session:
            conv = session.get(Conversation, conversation_id)
            if conv is None:
                return None
            return Contact(conv.channel, conv.contact_key, conv.contact_address,
                           bool(conv.unreachable))

    def _after_erasure(self, conversation_id: str, contact: Contact | None,
                       texts: list[str]) -> list[dict[str, Any]]:
        """Finish a turn whose conversation was erased ("delete my data").

        Rasa saved this turn's events after the action deleted them, so they are
        deleted again here. The reply (one neutral line) goes out inline (web
        chat) or from a fresh conversation row for the same contact, with no
        history: the next message from this texter starts a new conversation.
        """
        if self.tracker_db is not None:
            try:
                delete_tracker_events(self.tracker_db, conversation_id)
            except Exception:
                logger.exception("could not delete tracker events of erased conversation=%s",
                                 conversation_id)
        parts = [p for t in texts if t for p in self.splitter(t) if p.strip()]
        if self.delivered_inline or contact is None:
            return [{"text": p} for p in parts]
        with session_scope(self.db_url) as session:
            conv = session.execute(
                select(Conversation).where(Conversation.channel == contact.channel,
                                           Conversation.contact_key == contact.contact_key)
            ).scalar_one_or_none()
            if conv is None:
                conv = Conversation(channel=contact.channel, contact_key=contact.contact_key,
                                    contact_address=contact.contact_address,
                                    unreachable=contact.unreachable, last_inbound_at=utcnow())
                session.add(conv)
                session.flush()
            session.add_all([
                OutboundMessage(conversation_id=conv.id, inbound_id=None, seq=seq,
                                channel=contact.channel, author="bot", body=part,
                                status="queued")
                for seq, part in enumerate(parts)])
        return [{"text": p} for p in parts]

    def _stored_replies(self, inbound_id: int) -> list[dict[str, Any]]:
        with session_scope(self.db_url) as session:
            return [{"text": r.body} for r in outbox.replies_for(session, inbound_id)]
