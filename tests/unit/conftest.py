"""Fixtures for the unit tests that need a store or a fake provider."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.databases import migrated_database
from tests.fakes.twilio_api import FakeTwilioApi


@pytest.fixture
def fake() -> Iterator[FakeTwilioApi]:
    server = FakeTwilioApi(timeout_sleep=3.0)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def db_url(tmp_path: Path) -> Iterator[str]:
    """A migrated, empty store: SQLite in tmp_path, or a fresh PostgreSQL database
    when HOTLINE_TEST_DATABASE is set (tests/databases.py)."""
    with migrated_database(tmp_path, "outbox.db") as url:
        yield url
