"""Local web chat: a page and a JSON webhook, through the same inbox/router path as SMS.

POST /webhooks/webchat/webhook  {"sender": "...", "message": "...", "message_id": "..."}
answers with the assistant's replies: [{"text": "..."}, ...]. The response carries
the session token (bot/channels/webchat_session.py) in an HttpOnly cookie and in
the `X-Webchat-Session` header; later requests send it back (cookie or header),
and without it a `sender` names a new conversation, never someone else's.
`message_id` is optional; when given, a retried request returns the same
replies instead of being processed twice.
POST /webhooks/webchat/updates  {"sender": "..."} (with the session token) hands
over what was queued for this sender later (an advocate's replies, the hand-back
line): the page polls it.
Rows are marked sent as they are handed over, so each is shown once.
POST /webhooks/webchat/leave  {"sender": "..."}: the Leave button. Ends the
conversation on the server exactly as EXIT does (queued sends cancelled, the
request leaves the queue for the missed list), deletes the session cookie and
answers {"next": <the operator's neutral page, HOTLINE_WEBCHAT_LEAVE_URL>}.
The answer to EXIT carries the header X-Webchat-Ended: 1 so the page clears
itself the same way; replies carry Content-Language (the texter's language,
for the page's own words) and later messages from a person "from": "person".
GET /webhooks/webchat/ serves a small chat page (no external assets).
"""

from __future__ import annotations

import asyncio
import functools
import html
import json
import logging
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy import select, update

from bot import safe_json
from bot.channels import webchat_session
from bot.channels.base import SettingsInputChannel
from bot.channels.intake_failure import intake_unavailable_texts, log_intake_failure
from bot.content.loader import load_content
from bot.messaging import intake
from bot.messaging.intake import Incoming
from bot.messaging.service import MessagingService
from bot.messaging.turn import UserMessage
from bot.safety.emergency import is_quick_exit
from bot.store.contacts import contact_key
from bot.store.db import session_scope
from bot.store.models import Conversation, OutboundMessage, utcnow
from bot.store.statuses import OutboundStatus

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent / "static"
MAX_BODY_BYTES = 64 * 1024
MAX_SENDER_CHARS = 128
CHANNEL = "webchat"
# Set on the answer to EXIT / SALIR: the page clears itself and leaves.
ENDED_HEADER = "X-Webchat-Ended"

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}

def _replies(replies: list[dict[str, Any]]) -> HTTPResponse:
    # UTF-8 as is ("¿", "ñ"), so a curl user reads the replies without \u escapes.
    return response.json(replies, headers=SECURITY_HEADERS,
                         dumps=functools.partial(json.dumps, ensure_ascii=False))


def _unavailable(texts: list[str]) -> HTTPResponse:
    """503 that still reads as replies: the page shows them like any other message."""
    return response.json([{"text": t} for t in texts], status=503,
                         headers={**SECURITY_HEADERS, "Retry-After": "60"},
                         dumps=functools.partial(json.dumps, ensure_ascii=False))


def _session_token(request: Request, secret: bytes) -> str | None:
    """The request's server-issued session token (header for scripts, else the cookie)."""
    return webchat_session.verified(
        secret, request.headers.get(webchat_session.HEADER)
        or request.cookies.get(webchat_session.COOKIE))


def _with_session(reply: HTTPResponse, token: str, secure: bool) -> HTTPResponse:
    """Hand the session token back: header for scripted clients, cookie for the page."""
    reply.headers[webchat_session.HEADER] = token
    reply.cookies[webchat_session.COOKIE] = token
    cookie = reply.cookies[webchat_session.COOKIE]
    cookie["httponly"] = True
    cookie["samesite"] = "Strict"
    cookie["path"] = "/webhooks/webchat"
    if secure:
        cookie["secure"] = True
    return reply


def _error(status: int, message: str) -> HTTPResponse:
    return response.json({"error": message}, status=status, headers=SECURITY_HEADERS)


def _json_object(request: Request) -> dict[str, Any] | HTTPResponse:
    """The request's JSON object, or the 4xx answer that explains what is wrong."""
    if len(request.body or b"") > MAX_BODY_BYTES:
        return _error(413, f"request body too large (max {MAX_BODY_BYTES} bytes)")
    try:
        payload = safe_json.loads(request.body or b"")
    except safe_json.BadJson as exc:  # bad UTF-8, huge numbers, absurd nesting
        return _error(400, str(exc))
    if not isinstance(payload, dict):
        return _error(400, "body must be a JSON object")
    return payload


