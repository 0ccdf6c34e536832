"""The local Twilio-like API (tests/fakes/twilio_api.py) with arrival times per recipient,
so a simulated texter can wait for its replies the way a phone would receive them."""

from __future__ import annotations

import asyncio
import threading
import time
from collections import defaultdict

from tests.fakes._server import Request, Response
from tests.fakes.twilio_api import FakeTwilioApi


class TimedTwilioApi(FakeTwilioApi):
    """Records when each accepted message arrived (time.monotonic) and wakes waiters."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__(timeout_sleep=5.0)
        self._loop = loop
        self._arrivals: dict[str, list[float]] = defaultdict(list)
        self._arrivals_lock = threading.Lock()
        self._events: dict[str, asyncio.Event] = {}

    def _create(self, request: Request) -> Response | object:
        response = super()._create(request)
        if isinstance(response, Response) and response.status == 201:
            to = request.param("To") or ""
            with self._arrivals_lock:
                self._arrivals[to].append(time.monotonic())
            self._loop.call_soon_threadsafe(self._notify, to)
        return response

    def _notify(self, to: str) -> None:
        event = self._events.get(to)
        if event is not None:
            event.set()

    def arrivals(self, to: str) -> list[float]:
        with self._arrivals_lock:
            return list(self._arrivals.get(to, ()))

    def counts(self) -> dict[str, int]:
        """Messages received per recipient."""
        with self._arrivals_lock:
            return {to: len(times) for to, times in self._arrivals.items()}

    def total(self) -> int:
        with self._arrivals_lock:
            return sum(len(times) for times in self._arrivals.values())

    async def wait_count(self, to: str, count: int, timeout: float) -> list[float]:
        """Arrival times for `to` once at least `count` arrived (TimeoutError otherwise)."""
        event = self._events.setdefault(to, asyncio.Event())
        deadline = time.monotonic() + timeout
        while True:
            event.clear()
            times = self.arrivals(to)
            if len(times) >= count:
                return times
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"{count} replies not received in {timeout:.0f} s")
            try:
                await asyncio.wait_for(event.wait(), remaining)
            except asyncio.TimeoutError:
                continue

    def forget(self, to: str) -> None:
        self._events.pop(to, None)
