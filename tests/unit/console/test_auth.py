"""Log-in, lock-out, session expiry, re-auth, roles: bot/console/auth.py + accounts.py."""

from __future__ import annotations

import datetime as dt

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from bot.console import accounts, passwords
from bot.console.views.auth_views import LOGIN_FAILED
from bot.store.db import session_scope
from bot.store.models import Advocate, AuditEvent, as_utc
from tests.unit.console.conftest import CHEAP_HASHER, PASSWORD, do_login, post


def _events(settings, action: str) -> list[AuditEvent]:  # type: ignore[no-untyped-def]
    with session_scope(settings.database_url) as s:
        rows = list(s.execute(select(AuditEvent).where(AuditEvent.action == action)
                              .order_by(AuditEvent.id)).scalars())
        s.expunge_all()
    return rows


def _account(settings, username: str) -> Advocate:  # type: ignore[no-untyped-def]
    with session_scope(settings.database_url) as s:
        advocate = accounts.find(s, username)
        s.expunge(advocate)
    return advocate


def _logged_in(client) -> bool:  # type: ignore[no-untyped-def]
    response = client.get("/", follow_redirects=True)
    return response.status_code == 200 and response.request.path != "/login"


class CountingHasher(PasswordHasher):
    """The real argon2 hasher, counting verifications (work done per log-in)."""

    verifications = 0

    def verify(self, hash, password):  # type: ignore[no-untyped-def]  # noqa: A002
        CountingHasher.verifications += 1
        return super().verify(hash, password)


# -- log-in ---------------------------------------------------------------------------

def test_login_success_starts_a_session_and_is_audited(client, make_advocate, login,
                                                       console_settings):
    advocate = make_advocate()
    assert not _logged_in(client)
    response = login(client, advocate)
    assert response.headers["Location"] == "/"
    assert _logged_in(client)
    assert [e.actor for e in _events(console_settings, "login")] == [advocate.username]
    assert _account(console_settings, advocate.username).last_login_at is not None


def test_login_redirects_to_a_local_next_only(client, make_advocate):
    advocate = make_advocate()
    ok = post(client, "/login?next=/audit/", {"username": advocate.username,
                                               "password": PASSWORD})
    assert ok.headers["Location"] == "/audit/"
    post(client, "/logout")
    evil = post(client, "/login?next=https://evil.example/x",
                {"username": advocate.username, "password": PASSWORD})
    assert evil.headers["Location"] == "/"
    post(client, "/logout")
    evil = post(client, "/login?next=//evil.example/x",
                {"username": advocate.username, "password": PASSWORD})
    assert evil.headers["Location"] == "/"


def test_password_is_stored_as_argon2id_hash(make_advocate, console_settings):
    advocate = make_advocate()
    stored = _account(console_settings, advocate.username).password_hash
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_username_is_case_insensitive(client, make_advocate):
    advocate = make_advocate(username="maria")
    assert do_login(client, "  MARIA ").status_code == 302
    assert advocate.username == "maria"


@pytest.mark.parametrize("case", ["wrong password", "unknown user", "deactivated", "locked"])
def test_every_failure_shows_the_same_generic_message(case, client, make_advocate,
                                                      console_settings):
    advocate = make_advocate(active=(case != "deactivated"))
    username, password = advocate.username, PASSWORD
    if case == "wrong password":
        password = "not the password at all"
    elif case == "unknown user":
        username = "nobody-here"
    elif case == "locked":
        with session_scope(console_settings.database_url) as s:
            accounts.find(s, username).locked_until = (
                dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=5))
    response = do_login(client, username, password)
    assert response.status_code == 401
    page = response.get_data(as_text=True)
    assert LOGIN_FAILED.split(".")[0] in page
    assert "unknown" not in page.lower() and "deactivated" not in page.lower()
    assert not _logged_in(client)
    failed = _events(console_settings, "login_failed")
    assert len(failed) == 1
    assert "nobody-here" not in str(failed[0].details)  # typed usernames are not logged


