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


def test_a_conversation_always_has_the_same_worker_and_the_workers_share_the_load() -> None:
    from bot.gateway.workers import worker_index

    ids = [f"conv-{i}" for i in range(2000)]
    first = [worker_index(c, 2) for c in ids]
    assert first == [worker_index(c, 2) for c in ids]  # stable: not Python's salted hash()
    assert worker_index("conv-1", 2) == worker_index("conv-1", 2)
    assert 900 < first.count(0) < 1100
    assert {worker_index(c, 1) for c in ids} == {0}
    assert {worker_index(c, 3) for c in ids} == {0, 1, 2}


def test_workers_route_each_turn_to_its_conversations_worker() -> None:
    from bot.gateway.workers import RasaWorkers, worker_index

    fakes = [FakeInternalChannel(), FakeInternalChannel()]
    for fake in fakes:
        fake.start()
    workers = RasaWorkers.for_urls([f.url for f in fakes], SECRET)
    senders = [f"conv-{i}" for i in range(40)]

    async def scenario() -> None:
        for round_ in range(3):
            for sender in senders:
                message = UserMessage("hi", CollectingOutputChannel(), sender_id=sender,
                                      input_channel="twilio",
                                      message_id=f"twilio-{sender}-{round_}")
                await workers.handle(message)
                assert message.output_channel.messages[0]["text"] == "echo:hi"
        assert await workers.ready() == [False, False]  # the fakes have no health route
        await workers.close()

    try:
        asyncio.run(scenario())
    finally:
        for fake in fakes:
            fake.stop()
    seen = [{r.json["sender"] for r in fake.requests if r.json} for fake in fakes]
    assert seen[0] and seen[1] and not seen[0] & seen[1]  # both serve, never the same one
    for i, fake in enumerate(fakes):
        assert all(worker_index(s, 2) == i for s in seen[i])
        assert len([r for r in fake.requests if r.json]) == 3 * len(seen[i])


def test_several_rasa_workers_are_programs_of_one_group_on_their_own_ports(tmp_path) -> None:
    from pathlib import Path

    from bot.cli import programs_for

    programs = programs_for(Path("/tmp/endpoints.yml"), [7001, 7002])
    names = [p.name for p in programs]
    assert "rasa" not in names and {"rasa-0", "rasa-1", "gateway", "actions",
                                    "console"} <= set(names)
    text = config_text(programs, Path("/opt/hotline"), tmp_path / "s.sock")
    parser = configparser.RawConfigParser()
    parser.read_string(text)
    assert parser["group:rasa"]["programs"] == "rasa-0,rasa-1"
    assert int(parser["group:rasa"]["priority"]) > int(parser["program:gateway"]["priority"])
    assert parser["program:rasa-0"]["command"].endswith("--port 7001")
    assert parser["program:rasa-1"]["command"].endswith("--port 7002")
    single = [p.name for p in programs_for(Path("/tmp/endpoints.yml"), [7001])]
    assert "rasa" in single and "rasa-0" not in single


def test_worker_settings() -> None:
    import pytest

    from bot.cli import internal_channel_env, rasa_worker_ports
    from bot.config import Settings

    settings = Settings.from_env({"HOTLINE_RASA_WORKERS": "3", "HOTLINE_RASA_PORT": "7100"})
    assert rasa_worker_ports(settings) == [7100, 7101, 7102]
    env = internal_channel_env(settings, [7100, 7101, 7102])
    assert Settings.from_env(env).rasa_urls == [
        "http://127.0.0.1:7100", "http://127.0.0.1:7101", "http://127.0.0.1:7102"]
    assert Settings.from_env({}).rasa_workers == 1
    assert len(set(rasa_worker_ports(Settings.from_env({"HOTLINE_RASA_WORKERS": "2"})))) == 2
    for bad in ("0", "17"):
        with pytest.raises(ValueError, match="HOTLINE_RASA_WORKERS"):
            Settings.from_env({"HOTLINE_RASA_WORKERS": bad})
