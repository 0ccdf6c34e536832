"""One texter's turn (send a message, wait for every reply) over each front door:
signed Twilio webhooks into the hotline, or Rasa's own REST channel."""

from __future__ import annotations

import asyncio
import itertools
import time
from dataclasses import dataclass
from urllib.parse import urlencode

import httpx
from sqlalchemy import bindparam, text

from bench.provider import TimedTwilioApi
from bench.stack import TWILIO_FROM
from tests.fakes.twilio_api import inbound_sms_params, sign_inbound

TURN_TIMEOUT = 120.0


@dataclass
class Turn:
    """What one message cost. Times are seconds from the phase start (monotonic)."""

    script: str
    sent_at: float
    ack: float | None = None  # webhook (or REST call) answered
    first_reply: float | None = None  # first reply at the provider (REST: response)
    last_reply: float | None = None  # every reply of the turn at the provider
    replies: int = 0
    expected: int | None = None  # replies the hotline stored (outbox rows)
    error: str | None = None
    address: str = ""
    message_id: str = ""

    @property
    def complete(self) -> bool:
        return self.error is None and self.last_reply is not None


class InboxWatcher:
    """Learns when an inbound SMS is processed and how many replies it has, by polling the
    hotline's database (one query for every waiting texter, every `poll` seconds)."""

    QUERY = text(
        "select i.provider_message_id, i.status,"
        " (select count(*) from outbound_messages o where o.inbound_id = i.id"
        "  and o.status not in ('cancelled', 'suppressed', 'expired'))"
        " from inbound_messages i where i.channel = 'twilio'"
        " and i.provider_message_id in :sids"
    ).bindparams(bindparam("sids", expanding=True))

    def __init__(self, database_url: str, poll: float = 0.1) -> None:
        from bot.store.db import make_engine

        self.engine = make_engine(database_url)
        self.poll = poll
        self._waiting: dict[str, asyncio.Future[int]] = {}
        self.queries = 0

    def expect(self, message_id: str) -> asyncio.Future[int]:
        future = asyncio.get_running_loop().create_future()
        self._waiting[message_id] = future
        return future

    def _processed(self, sids: list[str]) -> dict[str, int]:
        with self.engine.connect() as conn:
            rows = conn.execute(self.QUERY, {"sids": sids}).fetchall()
        return {sid: count for sid, status, count in rows if status == "processed"}

    async def run(self) -> None:
        while True:
            for sid in [s for s, f in self._waiting.items() if f.done()]:
                del self._waiting[sid]
            if self._waiting:
                done = await asyncio.to_thread(self._processed, list(self._waiting))
                self.queries += 1
                for sid, count in done.items():
                    future = self._waiting.pop(sid, None)
                    if future is not None and not future.done():
                        future.set_result(count)
            await asyncio.sleep(self.poll)


class SmsDriver:
    """Signed inbound-SMS webhooks (twilio's RequestValidator); replies at the fake."""

    name = "hotline"

    def __init__(self, base_url: str, fake: TimedTwilioApi, watcher: InboxWatcher,
                 client: httpx.AsyncClient, t0: float, first_number: int = 1) -> None:
        self.url = f"{base_url}/webhooks/twilio/webhook"
        self.fake = fake
        self.watcher = watcher
        self.client = client
        self.t0 = t0
        # Each phase of a run texts from its own numbers (the fake provider is shared).
        self._numbers = itertools.count(first_number)

    def new_address(self) -> str:
        return f"+1555{next(self._numbers):07d}"

    async def turn(self, address: str, body: str, script: str) -> Turn:
        params = inbound_sms_params(address, body, to=TWILIO_FROM,
                                    account_sid=self.fake.account_sid)
        headers = sign_inbound(self.url, self.fake.auth_token, params)
        before = len(self.fake.arrivals(address))
        start = time.monotonic()
        turn = Turn(script, start - self.t0, address=address,
                    message_id=params["MessageSid"])
        processed = self.watcher.expect(params["MessageSid"])
        try:
            response = await self.client.post(self.url, content=urlencode(params),
                                              headers=headers)
            turn.ack = time.monotonic() - start
            if response.status_code != 200:
                processed.cancel()
                turn.error = f"HTTP {response.status_code}"
                return turn
            turn.expected = await asyncio.wait_for(processed, TURN_TIMEOUT)
            times = await self.fake.wait_count(address, before + turn.expected,
                                               TURN_TIMEOUT - (time.monotonic() - start))
        except (httpx.HTTPError, TimeoutError, asyncio.TimeoutError) as exc:
            processed.cancel()
            turn.error = type(exc).__name__
            return turn
        mine = times[before:]
        turn.replies = len(mine)
        done = mine[-1] if mine else time.monotonic()
        turn.first_reply = (mine[0] if mine else done) - start
        turn.last_reply = done - start
        return turn


class RestDriver:
    """Rasa's own REST channel: the replies come back in the HTTP response."""

    name = "raw-rasa"

    def __init__(self, base_url: str, client: httpx.AsyncClient, t0: float,
                 first_sender: int = 1) -> None:
        self.url = f"{base_url}/webhooks/rest/webhook"
        self.client = client
        self.t0 = t0
        self._senders = itertools.count(first_sender)

    def new_address(self) -> str:
        return f"bench-{next(self._senders):07d}"

    async def turn(self, address: str, body: str, script: str) -> Turn:
        start = time.monotonic()
        turn = Turn(script, start - self.t0, address=address)
        try:
            response = await self.client.post(self.url, json={"sender": address,
                                                              "message": body},
                                              timeout=TURN_TIMEOUT)
        except httpx.HTTPError as exc:
            turn.error = type(exc).__name__
            return turn
        elapsed = time.monotonic() - start
        turn.ack = elapsed
        if response.status_code != 200:
            turn.error = f"HTTP {response.status_code}"
            return turn
        turn.replies = turn.expected = len(response.json())
        turn.first_reply = turn.last_reply = elapsed
        return turn
