"""Fixtures for the unit tests that need a store or a fake provider."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.store.migrate import upgrade
from tests.fakes.twilio_api import FakeTwilioApi


@pytest.fixture
def fake() -> Iterator[FakeTwilioApi]:
    server = FakeTwilioApi(timeout_sleep=3.0)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'outbox.db'}"
    upgrade(url)
    return url
