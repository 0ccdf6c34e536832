"""Fixtures for the custom-action tests: a migrated SQLite store, settings, trackers, domain.

Every test gets its own database in tmp_path (HOTLINE_DATABASE_URL) and fresh
cached settings, so no test can write to var/hotline.db or see another's rows.
Trackers are real `rasa_sdk.Tracker` objects built the way the Rasa server
sends them: the user event last (or, for form validation, the user event
followed by the slot candidates Rasa appends before calling validate_<form>).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from action_helpers import Store, build_tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.config import get_settings
from bot.store.migrate import upgrade

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def hotline_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A migrated store in tmp_path and settings that point at it."""
    url = f"sqlite:///{tmp_path / 't.db'}"
    monkeypatch.setenv("HOTLINE_DATABASE_URL", url)
    monkeypatch.setenv("HOTLINE_SECRET_KEY", "actions-test-secret")
    monkeypatch.delenv("HOTLINE_DEFAULT_LANGUAGE", raising=False)
    monkeypatch.delenv("HOTLINE_STATE_CONTENT_MAX_AGE_DAYS", raising=False)
    get_settings.cache_clear()
    upgrade(url)
    yield url
    get_settings.cache_clear()


@pytest.fixture
def store(hotline_env: str) -> Store:
    return Store(hotline_env)


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    from rasa.shared.core.domain import Domain

    return Domain.load(str(ROOT / "domain")).as_dict()


@pytest.fixture
def make_tracker():  # type: ignore[no-untyped-def]
    return build_tracker
