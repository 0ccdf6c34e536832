"""Shared fixtures: the trained model and a running hotline (real Rasa + action server).

With HOTLINE_TEST_DATABASE set (scripts/test-services, `make test`'s second
pass) every hotline runs on its own PostgreSQL database, tracker store included
(tests/databases.py).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from tests.databases import database_for, drop_database, on_postgresql

ROOT = Path(__file__).resolve().parent.parent
# PostgreSQL databases of the hotlines started in this session (dropped at the end).
_hotline_databases: set[str] = set()
# Data key of every hotline the tests start (encryption at rest, docs/security-data.md).
TEST_DATA_KEY = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY="


def plain(value: str | None) -> str | None:
    """Decrypt a value read with raw SQL from an encrypted column."""
    from bot.store.crypto import Keyring

    return None if value is None else Keyring([TEST_DATA_KEY]).decrypt(value)


def model_path() -> Path:
    path = Path(os.environ.get("HOTLINE_MODEL", ROOT / "models" / "hotline.tar.gz"))
    if not path.exists():
        pytest.fail(f"no trained model at {path}: run `make model` (make test does it for you)")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class RunningHotline:
    base_url: str
    database_url: str
    log_path: Path
    process: subprocess.Popen
    # The web chat session token the server issued to each sender (X-Webchat-Session):
    # like a browser tab, each test sender keeps its own session.
    sessions: dict[str, str] = field(default_factory=dict)

    def _session_headers(self, sender: str) -> dict[str, str]:
        token = self.sessions.get(sender)
        return {"X-Webchat-Session": token} if token else {}

    def post(self, sender: str, message: str, message_id: str | None = None) -> list[dict]:
        payload = {"sender": sender, "message": message}
        if message_id:
            payload["message_id"] = message_id
        response = httpx.post(f"{self.base_url}/webhooks/webchat/webhook", json=payload,
                              headers=self._session_headers(sender), timeout=60)
        response.raise_for_status()
        self.sessions[sender] = response.headers["X-Webchat-Session"]
        return response.json()

    def updates(self, sender: str) -> httpx.Response:
        """Poll /updates as this sender's session (what the page does every few seconds)."""
        return httpx.post(f"{self.base_url}/webhooks/webchat/updates", json={"sender": sender},
                          headers=self._session_headers(sender), timeout=10)

    def texts(self, sender: str, message: str) -> list[str]:
        return [m["text"] for m in self.post(sender, message)]

    def rows(self, sql: str, **params: object) -> list:
        """Run a read-only query against the hotline's database."""
        from sqlalchemy import create_engine, text

        engine = create_engine(self.database_url, future=True)
        with engine.connect() as conn:
            result = conn.execute(text(sql), params).fetchall()
        engine.dispose()
        return result


def start_hotline(tmp: Path, extra_env: dict[str, str] | None = None,
                  port: int | None = None, *, wait_for_assistant: bool = True) -> RunningHotline:
    """Run `python -m bot run --no-train` (supervisord, the gateway, Rasa, actions, console).

    Returns once Rasa answers, or (`wait_for_assistant=False`) once the gateway does.
    """
    model_path()
    port, actions_port = port or free_port(), free_port()
    db_url = (extra_env or {}).get("HOTLINE_DATABASE_URL") or database_for(tmp)
    if on_postgresql():
        _hotline_databases.add(db_url)
        # Rasa's tracker store shares the PostgreSQL database (Settings.tracker_url).
        tracker_env = {}
    else:
        tracker_env = {"HOTLINE_TRACKER_DB": str(tmp / "tracker.db")}
    env = {
        **os.environ,
        "HOTLINE_PORT": str(port),
        "HOTLINE_ACTIONS_PORT": str(actions_port),
        "HOTLINE_CONSOLE_PORT": str(free_port()),
        "HOTLINE_DATABASE_URL": db_url,
        **tracker_env,
        "HOTLINE_SECRET_KEY": "integration-test-key",
        "HOTLINE_DATA_KEYS": TEST_DATA_KEY,
        "HOTLINE_PUBLIC_URL": f"http://127.0.0.1:{port}",
        **(extra_env or {}),
    }
    log_path = tmp / "hotline.log"
    log = log_path.open("ab")
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--no-train"], cwd=ROOT, env=env,
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    base_url = f"http://127.0.0.1:{port}"
    hotline = RunningHotline(base_url, db_url, log_path, process)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"hotline exited early:\n{log_path.read_text()[-4000:]}")
        try:
            # The gateway answers at once; wait until Rasa behind it has its model loaded.
            health = httpx.get(f"{base_url}/health", timeout=5)
            if health.status_code == 200 and not wait_for_assistant:
                return hotline
            if health.status_code != 200 or health.json().get("assistant") != "up":
                time.sleep(1)
                continue
            # A throwaway conversation proves Rasa and the action server both answer.
            r = httpx.post(f"{base_url}/webhooks/webchat/webhook",
                           json={"sender": "readiness-probe", "message": "hi"}, timeout=30)
            if r.status_code == 200 and r.json():
                return hotline
        except httpx.HTTPError:
            pass
        time.sleep(1)
    stop_hotline(hotline)
    pytest.fail(f"hotline not ready in time:\n{log_path.read_text()[-4000:]}")


