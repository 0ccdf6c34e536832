"""Every console route refuses anonymous requests, and every POST needs a CSRF token.

Routes are enumerated from app.url_map, so a route added later is covered
without touching this file.
"""

from __future__ import annotations

import pytest
from flask import Flask
from werkzeug.routing import (
    FloatConverter,
    IntegerConverter,
    PathConverter,
    Rule,
    UUIDConverter,
)

from tests.unit.console.conftest import csrf_token

# The only endpoints reachable without logging in. Adding one is a security decision:
# update this set on purpose.
PUBLIC = {"auth.login", "healthz", "static"}
DUMMY = {IntegerConverter: 1, FloatConverter: 1.0, PathConverter: "x/y",
         UUIDConverter: "00000000-0000-0000-0000-000000000000"}


def _dummy(converter: object) -> object:
    return next((v for cls, v in DUMMY.items() if isinstance(converter, cls)), "x")


def _url(app: Flask, rule: Rule) -> str:
    values = {name: _dummy(conv) for name, conv in rule._converters.items()}
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values)


def _routes(app: Flask) -> list[tuple[str, str, str]]:
    found = []
    for rule in app.url_map.iter_rules():
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found.append((rule.endpoint, method, _url(app, rule)))
    return found


def test_the_route_list_is_not_empty_and_has_the_known_pages(console_app):
    endpoints = {endpoint for endpoint, _, _ in _routes(console_app)}
    assert {"auth.login", "auth.logout", "auth.reauth", "admin.accounts", "audit.index",
            "index"} <= endpoints


def test_only_the_intended_endpoints_are_public(console_app):
    public = {rule.endpoint for rule in console_app.url_map.iter_rules()
              if rule.endpoint == "static"
              or getattr(console_app.view_functions[rule.endpoint], "_console_public", False)}
    assert public == PUBLIC


def test_every_route_refuses_anonymous_requests(console_app, client):
    token = csrf_token(client)  # a valid token, so only the log-in check can refuse
    checked = 0
    for endpoint, method, url in _routes(console_app):
        if endpoint in PUBLIC:
            continue
        response = client.open(url, method=method, data={"csrf_token": token})
        assert response.status_code in (302, 401), (endpoint, method, url, response.status_code)
        if response.status_code == 302:
            assert response.headers["Location"].startswith("/login?next="), (endpoint, url)
        as_json = client.open(url, method=method, data={"csrf_token": token},
                              headers={"Accept": "application/json"})
        assert as_json.status_code == 401, (endpoint, method, url)
        assert as_json.get_json() == {"error": "login required"}
        checked += 1
    assert checked >= 8


def test_anonymous_page_redirect_returns_there_after_login(client, make_advocate):
    response = client.get("/audit/?action=login")
    assert response.headers["Location"] == "/login?next=/audit/?action%3Dlogin"


def test_a_forged_session_cookie_is_anonymous(console_app, client):
    client.set_cookie("hotline_console", "eyJfdXNlcl9pZCI6IjEifQ.forged.signature")
    response = client.get("/admin/accounts")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ["admin"])
def test_every_post_without_csrf_token_is_refused(role, console_app, client, make_advocate,
                                                  login):
    login(client, make_advocate(role=role))
    posts = [(e, url) for e, m, url in _routes(console_app) if m == "POST"]
    assert ("auth.logout", "/logout") in posts
    for endpoint, url in posts:
        response = client.post(url, data={})
        assert response.status_code == 400, (endpoint, url, response.status_code)
        as_json = client.post(url, json={}, headers={"Accept": "application/json"})
        assert as_json.status_code == 400, (endpoint, url)
        wrong = client.post(url, data={"csrf_token": "not-a-token"})
        assert wrong.status_code == 400, (endpoint, url)
    # Still logged in: the refused logout did nothing.
    assert client.get("/", follow_redirects=True).request.path != "/login"


def test_csrf_header_works_for_scripts(client, make_advocate, login):
    login(client, make_advocate())
    token = csrf_token(client, "/")
    response = client.post("/logout", headers={"X-CSRFToken": token})
    assert response.status_code == 302
    assert client.get("/", follow_redirects=True).request.path == "/login"
