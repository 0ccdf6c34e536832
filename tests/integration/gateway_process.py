"""Run the real gateway process alone (`python -m bot.gateway`), in front of fake Rasa workers.

For tests about the gateway itself (turn order, routing to workers): the webhook
path, signatures, inbox, router and outbox are the real ones; only Rasa is
replaced by tests/fakes/rasa_internal.py so 1,000 messages take seconds.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT, TEST_DATA_KEY, RunningHotline, free_port
from tests.databases import database_for


@dataclass
class RunningGateway(RunningHotline):
    pass


def start_gateway(tmp: Path, rasa_urls: list[str], secret: str,
                  extra_env: dict[str, str] | None = None) -> RunningGateway:
    port = free_port()
    db_url = database_for(tmp)
    env = {
        **os.environ,
        "HOTLINE_PORT": str(port),
        "HOTLINE_DATABASE_URL": db_url,
        "HOTLINE_TRACKER_DB": str(tmp / "tracker.db"),
        "HOTLINE_SECRET_KEY": "integration-test-key",
        "HOTLINE_DATA_KEYS": TEST_DATA_KEY,
        "HOTLINE_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "HOTLINE_INTERNAL_SECRET": secret,
        "HOTLINE_RASA_URL": ",".join(rasa_urls),
        "HOTLINE_LANGUAGE_ID_LOW_ACCURACY": "1",
        "PYTHONUNBUFFERED": "1",
        **(extra_env or {}),
    }
    subprocess.run([sys.executable, "-m", "bot", "db", "upgrade"], cwd=ROOT, env=env,
                   check=True, capture_output=True)
    log_path = tmp / "gateway.log"
    process = subprocess.Popen([sys.executable, "-m", "bot.gateway"], cwd=ROOT, env=env,
                               stdout=log_path.open("ab"), stderr=subprocess.STDOUT,
                               start_new_session=True)
    gateway = RunningGateway(f"http://127.0.0.1:{port}", db_url, log_path, process)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gateway exited early:\n{log_path.read_text()[-4000:]}")
        try:
            if httpx.get(f"{gateway.base_url}/health", timeout=2).status_code == 200:
                return gateway
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    stop_gateway(gateway)
    pytest.fail(f"gateway not up in time:\n{log_path.read_text()[-4000:]}")


def stop_gateway(gateway: RunningGateway) -> None:
    if gateway.process.poll() is None:
        gateway.process.send_signal(signal.SIGTERM)
        try:
            gateway.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(gateway.process.pid, signal.SIGKILL)
            gateway.process.wait()
