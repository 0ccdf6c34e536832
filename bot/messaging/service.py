"""One messaging core per server process: routers per channel, senders, the outbox worker.

Channel adapters register here from their Rasa blueprints; the first server
start starts the worker and replays whatever the inbox holds unprocessed.
"""

from __future__ import annotations

import asyncio
import logging
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
        self._tasks: set[asyncio.Task[Any]] = set()
        self._retention: asyncio.Task[Any] | None = None
        self._queue_sweep: asyncio.Task[Any] | None = None

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
                        tracker_db=self.settings.tracker_url)
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
