"""SMS over Twilio: signed webhooks in, the real twilio Client out.

POST /webhooks/twilio/webhook  inbound SMS (form-encoded, X-Twilio-Signature)
POST /webhooks/twilio/status   delivery callbacks (signed too)

The signature is checked with twilio's RequestValidator against the public URL
(HOTLINE_PUBLIC_URL + path), so it works behind a reverse proxy. The message goes
through the one inbound path (bot/messaging/intake.py: dedup, flood control,
the inbox, routing), then Twilio gets an empty TwiML <Response/> at once; the
conversation is processed after the answer and replies go through the outbox.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl

import requests
import urllib3
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from bot.channels.base import SettingsInputChannel
from bot.channels.intake_failure import (
    intake_unavailable_texts,
    log_intake_failure,
    twiml_messages,
)
from bot.config import Settings
from bot.content.sms import split_sms
from bot.messaging import intake
from bot.messaging.intake import Incoming
from bot.messaging.router import SILENT
from bot.messaging.sending import ContactUnreachable, PermanentSendError, TransientSendError
from bot.messaging.service import MessagingService
from bot.messaging.turn import UserMessage
from bot.store.db import session_scope

logger = logging.getLogger(__name__)

CHANNEL = "twilio"
MAX_BODY_BYTES = 64 * 1024
MAX_INBOUND_CHARS = 1600  # Twilio's own limit; longer bodies are not real SMS
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>'
# Carrier / Twilio opt-out and opt-in keywords (whole message, any case).
OPT_OUT = frozenset({"stop", "stopall", "unsubscribe", "cancel", "end", "quit"})
OPT_IN = frozenset({"start", "unstop", "yes"})
# Twilio error codes after which retrying can never help.
UNREACHABLE_CODES = frozenset({21610})  # recipient opted out
PERMANENT_CODES = frozenset({21211, 21212, 21408, 21612, 21614, 21602, 21606, 21617, 30003,
                             30004, 30005, 30006, 30007})


def _twiml() -> HTTPResponse:
    return response.text(EMPTY_TWIML, content_type="text/xml")


class TwilioSender:
    """Sends through the real twilio Client, off the event loop."""

    channel = CHANNEL

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        http = TwilioHttpClient(timeout=settings.provider_timeout_seconds)
        self.client = Client(settings.twilio_account_sid, settings.twilio_auth_token,
                             http_client=http)
        self.client.api.base_url = settings.twilio_api_base_url
        # TWILIO_EDGE / TWILIO_REGION in the environment would rewrite the host.
        self.client.edge = None
        self.client.region = None

    def rate_key(self) -> str:
        return self.settings.twilio_from_number or self.settings.twilio_messaging_service_sid

    def _create_kwargs(self, address: str, text: str) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"to": address, "body": text}
        if self.settings.twilio_messaging_service_sid:
            kwargs["messaging_service_sid"] = self.settings.twilio_messaging_service_sid
        else:
            kwargs["from_"] = self.settings.twilio_from_number
        if self.settings.public_url:
            kwargs["status_callback"] = f"{self.settings.public_url}/webhooks/twilio/status"
        return kwargs

    async def send(self, address: str, text: str) -> str:
        try:
            message = await asyncio.to_thread(self.client.messages.create,
                                              **self._create_kwargs(address, text))
        except TwilioRestException as exc:
            code = str(exc.code) if exc.code is not None else None
            if exc.code in UNREACHABLE_CODES:
                raise ContactUnreachable("recipient opted out", code) from None
            if exc.code in PERMANENT_CODES or (400 <= exc.status < 500
                                               and exc.status not in (408, 429)):
                raise PermanentSendError(f"HTTP {exc.status}", code) from None
            raise TransientSendError(f"HTTP {exc.status}", code) from None
        except Exception as exc:  # connection refused, timeout, DNS: try again later
            raise TransientSendError(type(exc).__name__,
                                     outcome_unknown=not _never_sent(exc)) from None
        return message.sid

    async def find_sent(self, address: str, text: str, since: datetime) -> str | None:
        messages = await asyncio.to_thread(self.client.messages.list, to=address,
                                           date_sent_after=since, limit=200)
        for message in messages:
            if message.body == text:
                return message.sid
        return None


class TwilioInput(SettingsInputChannel):
    """The project's own Twilio SMS channel (registered in credentials.yml)."""

    @classmethod
    def name(cls) -> str:
        return CHANNEL

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        settings = self.settings
        service = MessagingService.for_settings(settings)
        enabled = settings.twilio_enabled
        service.register(
            CHANNEL, on_new_message, delivered_inline=False,
            sender=TwilioSender(settings) if enabled else None,
            splitter=lambda text: split_sms(text, settings.sms_max_segments),
        )
        validator = RequestValidator(settings.twilio_auth_token) if enabled else None
        bp = Blueprint("twilio_webhook", __name__)

        @bp.listener("after_server_start")
        async def start(app, loop) -> None:  # type: ignore[no-untyped-def]
            await service.start()

        def verified_form(request: Request) -> dict[str, str] | HTTPResponse:
            if validator is None:
                return response.json({"error": "SMS channel is not configured"}, status=503)
            if len(request.body or b"") > MAX_BODY_BYTES:
                return response.json({"error": "request body too large"}, status=413)
            try:
                # Parsed here, not with request.form: Sanic drops blank fields
                # ("ToState="), and Twilio's signature covers them.
                pairs = parse_qsl((request.body or b"").decode("utf-8"),
                                  keep_blank_values=True, strict_parsing=False)
            except UnicodeDecodeError:
                return response.json({"error": "form body must be UTF-8"}, status=400)
            form: dict[str, str] = {}
            for key, value in pairs:
                form.setdefault(key, value)
            base = settings.public_url or f"{request.scheme}://{request.host}"
            url = f"{base}{request.path}"
            if request.query_string:
                url += f"?{request.query_string}"
            signature = request.headers.get("X-Twilio-Signature", "")
            if not signature or not validator.validate(url, form, signature):
                logger.warning("refused a Twilio request with a missing or wrong signature")
                return response.json({"error": "invalid signature"}, status=403)
            return form

        @bp.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            form = verified_form(request)
            if isinstance(form, HTTPResponse):
                return form
            sid = form.get("MessageSid") or form.get("SmsSid")
            address = form.get("From")
            if not sid or not address:
                return response.json({"error": "MessageSid and From are required"},
                                     status=400)
            body = form.get("Body") or ""
            try:
                media = int(form.get("NumMedia") or 0)
            except ValueError:
                media = 0
            keyword = body.strip().lower()
            incoming = Incoming(
                CHANNEL, sid, address, body, fixed_reply=_fixed_reply(keyword, body, media),
                reachable=True if keyword in OPT_IN else False if keyword in OPT_OUT else None)
            try:
                received = await intake.receive(service, incoming)
            except Exception as exc:  # disk full, database down: never answer with silence
                log_intake_failure(CHANNEL, exc)
                if incoming.fixed_reply == SILENT:  # an opt-out: the carrier confirms it
                    return _twiml()
                texts = intake_unavailable_texts(body, settings.default_language)
                return response.text(twiml_messages(texts), content_type="text/xml")
            if incoming.reachable is not None and not received.accepted.duplicate:
                logger.info("conversation=%s opted %s", received.accepted.conversation_id,
                            "in" if incoming.reachable else "out")
            return _twiml()

        @bp.route("/status", methods=["POST"])
        async def status(request: Request) -> HTTPResponse:
            form = verified_form(request)
            if isinstance(form, HTTPResponse):
                return form
            sid, state = form.get("MessageSid"), form.get("MessageStatus")
            if not sid or not state:
                return response.json({"error": "MessageSid and MessageStatus are required"},
                                     status=400)
            await asyncio.to_thread(_record_status, settings.database_url, sid, state,
                                    form.get("ErrorCode"))
            return response.empty()

        return self.quiet_logs(bp, self.settings)


