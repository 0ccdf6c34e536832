"""Deliver queued outbox rows: ordered per conversation, rate limited, retried, never doubled.

Claiming takes the oldest due row with `SELECT ... FOR UPDATE SKIP LOCKED`
(PostgreSQL: workers on several replicas pass over a row another worker is
claiming instead of queueing behind it; SQLite, which has one writer at a time,
ignores the clause) and marks it with a compare-and-set (`UPDATE ... SET
status='sending' WHERE id=? AND status='queued'`), in one transaction. So two
workers (threads, processes or replicas) can never both send the same row.
A row is due only when no earlier row of its conversation is still queued or
being sent, which keeps each conversation's replies in order across workers.

If the process dies after the provider accepted a message but before the row
is marked sent, the row is left 'sending' with an old `claimed_at`. When such a
stale claim is found, the worker asks the provider whether that exact message
was already sent (`Sender.find_sent`, RapidPro courier's check): if yes, the
row is marked sent with the provider's id; if the provider cannot tell
(Telegram has no look-up), the row is sent again — a possible duplicate is
preferred over a lost reply to someone who may be in danger.

The same check follows a send whose outcome is unknown (a read timeout, a
connection dropped after the request went out: `TransientSendError` with
`outcome_unknown`): the provider may have recorded the message even though
its answer was lost, so the row stays 'sending' and is checked after the
backoff instead of being sent blind a second time.

The assistant never texts first: a row is only sent while the texter's last
inbound message (`conversations.last_inbound_at`) is within
`reply_window_hours` (HOTLINE_REPLY_WINDOW_HOURS, default 24); otherwise the
row becomes "expired" and is never sent. Rows written by an advocate
(author "advocate") are exempt only with consent to be contacted back, which
has no column yet: an open handoff request whose details say
`"contact_ok": true`, or a tip of the conversation with `contact_ok`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import random
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, bindparam, exists, or_, select, update
from sqlalchemy.orm import aliased

from bot.messaging.sending import (
    ContactUnreachable,
    PermanentSendError,
    Sender,
    SendError,
    TransientSendError,
)
from bot.store.db import session_scope
from bot.store.models import (
    Conversation,
    HandoffRequest,
    OutboundMessage,
    Tip,
    as_utc,
    utcnow,
)
from bot.store.statuses import HANDOFF_ACTIVE, OUTBOUND_PENDING, OutboundStatus

logger = logging.getLogger(__name__)

PENDING = OUTBOUND_PENDING


@dataclass(frozen=True)
class OutboxPolicy:
    rate_per_second: float = 1.0
    max_attempts: int = 10
    backoff_base: float = 2.0
    backoff_max: float = 300.0
    lease_seconds: float = 120.0
    poll_seconds: float = 1.0
    batch_size: int = 50
    # Never text first: nothing goes to a texter silent for longer than this.
    reply_window_hours: float = 24.0

    def backoff(self, attempts: int) -> float:
        """Exponential backoff with full jitter in [0.5, 1.5) of the nominal delay."""
        nominal = min(self.backoff_max, self.backoff_base * (2 ** max(0, attempts - 1)))
        return nominal * (0.5 + random.random())


@dataclass(frozen=True)
class Claimed:
    id: int
    channel: str
    body: str
    address: str | None
    unreachable: bool
    attempts: int
    claimed_at: datetime
    expired: bool = False


class _Lost:
    """A claim lost to a concurrent worker (only possible on SQLite)."""


LOST = _Lost()


class OutboxWorker:
    def __init__(self, db_url: str, senders: dict[str, Sender], policy: OutboxPolicy) -> None:
        self.db_url = db_url
        self.senders = senders
        self.policy = policy
        self._wake = asyncio.Event()
        self._next_send_at: dict[str, float] = {}
        self._task: asyncio.Task | None = None
        self._due_statement = None  # type: ignore[var-annotated]

    # ---- lifecycle -------------------------------------------------------
    def start(self) -> None:
        if self._task is None and self.senders:
            self._task = asyncio.get_running_loop().create_task(self.run(), name="outbox")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        logger.info("outbox worker started for channels: %s", ", ".join(sorted(self.senders)))
        loop = asyncio.get_running_loop()
        stale_checked = -math.inf
        while True:
            # Cleared before looking, never after: a wake() while the worker finds
            # nothing due (a reply stored meanwhile) is kept and ends the wait at once.
            self._wake.clear()
            try:
                if loop.time() - stale_checked >= self.policy.poll_seconds:
                    # A claim turns stale only after a lease: once a poll period is enough,
                    # not once per wake-up (a read whose answer is nearly always "none").
                    stale_checked = loop.time()
                    await self.recover_stale()
                sent = await self.drain_once()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("outbox worker iteration failed; retrying")
                sent = 0
            if not sent:
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=self.policy.poll_seconds)

    # ---- one pass ----------------------------------------------------------
    async def drain_once(self) -> int:
        """Send what is due now; returns how many rows were attempted."""
        attempted = 0
        while attempted < self.policy.batch_size:
            claimed = await asyncio.to_thread(self._claim_next)
            if claimed is None:
                break  # nothing due
            if claimed is LOST:
                continue  # another worker won that row (SQLite); look again
            attempted += 1
            await self._deliver(claimed)
        return attempted

    async def _deliver(self, row: Claimed) -> None:
        sender = self.senders[row.channel]
        if row.unreachable or not row.address:
            await asyncio.to_thread(self._finish, row.id, OutboundStatus.SUPPRESSED, None,
                                    "contact opted out or unreachable")
            return
        if row.expired:
            logger.info("outbox row=%s expired: outside the reply window", row.id)
            await asyncio.to_thread(self._finish, row.id, OutboundStatus.EXPIRED, None,
                                    "outside the reply window")
            return
        await self._respect_rate(sender.rate_key())
        try:
            provider_id = await sender.send(row.address, row.body)
        except ContactUnreachable as exc:
            await asyncio.to_thread(self._mark_unreachable, row.id, exc)
            return
        except PermanentSendError as exc:
            logger.warning("outbox row=%s failed permanently (code=%s)", row.id, exc.code)
            await asyncio.to_thread(self._finish, row.id, OutboundStatus.FAILED, None,
                                    _describe(exc))
            return
        except TransientSendError as exc:
            if exc.outcome_unknown:
                # The provider may have it: ask before sending again (recover_stale).
                await asyncio.to_thread(self._hold_for_check, row, _describe(exc))
            else:
                await asyncio.to_thread(self._retry_later, row, _describe(exc))
            return
        except SendError as exc:
            await asyncio.to_thread(self._retry_later, row, _describe(exc))
            return
        except Exception as exc:  # unknown failure: treat as transient, keep the row
            logger.exception("outbox row=%s send raised unexpectedly", row.id)
            await asyncio.to_thread(self._retry_later, row, type(exc).__name__)
            return
        await asyncio.to_thread(self._finish, row.id, OutboundStatus.SENT, provider_id, None)

    async def _respect_rate(self, key: str) -> None:
        if self.policy.rate_per_second <= 0:
            return
        now = time.monotonic()
        at = self._next_send_at.get(key, now)
        if at > now:
            await asyncio.sleep(at - now)
        self._next_send_at[key] = max(at, now) + 1.0 / self.policy.rate_per_second

    async def recover_stale(self) -> int:
        """Resolve rows left 'sending' by a worker that died mid-send."""
        stale = await asyncio.to_thread(self._stale_rows)
        for row in stale:
            sender = self.senders.get(row.channel)
            found = None
            if sender is not None and row.address:
                try:
                    found = await sender.find_sent(row.address, row.body,
                                                   row.claimed_at - timedelta(minutes=5))
                except Exception:
                    logger.warning("could not check provider for stale outbox row=%s", row.id)
                    continue  # leave it stale; check again next pass
            if found:
                logger.info("stale outbox row=%s was already sent; marking sent", row.id)
                await asyncio.to_thread(self._finish, row.id, OutboundStatus.SENT, found, None)
            else:
                logger.info("stale outbox row=%s not found at provider; re-queueing", row.id)
                await asyncio.to_thread(self._requeue_stale, row.id)
        return len(stale)

    # ---- database (run in threads) ------------------------------------------
    def _due(self):  # type: ignore[no-untyped-def]
        """The oldest row due at :now whose conversation has nothing earlier pending.

        A conversation paused by "I must stop now" (bot/safety/must_stop.py)
        sends nothing newer than its pause line until the texter writes again.
        Built once per worker (`now` is a parameter): building it was a tenth of
        the gateway's CPU at 50 texters (docs/performance.md).
        """
        channels = tuple(sorted(self.senders))  # a channel registered later: rebuilt
        if self._due_statement is not None and self._due_statement[0] == channels:
            return self._due_statement[1]
        now = bindparam("now", type_=OutboundMessage.next_attempt_at.type)
        earlier = aliased(OutboundMessage)
        paused = aliased(Conversation)
        statement = (
            select(OutboundMessage.id)
            .where(
                OutboundMessage.status == OutboundStatus.QUEUED,
                OutboundMessage.channel.in_(channels),
                or_(OutboundMessage.next_attempt_at.is_(None),
                    OutboundMessage.next_attempt_at <= now),
                ~exists().where(and_(
                    earlier.conversation_id == OutboundMessage.conversation_id,
                    earlier.id < OutboundMessage.id,
                    earlier.status.in_(PENDING),
                )),
                ~exists().where(and_(
                    paused.id == OutboundMessage.conversation_id,
                    paused.paused_after_id.isnot(None),
                    OutboundMessage.id > paused.paused_after_id,
                )),
            )
            .order_by(OutboundMessage.id)
            .limit(1)
            # PostgreSQL: skip a row another worker holds; SQLite renders nothing.
            .with_for_update(skip_locked=True, of=OutboundMessage)
        )
        self._due_statement = (channels, statement)
        return statement

    def _claim_next(self) -> Claimed | _Lost | None:
        """Claim the next due row: Claimed, LOST (a concurrent worker won it) or None."""
        now = utcnow()
        with session_scope(self.db_url) as s:
            row_id = s.execute(self._due(), {"now": now}).scalar()
            if row_id is None:
                return None
            won = s.execute(
                update(OutboundMessage)
                .where(OutboundMessage.id == row_id,
                       OutboundMessage.status == OutboundStatus.QUEUED)
                .values(status=OutboundStatus.SENDING, claimed_at=now,
                        attempts=OutboundMessage.attempts + 1)
                .execution_options(synchronize_session=False)
            ).rowcount
            if won != 1:
                return LOST
            row, conv = s.execute(
                select(OutboundMessage, Conversation)
                .join(Conversation, Conversation.id == OutboundMessage.conversation_id)
                .where(OutboundMessage.id == row_id)
            ).one()
            return Claimed(row.id, row.channel, row.body, conv.contact_address,
                           bool(conv.unreachable), row.attempts, now,
                           expired=not self._may_send(s, row, conv, now))

    def _may_send(self, s, row: OutboundMessage, conv: Conversation,  # type: ignore[no-untyped-def]
                  now: datetime) -> bool:
        """Within the reply window, or an advocate's message with consent to contact back."""
        last = as_utc(conv.last_inbound_at)
        window = timedelta(hours=self.policy.reply_window_hours)
        if last is not None and now - last <= window:
            return True
        return row.author == "advocate" and contact_consent(s, conv.id)

    def _finish(self, row_id: int, status: str, provider_id: str | None,
                error: str | None) -> None:
        with session_scope(self.db_url) as s:
            row = s.get(OutboundMessage, row_id)
            if row is None:  # erased meanwhile ("delete my data")
                return
            row.status = status
            row.provider_message_id = provider_id or row.provider_message_id
            row.last_error = error
            row.claimed_at = None
            if status == OutboundStatus.SENT:
                row.sent_at = utcnow()

    def _retry_later(self, row: Claimed, error: str) -> None:
        with session_scope(self.db_url) as s:
            db_row = s.get(OutboundMessage, row.id)
            if db_row is None:  # erased meanwhile ("delete my data")
                return
            db_row.last_error = error[:255]
            db_row.claimed_at = None
            if db_row.attempts >= self.policy.max_attempts:
                db_row.status = OutboundStatus.FAILED
                logger.warning("outbox row=%s failed after %d attempts", row.id, db_row.attempts)
            else:
                db_row.status = OutboundStatus.QUEUED
                db_row.next_attempt_at = utcnow() + timedelta(
                    seconds=self.policy.backoff(db_row.attempts))

    def _hold_for_check(self, row: Claimed, error: str) -> None:
        """A send whose outcome is unknown stays 'sending' and is checked, not resent.

        Its claim is back-dated so that it turns stale after the usual backoff;
        `recover_stale` then asks the provider whether the message exists: found,
        it is marked sent; not found, it is queued again (and counts an attempt).
        Later rows of the conversation keep waiting behind it, so order holds.
        """
        delay = self.policy.backoff(row.attempts)
        with session_scope(self.db_url) as s:
            db_row = s.get(OutboundMessage, row.id)
            if db_row is None:  # erased meanwhile ("delete my data")
                return
            db_row.last_error = f"outcome unknown, checking: {error}"[:255]
            db_row.claimed_at = utcnow() - timedelta(seconds=self.policy.lease_seconds - delay)
        logger.info("outbox row=%s: provider outcome unknown; will check before resending",
                    row.id)

    def _mark_unreachable(self, row_id: int, exc: SendError) -> None:
        with session_scope(self.db_url) as s:
            row = s.get(OutboundMessage, row_id)
            row.status, row.last_error, row.claimed_at = (OutboundStatus.SUPPRESSED,
                                                         _describe(exc), None)
            conv = s.get(Conversation, row.conversation_id)
            conv.unreachable = True
            # Everything else queued for this contact stops too.
            s.execute(
                update(OutboundMessage)
                .where(OutboundMessage.conversation_id == row.conversation_id,
                       OutboundMessage.status == OutboundStatus.QUEUED)
                .values(status=OutboundStatus.SUPPRESSED, last_error="contact unreachable")
                .execution_options(synchronize_session=False)
            )
        logger.info("conversation=%s is unreachable (code=%s); sends stopped",
                    row.conversation_id, exc.code)

    def _stale_rows(self) -> list[Claimed]:
        cutoff = utcnow() - timedelta(seconds=self.policy.lease_seconds)
        with session_scope(self.db_url) as s:
            pairs = s.execute(
                select(OutboundMessage, Conversation)
                .join(Conversation, Conversation.id == OutboundMessage.conversation_id)
                .where(OutboundMessage.status == OutboundStatus.SENDING,
                       OutboundMessage.channel.in_(list(self.senders)),
                       OutboundMessage.claimed_at < cutoff)
                .order_by(OutboundMessage.id)
            ).all()
            return [Claimed(r.id, r.channel, r.body, c.contact_address, bool(c.unreachable),
                            r.attempts, as_utc(r.claimed_at)) for r, c in pairs]

    def _requeue_stale(self, row_id: int) -> None:
        """Not found at the provider: send again, unless it has used every attempt."""
        cutoff = utcnow() - timedelta(seconds=self.policy.lease_seconds)
        with session_scope(self.db_url) as s:
            row = s.get(OutboundMessage, row_id)
            spent = row is not None and row.attempts >= self.policy.max_attempts
            s.execute(
                update(OutboundMessage)
                .where(OutboundMessage.id == row_id,
                       OutboundMessage.status == OutboundStatus.SENDING,
                       OutboundMessage.claimed_at < cutoff)
                .values(status=OutboundStatus.FAILED if spent else OutboundStatus.QUEUED,
                        claimed_at=None, next_attempt_at=None)
                .execution_options(synchronize_session=False)
            )
        if spent:
            logger.warning("outbox row=%s failed after %d attempts", row_id,
                           self.policy.max_attempts)


def contact_consent(session, conversation_id: str) -> bool:  # type: ignore[no-untyped-def]
    """The texter agreed to be contacted back by a person.

    True when the conversation's waiting or claimed request recorded YES to
    "may a person text you back later?" (bot/handoff/held.py), or the texter
    said so in a tip.
    """
    if session.execute(select(Tip.id).where(Tip.conversation_id == conversation_id,
                                            Tip.contact_ok.is_(True)).limit(1)).first():
        return True
    return session.execute(
        select(HandoffRequest.id).where(HandoffRequest.conversation_id == conversation_id,
                                        HandoffRequest.status.in_(HANDOFF_ACTIVE),
                                        HandoffRequest.contact_back.is_(True)).limit(1)
    ).first() is not None


def _describe(exc: SendError) -> str:
    code = f" (code {exc.code})" if exc.code else ""
    return f"{type(exc).__name__}: {exc.reason}{code}"[:255]