def wait_for(predicate, timeout: float = 30, what: str = "condition"):  # type: ignore[no-untyped-def]
    """Poll until predicate() returns something truthy; return it, or fail the test."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


def descendants(pid: int) -> list[int]:
    """All processes below pid (from /proc), children first in the list order found."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = [], [pid]
    while frontier:
        current = frontier.pop()
        kids = [p for p, ppid in parents.items() if ppid == current]
        found.extend(kids)
        frontier.extend(kids)
    return found


def kill_tree(pid: int) -> None:
    """SIGKILL a process and everything it started: a crash, not a shutdown."""
    for target in [pid, *descendants(pid)]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(target, signal.SIGKILL)


def stop_hotline(hotline: RunningHotline) -> int | None:
    if hotline.process.poll() is None:
        hotline.process.send_signal(signal.SIGINT)
        try:
            hotline.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(hotline.process.pid, signal.SIGKILL)
            hotline.process.wait()
    return hotline.process.returncode


TWILIO_FROM = "+15005550006"


def twilio_env(fake) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Settings that point the hotline's real twilio Client at a FakeTwilioApi."""
    return {
        "TWILIO_ACCOUNT_SID": fake.account_sid,
        "TWILIO_AUTH_TOKEN": fake.auth_token,
        "TWILIO_FROM_NUMBER": TWILIO_FROM,
        "TWILIO_API_BASE_URL": fake.url,
        "HOTLINE_OUTBOX_RATE_PER_SECOND": "50",
        "HOTLINE_OUTBOX_BACKOFF_BASE_SECONDS": "0.2",
        "HOTLINE_OUTBOX_BACKOFF_MAX_SECONDS": "1",
        "HOTLINE_PROVIDER_TIMEOUT_SECONDS": "2",
        "HOTLINE_OUTBOX_LEASE_SECONDS": "5",
    }


@pytest.fixture(scope="session", autouse=True)
def _drop_hotline_databases() -> Iterator[None]:
    """PostgreSQL pass: drop the hotlines' databases once every hotline has stopped."""
    yield
    for url in sorted(_hotline_databases):
        drop_database(url)
    _hotline_databases.clear()


@pytest.fixture(scope="session")
def fake_twilio() -> Iterator:
    from tests.fakes.twilio_api import FakeTwilioApi

    fake = FakeTwilioApi(timeout_sleep=5.0)
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def fake_tg() -> Iterator:
    """A local server speaking the Telegram Bot API (one per test module)."""
    from tests.fakes.telegram_api import FakeTelegramApi

    fake = FakeTelegramApi(timeout_sleep=5.0)
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def hotline(tmp_path_factory: pytest.TempPathFactory, fake_twilio) -> Iterator[RunningHotline]:
    running = start_hotline(tmp_path_factory.mktemp("hotline"), twilio_env(fake_twilio))
    yield running
    stop_hotline(running)


# --- The PostgreSQL pass runs what reaches a database ------------------------------
# `make test` runs everything on SQLite first; its second pass (scripts/test-services)
# repeats only the tests whose outcome can depend on the database backend. A test
# reaches a database when its module or one of its fixtures names one of these (a
# fixture that starts a hotline or hands out a store). Tests marked `one_backend`
# (browser pages, process timing, the evaluation harness) or `supervision` reach one
# but check nothing the backend changes. A new test is kept unless it names none of
# these: the rule errs towards running more.
_DATABASE_WORDS = ("db_url", "migrated_database", "database_for", "create_database",
                   "start_hotline", "get_engine", "database_url", "HOTLINE_DATABASE_URL",
                   "bot.store", "hotline_db", "store_url", "start_gateway")
_reaches: dict[object, bool] = {}


def _names_a_database(obj: object) -> bool:
    import inspect

    if obj not in _reaches:
        try:
            source = inspect.getsource(obj)  # type: ignore[arg-type]
        except (OSError, TypeError):
            source = ""
        _reaches[obj] = any(word in source for word in _DATABASE_WORDS)
    return _reaches[obj]


def _reaches_a_database(item: pytest.Item) -> bool:
    module = getattr(item, "module", None)
    if module is not None and _names_a_database(module):
        return True
    info = getattr(item, "_fixtureinfo", None)
    for defs in (info.name2fixturedefs.values() if info else ()):
        if any(_names_a_database(d.func) for d in defs):
            return True
    return False


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not on_postgresql():
        return
    kept, left = [], []
    for item in items:
        neutral = item.get_closest_marker("one_backend") or item.get_closest_marker("supervision")
        (left if neutral or not _reaches_a_database(item) else kept).append(item)
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept
