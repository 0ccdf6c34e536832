"""Who is logged in, and the decorators every console view uses.

Sessions are Flask's signed cookies (HttpOnly, SameSite=Strict, Secure when
the public URL is https or when configured) holding the advocate id, a random
session id and three times: `started` (absolute lifetime), `seen` (idle
expiry) and `auth_at` (last password entry, for `recent_auth_required`). The
session id must name a row of `console_sessions` (bot/console/sessions.py),
and the account is loaded from the database on every request, so log-out,
deactivation or a password reset end a session at once, copied cookies included.

Every endpoint requires a logged-in advocate unless marked `@public`
(`require_login` runs before every request), so a view that forgets
`@login_required` is still closed.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import (
    Flask,
    current_app,
    flash,
    jsonify,
    redirect,
    request,
    session,
    url_for,
)
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_login import login_required as _flask_login_required
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from bot.config import Settings
from bot.console import accounts, sessions
from bot.store.db import session_scope
from bot.store.models import Advocate, as_utc

F = TypeVar("F", bound=Callable[..., Any])

login_required = _flask_login_required


class ConsoleUser(UserMixin):
    """Flask-Login's view of an advocate; `.advocate` is the detached row."""

    def __init__(self, advocate: Advocate) -> None:
        self.advocate = advocate
        self.id = str(advocate.id)


# -- settings, clock, database ----------------------------------------------------------

def settings() -> Settings:
    return current_app.config["HOTLINE_SETTINGS"]


def now() -> float:
    """Seconds since the epoch; tests replace app.config["CONSOLE_CLOCK"]."""
    return current_app.config["CONSOLE_CLOCK"]()


@contextmanager
def db() -> Iterator[Session]:
    """A transaction on the hotline database (commit on success)."""
    with session_scope(settings().database_url) as s:
        yield s


def login_policy() -> accounts.LoginPolicy:
    import datetime as dt

    s = settings()
    return accounts.LoginPolicy(attempts=s.console_lockout_attempts,
                                lockout=dt.timedelta(minutes=s.console_lockout_minutes))


# -- the current advocate ---------------------------------------------------------------

def current_advocate() -> Advocate:
    """The logged-in advocate, loaded from the database in this request (detached)."""
    if not current_user.is_authenticated:
        raise RuntimeError("current_advocate() outside a logged-in request")
    return current_user.advocate


def password_version(advocate: Advocate) -> str:
    changed = as_utc(advocate.password_changed_at)
    return changed.isoformat() if changed else ""


def _load_user(user_id: str) -> ConsoleUser | None:
    try:
        advocate_id = int(user_id)
    except ValueError:
        return None
    with db() as s:
        advocate = s.get(Advocate, advocate_id)
        if advocate is None or not sessions.is_open(s, session.get("sid"), advocate_id):
            return None
        s.expunge(advocate)
    if not advocate.active or session.get("pwv") != password_version(advocate):
        return None
    return ConsoleUser(advocate)


def start_session(advocate: Advocate) -> None:
    """Log in: a fresh session (no fixation), timers set, password just entered."""
    session.clear()
    with db() as s:
        session_id = sessions.open_session(
            s, advocate.id, dt.timedelta(hours=settings().console_session_hours))
    login_user(ConsoleUser(advocate))
    t = now()
    session.update(started=t, seen=t, auth_at=t, pwv=password_version(advocate),
                   sid=session_id)


def end_session() -> None:
    """Log out here and on the server: the session's row goes, so copies of it fail."""
    session_id = session.get("sid")
    if session_id:
        with db() as s:
            sessions.close_session(s, session_id)
    logout_user()
    session.clear()


def _session_expired(t: float) -> bool:
    s = settings()
    started, seen = session.get("started", 0.0), session.get("seen", 0.0)
    return (t - seen > s.console_idle_minutes * 60
            or t - started > s.console_session_hours * 3600)


# -- responses for the refused --------------------------------------------------------

