"""Start the hotline for an evaluation run as the integration tests do (tests/conftest.py):
`python -m bot run --no-train` on a throwaway SQLite database and tracker store, a fresh
data key, and free ports, ready once a probe conversation gets a reply.
"""

from __future__ import annotations

import os
from pathlib import Path

from bench.stack import MODEL, Service, free_port, start_hotline


def evaluation_env(tmp: Path) -> dict[str, str]:
    from cryptography.fernet import Fernet

    port = free_port()
    # No real provider credentials: the run only uses the web chat.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "TWILIO_"))}
    env.update({
        "HOTLINE_PORT": str(port),
        "HOTLINE_ACTIONS_PORT": str(free_port()),
        "HOTLINE_CONSOLE_PORT": str(free_port()),
        "HOTLINE_DATABASE_URL": f"sqlite:///{tmp / 'hotline.db'}",
        "HOTLINE_TRACKER_DB": str(tmp / "tracker.db"),
        "HOTLINE_SECRET_KEY": f"evaluation-{os.urandom(8).hex()}",
        "HOTLINE_DATA_KEYS": Fernet.generate_key().decode(),
        "HOTLINE_PUBLIC_URL": f"http://127.0.0.1:{port}",
    })
    return env


def start(tmp: Path) -> Service:
    """The running hotline (raises RuntimeError with the log's tail if it does not start)."""
    if not MODEL.exists():
        raise RuntimeError(f"no trained model at {MODEL}: run `make model`")
    return start_hotline(tmp, evaluation_env(tmp))
