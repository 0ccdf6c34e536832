"""What every channel adapter provides to the messaging core.

Inbound: an adapter verifies the request, parses it into a
`bot.messaging.intake.Incoming` and hands it to `intake.receive`, the one path
that dedups, applies flood control, writes the inbox and routes. Adapters never
call the inbox or the flood limiter themselves (import-linter contract).
Outbound: an adapter provides a `Sender` (bot/messaging/sending.py), used by the
outbox worker.
"""

from __future__ import annotations

from sanic import Blueprint

from bot.config import Settings, get_settings
from bot.logs import quiet_libraries


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
