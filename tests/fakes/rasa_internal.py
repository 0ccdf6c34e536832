"""A stand-in for Rasa's side of the internal channel (bot/gateway/internal_channel.py).

For tests whose point is the gateway (ordering, routing to workers), not NLU:
a real gateway process talks to this over loopback exactly as it talks to Rasa
(`POST /webhooks/internal/turn` with the shared secret, `GET .../health`).
It records every turn in the order it arrived and notices when two turns of
one conversation overlap (the gateway must never do that).

    with FakeRasaInternal(secret) as rasa:
        ...  # point HOTLINE_RASA_URL at rasa.url
        assert [t.message_id for t in rasa.turns] == [...]
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from ._server import FakeHttpServer, Request, Response

TURN_PATH = "/webhooks/internal/turn"
HEALTH_PATH = "/webhooks/internal/health"


@dataclass(frozen=True)
class Turn:
    sender: str
    message_id: str
    text: str
    attempt: int
    at: float


class FakeRasaInternal(FakeHttpServer):
    """Answers turns with `reply(turn)` (default: no messages) after `turn_seconds`."""

    name = "fake-rasa-internal"

    def __init__(self, secret: str, *, name: str = "rasa", turn_seconds: float = 0.002,
                 reply: Callable[[Turn], list[str]] | None = None, port: int = 0) -> None:
        super().__init__(port=port)
        self.secret = secret
        self.worker_name = name
        self.turn_seconds = turn_seconds
        self.reply = reply or (lambda turn: [])
        self._turns: list[Turn] = []
        self._running: dict[str, int] = {}
        self.overlaps: list[str] = []  # message ids that started while their sender had a turn

    @property
    def turns(self) -> list[Turn]:
        with self._lock:
            return list(self._turns)

    def _dispatch(self, request: Request) -> Response:
        if request.path == HEALTH_PATH and request.method == "GET":
            return Response(200, {"ready": True})
        if request.path != TURN_PATH or request.method != "POST":
            return Response(404, {"error": "not found"})
        if request.header("X-Hotline-Internal") != self.secret:
            return Response(403, {"error": "forbidden"})
        body = request.json or {}
        turn = Turn(body["sender"], body["message_id"], body["message"],
                    int(body.get("attempt", 1)), time.monotonic())
        with self._lock:
            self._turns.append(turn)
            if self._running.get(turn.sender):
                self.overlaps.append(turn.message_id)
            self._running[turn.sender] = self._running.get(turn.sender, 0) + 1
        try:
            time.sleep(self.turn_seconds)
            texts = self.reply(turn)
        finally:
            with self._lock:
                self._running[turn.sender] -= 1
        return Response(200, {"messages": [{"text": t} for t in texts], "replayed": False})

    def _error_response(self, status: int) -> Response:
        return Response(status, {"error": status})
