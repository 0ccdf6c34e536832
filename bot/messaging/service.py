"""One messaging core per server process: routers per channel, senders, the outbox worker.

Channel adapters register here from their Rasa blueprints; the first server
start starts the worker and replays whatever the inbox holds unprocessed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from bot.channels.base import Sender
from bot.config import Settings
from bot.handoff.erasure import erase_requested
from bot.handoff.hours import parse_hours
from bot.handoff.timeouts import sweep_unclaimed
from bot.messaging.outbox import Splitter, no_split
from bot.messaging.outbox_worker import OutboxPolicy, OutboxWorker
from bot.messaging.router import OnNewMessage, Router
from bot.retention import run_daily as run_retention
from bot.store.models import utcnow

logger = logging.getLogger(__name__)

_services: dict[str, MessagingService] = {}

# Continuous inbox recovery (see MessagingService._recover_continuously).
RECOVERY_EVERY_SECONDS = 15.0
RECOVERY_AGE_SECONDS = 60.0


class MessagingService:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.secret = settings.resolved_secret_key()
        self.senders: dict[str, Sender] = {}
        self.routers: dict[str, Router] = {}
        self.worker = OutboxWorker(settings.database_url, self.senders, OutboxPolicy(
            rate_per_second=settings.outbox_rate_per_second,
            max_attempts=settings.outbox_max_attempts,
            backoff_base=settings.outbox_backoff_base_seconds,
            backoff_max=settings.outbox_backoff_max_seconds,
            # A claim older than this is a worker that died mid-send; it must be
            # longer than any real provider call.
            lease_seconds=max(settings.outbox_lease_seconds,
                              2 * settings.provider_timeout_seconds),
            reply_window_hours=settings.reply_window_hours,
        ))
        self._started = False
        # Set by the gateway (bot/gateway/app.py) before the channels register: whether
        # the assistant in the other process can be reached right now.
        self.assistant_available: Callable[[], bool] | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._retention: asyncio.Task[Any] | None = None
        self._queue_sweep: asyncio.Task[Any] | None = None
        self._recovery: asyncio.Task[Any] | None = None
        self._disk_watch: asyncio.Task[Any] | None = None

    @classmethod
    def for_settings(cls, settings: Settings) -> MessagingService:
        """The process-wide service for this database."""
        service = _services.get(settings.database_url)
        if service is None:
            service = _services[settings.database_url] = cls(settings)
        return service

    def register(self, channel: str, on_new_message: OnNewMessage, *, delivered_inline: bool,
                 sender: Sender | None = None, splitter: Splitter = no_split) -> Router:
        router = Router(self.settings.database_url, on_new_message,
                        delivered_inline=delivered_inline, splitter=splitter,
                        on_replies_stored=self.worker.wake,
                        default_language=self.settings.default_language,
                        exit_words=self.settings.exit_words,
                        tracker_db=self.settings.tracker_url,
                        assistant_available=self.assistant_available)
        self.routers[channel] = router
        if sender is not None:
            self.senders[channel] = sender
        return router

    async def start(self) -> None:
        """Start the worker and the retention purge, replay unprocessed messages (once)."""
        if self._started:
            return
        self._started = True
        self.worker.start()
        # Retention purge: once now, then daily (bot/retention.py).
        self._retention = asyncio.get_running_loop().create_task(
            run_retention(self.settings), name="retention")
        # The advocate queue's "nobody is free" notices (bot/handoff/timeouts.py).
        self._queue_sweep = asyncio.get_running_loop().create_task(
            self._sweep_queue(), name="queue-sweep")
        for channel, router in self.routers.items():
            self.spawn(router.recover(channel))
        self._recovery = asyncio.get_running_loop().create_task(
            self._recover_continuously(), name="inbox-recovery")
        self._disk_watch = asyncio.get_running_loop().create_task(
            self._watch_disk(), name="disk-watch")

    async def _watch_disk(self, every_seconds: float = 60.0) -> None:
        """Log a warning while the disk is nearly full (once per state change and hourly)."""
        from bot.store.disk import low_space

        warned_at: float | None = None
        loop = asyncio.get_running_loop()
        while True:
            try:
                low = await asyncio.to_thread(low_space, self.settings)
            except Exception:
                low = []
            if low and (warned_at is None or loop.time() - warned_at > 3600):
                warned_at = loop.time()
                for d in low:
                    logger.warning("DISK LOW: %d MB free for the %s (below %d MB); when it "
                                   "is full, texts are answered with the 24/7 numbers only",
                                   d.free_mb, d.what, self.settings.disk_warn_mb)
            elif not low:
                warned_at = None
            await asyncio.sleep(every_seconds)

    async def _recover_continuously(self) -> None:
        """Answer what was accepted but not processed, without waiting for a restart.

        A row counts once it is RECOVERY_AGE_SECONDS old and this process is not
        working on it (another replica's live turn that old is not expected).
        """
        while True:
            await asyncio.sleep(RECOVERY_EVERY_SECONDS)
            for channel, router in self.routers.items():
                try:
                    await router.recover(channel, older_than_seconds=RECOVERY_AGE_SECONDS)
                except Exception as exc:  # database still away: try again next round
                    logger.warning("inbox recovery of %s failed (%s); will retry", channel,
                                   type(exc).__name__)

    async def _sweep_queue(self, every_seconds: float = 5.0) -> None:
        shifts = parse_hours(self.settings.advocate_hours)
        after = timedelta(minutes=self.settings.handoff_unclaimed_minutes)
        while True:
            try:
                handled = await asyncio.to_thread(
                    sweep_unclaimed, self.settings.database_url, utcnow(),
                    unclaimed_after=after, shifts=shifts, tz=self.settings.timezone,
                    default_language=self.settings.default_language)
                if handled:
                    logger.info("queue: told %d waiting texter(s) that nobody is free", handled)
                    self.worker.wake()
                await asyncio.to_thread(erase_requested, self.settings.database_url,
                                        self.settings.tracker_url)
            except Exception:
                logger.exception("queue sweep failed")
            await asyncio.sleep(every_seconds)

    def spawn(self, coro: Any) -> asyncio.Task[Any]:
        """Run work after a webhook has answered, keeping a reference until it ends."""
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._done)
        return task

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.error("background message processing failed: %s",
                         type(task.exception()).__name__)