@pytest.mark.parametrize("case", ["wrong password", "unknown user", "deactivated", "locked"])
def test_every_failure_does_one_argon2_verification(case, monkeypatch, console_settings,
                                                    make_advocate):
    advocate = make_advocate(active=(case != "deactivated"))
    monkeypatch.setattr(passwords, "hasher", CountingHasher(time_cost=1, memory_cost=8,
                                                            parallelism=1))
    passwords.verify_dummy("warm the dummy hash cache")
    CountingHasher.verifications = 0
    username = "nobody-here" if case == "unknown user" else advocate.username
    policy = accounts.LoginPolicy()
    with session_scope(console_settings.database_url) as s:
        if case == "locked":
            accounts.find(s, username).locked_until = (
                dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=5))
            s.flush()
        password = PASSWORD if case in ("deactivated", "locked") else "wrong password!!"
        assert accounts.authenticate(s, username, password, policy) is None
    assert CountingHasher.verifications == 1


def test_lockout_after_five_failures_for_fifteen_minutes(client, make_advocate,
                                                         console_settings):
    advocate = make_advocate()
    for _ in range(5):
        assert do_login(client, advocate, "wrong password again").status_code == 401
    locked = _account(console_settings, advocate.username)
    minutes = (as_utc(locked.locked_until)
               - dt.datetime.now(dt.timezone.utc)).total_seconds() / 60
    assert 14 < minutes <= 15
    assert len(_events(console_settings, "account_locked")) == 1
    # The right password is refused while locked, with the same message.
    response = do_login(client, advocate, PASSWORD)
    assert response.status_code == 401
    assert LOGIN_FAILED.split(".")[0] in response.get_data(as_text=True)
    assert not _logged_in(client)


def test_lockout_ends_after_the_lock_time(console_settings, make_advocate):
    advocate = make_advocate()
    policy = accounts.LoginPolicy(attempts=2, lockout=dt.timedelta(minutes=15))
    t0 = dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc)
    with session_scope(console_settings.database_url) as s:
        for _ in range(2):
            assert accounts.authenticate(s, advocate.username, "wrong-password!", policy,
                                         now=t0) is None
    with session_scope(console_settings.database_url) as s:
        assert accounts.authenticate(s, advocate.username, PASSWORD, policy,
                                     now=t0 + dt.timedelta(minutes=14)) is None
    with session_scope(console_settings.database_url) as s:
        ok = accounts.authenticate(s, advocate.username, PASSWORD, policy,
                                   now=t0 + dt.timedelta(minutes=16))
        assert ok is not None and ok.failed_logins == 0 and ok.locked_until is None


def test_lockout_settings_are_used(console_settings, make_advocate, client, console_app):
    from dataclasses import replace

    console_app.config["HOTLINE_SETTINGS"] = replace(console_settings,
                                                     console_lockout_attempts=2)
    advocate = make_advocate()
    do_login(client, advocate, "wrong password 1")
    do_login(client, advocate, "wrong password 2")
    assert do_login(client, advocate, PASSWORD).status_code == 401


def test_success_resets_the_failure_count(client, make_advocate, console_settings):
    advocate = make_advocate()
    for _ in range(4):
        do_login(client, advocate, "wrong password again")
    assert do_login(client, advocate, PASSWORD).status_code == 302
    assert _account(console_settings, advocate.username).failed_logins == 0


def test_outdated_hash_is_rehashed_at_login(client, make_advocate, console_settings,
                                            monkeypatch):
    advocate = make_advocate()  # hashed with CHEAP_HASHER
    old = _account(console_settings, advocate.username).password_hash
    stronger = PasswordHasher(time_cost=2, memory_cost=16, parallelism=1)
    monkeypatch.setattr(passwords, "hasher", stronger)
    assert do_login(client, advocate, PASSWORD).status_code == 302
    new = _account(console_settings, advocate.username).password_hash
    assert new != old and not stronger.check_needs_rehash(new)
    assert CHEAP_HASHER.check_needs_rehash(new)  # parameters really changed
    post(client, "/logout")
    assert do_login(client, advocate, PASSWORD).status_code == 302


def test_login_without_csrf_token_is_refused(client, make_advocate):
    advocate = make_advocate()
    response = client.post("/login", data={"username": advocate.username, "password": PASSWORD})
    assert response.status_code == 400
    assert not _logged_in(client)


def test_session_id_changes_at_login(client, make_advocate):
    """No session fixation: the pre-login cookie's CSRF token is not kept."""
    advocate = make_advocate()
    from tests.unit.console.conftest import csrf_token

    before = csrf_token(client)
    do_login(client, advocate)
    assert csrf_token(client, "/") != before


