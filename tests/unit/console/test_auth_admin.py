"""Admins manage accounts in the console; supervisors read the audit log; the CLI."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
from sqlalchemy import select

from bot.console import accounts
from bot.store.db import session_scope
from bot.store.models import AuditEvent
from tests.conftest import ROOT, TEST_DATA_KEY
from tests.unit.console.conftest import PASSWORD, do_login, post

NEW_PASSWORD = "another long passphrase"


def _audit(settings) -> list[tuple[str, str, dict]]:  # type: ignore[no-untyped-def]
    with session_scope(settings.database_url) as s:
        return [(e.actor, e.action, e.details or {}) for e in
                s.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars()]


def _get(settings, username):  # type: ignore[no-untyped-def]
    with session_scope(settings.database_url) as s:
        advocate = accounts.find(s, username)
        if advocate is not None:
            s.expunge(advocate)
        return advocate


@pytest.fixture
def admin_client(client, make_advocate, login):  # type: ignore[no-untyped-def]
    admin = make_advocate(role="admin", username="root-admin")
    login(client, admin)
    return client


def test_admin_adds_an_account_that_can_log_in(admin_client, console_app, console_settings):
    response = post(admin_client, "/admin/accounts", {
        "username": "Ana", "display_name": "Ana P.", "role": "supervisor",
        "password": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    page = admin_client.get("/admin/accounts").get_data(as_text=True)
    assert "Account ana created." in page and "Ana P." in page
    created = _get(console_settings, "ana")
    assert created.role == "supervisor" and created.active
    assert ("root-admin", "account_created", {"target": "ana", "role": "supervisor"}) in \
        _audit(console_settings)
    other = console_app.test_client()
    assert do_login(other, "ana", NEW_PASSWORD).status_code == 302


@pytest.mark.parametrize(("form", "message"), [
    ({"password": "too short", "password2": "too short"}, "at least 12 characters"),
    ({"password2": "does not match at all"}, "The two passwords differ."),
    ({"username": "root-admin"}, "that username is taken"),
    ({"username": "no spaces allowed"}, "username: 2-64 characters"),
    ({"role": "superuser"}, "role must be one of"),
])
def test_bad_account_requests_are_refused_with_a_reason(form, message, admin_client,
                                                        console_settings):
    data = {"username": "newbie", "role": "advocate", "password": NEW_PASSWORD,
            "password2": NEW_PASSWORD, **form}
    post(admin_client, "/admin/accounts", data)
    page = admin_client.get("/admin/accounts").get_data(as_text=True)
    assert message in page
    assert _get(console_settings, "newbie") is None


def test_admin_changes_role_deactivates_reactivates_and_resets(admin_client, make_advocate,
                                                              console_app, console_settings):
    worker = make_advocate(username="worker")
    other = console_app.test_client()
    assert do_login(other, worker).status_code == 302

    post(admin_client, f"/admin/accounts/{worker.id}/role", {"role": "supervisor"})
    assert _get(console_settings, "worker").role == "supervisor"

    post(admin_client, f"/admin/accounts/{worker.id}/deactivate")
    assert not _get(console_settings, "worker").active
    # The worker's open session is over and they cannot log in again.
    assert other.get("/", follow_redirects=True).request.path == "/login"
    assert do_login(other, worker).status_code == 401

    post(admin_client, f"/admin/accounts/{worker.id}/activate")
    assert _get(console_settings, "worker").active
    post(admin_client, f"/admin/accounts/{worker.id}/password",
         {"password": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert do_login(other, worker, PASSWORD).status_code == 401
    assert do_login(other, worker, NEW_PASSWORD).status_code == 302

    actions = [(actor, action, details.get("target")) for actor, action, details
               in _audit(console_settings) if action.startswith("account_")]
    assert actions[-4:] == [("root-admin", "account_role", "worker"),
                            ("root-admin", "account_deactivated", "worker"),
                            ("root-admin", "account_reactivated", "worker"),
                            ("root-admin", "account_password", "worker")]


def test_the_last_admin_cannot_be_demoted_or_removed(admin_client, console_settings):
    me = _get(console_settings, "root-admin")
    post(admin_client, f"/admin/accounts/{me.id}/role", {"role": "advocate"})
    assert "last active admin" in admin_client.get("/admin/accounts").get_data(as_text=True)
    assert _get(console_settings, "root-admin").role == "admin"
    post(admin_client, f"/admin/accounts/{me.id}/deactivate")
    assert _get(console_settings, "root-admin").active


def test_account_changes_need_a_recent_password(admin_client, clock, make_advocate,
                                                console_settings):
    worker = make_advocate(username="worker")
    clock.advance(console_settings.console_reauth_minutes * 60 + 1)
    response = post(admin_client, f"/admin/accounts/{worker.id}/role", {"role": "admin"},
                    headers={"Referer": "http://localhost/admin/accounts"})
    assert response.headers["Location"] == "/reauth?next=/admin/accounts"
    assert _get(console_settings, "worker").role == "advocate"


@pytest.mark.parametrize("role", ["advocate", "supervisor"])
def test_non_admins_cannot_manage_accounts(role, client, make_advocate, login,
                                           console_settings):
    target = make_advocate(username="target")
    login(client, make_advocate(role=role))
    assert client.get("/admin/accounts").status_code == 403
    assert post(client, "/admin/accounts", {"username": "sneaky", "role": "admin",
                                            "password": NEW_PASSWORD,
                                            "password2": NEW_PASSWORD}).status_code == 403
    assert post(client, f"/admin/accounts/{target.id}/role",
                {"role": "admin"}).status_code == 403
    assert _get(console_settings, "sneaky") is None
    assert _get(console_settings, "target").role == "advocate"


# -- the audit log page ------------------------------------------------------------------

def test_supervisors_read_the_audit_log_with_filters(client, make_advocate, login,
                                                     console_settings):
    advocate = make_advocate(username="helper")
    do_login(client, advocate, "wrong password here")
    supervisor = make_advocate(role="supervisor", username="boss")
    login(client, supervisor)
    page = client.get("/audit/").get_data(as_text=True)
    assert "login_failed" in page and "helper" in page and "account_created" in page
    filtered = client.get("/audit/?action=login_failed").get_data(as_text=True)
    assert "login_failed" in filtered and "account_created" not in filtered
    assert ("boss", "audit_read", {"page": 1, "filters": {"action": "login_failed"}}) in \
        _audit(console_settings)


def test_advocates_cannot_read_the_audit_log(client, make_advocate, login):
    login(client, make_advocate(role="advocate"))
    assert client.get("/audit/").status_code == 403


# -- the CLI -----------------------------------------------------------------------------

def _cli(db_url: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = {"HOTLINE_DATABASE_URL": db_url, "HOTLINE_SECRET_KEY": "cli-test-secret-key",
           "HOTLINE_DATA_KEYS": TEST_DATA_KEY, "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "bot", "advocate", *args], cwd=ROOT, env=env,
                          input=stdin, capture_output=True, text=True, timeout=120)


def test_cli_creates_the_first_admin_who_can_log_in(db_url, console_app):
    result = _cli(db_url, "add", "First-Admin", "--role", "admin", "--password-stdin",
                  stdin=PASSWORD + "\n")
    assert result.returncode == 0, result.stderr
    assert "created first-admin (admin)" in result.stdout
    assert PASSWORD not in result.stdout + result.stderr
    listing = _cli(db_url, "list")
    assert "first-admin" in listing.stdout and "admin" in listing.stdout
    client = console_app.test_client()
    assert do_login(client, "first-admin", PASSWORD).status_code == 302
    assert client.get("/admin/accounts").status_code == 200
    with session_scope(db_url) as s:
        event = s.execute(select(AuditEvent).where(AuditEvent.action == "account_created")
                          ).scalar_one()
        assert (event.actor, event.details) == ("cli", {"target": "first-admin", "role": "admin"})


def test_cli_refuses_a_weak_password_and_a_duplicate(db_url):
    weak = _cli(db_url, "add", "someone", "--password-stdin", stdin="short\n")
    assert weak.returncode == 1 and "at least 12 characters" in weak.stderr
    assert _cli(db_url, "add", "someone", "--password-stdin",
                stdin=PASSWORD + "\n").returncode == 0
    again = _cli(db_url, "add", "someone", "--password-stdin", stdin=PASSWORD + "\n")
    assert again.returncode == 1 and "taken" in again.stderr


def test_cli_deactivate(db_url, console_app):
    _cli(db_url, "add", "admin-a", "--role", "admin", "--password-stdin", stdin=PASSWORD + "\n")
    _cli(db_url, "add", "leaver", "--password-stdin", stdin=PASSWORD + "\n")
    result = _cli(db_url, "deactivate", "leaver")
    assert result.returncode == 0, result.stderr
    assert do_login(console_app.test_client(), "leaver", PASSWORD).status_code == 401
    assert "deactivated" in _cli(db_url, "list").stdout
    last = _cli(db_url, "deactivate", "admin-a")
    assert last.returncode == 1 and "last active admin" in last.stderr


def test_cli_prompts_twice_without_password_stdin(monkeypatch, db_url, capsys):
    import argparse

    from bot.console import accounts_cli

    answers = iter([PASSWORD, "a different one!!"])
    monkeypatch.setattr(accounts_cli.getpass, "getpass", lambda _prompt: next(answers))
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    args = argparse.Namespace(username="x1", role="advocate", display_name="",
                              password_stdin=False)
    with pytest.raises(accounts.AccountError, match="differ"):
        accounts_cli.cmd_add(args)


def test_hotline_run_starts_the_console_process():
    from bot.cli import server_commands

    command = server_commands()["console"]
    assert command[-4:] == ["bot.child", sys.executable, "-m", "bot.console"]
    assert "bot.child" in command  # dies with the supervisor like the other children


def test_admin_sets_an_accounts_maximum_of_conversations(admin_client, make_advocate,
                                                         console_settings):
    worker = make_advocate(username="worker")
    page = admin_client.get("/admin/accounts").get_data(as_text=True)
    assert 'name="max_conversations"' in page
    post(admin_client, f"/admin/accounts/{worker.id}/capacity", {"max_conversations": "5"})
    assert _get(console_settings, "worker").max_conversations == 5
    for bad in ("0", "999", "lots"):
        post(admin_client, f"/admin/accounts/{worker.id}/capacity", {"max_conversations": bad})
        assert _get(console_settings, "worker").max_conversations == 5
    post(admin_client, f"/admin/accounts/{worker.id}/capacity", {"max_conversations": ""})
    assert _get(console_settings, "worker").max_conversations is None   # back to the default
    changes = [details.get("max_conversations") for _actor, action, details
               in _audit(console_settings) if action == "account_capacity"]
    assert changes == [5, None]
