"""The console app factory: settings, sessions, CSRF, headers, blueprints.

Blueprints come from bot/console/views/: each module there defines `bp`.
VIEW_MODULES lists them; a missing one stops the console from starting.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import importlib
from typing import Any

from flask import Flask, redirect, render_template, url_for
from flask.json.provider import DefaultJSONProvider
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.wrappers import Response

from bot import safe_json
from bot.config import Settings
from bot.console.auth import init_auth, public, wants_json
from bot.console.security import init_security

VIEW_MODULES = ("auth_views", "admin", "audit", "queue", "conversation", "cases", "missed",
                "history", "reports", "directory")
COOKIE_NAME = "hotline_console"


def session_secret(settings: Settings) -> bytes:
    """A key for signing console sessions, derived from the hotline secret so a
    leaked session key never reveals the contact-hash key."""
    return hmac.new(settings.resolved_secret_key(), b"hotline-console-session-v1",
                    hashlib.sha256).digest()


class SafeJSONProvider(DefaultJSONProvider):
    """Request JSON through bot.safe_json: huge numbers and absurd nesting get a 400."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return safe_json.loads(s)


def secure_cookies(settings: Settings) -> bool:
    """`Secure` cookies whenever the hotline is published over https, or when asked."""
    return settings.console_secure_cookies or settings.public_url.startswith("https://")


def _register_views(app: Flask) -> None:
    """Every module of VIEW_MODULES, or no console at all: a renamed or missing file
    must stop the start-up, not silently drop its routes."""
    for name in VIEW_MODULES:
        module = importlib.import_module(f"bot.console.views.{name}")
        app.register_blueprint(module.bp)


def _error_page(status: int, message: str) -> tuple[Any, int]:
    if wants_json():
        return {"error": message}, status
    return render_template("error.html", status=status, message=message), status


def create_app(settings: Settings, *, testing: bool = False) -> Flask:
    app = Flask(__name__)
    app.json = SafeJSONProvider(app)
    lifetime = dt.timedelta(hours=settings.console_session_hours)
    app.config.update(
        HOTLINE_SETTINGS=settings,
        TESTING=testing,
        SECRET_KEY=session_secret(settings),
        SESSION_COOKIE_NAME=COOKIE_NAME,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_SECURE=secure_cookies(settings),
        # Backstop for the signed cookie's age; auth.py enforces idle and absolute expiry.
        PERMANENT_SESSION_LIFETIME=lifetime,
        REMEMBER_COOKIE_DURATION=dt.timedelta(seconds=0),
        WTF_CSRF_TIME_LIMIT=int(lifetime.total_seconds()),
        WTF_CSRF_SSL_STRICT=settings.console_secure_cookies,
        MAX_CONTENT_LENGTH=1024 * 1024,
        TEMPLATES_AUTO_RELOAD=False,
    )
    init_auth(app)  # before CSRF: anonymous requests get 401 / log-in, not 400
    CSRFProtect(app)
    init_security(app, https=settings.console_secure_cookies)
    _register_views(app)

    @app.get("/")
    def index() -> Response | str:
        if "queue.index" in app.view_functions:
            return redirect(url_for("queue.index"))
        return render_template("home.html")

    @app.get("/healthz")
    @public
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.errorhandler(CSRFError)
    def _csrf_error(error: CSRFError) -> tuple[Any, int]:
        return _error_page(400, "The form expired or was not sent from the console. "
                                "Go back, reload the page and try again.")

    for status, message in ((403, "Your role does not allow this."),
                            (404, "Not found."),
                            (405, "Not allowed."),
                            (413, "Too large.")):
        app.register_error_handler(status, lambda _e, s=status, m=message: _error_page(s, m))
    return app