# -- log-out and session expiry ------------------------------------------------------

def test_logout_ends_the_session_and_is_audited(client, make_advocate, login,
                                                console_settings):
    advocate = make_advocate()
    login(client, advocate)
    assert post(client, "/logout").status_code == 302
    assert not _logged_in(client)
    assert [e.actor for e in _events(console_settings, "logout")] == [advocate.username]


def test_logout_is_post_only(client, make_advocate, login):
    login(client, make_advocate())
    assert client.get("/logout").status_code == 405
    assert _logged_in(client)


def test_idle_session_expires(client, make_advocate, login, clock, console_settings):
    login(client, make_advocate())
    clock.advance(console_settings.console_idle_minutes * 60 - 5)
    assert _logged_in(client)  # activity resets the idle timer
    clock.advance(console_settings.console_idle_minutes * 60 - 5)
    assert _logged_in(client)
    clock.advance(console_settings.console_idle_minutes * 60 + 1)
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert not _logged_in(client)


def test_absolute_lifetime_ends_even_an_active_session(client, make_advocate, login, clock,
                                                        console_settings):
    login(client, make_advocate())
    step = console_settings.console_idle_minutes * 60 - 60
    elapsed = 0
    while elapsed + step < console_settings.console_session_hours * 3600:
        clock.advance(step)
        elapsed += step
        assert _logged_in(client)
    clock.advance(step)
    assert not _logged_in(client)


def test_background_requests_do_not_keep_the_session_alive(console_app, client,
                                                           make_advocate, login, clock,
                                                           console_settings):
    from flask import Blueprint

    from bot.console.auth import background

    bp = Blueprint("poll_probe", __name__)

    @bp.get("/api/poll-probe")
    @background
    def poll() -> dict:
        return {"ok": True}

    console_app.register_blueprint(bp)
    login(client, make_advocate())
    idle = console_settings.console_idle_minutes * 60
    for _ in range(3):
        clock.advance(idle / 3)
        assert client.get("/api/poll-probe").status_code == 200
    clock.advance(idle / 3)
    response = client.get("/api/poll-probe")
    assert response.status_code == 401 and response.get_json() == {"error": "login required"}


def test_deactivation_ends_open_sessions(client, make_advocate, login, console_settings):
    advocate = make_advocate()
    login(client, advocate)
    with session_scope(console_settings.database_url) as s:
        accounts.deactivate(s, accounts.find(s, advocate.username),
                            by=accounts.Actor(name="test"))
    assert not _logged_in(client)
    assert do_login(client, advocate).status_code == 401


def test_password_reset_ends_open_sessions(client, make_advocate, login, console_settings):
    advocate = make_advocate()
    login(client, advocate)
    with session_scope(console_settings.database_url) as s:
        accounts.reset_password(s, accounts.find(s, advocate.username),
                                "a brand new passphrase", by=accounts.Actor(name="test"))
    assert not _logged_in(client)
    assert do_login(client, advocate, "a brand new passphrase").status_code == 302


def test_session_cookie_flags(client, make_advocate):
    advocate = make_advocate()
    response = do_login(client, advocate)
    cookie = next(v for k, v in response.headers.items()
                  if k == "Set-Cookie" and v.startswith("hotline_console="))
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert "Secure" not in cookie  # off by default (localhost has no https)
    assert "Expires" not in cookie  # a browser-session cookie


def test_secure_cookie_setting(console_settings, clock, cheap_hashing, make_advocate):
    from dataclasses import replace

    from bot.console.app import create_app

    app = create_app(replace(console_settings, console_secure_cookies=True), testing=True)
    app.config["CONSOLE_CLOCK"] = clock
    client = app.test_client()
    advocate = make_advocate()
    # Over https, as behind a TLS proxy; the CSRF check then also wants a same-site Referer.
    page = client.get("/login", base_url="https://console.test")
    import re

    token = re.search(r'name="csrf-token" content="([^"]+)"', page.get_data(as_text=True))[1]
    response = client.post("/login", base_url="https://console.test",
                           headers={"Referer": "https://console.test/login"},
                           data={"username": advocate.username, "password": PASSWORD,
                                 "csrf_token": token})
    assert response.status_code == 302
    cookie = next(v for k, v in response.headers.items()
                  if k == "Set-Cookie" and v.startswith("hotline_console="))
    assert "; Secure" in cookie
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


