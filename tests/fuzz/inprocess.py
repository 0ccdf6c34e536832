"""The three channel blueprints (web chat, Twilio SMS, Telegram webhook) in one real Sanic
server, in this process, on a free port, with a stand-in assistant.

The server runs on its own event loop in a background thread, so tests (and hypothesis)
stay plain synchronous code that talks to it over real HTTP with httpx. The outbound
providers are the local fakes in tests/fakes, so the outbox worker has somewhere to send.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import httpx

from bot.config import Settings
from tests.conftest import free_port
from tests.fakes.telegram_api import FakeTelegramApi
from tests.fakes.twilio_api import FakeTwilioApi, sign_inbound

TELEGRAM_SECRET = "fuzz-webhook-secret"
TWILIO_FROM = "+15005550006"


@dataclass
class InProcessHotline:
    base_url: str
    settings: Settings
    twilio: FakeTwilioApi
    telegram: FakeTelegramApi
    seen: list[str] = field(default_factory=list)  # what the assistant was given
    sent_sids: tuple[str, ...] = ()  # Twilio SIDs of replies sent before fuzzing (stable)
    fail_next_turns: int = 0  # the stand-in assistant raises this many times (Rasa down)

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def webchat(self, client: httpx.Client, sender: str, message: str,
                message_id: str | None = None) -> httpx.Response:
        payload: dict[str, Any] = {"sender": sender, "message": message}
        if message_id is not None:
            payload["message_id"] = message_id
        return client.post(self.url("/webhooks/webchat/webhook"), json=payload)

    def twilio_signed(self, client: httpx.Client, path: str,
                      params: dict[str, str]) -> httpx.Response:
        url = self.url(path)
        headers = sign_inbound(url, self.settings.twilio_auth_token, params)
        return client.post(url, data=params, headers=headers)

    def telegram_update(self, client: httpx.Client, update: Any) -> httpx.Response:
        return client.post(self.url("/webhooks/telegram/webhook"), json=update,
                           headers={"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET})

    def rows(self, sql: str, **params: object) -> list[Any]:
        from sqlalchemy import create_engine, text

        engine = create_engine(self.settings.database_url, future=True)
        try:
            with engine.connect() as conn:
                return list(conn.execute(text(sql), params).fetchall())
        finally:
            engine.dispose()


@contextlib.contextmanager
def running_channels(tmp: Path, **overrides: Any) -> Iterator[InProcessHotline]:
    """Start the blueprints the way Rasa mounts them (url_prefix /webhooks/<name>)."""
    from sanic import Sanic

    from bot.channels.telegram import TelegramInput
    from bot.channels.twilio_sms import TwilioInput
    from bot.channels.webchat import WebChatInput
    from bot.messaging.service import MessagingService
    from bot.store.migrate import upgrade

    twilio, telegram = FakeTwilioApi(timeout_sleep=2.0), FakeTelegramApi(timeout_sleep=2.0)
    twilio.start()
    telegram.start()
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    db = f"sqlite:///{tmp / f'hotline-{uuid.uuid4().hex[:8]}.db'}"
    upgrade(db)
    settings = Settings(
        database_url=db, secret_key="fuzz-secret-key-000", public_url=base_url,
        tracker_db=tmp / "tracker.db",
        twilio_account_sid=twilio.account_sid, twilio_auth_token=twilio.auth_token,
        twilio_from_number=TWILIO_FROM, twilio_api_base_url=twilio.url,
        telegram_bot_token=telegram.token, telegram_api_base_url=telegram.url,
        telegram_mode="webhook", telegram_webhook_secret=TELEGRAM_SECRET,
        outbox_rate_per_second=200, provider_timeout_seconds=2,
        outbox_backoff_base_seconds=0.1, outbox_backoff_max_seconds=0.5,
    )
    settings = replace(settings, **overrides)
    hotline = InProcessHotline(base_url, settings, twilio, telegram)

    async def assistant(message) -> None:  # type: ignore[no-untyped-def]
        if hotline.fail_next_turns > 0:
            hotline.fail_next_turns -= 1
            raise ConnectionError("the assistant is down")
        hotline.seen.append(message.text)
        await message.output_channel.send_text_message(message.sender_id,
                                                       f"echo:{message.text}"[:300])

    previous_test_mode = Sanic.test_mode
    Sanic.test_mode = True  # several apps in one process
    app = Sanic(f"inproc{uuid.uuid4().hex}")
    telegram_channel = TelegramInput(settings)
    for channel in (WebChatInput(settings), TwilioInput(settings), telegram_channel):
        app.blueprint(channel.blueprint(assistant), url_prefix=f"/webhooks/{channel.name()}")

    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="inproc-sanic", daemon=True)
    thread.start()

    async def start():  # type: ignore[no-untyped-def]
        server = await app.create_server(host="127.0.0.1", port=port,
                                         return_asyncio_server=True, access_log=False)
        await server.startup()
        await server.after_start()
        return server

    async def stop(server) -> None:  # type: ignore[no-untyped-def]
        await server.before_stop()
        server.close()
        await server.wait_closed()
        await MessagingService.for_settings(settings).worker.stop()

    server = asyncio.run_coroutine_threadsafe(start(), loop).result(timeout=30)
    try:
        yield hotline
    finally:
        try:
            asyncio.run_coroutine_threadsafe(stop(server), loop).result(timeout=30)
        finally:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout=10)
            if not thread.is_alive():
                loop.close()
            Sanic.test_mode = previous_test_mode
            twilio.stop()
            telegram.stop()
