"""What every channel adapter provides to the messaging core.

Inbound: an adapter verifies the request, then calls `bot.messaging.inbox.accept`
with (channel, provider message id, address, body) and lets the router process it.
Outbound: an adapter provides a `Sender`, used by the outbox worker.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from sanic import Blueprint

from bot.config import Settings, get_settings
from bot.logs import quiet_libraries


class SendError(Exception):
    """A send failed. `code` is the provider's error code, if any (never message text)."""

    def __init__(self, reason: str, code: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code


class TransientSendError(SendError):
    """Worth retrying later: connection refused, timeout, 429, 5xx.

    `outcome_unknown` is set when the request may have reached the provider
    (a read timeout, a connection dropped after sending): the provider may
    have the message. The outbox worker then asks the provider
    (`Sender.find_sent`) before it sends again, so a lost answer never
    becomes a second SMS.
    """

    def __init__(self, reason: str, code: str | None = None, *,
                 outcome_unknown: bool = False) -> None:
        super().__init__(reason, code)
        self.outcome_unknown = outcome_unknown


class PermanentSendError(SendError):
    """Never retry: invalid number, opted out, bot blocked by the user."""


class ContactUnreachable(PermanentSendError):
    """The texter opted out (SMS STOP) or blocked the bot: stop all sends to them."""


class Sender(Protocol):
    channel: str

    def rate_key(self) -> str:
        """Sends sharing this key share a rate limit (e.g. the Twilio 'from' number)."""

    async def send(self, address: str, text: str) -> str:
        """Deliver one message; return the provider's message id.

        Raises TransientSendError or PermanentSendError (or ContactUnreachable).
        """

    async def find_sent(self, address: str, text: str, since: datetime) -> str | None:
        """The provider id of this exact message if the provider already has it.

        Used after a crash between the provider call and marking the row sent
        (RapidPro courier's "was it already sent" check). None when unknown or
        when the provider offers no way to look it up.
        """


class SettingsInputChannel:
    """A channel adapter configured from our settings (environment, `.env`).

    The gateway (bot/gateway/app.py) mounts each adapter's `blueprint` under
    /webhooks/<name>/. Same shape as a Rasa input channel, without Rasa.
    """

    @classmethod
    def name(cls) -> str:
        raise NotImplementedError

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or get_settings()
        quiet_libraries(self.settings.log_level)

    @staticmethod
    def quiet_logs(bp: Blueprint, settings: Settings) -> Blueprint:
        """Re-apply the log caps once Sanic has (re)configured its loggers at start-up."""

        @bp.listener("after_server_start")
        async def _quiet(app, loop) -> None:  # type: ignore[no-untyped-def]
            quiet_libraries(settings.log_level)

        return bp
