"""Console test fixtures: an app on a fresh migrated SQLite database, accounts, log-in.

    def test_x(client, make_advocate, login):
        advocate = make_advocate(role="supervisor")
        login(client, advocate)
        r = post(client, "/some/form", {"field": "value"})  # adds the CSRF token

Accounts get PASSWORD unless given another. Hashing uses cheap argon2
parameters here (the production cost would make the suite slow).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from itertools import count
from typing import Any

import pytest
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient

from bot.config import Settings
from bot.console import accounts, passwords
from bot.console.app import create_app
from bot.store.crypto import Keyring, set_keyring
from bot.store.db import session_scope
from bot.store.models import Advocate
from tests.conftest import TEST_DATA_KEY

PASSWORD = "correct horse battery staple"
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
_CSRF_RE = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


class FakeClock:
    """Seconds since the epoch, moved by the test (idle and absolute expiry)."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.t = start

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


@pytest.fixture
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "hasher", CHEAP_HASHER)


@pytest.fixture
def console_settings(db_url: str) -> Settings:
    return Settings.from_env({
        "HOTLINE_DATABASE_URL": db_url,
        "HOTLINE_SECRET_KEY": "console-test-secret",
        "HOTLINE_DATA_KEYS": TEST_DATA_KEY,
    })


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def console_app(console_settings: Settings, clock: FakeClock, cheap_hashing: None
                ) -> Iterator[Flask]:
    set_keyring(Keyring([TEST_DATA_KEY]))
    app = create_app(console_settings, testing=True)
    app.config["CONSOLE_CLOCK"] = clock
    yield app
    set_keyring(None)


@pytest.fixture
def client(console_app: Flask) -> FlaskClient:
    return console_app.test_client()


@pytest.fixture
def make_advocate(console_settings: Settings) -> Callable[..., Advocate]:
    """Create an account (detached Advocate); role advocate|supervisor|admin."""
    numbers = count(1)

    def make(role: str = "advocate", username: str | None = None,
             password: str = PASSWORD, active: bool = True) -> Advocate:
        name = username or f"{role}{next(numbers)}"
        with session_scope(console_settings.database_url) as s:
            advocate = accounts.create(s, name, password, role=role,
                                       display_name=name.title(), by=accounts.Actor(name="test"))
            advocate.active = active
            s.flush()
            s.expunge(advocate)
        return advocate

    return make


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    """The CSRF token of the client's session, read from a page's <meta> tag."""
    page = client.get(path, follow_redirects=True)
    match = _CSRF_RE.search(page.get_data(as_text=True))
    assert match, f"no csrf-token meta tag on {path} (status {page.status_code})"
    return match.group(1)


def post(client: FlaskClient, url: str, data: dict[str, Any] | None = None,
         **kwargs: Any) -> Any:
    """POST a form with the session's CSRF token."""
    return client.post(url, data={**(data or {}), "csrf_token": csrf_token(client)}, **kwargs)


def do_login(client: FlaskClient, advocate: Advocate | str, password: str = PASSWORD) -> Any:
    username = advocate if isinstance(advocate, str) else advocate.username
    return post(client, "/login", {"username": username, "password": password})


@pytest.fixture
def login() -> Callable[..., Any]:
    """login(client, advocate[, password]): log in through the form; asserts success."""

    def _login(client: FlaskClient, advocate: Advocate, password: str = PASSWORD) -> Any:
        response = do_login(client, advocate, password)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response

    return _login
