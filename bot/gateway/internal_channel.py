"""Rasa's side of the internal channel (registered in credentials.yml).

Only the gateway talks to it, on loopback, with the shared secret. It runs one
turn and answers with the replies. Retries are made harmless here because
Rasa itself would apply a repeated message twice:
- a turn still running for the same `message_id` is awaited, not started again;
- a retried turn (`attempt` > 1) whose message is already in the tracker is
  answered with the bot messages that followed it, without running it again.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.gateway.protocol import SECRET_HEADER, secret_matches
from bot.logs import quiet_libraries

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 256 * 1024
# Rasa keeps idle connections 120 s; its only client here is the gateway on loopback,
# whose pool drops idle connections after 4 s (rasa_client.py). Shorter, so a
# stopping Rasa is not held up by idle connections until supervisord kills it.
KEEP_ALIVE_SECONDS = 10
SECRET_ENV = "HOTLINE_INTERNAL_SECRET"  # noqa: S105 - a variable name


def _texts(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"text": m["text"]} for m in messages if m.get("text")]


def replies_after(events: list[dict[str, Any]], message_id: str) -> list[dict[str, Any]] | None:
    """Bot messages that followed the user message `message_id`; None if it is not there."""
    found = False
    replies: list[dict[str, Any]] = []
    for event in events:
        kind = event.get("event")
        if kind == "user":
            if found:
                break
            found = event.get("message_id") == message_id
        elif found and kind == "bot" and event.get("text"):
            # Split like Rasa's CollectingOutputChannel, so a replay equals the first answer.
            replies.extend({"text": part} for part in event["text"].strip().split("\n\n"))
    return replies if found else None


class InternalInput(InputChannel):
    """One endpoint: run a turn for the gateway."""

    @classmethod
    def name(cls) -> str:
        return "internal"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls(os.environ.get(SECRET_ENV, ""))

    def __init__(self, secret: str) -> None:
        self.secret = secret
        # Rasa's process: cap the library loggers like every other process (bot/logs.py).
        quiet_libraries(os.environ.get("HOTLINE_LOG_LEVEL", "INFO").upper())
        self._running: dict[str, asyncio.Future[list[dict[str, Any]]]] = {}
        # Set when the server begins to stop (supervisorctl restart, SIGTERM): new
        # turns get 503 so the gateway's keep-alive connections drain and Rasa stops in
        # about a second instead of serving new turns until it is killed.
        self._stopping = False

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = Blueprint("internal_turns", __name__)

        @bp.listener("after_server_start")
        async def _quiet(app, loop) -> None:  # type: ignore[no-untyped-def]
            # Sanic (re)configures its loggers at start-up: apply the caps again.
            quiet_libraries(os.environ.get("HOTLINE_LOG_LEVEL", "INFO").upper())
        @bp.listener("before_server_start")
        async def _short_keep_alive(app, loop) -> None:  # type: ignore[no-untyped-def]
            app.config.KEEP_ALIVE_TIMEOUT = KEEP_ALIVE_SECONDS

        @bp.listener("before_server_stop")
        async def _stop_taking_turns(app, loop) -> None:  # type: ignore[no-untyped-def]
            self._stopping = True

        if not self.secret:
            logger.error("%s is unset: the internal channel refuses every turn", SECRET_ENV)

        @bp.route("/health", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            agent = getattr(request.app.ctx, "agent", None)
            ready = bool(agent and agent.is_ready())
            return response.json({"ready": ready}, status=200 if ready else 503)

        @bp.route("/turn", methods=["POST"])
        async def turn(request: Request) -> HTTPResponse:
            if not secret_matches(self.secret, request.headers.get(SECRET_HEADER)):
                return response.json({"error": "forbidden"}, status=403)
            if len(request.body or b"") > MAX_BODY_BYTES:
                return response.json({"error": "too large"}, status=413)
            try:
                payload = json.loads(request.body or b"")
            except (ValueError, RecursionError):
                return response.json({"error": "bad json"}, status=400)
            if not isinstance(payload, dict):
                return response.json({"error": "bad json"}, status=400)
            sender, text = payload.get("sender"), payload.get("message")
            message_id, channel = payload.get("message_id"), payload.get("input_channel")
            attempt = payload.get("attempt", 1)
            metadata = payload.get("metadata") or {}
            if not isinstance(metadata, dict):
                return response.json({"error": "metadata must be an object"}, status=400)
            if not all(isinstance(v, str) and v for v in (sender, message_id, channel)) \
                    or not isinstance(text, str) or not isinstance(attempt, int):
                return response.json({"error": "sender, message, message_id, input_channel "
                                               "are required"}, status=400)
            agent = getattr(request.app.ctx, "agent", None)
            if agent is None or not agent.is_ready():
                return response.json({"error": "model not loaded"}, status=503)
            if self._stopping and message_id not in self._running:
                return response.json({"error": "stopping"}, status=503)
            running = self._running.get(message_id)
            if running is not None:  # the gateway retried while the turn still runs
                return response.json({"messages": await asyncio.shield(running),
                                      "replayed": True})
            if attempt > 1:
                tracker = await agent.tracker_store.retrieve(sender)
                if tracker is not None:
                    done = replies_after([e.as_dict() for e in tracker.events], message_id)
                    if done is not None:
                        logger.info("internal turn %s already applied; replayed", message_id)
                        return response.json({"messages": done, "replayed": True})
            future: asyncio.Future[list[dict[str, Any]]] = \
                asyncio.get_running_loop().create_future()
            self._running[message_id] = future
            try:
                collector = CollectingOutputChannel()
                await on_new_message(UserMessage(text, collector, sender_id=sender,
                                                 input_channel=channel,
                                                 message_id=message_id,
                                                 metadata=metadata))
                messages = _texts(collector.messages)
                future.set_result(messages)
            except Exception as exc:
                future.set_exception(exc)
                future.exception()  # retrieved: no "never retrieved" warning
                raise
            finally:
                self._running.pop(message_id, None)
            return response.json({"messages": messages, "replayed": False})

        return bp
