"""Send the blind cases end to end through the web chat, as a texter's browser would.

Each case is a new texter: a fresh `sender` and its own httpx.Client that first loads the
chat page, as a browser does, so cookies (and a server-issued `X-Webchat-Session` token,
echoed back on later requests) stay with that texter. After each turn the driver polls
/updates once, briefly, because replies an advocate or the queue sends later arrive there
instead of in the webhook's answer.
"""

from __future__ import annotations

import contextlib
import sys
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import httpx

from evaluation.cases import Case

SESSION_HEADER = "X-Webchat-Session"
REQUEST_TIMEOUT = 120.0
POLL_DELAY = 0.3


@dataclass
class TurnReplies:
    replies: list[str] = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0


class WebchatTexter:
    """One texter's web chat session against a running hotline."""

    def __init__(self, base_url: str, client: httpx.Client | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.sender = f"eval-{uuid.uuid4().hex}"
        self.client = client or httpx.Client(timeout=REQUEST_TIMEOUT)
        self.session_token: str | None = None

    def close(self) -> None:
        self.client.close()

    def _remember(self, response: httpx.Response) -> None:
        token = response.headers.get(SESSION_HEADER)
        if token:
            self.session_token = token

    def open_page(self) -> None:
        """Load the chat page (cookies, a session token); a missing page is no error."""
        with contextlib.suppress(httpx.HTTPError):
            self._remember(self.client.get(f"{self.base_url}/webhooks/webchat/"))

    def _post(self, path: str, payload: dict) -> list[str]:
        headers = {SESSION_HEADER: self.session_token} if self.session_token else {}
        response = self.client.post(f"{self.base_url}/webhooks/webchat/{path}", json=payload,
                                    headers=headers)
        self._remember(response)
        response.raise_for_status()
        body = response.json()
        return [m["text"] for m in body if isinstance(m, dict) and isinstance(m.get("text"), str)]

    def send(self, text: str, poll_delay: float = POLL_DELAY) -> TurnReplies:
        started = time.monotonic()
        turn = TurnReplies()
        try:
            turn.replies = self._post("webhook", {"sender": self.sender, "message": text,
                                                  "message_id": uuid.uuid4().hex})
            time.sleep(poll_delay)
            turn.replies += self._post("updates", {"sender": self.sender})
        except (httpx.HTTPError, ValueError) as exc:
            status = getattr(getattr(exc, "response", None), "status_code", None)
            turn.error = f"{exc.__class__.__name__}{f' {status}' if status else ''}"
        turn.seconds = time.monotonic() - started
        return turn


def run_case(base_url: str, case: Case, poll_delay: float = POLL_DELAY) -> list[TurnReplies]:
    """Every turn of the case, in order, from one new texter."""
    texter = WebchatTexter(base_url)
    try:
        texter.open_page()
        return [texter.send(turn.text, poll_delay) for turn in case.turns]
    finally:
        texter.close()


def run_all(base_url: str, cases: Sequence[Case], concurrency: int = 3,
            poll_delay: float = POLL_DELAY,
            progress: Callable[[int, int], None] | None = None) -> list[list[TurnReplies]]:
    """All cases with at most `concurrency` texters at a time; results in case order."""
    done = 0
    lock = threading.Lock()

    def one(case: Case) -> list[TurnReplies]:
        nonlocal done
        result = run_case(base_url, case, poll_delay)
        with lock:
            done += 1
            if progress:
                progress(done, len(cases))
        return result

    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        return list(pool.map(one, cases))


def print_progress(done: int, total: int) -> None:
    if done == total or done % 50 == 0:
        print(f"  {done}/{total} cases sent", file=sys.stderr, flush=True)
