"""Route an accepted inbound message to the assistant and store its replies.

Rasa is called with our conversation id as sender id (never a phone number),
so the tracker store and Rasa's logs hold nothing that identifies the texter.
Messages of one conversation are processed one at a time, in arrival order
(a FIFO asyncio lock per conversation, taken before any other await).

Handoff mode: while an advocate owns the conversation (claimed, see
bot/handoff/), messages are stored for the advocate and never reach Rasa;
while it waits in the queue, Rasa still answers. bot/handoff/held.py decides
the few replies that come first in both states (emergency, never mind, delete,
the contact-back answer).

Safe texting: a quick exit (EXIT / SALIR) first cancels everything still
queued for that texter (status "cancelled"), then the neutral goodbye is
queued as usual.

Safety step (bot/safety/, docs/safety.md), before the assistant or the
advocate hold, in every state: "I must stop now" cancels what is queued,
answers one short neutral line and pauses the conversation (nothing more goes
out until the texter writes again); a *possible* emergency gets one Y/N check
(Y: the original message is handled as an emergency; N: it is answered as
usual); a message in a language we do not text in gets the interpreter line.

"Delete my data" (actions/privacy.py) erases the
conversation during the turn; the router then deletes the tracker events Rasa
saved again at the end of the turn and delivers the neutral reply to the
address it read before the turn, on a fresh conversation row.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select, update

from bot.content.line_words import asks_for_a_line, line_in_words
from bot.content.loader import load_content
from bot.content.render import line_message
from bot.handoff import queue
from bot.handoff.held import contact_back_question, held_replies
from bot.language import identify
from bot.language.detect import detect_language, marker_language
from bot.language.identify import other_language
from bot.messaging import outbox
from bot.messaging.inbox import earlier_unprocessed
from bot.messaging.outbox import Splitter, no_split
from bot.messaging.turn import CollectingOutputChannel, UserMessage
from bot.messaging.turn_order import Turnstiles
from bot.privacy import delete_tracker_events
from bot.safety import classifier, must_stop_classifier, ngram
from bot.safety.detector import Assessment, Level, assess
from bot.safety.lines import safety_lines
from bot.safety.must_stop import must_stop_wins
from bot.safety.quick_exit import is_quick_exit
from bot.safety.session_check import has_opening, starts_new_session
from bot.screening.answers import parse_answer
from bot.store.db import session_scope
from bot.store.models import Conversation, InboundMessage, OutboundMessage, utcnow
from bot.store.statuses import ConversationStatus, InboundStatus, OutboundStatus

SILENT = "silent"  # fixed_reply value: accept the message, answer nothing

logger = logging.getLogger(__name__)

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]

# How often an emergency turn checks whether the assistant can still be reached.
EMERGENCY_WAIT_SECONDS = 3.0
# The longest an emergency waits for an assistant that is up but does not answer (hung,
# or overloaded far past the 50-texter benchmark's p99 of 7 s): then the numbers come
# from content and a person is queued, as when it is down.
EMERGENCY_MAX_WAIT_SECONDS = 15.0

# Outbound rows not yet handed to the provider: a retry waits as "queued" too.
CANCELLABLE = (OutboundStatus.QUEUED,)


# Message metadata read by the NLU override (bot/nlu/overrides.py).
SAFETY_METADATA_KEY = "hotline_safety"


@dataclass(frozen=True)
class SafetyStep:
    """What the safety step decided before the assistant: replied, or what to pass on."""

    replied: bool = False
    text: str | None = None  # the text for the assistant (the original after a Y/N check)
    metadata: dict[str, str] | None = None
    emergency: bool = False  # the texter confirmed the danger (Y)
    # The safety layers' verdict on the message itself (not on `text`), so the turn
    # and its finish do not run the classifiers again (a sixth of the gateway's CPU).
    assessment: Assessment | None = None

    def assessment_of(self, text: str) -> Assessment:
        """The verdict on `text`: the one made already when it is the message."""
        if self.assessment is not None and self.text is None:
            return self.assessment
        return assess(text)


@dataclass(frozen=True)
class Contact:
    """Where to reach the texter, read before a turn that may erase the conversation."""

    channel: str
    contact_key: str
    contact_address: str | None
    unreachable: bool


@dataclass(frozen=True)
class Start:
    """What the one transaction before the assistant found and decided (`Router._start`)."""

    wait: bool = False  # an earlier row of this conversation is on another replica
    inbound: InboundMessage | None = None
    replies: list[dict[str, Any]] | None = None  # answered already: the turn is over
    fixed: list[str] | None = None  # a fixed reply: no assistant
    step: SafetyStep = SafetyStep()
    quick_exit: bool = False
    contact: Contact | None = None


_warmed = threading.Event()


def _warm_safety_models() -> None:
    """Load (or train) the safety layers and lingua before the first texter waits."""
    try:
        classifier.warm()
        must_stop_classifier.warm()
    except Exception:  # the first message fits them instead
        logger.exception("could not warm the safety models")
    finally:
        ngram.end_background_fit()
    try:
        identify.warm()
    except Exception:
        logger.exception("could not load the language models")


class Router:
    def __init__(self, db_url: str, on_new_message: OnNewMessage, *,
                 delivered_inline: bool, splitter: Splitter = no_split,
                 on_replies_stored: Callable[[], None] | None = None,
                 default_language: str = "en",
                 exit_words: tuple[str, ...] = ("exit", "salir"),
                 tracker_db: str | Path | None = None,
                 assistant_available: Callable[[], bool] | None = None) -> None:
        self.db_url = db_url
        # Set when the assistant runs in another process (bot/gateway/): False while it
        # cannot be reached, so an emergency is answered without it (_emergency_turn).
        self.assistant_available = assistant_available
        self.on_new_message = on_new_message
        self.delivered_inline = delivered_inline
        self.splitter = splitter
        self.on_replies_stored = on_replies_stored
        self.default_language = default_language
        self.exit_words = exit_words
        self.tracker_db = tracker_db
        self._turns = Turnstiles()
        # Inbox rows this process is working on (waiting or in a turn): the
        # continuous recovery leaves them alone.
        self.in_flight: set[int] = set()
        # Web chat turns whose HTTP request stopped waiting: their replies are queued
        # for /updates instead of being born "sent" (defer_inline).
        self._deferred: set[int] = set()
        self._inline_lock = threading.Lock()
        if not _warmed.is_set():
            _warmed.set()
            # Until the thread is done, a layer it has not reached answers 0.0: a
            # texter's first message never waits for a fit (patterns still decide).
            ngram.start_background_fit()
            threading.Thread(target=_warm_safety_models, name="warm-safety",
                             daemon=True).start()

    async def process(self, inbound_id: int, conversation_id: str) -> list[dict[str, Any]]:
        """Process one inbox row (once) and return its replies as `{"text": ...}` dicts.

        A row with a `fixed_reply` skips the assistant (e.g. "I can't see
        pictures") but still goes through the outbox like any other reply.
        """
        self.in_flight.add(inbound_id)
        try:
            return await self._process(inbound_id, conversation_id)
        finally:
            self.in_flight.discard(inbound_id)

    async def _process(self, inbound_id: int, conversation_id: str) -> list[dict[str, Any]]:
        # Rows of this conversation enter one at a time, in inbox order (turn_order.py);
        # then, with several replicas, an earlier row another replica holds goes first.
        # Database work: one transaction before the assistant, one after (measured by
        # tests/unit/test_turn_transactions.py).
        async with self._turns.turn(conversation_id, inbound_id):
            start = await self._start_when_first(conversation_id, inbound_id)
            inbound = start.inbound
            assert inbound is not None
            if start.replies is not None:  # processed already, or answered before the turn
                replies = start.replies
            else:
                if start.fixed is not None:
                    texts = start.fixed
                else:
                    texts = await self._assistant_turn(inbound, start)
                finished = await asyncio.to_thread(
                    self._finish, inbound_id, texts, around=start.fixed is None,
                    session_check=not start.quick_exit, text=start.step.text or inbound.body,
                    step=start.step)
                if finished is None:  # the texter erased their data during this turn
                    replies = await asyncio.to_thread(self._after_erasure,
                                                      inbound.conversation_id,
                                                      start.contact, texts)
                else:
                    replies = finished
                logger.info("processed inbound=%s conversation=%s replies=%d",
                            inbound_id, inbound.conversation_id, len(texts))
        if self.on_replies_stored is not None:
            self.on_replies_stored()
        return replies

    async def _start_when_first(self, conversation_id: str, inbound_id: int,
                                timeout: float = 30.0) -> Start:
        """`_start`, once no earlier row of this conversation waits on another replica.

        A burst from one texter may reach two replicas; without this, the lock
        store serialises the turns in lock order, not arrival order. After
        `timeout` the turn goes ahead (that replica may have died: recovery).
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            late = loop.time() >= deadline
            start = await asyncio.to_thread(self._start, inbound_id,
                                            frozenset(self.in_flight), late)
            if not start.wait:  # never waits once late: it goes ahead
                return start
            if loop.time() + 0.05 >= deadline:
                logger.warning("inbound=%s: an earlier message of conversation=%s is still "
                               "unprocessed; going ahead", inbound_id, conversation_id)
            await asyncio.sleep(0.05)

    async def _assistant_turn(self, inbound: InboundMessage, start: Start) -> list[str]:
        """Hand the message to the assistant and collect its replies."""
        collector = CollectingOutputChannel()
        text = start.step.text or inbound.body
        turn = self.on_new_message(UserMessage(
            text, collector, sender_id=inbound.conversation_id,
            input_channel=inbound.channel,
            message_id=f"{inbound.channel}-{inbound.id}",
            metadata=start.step.metadata,
        ))
        if self.assistant_available is not None and start.step.assessment_of(text).is_emergency:
            return await self._emergency_turn(inbound, turn, collector)
        await turn
        return [m["text"] for m in collector.messages if m.get("text")]

    async def _emergency_turn(self, inbound: InboundMessage, turn: Awaitable[Any],
                              collector: CollectingOutputChannel) -> list[str]:
        """An emergency never waits for an assistant that cannot be reached.

        While the assistant answers its turn is awaited as usual. Once it is known
        to be down, or it has not answered within EMERGENCY_MAX_WAIT_SECONDS, the
        turn is abandoned: the texter gets the emergency numbers from content and
        the conversation goes to the top of the advocate queue, so people take it
        from there.
        """
        task = asyncio.ensure_future(turn)
        loop = asyncio.get_running_loop()
        give_up_at = loop.time() + EMERGENCY_MAX_WAIT_SECONDS
        while True:
            timeout = max(0.0, min(EMERGENCY_WAIT_SECONDS, give_up_at - loop.time()))
            done, _ = await asyncio.wait({task}, timeout=timeout)
            if done:
                task.result()
                return [m["text"] for m in collector.messages if m.get("text")]
            down = self.assistant_available is not None and not self.assistant_available()
            if down or loop.time() >= give_up_at:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
                why = "unreachable" if down else "no answer"
                logger.warning("assistant %s: emergency inbound=%s answered from content "
                               "and queued for a person", why, inbound.id)
                return await asyncio.to_thread(self._emergency_without_assistant, inbound,
                                               why)

    def _emergency_without_assistant(self, inbound: InboundMessage,
                                     why: str = "unreachable") -> list[str]:
        with session_scope(self.db_url) as session:
            conversation = session.get(Conversation, inbound.conversation_id)
            queue.enqueue(session, conversation, "emergency", "emergency",
                          {"assistant_unavailable": True, "assistant": why})
            return [load_content().template("emergency", self._language(conversation))]

    async def defer_inline(self, inbound_id: int) -> list[dict[str, Any]]:
        """The web chat request stops waiting: replies stored already, or queue them.

        Returns the replies if the turn stored them (born "sent") before this call;
        otherwise marks the turn so `_store` queues them for /updates, and returns [].
        """
        return await asyncio.to_thread(self._defer, inbound_id)

    def _defer(self, inbound_id: int) -> list[dict[str, Any]]:
        with self._inline_lock:
            with session_scope(self.db_url) as session:
                inbound = session.get(InboundMessage, inbound_id)
                if inbound is not None and inbound.status == InboundStatus.PROCESSED:
                    return [{"text": r.body} for r in outbox.replies_for(session, inbound_id)]
            self._deferred.add(inbound_id)
            return []

    async def recover(self, channel: str, older_than_seconds: float = 0.0) -> int:
        """Process messages accepted but never processed, oldest first; returns how many.

        At start-up (`older_than_seconds=0`): what a crash left. While running:
        rows whose processing failed (disk full, database gone for a moment), so
        nothing waits for a restart; rows this process is still working on are
        skipped.
        """
        from bot.messaging.inbox import unprocessed

        pending = await asyncio.to_thread(unprocessed, self.db_url, channel,
                                          older_than_seconds=older_than_seconds,
                                          skip=frozenset(self.in_flight))
        for inbound_id, conversation_id in pending:
            try:
                await self.process(inbound_id, conversation_id)
            except Exception:
                logger.exception("recovery failed for inbound=%s", inbound_id)
        if pending:
            logger.info("recovered %d unprocessed %s message(s)", len(pending), channel)
        return len(pending)

    def _start(self, inbound_id: int, in_flight: frozenset[int] = frozenset(),
               go_ahead: bool = False) -> Start:
        """Everything before the assistant, in one transaction.

        Waits (returns `wait`) while an earlier row of the conversation is
        unprocessed and not this process's. Then: a row processed already gives
        its stored replies; a fixed reply its text; a quick exit cancels what is
        queued and leaves the advocate queue; otherwise the safety step, then,
        while a person owns the conversation, the hold for the advocate.
        """
        with session_scope(self.db_url) as session:
            inbound = session.get(InboundMessage, inbound_id)
            if inbound is None:
                raise LookupError(f"inbound message {inbound_id} not found")
            if not go_ahead and inbound.status == InboundStatus.ACCEPTED and set(
                    earlier_unprocessed(session, inbound.conversation_id, inbound_id)) - in_flight:
                return Start(wait=True)
            if inbound.status == InboundStatus.PROCESSED:
                return Start(inbound=inbound, replies=_texts(outbox.replies_for(session,
                                                                                inbound_id)))
            conversation = session.get(Conversation, inbound.conversation_id)
            owner = conversation.status if conversation is not None else ConversationStatus.BOT
            contact = None
            if not self.delivered_inline and conversation is not None:
                contact = Contact(conversation.channel, conversation.contact_key,
                                  conversation.contact_address,
                                  bool(conversation.unreachable))
            if inbound.fixed_reply:
                fixed = [] if inbound.fixed_reply == SILENT else [load_content().template(
                    inbound.fixed_reply, self._language(conversation))]
                return Start(inbound=inbound, fixed=fixed, contact=contact)
            if is_quick_exit(inbound.body, self.exit_words):
                self._cancel_pending(session, inbound.conversation_id)
                queue.leave(session, inbound.conversation_id, queue.MissedReason.QUICK_EXIT)
                return Start(inbound=inbound, quick_exit=True, contact=contact)
            step = self._safety_step(session, inbound, conversation, owner)
            if step.replied:
                return Start(inbound=inbound, replies=self._replies_now(session, inbound))
            if owner != ConversationStatus.BOT and self._process_held(session, inbound,
                                                                      conversation, step):
                # A person owns the conversation: stored for them, not sent to Rasa.
                logger.info("held inbound=%s for an advocate, conversation=%s",
                            inbound_id, inbound.conversation_id)
                return Start(inbound=inbound, replies=self._replies_now(session, inbound))
            return Start(inbound=inbound, step=step, contact=contact)

    @staticmethod
    def _replies_now(session, inbound: InboundMessage) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
        session.flush()
        return _texts(outbox.replies_for(session, inbound.id))

    def _finish(self, inbound_id: int, texts: list[str], *, around: bool,
                session_check: bool, text: str | None,
                step: SafetyStep | None = None) -> list[dict[str, Any]] | None:
        """Everything after the assistant, in one transaction: what the router adds
        (`_around_the_turn`), the replies, the row marked processed. None when the
        inbound row is gone (erased this turn)."""
        with self._inline_lock:
            inline = self.delivered_inline and inbound_id not in self._deferred
            self._deferred.discard(inbound_id)
            with session_scope(self.db_url) as session:
                inbound = session.get(InboundMessage, inbound_id)
                if inbound is None:
                    return None
                if inbound.status == InboundStatus.PROCESSED:  # another replica finished it first
                    return _texts(outbox.replies_for(session, inbound_id))
                if around:  # not for a fixed reply
                    texts = self._around_the_turn(session, inbound, texts,
                                                  session_check=session_check, text=text,
                                                  step=step)
                rows = outbox.store_replies(session, inbound, texts, delivered_inline=inline,
                                            splitter=self.splitter)
                inbound.handled_by = "bot"
                return _texts(rows)

    def _language(self, conversation: Conversation) -> str:
        lang = conversation.language
        return lang if lang in ("en", "es") else self.default_language

    def _process_held(self, session, inbound: InboundMessage,  # type: ignore[no-untyped-def]
                      conversation: Conversation, step: SafetyStep) -> bool:
        """Hold the message for an advocate when a person owns the conversation.

        The decision and its replies are stored in the start's transaction, so a
        replay after a crash neither loses the message nor answers it twice.
        """
        text = step.text or inbound.body
        lang = self._language(conversation)
        texts = held_replies(session, conversation, text, load_content(), lang,
                             emergency=True if step.emergency else None)
        if texts is None:
            return False
        if texts and assess(text).self_harm:
            texts = [*texts, safety_lines().template("crisis_988", lang)]
        outbox.store_replies(session, inbound, texts, delivered_inline=self.delivered_inline,
                             splitter=self.splitter)
        inbound.handled_by = "advocate"
        return True

    # ---- the safety step (one transaction, run before the assistant) ----------
    def _safety_step(self, session, inbound: InboundMessage,  # type: ignore[no-untyped-def]
                     conversation: Conversation | None, owner: str) -> SafetyStep:
        """Must-stop, the Y/N danger check and other languages; see the module docstring."""
        if conversation is None:
            return SafetyStep()
        conversation.paused_after_id = None  # the texter wrote again
        text = inbound.body or ""
        pending = conversation.danger_check_inbound_id
        if pending is not None:
            conversation.danger_check_inbound_id = None
            answer = parse_answer(text)
            original = session.get(InboundMessage, pending) if answer in ("yes", "no") \
                else None
            if original is not None and answer == "yes":
                logger.info("danger check confirmed, conversation=%s", conversation.id)
                return SafetyStep(text=original.body, emergency=True,
                                  metadata={SAFETY_METADATA_KEY: "emergency"})
            if original is not None:
                return SafetyStep(text=original.body,
                                  metadata={SAFETY_METADATA_KEY: "checked_safe"})
        assessment = assess(text)
        detected = detect_language(text)
        lang = detected or self._language(conversation)
        if must_stop_wins(text, assessment.is_emergency, assessment.groups):
            self._pause(session, conversation, inbound, lang, owner)
            if assessment.is_emergency:
                # Hiding, or someone on the way, and the texter must be silent: no 911
                # text on a watched phone, but a person is alerted now (what they send
                # is held until the texter writes again, like every reply).
                queue.enqueue(session, conversation, "emergency", "emergency",
                              {"must_stop": True})
                logger.info("must stop during an emergency: queued silently, "
                            "conversation=%s", conversation.id)
            return SafetyStep(replied=True)
        if assessment.level is Level.POSSIBLE:
            conversation.danger_check_inbound_id = inbound.id
            if detected:
                conversation.language = detected
            check = [safety_lines().template("danger_check", lang)]
            if asks_for_a_line(text):
                # "my boyfriend hits me, is there a DV line?": the number asked for first
                # (answer first), then the one-question check (round 7 of issue 10).
                check = [line_message(load_content(), line_in_words(text) or "hotline", lang),
                         *check]
            self._reply(session, inbound, check, owner)
            logger.info("possible danger: Y/N check asked, conversation=%s",
                        conversation.id)
            return SafetyStep(replied=True)
        if assessment.is_emergency and detected:
            # Said before the assistant runs: if it cannot (down, hung), the numbers
            # from content go out in the texter's language, not the default.
            conversation.language = detected
        if owner == ConversationStatus.BOT and not assessment.is_emergency:
            # A marker word of ours ("patron") only vetoes a language lingua is not sure of.
            code = (other_language(text) if marker_language(text) is None
                    else other_language(text, min_confidence=identify.OTHER_SURE_CONFIDENCE))
            if code is not None:
                self._reply(session, inbound, safety_lines().other_language(code), owner)
                logger.info("other language %s: interpreter line, conversation=%s", code,
                            conversation.id)
                return SafetyStep(replied=True)
        return SafetyStep(assessment=assessment)

    def _reply(self, session, inbound: InboundMessage, texts: list[str],  # type: ignore[no-untyped-def]
               owner: str) -> list[OutboundMessage]:
        rows = outbox.store_replies(session, inbound, texts,
                                    delivered_inline=self.delivered_inline,
                                    splitter=self.splitter)
        inbound.handled_by = "bot" if owner == ConversationStatus.BOT else "advocate"
        return rows

    def _pause(self, session, conversation: Conversation,  # type: ignore[no-untyped-def]
               inbound: InboundMessage, lang: str, owner: str) -> None:
        """Must stop now: cancel what is queued, one short neutral line, then silence."""
        count = _cancel_queued(session, conversation.id, "must stop")
        rows = self._reply(session, inbound, [safety_lines().template("must_stop", lang)],
                           owner)
        session.flush()
        last = max((r.id for r in rows), default=None)
        if last is None:
            last = session.execute(
                select(OutboundMessage.id).where(OutboundMessage.conversation_id
                                                 == conversation.id)
                .order_by(OutboundMessage.id.desc()).limit(1)).scalar_one_or_none() or 0
        conversation.paused_after_id = last
        logger.info("must stop: paused conversation=%s, cancelled %d queued message(s)",
                    conversation.id, count)

    def _around_the_turn(self, session, inbound: InboundMessage,  # type: ignore[no-untyped-def]
                         texts: list[str], *, session_check: bool,
                         text: str | None = None, step: SafetyStep | None = None) -> list[str]:
        """What the router adds to the assistant's replies, in the finishing transaction.

        - First turn of a session without the opening: the safety line
          (bot/safety/session_check.py), first, except after an emergency, where
          the numbers must lead.
        - A turn that put the conversation in the queue: ask once whether a person
          may text back later (bot/handoff/held.py).
        - Self-harm: 988 after the emergency reply.
        """
        text = inbound.body if text is None else text
        conversation = session.get(Conversation, inbound.conversation_id)
        if conversation is None:  # erased during the turn
            return texts
        lang = self._language(conversation)
        assessment = (step or SafetyStep()).assessment_of(text)
        if texts and assessment.self_harm:
            texts = [*texts, safety_lines().template("crisis_988", lang)]
        if session_check and not has_opening(texts):
            previous = session.execute(
                select(InboundMessage.received_at)
                .where(InboundMessage.conversation_id == inbound.conversation_id,
                       InboundMessage.id < inbound.id)
                .order_by(InboundMessage.id.desc()).limit(1)
            ).scalar_one_or_none()
            if starts_new_session(previous, inbound.received_at):
                line = load_content().template("session_safety_check", lang)
                texts = [*texts, line] if assessment.is_emergency else [line, *texts]
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
        # After every turn of this conversation already waiting (a row id no inbox row has).
        async with self._turns.turn(conversation_id, sys.maxsize):
            await asyncio.to_thread(self.cancel_pending, conversation_id)
            await asyncio.to_thread(self._leave_queue, conversation_id,
                                    queue.MissedReason.TEXTER_LEFT)

    def cancel_pending(self, conversation_id: str) -> int:
        """Quick exit: nothing still waiting for this texter may go out (status "cancelled")."""
        with session_scope(self.db_url) as session:
            return self._cancel_pending(session, conversation_id)

    @staticmethod
    def _cancel_pending(session, conversation_id: str) -> int:  # type: ignore[no-untyped-def]
        count = _cancel_queued(session, conversation_id, "quick exit")
        if count:
            logger.info("quick exit: cancelled %d queued message(s) for conversation=%s",
                        count, conversation_id)
        return count

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
                                status=OutboundStatus.QUEUED)
                for seq, part in enumerate(parts)])
        return [{"text": p} for p in parts]

def _texts(rows: list[OutboundMessage]) -> list[dict[str, Any]]:
    return [{"text": row.body} for row in rows]


def _cancel_queued(session, conversation_id: str, reason: str) -> int:  # type: ignore[no-untyped-def]
    """Cancel every reply still queued for this texter (quick exit, must stop)."""
    return session.execute(
        update(OutboundMessage)
        .where(OutboundMessage.conversation_id == conversation_id,
               OutboundMessage.status.in_(CANCELLABLE))
        .values(status=OutboundStatus.CANCELLED, last_error=reason, next_attempt_at=None)
        .execution_options(synchronize_session=False)
    ).rowcount
