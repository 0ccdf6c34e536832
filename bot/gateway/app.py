"""The gateway's Sanic app: the public channel blueprints, with Rasa behind the internal channel.

The same blueprints Rasa used to mount (bot/channels/) are mounted here under
/webhooks/<channel>/, so URLs, signatures and the web chat page stay as they
were. Each blueprint's `on_new_message` is `RasaWorkers.handle`, which sends the
turn to its conversation's Rasa worker (one unless HOTLINE_RASA_WORKERS, workers.py).
"""

from __future__ import annotations

import uuid

from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.config import Settings
from bot.gateway.workers import RasaWorkers

# Webhooks and web chat messages are a few KB: anything over 1 MiB is refused
# with 413 as it arrives, before a handler reads it.
PUBLIC_MAX_REQUEST_BYTES = 1024 * 1024


def rasa_base_urls(settings: Settings) -> list[str]:
    """HOTLINE_RASA_URL (comma-separated, one per worker), else the one loopback port."""
    if settings.rasa_urls:
        return settings.rasa_urls
    if not settings.rasa_port:
        raise ValueError("HOTLINE_RASA_PORT or HOTLINE_RASA_URL must be set for the gateway")
    return [f"http://127.0.0.1:{settings.rasa_port}"]


def build_app(settings: Settings, client: RasaWorkers | None = None,
              name: str | None = None) -> tuple[Sanic, RasaWorkers]:
    from bot.channels.telegram import TelegramInput
    from bot.channels.twilio_sms import TwilioInput
    from bot.channels.webchat import WebChatInput
    from bot.messaging.service import MessagingService

    client = client or RasaWorkers.for_urls(rasa_base_urls(settings), settings.internal_secret)
    MessagingService.for_settings(settings).assistant_available = lambda: client.available
    app = Sanic(name or f"hotline_gateway_{uuid.uuid4().hex[:8]}")
    app.config.REQUEST_MAX_SIZE = PUBLIC_MAX_REQUEST_BYTES
    app.config.RESPONSE_TIMEOUT = max(60, int(settings.webchat_wait_seconds) + 30)
    for channel in (WebChatInput(settings), TwilioInput(settings), TelegramInput(settings)):
        app.blueprint(channel.blueprint(client.handle), url_prefix=f"/webhooks/{channel.name()}")

    @app.get("/health")
    async def health(request: Request) -> HTTPResponse:
        """The gateway is up (it accepts messages); `assistant` says whether Rasa answers.

        With several workers, "up" means every one; `workers` counts those up.
        """
        ready = await client.ready()
        body: dict[str, object] = {"status": "ok", "assistant": "up" if all(ready) else "down"}
        if len(ready) > 1:
            body["workers"] = {"up": sum(ready), "of": len(ready)}
        return response.json(body)

    @app.listener("before_server_stop")
    async def close_client(app: Sanic, loop) -> None:  # type: ignore[no-untyped-def]
        await client.close()

    return app, client
