"""The gateway's side of the internal channel: hand one turn to Rasa, wait as long as it takes.

`RasaClient.handle` has the signature of Rasa's `on_new_message`, so the router
and the channel adapters do not know whether Rasa runs in this process or
behind the internal channel. While Rasa is starting, reloading or down, the
call keeps retrying with backoff (the router holds the conversation's lock, so
the conversation's later messages wait behind it, in order). Every retry says
which attempt it is; Rasa's side answers a turn it already applied from the
tracker instead of running it twice.
"""

from __future__ import annotations

import asyncio
import logging
import random
from typing import Any

import httpx

from bot.gateway.protocol import HEALTH_PATH, PATH, SECRET_HEADER
from bot.messaging.turn import UserMessage

logger = logging.getLogger(__name__)


class RasaUnavailable(Exception):
    """Rasa did not answer this attempt (refused, timed out, 5xx, model not loaded)."""


class RasaClient:
    def __init__(self, base_url: str, secret: str, *, turn_timeout: float = 120.0,
                 backoff_start: float = 0.2, backoff_max: float = 5.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.secret = secret
        self.turn_timeout = turn_timeout
        self.backoff_start = backoff_start
        self.backoff_max = backoff_max
        self._client: httpx.AsyncClient | None = None
        self.available = True  # last attempt's outcome, for the router's outage path

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(
                timeout=httpx.Timeout(self.turn_timeout, connect=2.0),
                limits=httpx.Limits(max_connections=64, max_keepalive_connections=16,
                                    keepalive_expiry=4.0),  # < Rasa's side (10 s)
                trust_env=False)  # loopback: never through an HTTP proxy
        return self._client

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def ready(self) -> bool:
        """Rasa is up and its model loaded (a quick look, for /health)."""
        try:
            response = await self._http().get(f"{self.base_url}{HEALTH_PATH}", timeout=2.0)
        except httpx.HTTPError:
            return False
        return response.status_code == 200

    async def attempt(self, message: UserMessage, attempt: int) -> list[dict[str, Any]]:
        """One try; raises RasaUnavailable when Rasa could not run the turn now."""
        payload = {"sender": message.sender_id, "message": message.text,
                   "message_id": message.message_id, "input_channel": message.input_channel,
                   "attempt": attempt, "metadata": message.metadata or {}}
        headers = {SECRET_HEADER: self.secret}
        if attempt > 1:
            # A retry does not keep its connection: a Rasa that is stopping answers
            # 503 and can only finish once its keep-alive connections are gone.
            headers["Connection"] = "close"
        try:
            response = await self._http().post(f"{self.base_url}{PATH}", json=payload,
                                               headers=headers)
        except httpx.HTTPError as exc:
            raise RasaUnavailable(type(exc).__name__) from None
        if response.status_code == 403:
            # A wrong secret is a set-up error, not an outage; retrying still waits safely.
            logger.error("the internal channel refused the gateway's secret")
            raise RasaUnavailable("forbidden")
        if response.status_code >= 500 or response.status_code == 429:
            raise RasaUnavailable(f"HTTP {response.status_code}")
        if response.status_code != 200:
            raise ValueError(f"internal channel answered HTTP {response.status_code}")
        return list(response.json().get("messages") or [])

    async def handle(self, message: UserMessage) -> None:
        """Run the turn, retrying until Rasa answers; replies go to the message's collector."""
        attempt, delay = 1, self.backoff_start
        while True:
            try:
                messages = await self.attempt(message, attempt)
                break
            except RasaUnavailable as exc:
                if self.available:
                    logger.warning("Rasa unavailable (%s); turn %s waits and retries",
                                   exc, message.message_id)
                self.available = False
                await asyncio.sleep(delay * (0.5 + random.random()))
                attempt, delay = attempt + 1, min(self.backoff_max, delay * 2)
        if not self.available:
            logger.info("Rasa answers again (turn %s after %d attempts)", message.message_id,
                        attempt)
        self.available = True
        for m in messages:
            if m.get("text"):
                await message.output_channel.send_text_message(message.sender_id, m["text"])
