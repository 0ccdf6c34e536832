"""The driver against a small local web chat server over real HTTP.

The server is a stand-in for the hotline's web chat (like tests/fakes): it issues an
X-Webchat-Session token on the first answer, records what each request carried, and
hands out one "later" message through /updates.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from evaluation.cases import load_sets
from evaluation.driver import SESSION_HEADER, run_all, run_case

SAMPLE = Path(__file__).parent / "sample"


class FakeWebchat(ThreadingHTTPServer):
    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[dict] = []
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: FakeWebchat

    def log_message(self, *args: object) -> None:   # keep test output quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        with self.server.lock:
            self.server.requests.append({"path": self.path, "body": None,
                                         "session": self.headers.get(SESSION_HEADER)})
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.send_header("Set-Cookie", "page=seen; Path=/")
        self.end_headers()

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        with self.server.lock:
            self.server.requests.append({"path": self.path, "body": body,
                                         "session": self.headers.get(SESSION_HEADER),
                                         "cookie": self.headers.get("Cookie")})
        sender = body["sender"]
        if self.path.endswith("/webhook"):
            if body["message"] == "boom":
                self.send_response(500)
                self.end_headers()
                return
            replies = [{"text": f"echo {body['message']}"}]
        else:
            replies = [{"text": "later message"}] if body.get("sender") else []
        data = json.dumps(replies).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header(SESSION_HEADER, f"token-for-{sender}")
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def webchat() -> Iterator[FakeWebchat]:
    server = FakeWebchat()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_each_turn_collects_the_answer_and_one_poll_and_echoes_the_session(webchat):
    conversation = load_sets(SAMPLE).cases[3]
    turns = run_case(webchat.url, conversation, poll_delay=0)
    assert [t.replies for t in turns] == [[f"echo {t.text}", "later message"]
                                          for t in conversation.turns]
    assert all(t.error is None for t in turns)
    paths = [r["path"] for r in webchat.requests]
    assert paths == ["/webhooks/webchat/",
                     *["/webhooks/webchat/webhook", "/webhooks/webchat/updates"] * 4]
    assert webchat.requests.pop(0)["session"] is None          # the page, as a browser
    assert {r["cookie"] for r in webchat.requests} == {"page=seen"}   # cookies persist
    senders = {r["body"]["sender"] for r in webchat.requests}
    assert len(senders) == 1
    sender = senders.pop()
    # No token before the server sent one; the server's token on every later request.
    assert webchat.requests[0]["session"] is None
    assert {r["session"] for r in webchat.requests[1:]} == {f"token-for-{sender}"}
    message_ids = [r["body"]["message_id"] for r in webchat.requests if "message" in r["body"]]
    assert len(set(message_ids)) == 4


def test_every_case_is_a_new_texter_and_results_keep_case_order(webchat):
    cases = load_sets(SAMPLE).cases
    results = run_all(webchat.url, cases, concurrency=3, poll_delay=0)
    assert [r[0].replies[0] for r in results] == [f"echo {c.turns[0].text}" for c in cases]
    senders = {r["body"]["sender"] for r in webchat.requests if r["body"]}
    assert len(senders) == len(cases)


def test_a_failing_request_is_recorded_not_raised(webchat):
    from evaluation.cases import Case, Turn

    case = Case("x", "tiny", "en", "tip", (Turn("boom", "tip"),))
    [turn] = run_case(webchat.url, case, poll_delay=0)
    assert turn.replies == [] and turn.error == "HTTPStatusError 500"
