"""Security headers on every kind of console response, and templates that obey the CSP."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.console import security
from tests.unit.console.conftest import PASSWORD

TEMPLATES = Path(security.__file__).parent / "templates"


def _check(response) -> None:  # type: ignore[no-untyped-def]
    h = response.headers
    csp = h["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert h["X-Frame-Options"] == "DENY"
    assert h["X-Content-Type-Options"] == "nosniff"
    assert h["Referrer-Policy"] == "no-referrer"
    assert h["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path", ["/login", "/healthz", "/static/console.css", "/no-such-page",
                                  "/admin/accounts", "/api/anything"])
def test_headers_on_anonymous_responses(client, path):
    _check(client.get(path))


def test_headers_on_json_401_csrf_400_and_logged_in_pages(client, make_advocate, login):
    _check(client.get("/admin/accounts", headers={"Accept": "application/json"}))
    _check(client.post("/login", data={"username": "x", "password": "y"}))  # no CSRF: 400
    login(client, make_advocate(role="admin"))
    for path in ("/", "/admin/accounts", "/audit/", "/reauth"):
        response = client.get(path, follow_redirects=True)
        assert response.status_code == 200, path
        _check(response)


def test_headers_on_a_403(client, make_advocate, login):
    login(client, make_advocate(role="advocate"))
    response = client.get("/admin/accounts")
    assert response.status_code == 403
    _check(response)


def test_no_hsts_without_https(client):
    assert "Strict-Transport-Security" not in client.get("/login").headers


def test_login_page_has_no_password_autofill_leak(client):
    page = client.get("/login").get_data(as_text=True)
    assert PASSWORD not in page
    assert 'type="password"' in page


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: p.name)
def test_templates_have_no_inline_script_or_style(template):
    """The CSP would block them (and they would be an injection foothold)."""
    text = template.read_text()
    for tag in re.findall(r"<script\b[^>]*>", text, flags=re.I):
        assert "src=" in tag, f"inline <script> in {template.name}"
    assert not re.search(r"<style\b", text, flags=re.I), template.name
    assert not re.search(r"\sstyle\s*=", text, flags=re.I), template.name
    assert not re.search(r"\son[a-z]+\s*=", text, flags=re.I), f"on* handler in {template.name}"
    assert "javascript:" not in text.lower(), template.name
