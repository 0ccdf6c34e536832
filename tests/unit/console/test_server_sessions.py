"""Console sessions held by the server (issue 13.3): a copied cookie dies with its log-in."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from bot.console import accounts
from bot.store.db import session_scope
from bot.store.models import ConsoleSession
from tests.unit.console.conftest import PASSWORD, do_login, post

COOKIE = "hotline_console"


def _cookie(client) -> str:  # type: ignore[no-untyped-def]
    return client.get_cookie(COOKIE).value


def _with_cookie(app, value: str):  # type: ignore[no-untyped-def]
    """Another browser holding a copy of the cookie."""
    thief = app.test_client()
    thief.set_cookie(COOKIE, value)
    return thief


def _works(client) -> bool:  # type: ignore[no-untyped-def]
    response = client.get("/admin/accounts", headers={"Accept": "application/json"})
    return response.status_code not in (302, 401)


def test_a_copied_cookie_stops_working_at_log_out(console_app, client, make_advocate, login,
                                                   console_settings) -> None:
    advocate = make_advocate(role="admin")
    login(client, advocate)
    copy = _cookie(client)
    assert _works(_with_cookie(console_app, copy))  # the copy works while logged in
    assert post(client, "/logout").status_code == 302
    assert not _works(_with_cookie(console_app, copy))
    with session_scope(console_settings.database_url) as s:
        assert s.execute(select(ConsoleSession)).scalars().all() == []


def test_other_log_ins_survive_one_log_out(console_app, make_advocate, login) -> None:
    advocate = make_advocate(role="admin")
    laptop, phone = console_app.test_client(), console_app.test_client()
    login(laptop, advocate)
    login(phone, advocate)
    post(laptop, "/logout")
    assert _works(phone) and not _works(laptop)


def test_password_reset_and_deactivation_revoke_copies(console_app, client, make_advocate,
                                                       login, console_settings) -> None:
    advocate = make_advocate(role="admin")
    make_advocate(role="admin")  # deactivation keeps one admin
    for change in ("reset", "deactivate"):
        if change == "deactivate":
            with session_scope(console_settings.database_url) as s:
                accounts.reset_password(s, accounts.find(s, advocate.username), PASSWORD,
                                        by=accounts.Actor(name="test"))
        login(client, advocate)
        copy = _cookie(client)
        with session_scope(console_settings.database_url) as s:
            target = accounts.find(s, advocate.username)
            if change == "reset":
                accounts.reset_password(s, target, "another long passphrase",
                                        by=accounts.Actor(name="test"))
            else:
                accounts.deactivate(s, target, by=accounts.Actor(name="test"))
            assert s.execute(select(ConsoleSession).where(
                ConsoleSession.advocate_id == target.id)).scalars().all() == []
        assert not _works(_with_cookie(console_app, copy)), change


def test_the_table_holds_no_usable_session_id(client, make_advocate, login,
                                              console_settings) -> None:
    login(client, make_advocate())
    with session_scope(console_settings.database_url) as s:
        (row,) = s.execute(select(ConsoleSession)).scalars().all()
        stored = row.id_hash
    assert len(stored) == 64 and stored not in _cookie(client)


def test_cookie_is_secure_when_the_public_url_is_https(console_settings, clock, cheap_hashing,
                                                      make_advocate) -> None:
    from bot.console.app import create_app

    app = create_app(replace(console_settings, public_url="https://hotline.example.org"),
                     testing=True)
    app.config["CONSOLE_CLOCK"] = clock
    response = do_login(app.test_client(), make_advocate())
    assert response.status_code == 302
    cookie = next(v for k, v in response.headers.items()
                  if k == "Set-Cookie" and v.startswith(f"{COOKIE}="))
    assert "; Secure" in cookie