def _never_sent(exc: BaseException) -> bool:
    """True only when the request surely never reached Twilio (refused, no route, DNS).

    Anything else (a read timeout, a connection dropped mid-answer, an unknown
    error) may mean Twilio has the message, so the worker must ask before resending.
    """
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    if isinstance(exc, requests.exceptions.ConnectionError):
        cause = exc.args[0] if exc.args else None
        reason = getattr(cause, "reason", cause)
        return isinstance(reason, (urllib3.exceptions.NewConnectionError,
                                   ConnectionRefusedError))
    return False


def _fixed_reply(keyword: str, body: str, media: int) -> str | None:
    """Replies that skip the assistant: opt-out words, pictures, empty texts."""
    if keyword in OPT_OUT:
        return SILENT  # the carrier / Twilio confirms the opt-out itself
    if media and not body.strip():
        return "media_not_supported"
    if not body.strip():
        return "empty_message"
    if len(body) > MAX_INBOUND_CHARS:
        return "too_long"
    return None


def _record_status(db_url: str, sid: str, state: str, error_code: str | None) -> None:
    from sqlalchemy import select

    from bot.store.models import Conversation, OutboundMessage

    with session_scope(db_url) as session:
        row = session.execute(
            select(OutboundMessage).where(OutboundMessage.provider_message_id == sid)
        ).scalar_one_or_none()
        if row is None:
            return
        row.delivery_status = state[:16]
        if state in ("failed", "undelivered"):
            # Twilio sends a short number; anything else is cut and never parsed
            # ("²".isdigit() is true, but int("²") raises).
            code = (error_code or "")[:16]
            row.last_error = f"delivery {state}" + (f" (code {code})" if code else "")
            if code.isascii() and code.isdigit() and int(code) in UNREACHABLE_CODES:
                session.get(Conversation, row.conversation_id).unreachable = True
