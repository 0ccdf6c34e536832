"""The gateway's internal-channel client and the supervisord configuration.

The client talks real HTTP to a local stand-in for Rasa's internal channel
(tests/fakes/_server.FakeHttpServer) that is down, then overloaded, then answers.
"""

from __future__ import annotations

import asyncio
import configparser

from bot.gateway.internal_channel import replies_after
from bot.gateway.protocol import PATH, SECRET_HEADER, secret_matches
from bot.gateway.rasa_client import RasaClient
from bot.messaging.turn import CollectingOutputChannel, UserMessage
from bot.supervise import Program, config_text
from tests.fakes._server import FakeHttpServer, Request, Response

SECRET = "s" * 40


class FakeInternalChannel(FakeHttpServer):
    name = "fake-internal"

    def __init__(self, busy: int = 0) -> None:
        super().__init__(timeout_sleep=1.0)
        self.busy = busy

    def _dispatch(self, request: Request) -> Response:
        if request.path != PATH or request.header(SECRET_HEADER) != SECRET:
            return Response(403, {"error": "forbidden"})
        if self.busy > 0:
            self.busy -= 1
            return Response(503, {"error": "model not loaded"})
        return Response(200, {"messages": [{"text": f"echo:{request.json['message']}"}],
                              "replayed": request.json["attempt"] > 1})


def _message(text: str) -> UserMessage:
    return UserMessage(text, CollectingOutputChannel(), sender_id="conv-1",
                       input_channel="twilio", message_id="twilio-7")


def test_client_waits_through_an_outage_and_counts_attempts() -> None:
    fake = FakeInternalChannel(busy=2)
    fake.start()
    fake.set_mode("down")
    client = RasaClient(fake.url, SECRET, backoff_start=0.05, backoff_max=0.1)
    message = _message("hola")

    async def scenario() -> None:
        turn = asyncio.ensure_future(client.handle(message))
        await asyncio.sleep(0.5)
        assert not turn.done() and client.available is False  # refused: still waiting
        fake.set_mode("ok")  # back, but answers 503 twice (model loading)
        await asyncio.wait_for(turn, timeout=10)
        await client.close()

    try:
        asyncio.run(scenario())
    finally:
        fake.stop()
    assert [m["text"] for m in message.output_channel.messages] == ["echo:hola"]
    assert client.available is True
    attempts = [r.json["attempt"] for r in fake.requests if r.json]
    assert attempts == list(range(attempts[0], attempts[0] + len(attempts)))
    assert len(attempts) >= 3 and {r.json["message_id"] for r in fake.requests if r.json} == {
        "twilio-7"}


def test_secret_comparison_refuses_short_or_missing_secrets() -> None:
    assert secret_matches(SECRET, SECRET)
    assert not secret_matches(SECRET, SECRET[:-1] + "x")
    assert not secret_matches(SECRET, None)
    assert not secret_matches("short", "short")  # a weak secret never authenticates
    assert not secret_matches("", "")


def test_replay_finds_the_replies_of_an_applied_turn() -> None:
    events = [
        {"event": "user", "message_id": "twilio-6", "text": "hi"},
        {"event": "bot", "text": "hello"},
        {"event": "user", "message_id": "twilio-7", "text": "help"},
        {"event": "action", "name": "x"},
        {"event": "bot", "text": "first\n\nsecond"},
        {"event": "bot", "text": "third"},
        {"event": "user", "message_id": "twilio-8", "text": "more"},
        {"event": "bot", "text": "not this"},
    ]
    assert replies_after(events, "twilio-7") == [{"text": "first"}, {"text": "second"},
                                                 {"text": "third"}]
    assert replies_after(events, "twilio-9") is None


def test_supervisord_config_restarts_children_and_keeps_values_out() -> None:
    from pathlib import Path

    text = config_text([Program("gateway", ["/venv/python", "-m", "bot.gateway", "50%"], 10),
                        Program("rasa", ["/venv/python", "-m", "rasa", "run"], 30)],
                       Path("/opt/hotline"), Path("/opt/hotline/var/run/s.sock"))
    parser = configparser.RawConfigParser()
    parser.read_string(text)
    gateway = parser["program:gateway"]
    assert gateway["autorestart"] == "true" and int(gateway["startretries"]) >= 100
    assert gateway["command"].endswith("50%%")  # supervisord would expand a bare %
    assert int(gateway["priority"]) < int(parser["program:rasa"]["priority"])
    assert parser["unix_http_server"]["chmod"] == "0700"
    assert "environment" not in gateway  # secrets pass by inheritance, never in the file