# -- re-authentication ----------------------------------------------------------------

@pytest.fixture
def reauth_probe(console_app):  # type: ignore[no-untyped-def]
    """A view behind recent_auth_required, as reveal and export are."""
    from flask import Blueprint

    from bot.console.auth import recent_auth_required, role_required

    bp = Blueprint("reauth_probe", __name__)

    @bp.route("/probe/reveal", methods=["GET", "POST"])
    @role_required("supervisor")
    @recent_auth_required
    def reveal() -> str:
        return "REVEALED"

    console_app.register_blueprint(bp)
    return "/probe/reveal"


def test_recent_auth_required_asks_for_the_password_again(client, make_advocate, login, clock,
                                                          reauth_probe, console_settings):
    login(client, make_advocate(role="supervisor"))
    assert client.get(reauth_probe).get_data(as_text=True) == "REVEALED"  # just logged in
    clock.advance(console_settings.console_reauth_minutes * 60 + 1)
    response = client.get(reauth_probe)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/reauth?next=/probe/reveal")
    wrong = post(client, "/reauth", {"password": "not my password", "next": reauth_probe})
    assert wrong.status_code == 401
    assert client.get(reauth_probe).status_code == 302
    ok = post(client, "/reauth", {"password": PASSWORD, "next": reauth_probe})
    assert ok.status_code == 302 and ok.headers["Location"] == reauth_probe
    assert client.get(reauth_probe).get_data(as_text=True) == "REVEALED"
    assert len(_events(console_settings, "reauth")) == 1


def test_recent_auth_required_post_and_json(client, make_advocate, login, clock, reauth_probe,
                                            console_settings):
    login(client, make_advocate(role="admin"))
    clock.advance(console_settings.console_reauth_minutes * 60 + 1)
    response = post(client, reauth_probe, headers={"Referer": "http://localhost/somewhere"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/reauth?next=/somewhere"
    as_json = client.get(reauth_probe, headers={"Accept": "application/json"})
    assert as_json.status_code == 401
    assert as_json.get_json()["error"] == "reauthentication required"


def test_failed_reauth_counts_toward_lockout_and_logs_out(client, make_advocate, login, clock,
                                                          reauth_probe, console_settings):
    advocate = make_advocate(role="supervisor")
    login(client, advocate)
    clock.advance(console_settings.console_reauth_minutes * 60 + 1)
    for _ in range(console_settings.console_lockout_attempts):
        post(client, "/reauth", {"password": "guessing wrongly", "next": reauth_probe})
    assert not _logged_in(client)
    assert accounts.is_locked(_account(console_settings, advocate.username),
                              dt.datetime.now(dt.timezone.utc))


# -- roles ------------------------------------------------------------------------------

@pytest.mark.parametrize(("role", "allowed"), [("advocate", False), ("supervisor", True),
                                               ("admin", True)])
def test_role_hierarchy(role, allowed, client, make_advocate, login, reauth_probe):
    login(client, make_advocate(role=role))
    response = client.get(reauth_probe)
    assert response.status_code == (200 if allowed else 403)


def test_role_required_rejects_unknown_roles():
    from bot.console.auth import role_required

    with pytest.raises(ValueError):
        role_required("superuser")


def test_has_role_ignores_inactive_accounts():
    active = Advocate(username="a", role="admin", active=True)
    inactive = Advocate(username="b", role="admin", active=False)
    assert accounts.has_role(active, "advocate") and accounts.has_role(active, "admin")
    assert not accounts.has_role(inactive, "advocate")
    assert not accounts.has_role(Advocate(username="c", role="advocate", active=True),
                                 "supervisor")


# -- password policy ------------------------------------------------------------------

@pytest.mark.parametrize("password", ["short", "elevenchars", "x" * 1025, "supervisor-anna"])
def test_password_policy(password, console_settings):
    with session_scope(console_settings.database_url) as s, \
            pytest.raises(accounts.AccountError):
        accounts.create(s, "supervisor-anna", password, by=accounts.Actor(name="test"))


def test_twelve_characters_are_enough(console_settings, cheap_hashing):
    with session_scope(console_settings.database_url) as s:
        assert accounts.create(s, "anna", "twelve chars", by=accounts.Actor(name="test")).id