def wants_json() -> bool:
    if request.path.startswith("/api/") or request.is_json:
        return True
    best = request.accept_mimetypes.best
    return best == "application/json"


def safe_next(target: str | None) -> str | None:
    """A same-site relative path, or None (no open redirects)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target


def _back_target() -> str:
    """Where to return after logging in: this page for GET, the referring page for POST."""
    if request.method == "GET":
        return request.full_path.rstrip("?")
    ref = request.referrer or ""
    parts = urlsplit(ref)
    if parts.netloc and parts.netloc != request.host:
        return "/"
    return safe_next(parts.path + (f"?{parts.query}" if parts.query else "")) or "/"


def unauthorized() -> Response:
    if wants_json():
        response = jsonify(error="login required")
        response.status_code = 401
        return response
    return redirect(url_for("auth.login", next=_back_target()))


def forbidden() -> Response:
    if wants_json():
        response = jsonify(error="not allowed for your role")
        response.status_code = 403
        return response
    from flask import abort

    abort(403)
    raise AssertionError  # unreachable


# -- decorators -------------------------------------------------------------------------

def public(view: F) -> F:
    """Mark a view as reachable without logging in (log-in page, health check)."""
    view._console_public = True  # type: ignore[attr-defined]
    return view


def background(view: F) -> F:
    """A request the page makes on its own (queue polling): not advocate activity,
    so it does not postpone the idle expiry."""
    view._console_background = True  # type: ignore[attr-defined]
    return view


def role_required(*roles: str) -> Callable[[F], F]:
    """Allow advocates holding any of `roles` (admin ⊇ supervisor ⊇ advocate)."""
    for role in roles:
        if role not in accounts.ROLES:
            raise ValueError(f"unknown role {role!r}")

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return unauthorized()
            if not any(accounts.has_role(current_advocate(), r) for r in roles):
                return forbidden()
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorate


def reauth_fresh() -> bool:
    window = settings().console_reauth_minutes * 60
    return now() - session.get("auth_at", 0.0) <= window


def recent_auth_required(view: F) -> F:
    """The password must have been entered within HOTLINE_CONSOLE_REAUTH_MINUTES
    (reveals, exports); otherwise ask for it again and come back."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return unauthorized()
        if reauth_fresh():
            return view(*args, **kwargs)
        if wants_json():
            response = jsonify(error="reauthentication required",
                               reauth_url=url_for("auth.reauth", next=_back_target()))
            response.status_code = 401
            return response
        if request.method != "GET":
            flash("Confirm your password, then do that again.", "info")
        return redirect(url_for("auth.reauth", next=_back_target()))

    return wrapped  # type: ignore[return-value]


# -- wiring -----------------------------------------------------------------------------

def require_login() -> Response | None:
    """Before every request: expire old sessions, then refuse anonymous requests."""
    if "_user_id" in session:
        t = now()
        if _session_expired(t) or not current_user.is_authenticated:
            end_session()
            if request.endpoint != "auth.login":
                flash("Your session ended. Please log in again.", "info")
        else:
            view = current_app.view_functions.get(request.endpoint or "")
            if not getattr(view, "_console_background", False):
                session["seen"] = t
    view = current_app.view_functions.get(request.endpoint or "")
    if view is None or request.endpoint == "static" or getattr(view, "_console_public", False):
        return None  # 404/405 and public pages
    if not current_user.is_authenticated:
        return unauthorized()
    return None


def init_auth(app: Flask) -> None:
    manager = LoginManager()
    manager.session_protection = "strong"
    manager.user_loader(_load_user)
    manager.unauthorized_handler(unauthorized)
    manager.init_app(app)
    app.config.setdefault("CONSOLE_CLOCK", time.time)
    app.before_request(require_login)

    @app.context_processor
    def _auth_context() -> dict[str, Any]:
        advocate = current_user.advocate if current_user.is_authenticated else None
        return {"advocate": advocate, "endpoints": current_app.view_functions,
                "has_role": (lambda role: bool(advocate) and accounts.has_role(advocate, role))}