def _is_unicode(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class WebChatInput(SettingsInputChannel):
    """The project's own web chat channel (registered in credentials.yml)."""

    @classmethod
    def name(cls) -> str:
        return CHANNEL

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        settings = self.settings
        service = MessagingService.for_settings(settings)
        router = service.register(CHANNEL, on_new_message, delivered_inline=True)
        secure_cookie = settings.public_url.startswith("https://")
        bp = Blueprint("webchat_webhook", __name__)

        @bp.listener("after_server_start")
        async def start(app, loop) -> None:  # type: ignore[no-untyped-def]
            await service.start()

        @bp.route("/", methods=["GET"])
        async def page(request: Request) -> HTTPResponse:
            return await _page(settings.webchat_leave_url)

        @bp.route("/webchat.js", methods=["GET"])
        async def script(request: Request) -> HTTPResponse:
            return await _static("webchat.js", "application/javascript; charset=utf-8")

        @bp.route("/webchat.css", methods=["GET"])
        async def style(request: Request) -> HTTPResponse:
            return await _static("webchat.css", "text/css; charset=utf-8")

        @bp.route("/health", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @bp.route("/leave", methods=["POST"])
        async def leave(request: Request) -> HTTPResponse:
            """The page's Leave button: end the conversation as EXIT does, and forget
            the session on this device (the cookie is HttpOnly: only the server can)."""
            if request.body:
                payload = _json_object(request)
                if isinstance(payload, HTTPResponse):
                    return payload
                sender = _sender(payload)
                if sender is None:
                    return _error(400, "'sender' must be a non-empty string")
                token = _session_token(request, service.secret)
                if token is not None:
                    address = webchat_session.address(service.secret, token, sender)
                    await end_chat(router, settings.database_url,
                                   contact_key(service.secret, CHANNEL, address))
            reply = response.json({"next": settings.webchat_leave_url},
                                  headers=SECURITY_HEADERS)
            reply.cookies[webchat_session.COOKIE] = ""
            reply.cookies[webchat_session.COOKIE]["path"] = "/webhooks/webchat"
            reply.cookies[webchat_session.COOKIE]["max-age"] = 0
            return reply

        @bp.route("/updates", methods=["POST"])
        async def updates(request: Request) -> HTTPResponse:
            payload = _json_object(request)
            if isinstance(payload, HTTPResponse):
                return payload
            sender = payload.get("sender")
            if not isinstance(sender, str) or not sender.strip() \
                    or len(sender) > MAX_SENDER_CHARS or not _is_unicode(sender):
                return _error(400, "'sender' must be a non-empty string")
            token = _session_token(request, service.secret)
            if token is None:  # no session, no conversation: nothing to hand over
                return _replies([])
            address = webchat_session.address(service.secret, token, sender.strip())
            key = contact_key(service.secret, CHANNEL, address)
            entries = await asyncio.to_thread(pending_entries, settings.database_url, key)
            return _with_session(_replies([_entry(author, t) for author, t in entries]),
                                 token, secure_cookie)

        @bp.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            payload = _json_object(request)
            if isinstance(payload, HTTPResponse):
                return payload
            sender = payload.get("sender")
            text = payload.get("message")
            message_id = payload.get("message_id")
            if not isinstance(sender, str) or not sender.strip():
                return _error(400, "'sender' must be a non-empty string")
            if len(sender) > MAX_SENDER_CHARS:
                return _error(400, f"'sender' is too long (max {MAX_SENDER_CHARS} characters)")
            if not isinstance(text, str):
                return _error(400, "'message' must be a string")
            if message_id is not None and (not isinstance(message_id, str)
                                           or not 0 < len(message_id) <= 128):
                return _error(400, "'message_id' must be a string of 1-128 characters")
            if not all(_is_unicode(v) for v in (sender, text, message_id) if v is not None):
                # JSON escapes can carry lone surrogates ("\ud800"): not text, cannot be stored.
                return _error(400, "strings must be valid Unicode (no lone surrogates)")
            if len(text) > settings.webchat_max_chars:
                return _error(413, f"message too long (max {settings.webchat_max_chars} "
                                   "characters); please send it in parts")
            token = _session_token(request, service.secret) \
                or webchat_session.new_token(service.secret)
            if not text.strip():
                reply = load_content().template("empty_message", settings.default_language)
                return _with_session(_replies([{"text": reply}]), token, secure_cookie)
            address = webchat_session.address(service.secret, token, sender.strip())
            try:
                received = await intake.receive(service, Incoming(
                    CHANNEL, message_id or f"auto-{uuid.uuid4()}", address, text))
            except Exception as exc:  # disk full, database down: a polite 503, the numbers
                log_intake_failure(CHANNEL, exc)
                return _with_session(
                    _unavailable(intake_unavailable_texts(text, settings.default_language)),
                    token, secure_cookie)
            accepted, turn = received.accepted, received.turn
            if turn is None:
                # Another conversation's message_id: never replay its replies here.
                return _error(409, "'message_id' was already used; send a new one")
            try:
                replies = await asyncio.wait_for(asyncio.shield(turn),
                                                 timeout=settings.webchat_wait_seconds)
            except asyncio.TimeoutError:
                # The assistant is slow or restarting: the turn goes on; its replies
                # reach the page through /updates. Say so instead of hanging.
                replies = await router.defer_inline(accepted.inbound_id)
                if not replies:
                    lang = await asyncio.to_thread(_language_of, settings,
                                                   accepted.conversation_id)
                    replies = [{"text": load_content().template("reply_delayed", lang)}]
            if is_quick_exit(text, router.exit_words):
                return _with_session(_ended(replies), token, secure_cookie)
            answer = _replies(replies)
            answer.headers["Content-Language"] = await asyncio.to_thread(
                _language_of, settings, accepted.conversation_id)
            return _with_session(answer, token, secure_cookie)

        return self.quiet_logs(bp, self.settings)


def _language_of(settings, conversation_id: str) -> str:  # type: ignore[no-untyped-def]
    with session_scope(settings.database_url) as session:
        conversation = session.get(Conversation, conversation_id)
        lang = conversation.language if conversation is not None else None
    return lang if lang in ("en", "es") else settings.default_language


def _sender(payload: dict[str, Any]) -> str | None:
    sender = payload.get("sender")
    if not isinstance(sender, str) or not sender.strip() \
            or len(sender) > MAX_SENDER_CHARS or not _is_unicode(sender):
        return None
    return sender.strip()


def _ended(replies: list[dict[str, Any]]) -> HTTPResponse:
    """EXIT: the usual replies, plus a header that tells the page to clear itself."""
    answer = _replies(replies)
    answer.headers[ENDED_HEADER] = "1"
    return answer


async def end_chat(router: Any, db_url: str, key: str) -> None:
    """Leave button: end this texter's conversation on the server, as EXIT does."""
    conversation_id = await asyncio.to_thread(_conversation_for, db_url, key)
    if conversation_id is not None:
        await router.texter_left(conversation_id)


def _conversation_for(db_url: str, key: str) -> str | None:
    with session_scope(db_url) as session:
        return session.execute(
            select(Conversation.id).where(Conversation.channel == CHANNEL,
                                          Conversation.contact_key == key)
        ).scalar_one_or_none()


async def _page(leave_url: str) -> HTTPResponse:
    """The chat page, with the operator's neutral page for Leave filled in."""
    body = await asyncio.to_thread((STATIC_DIR / "webchat.html").read_text, "utf-8")
    body = body.replace("{{LEAVE_URL}}", html.escape(leave_url, quote=True))
    return response.html(body, headers=SECURITY_HEADERS)


def _entry(author: str, text: str) -> dict[str, str]:
    """One later message for the page; an advocate's is marked as from a person."""
    return {"text": text, "from": "person" if author == "advocate" else "assistant"}


def pending_for(db_url: str, key: str) -> list[str]:
    """The texts of pending_entries (kept for callers that need only the text)."""
    return [text for _author, text in pending_entries(db_url, key)]


def pending_entries(db_url: str, key: str) -> list[tuple[str, str]]:
    """Hand over (and mark sent) what was queued later for this web chat texter, in order:
    (author, text) pairs."""
    with session_scope(db_url) as session:
        conversation_id = session.execute(
            select(Conversation.id).where(Conversation.channel == CHANNEL,
                                          Conversation.contact_key == key)
        ).scalar_one_or_none()
        if conversation_id is None:
            return []
        rows = session.execute(
            select(OutboundMessage)
            .where(OutboundMessage.conversation_id == conversation_id,
                   OutboundMessage.channel == CHANNEL,
                   OutboundMessage.status == OutboundStatus.QUEUED)
            .order_by(OutboundMessage.id)
        ).scalars().all()
        texts: list[tuple[str, str]] = []
        now = utcnow()
        for row in rows:
            won = session.execute(
                update(OutboundMessage)
                .where(OutboundMessage.id == row.id,
                       OutboundMessage.status == OutboundStatus.QUEUED)
                .values(status=OutboundStatus.SENT, sent_at=now,
                        attempts=OutboundMessage.attempts + 1)
                .execution_options(synchronize_session=False)
            ).rowcount == 1
            if won:  # another poll (a second tab) may have taken it first
                texts.append((row.author, row.body))
        return texts


async def _static(name: str, content_type: str) -> HTTPResponse:
    body = await asyncio.to_thread((STATIC_DIR / name).read_bytes)
    return response.raw(body, content_type=content_type, headers=SECURITY_HEADERS)
