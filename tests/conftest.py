"""Shared fixtures: the trained model and a running hotline (real Rasa + action server)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent


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

    def post(self, sender: str, message: str, message_id: str | None = None) -> list[dict]:
        payload = {"sender": sender, "message": message}
        if message_id:
            payload["message_id"] = message_id
        response = httpx.post(f"{self.base_url}/webhooks/webchat/webhook", json=payload,
                              timeout=60)
        response.raise_for_status()
        return response.json()

    def texts(self, sender: str, message: str) -> list[str]:
        return [m["text"] for m in self.post(sender, message)]


def start_hotline(tmp: Path, extra_env: dict[str, str] | None = None) -> RunningHotline:
    model_path()
    port, actions_port = free_port(), free_port()
    db_url = f"sqlite:///{tmp / 'hotline.db'}"
    env = {
        **os.environ,
        "HOTLINE_PORT": str(port),
        "HOTLINE_ACTIONS_PORT": str(actions_port),
        "HOTLINE_DATABASE_URL": db_url,
        "HOTLINE_TRACKER_DB": str(tmp / "tracker.db"),
        "HOTLINE_SECRET_KEY": "integration-test-key",
        **(extra_env or {}),
    }
    log_path = tmp / "hotline.log"
    log = log_path.open("wb")
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


def stop_hotline(hotline: RunningHotline) -> int | None:
    if hotline.process.poll() is None:
        hotline.process.send_signal(signal.SIGINT)
        try:
            hotline.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(hotline.process.pid, signal.SIGKILL)
            hotline.process.wait()
    return hotline.process.returncode


@pytest.fixture(scope="session")
def hotline(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningHotline]:
    running = start_hotline(tmp_path_factory.mktemp("hotline"))
    yield running
    stop_hotline(running)
