"""The Telegram channel: the webhook route, the handling of one update, and polling's start.

Verification (the secret token header) and parsing (parse.py) only; what a
message then goes through is the one inbound path (bot/messaging/intake.py).
Logs carry update ids and conversation ids, never text, chat ids or user ids.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy import select

from bot import safe_json
from bot.channels.base import SettingsInputChannel
from bot.channels.telegram import poll as polling
from bot.channels.telegram.parse import (
    BLOCKED,
    CHANNEL,
    LEAVE,
    PROCESS,
    REPLY,
    UNBLOCKED,
    Action,
    parse_int,
    parse_update,
)
from bot.channels.telegram.send import (
    POLL_TIMEOUT_SECONDS,
    RedactToken,
    TelegramSender,
    split_telegram,
)
from bot.config import Settings
from bot.content.loader import load_content
from bot.messaging import intake
from bot.messaging.intake import Incoming
from bot.messaging.router import Router
from bot.messaging.service import MessagingService
from bot.messaging.turn import UserMessage
from bot.store.contacts import contact_key
from bot.store.db import session_scope
from bot.store.models import Conversation

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 256 * 1024
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name
LANGS = ("en", "es")


def _conversation(session: Any, secret: bytes, address: str) -> Conversation | None:
    key = contact_key(secret, CHANNEL, address)
    return session.execute(select(Conversation).where(
        Conversation.channel == CHANNEL, Conversation.contact_key == key)).scalar_one_or_none()


def _set_reachable(db_url: str, secret: bytes, address: str, reachable: bool) -> str | None:
    """Mark a known texter (un)reachable; returns the conversation id, if any."""
    with session_scope(db_url) as session:
        conversation = _conversation(session, secret, address)
        if conversation is None:
            return None
        conversation.unreachable = not reachable
        return conversation.id


class TelegramInput(SettingsInputChannel):
    """The project's own Telegram channel (registered in credentials.yml)."""

    @classmethod
    def name(cls) -> str:
        return CHANNEL

    def __init__(self, settings: Settings | None = None,
                 poll_timeout: int = POLL_TIMEOUT_SECONDS) -> None:
        super().__init__(settings)
        self.poll_timeout = poll_timeout
        self.sender: TelegramSender | None = None
        self.service: MessagingService | None = None
        self.router: Router | None = None
        self._left: set[int] = set()
        self._tasks: list[asyncio.Task[Any]] = []

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        settings = self.settings
        service = self.service = MessagingService.for_settings(settings)
        enabled = settings.telegram_enabled
        if enabled:
            self.sender = TelegramSender(settings, self.poll_timeout)
            logging.getLogger("httpx").addFilter(RedactToken(settings.telegram_bot_token))
        self.router = service.register(CHANNEL, on_new_message, delivered_inline=False,
                                       sender=self.sender, splitter=split_telegram)
        webhook_mode = settings.telegram_mode == "webhook"
        secret = settings.telegram_webhook_secret
        bp = Blueprint("telegram_webhook", __name__)

        @bp.listener("after_server_start")
        async def start(app, loop) -> None:  # type: ignore[no-untyped-def]
            await service.start()
            if not enabled:
                logger.info("telegram channel off: TELEGRAM_BOT_TOKEN is not set")
                return
            if webhook_mode:
                if not secret:
                    logger.error("TELEGRAM_MODE=webhook needs TELEGRAM_WEBHOOK_SECRET; "
                                 "all webhook requests will be refused")
                elif not settings.public_url:
                    logger.error("TELEGRAM_MODE=webhook needs HOTLINE_PUBLIC_URL; "
                                 "the webhook is not registered with Telegram")
                else:
                    self._tasks.append(asyncio.create_task(self.register_webhook(),
                                                           name="telegram-webhook"))
            elif not settings.telegram_polling:  # another replica polls (docs/deploy.md)
                logger.info("telegram polling off on this replica (TELEGRAM_POLLING=0)")
            else:
                self._tasks.append(asyncio.create_task(self.poll(), name="telegram-poll"))

        @bp.listener("before_server_stop")
        async def stop(app, loop) -> None:  # type: ignore[no-untyped-def]
            await self.stop()

        @bp.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not enabled:
                return response.json({"error": "Telegram channel is not configured"},
                                     status=503)
            if not webhook_mode:
                return response.json({"error": "Telegram webhook mode is off"}, status=404)
            given = request.headers.get(SECRET_HEADER, "")
            if not secret or not given or not hmac.compare_digest(given.encode(),
                                                                  secret.encode()):
                if not secret:
                    logger.error("refused a Telegram webhook: TELEGRAM_WEBHOOK_SECRET is unset")
                else:
                    logger.warning("refused a Telegram webhook with a missing or wrong secret")
                return response.json({"error": "forbidden"}, status=403)
            if len(request.body or b"") > MAX_BODY_BYTES:
                return response.json({"error": "request body too large"}, status=413)
            try:
                update = safe_json.loads(request.body or b"")
            except safe_json.BadJson as exc:  # bad UTF-8, huge numbers, absurd nesting
                return response.json({"error": f"malformed JSON: {exc}"}, status=400)
            if not isinstance(update, dict):
                return response.json({"error": "an update must be a JSON object"}, status=400)
            try:
                await self.handle(update)
            except Exception:
                logger.exception("could not store telegram update=%s",
                                 parse_int(update.get("update_id")))
                return response.json({"error": "try again"}, status=500)  # Telegram retries
            return response.json({"ok": True})

        return self.quiet_logs(bp, self.settings)

    # ------------------------------------------------------------------ handling
    async def handle(self, update: Any) -> Action:
        """Act on one update; returns once it is safely in the inbox (or needs nothing)."""
        assert self.service is not None and self.router is not None
        content = load_content()
        action = parse_update(update, content)
        logger.info("telegram update=%s type=%s action=%s (%s)", action.update_id,
                    action.update_type, action.kind, action.reason)
        if action.callback_query_id and self.sender is not None:
            self._background(self.sender.bot.answer_callback_query(action.callback_query_id),
                             "answerCallbackQuery", action)
        if action.kind == LEAVE and action.chat_id is not None:
            if action.chat_id not in self._left and self.sender is not None:
                self._left.add(action.chat_id)
                self._background(self.sender.bot.leave_chat(action.chat_id), "leaveChat", action)
        elif action.kind in (BLOCKED, UNBLOCKED):
            conversation_id = await asyncio.to_thread(
                _set_reachable, self.settings.database_url, self.service.secret,
                action.address, action.kind == UNBLOCKED)
            if conversation_id:
                logger.info("conversation=%s %s the bot", conversation_id, action.kind)
        elif action.kind in (PROCESS, REPLY):
            default = self.settings.default_language

            def body(lang: str | None) -> str:
                return action.body(content, lang if lang in LANGS else default)

            await intake.receive(self.service, Incoming(
                CHANNEL, action.provider_message_id, action.address, body, text=action.text,
                fixed_reply=action.template if action.kind == REPLY else None,
                # Someone who blocked the bot cannot write to it: a message means they unblocked.
                reachable=True))
        return action

    def _background(self, call: Awaitable[Any], what: str, action: Action) -> None:
        """Fire-and-forget Bot API calls: a failure must not hold up the inbox."""
        assert self.service is not None

        async def run() -> None:
            try:
                await call
            except Exception as exc:
                logger.warning("telegram %s failed for update=%s: %s", what,
                               action.update_id, type(exc).__name__)

        self.service.spawn(run())

    # ------------------------------------------------------------------ polling
    async def poll(self) -> None:
        """Long polling (poll.py), each update handled as a webhook's would be."""
        assert self.sender is not None
        await polling.poll(self.sender.bot, self.settings.database_url, self.handle,
                           poll_timeout=self.poll_timeout,
                           request_timeout=self.settings.provider_timeout_seconds)

    async def register_webhook(self) -> None:
        """setWebhook in the background, retrying until Telegram accepts it (poll.py)."""
        assert self.sender is not None
        await polling.register_webhook(self.sender.bot,
                                       f"{self.settings.public_url}/webhooks/telegram/webhook",
                                       self.settings.telegram_webhook_secret)

    async def stop(self) -> None:
        """Cancel polling / webhook registration (before the server stops)."""
        tasks, self._tasks = self._tasks, []
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
