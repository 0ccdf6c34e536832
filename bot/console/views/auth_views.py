"""Log in, log out, and confirm the password again before a reveal or export."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from bot.console import accounts
from bot.console.auth import (
    current_advocate,
    db,
    end_session,
    login_policy,
    now,
    public,
    safe_next,
    start_session,
)
from bot.store.audit import record_event
from bot.store.models import Advocate

bp = Blueprint("auth", __name__)

# One message for every failure: it must not tell whether the username exists.
LOGIN_FAILED = ("Those details did not work. After several failed tries an account is "
                "locked for a while; ask an admin if you are stuck.")


@bp.route("/login", methods=["GET", "POST"])
@public
def login() -> Response | tuple[str, int] | str:
    target = safe_next(request.values.get("next")) or url_for("index")
    if request.method == "GET":
        if current_user.is_authenticated:
            return redirect(target)
        return render_template("login.html", next=target)
    username = request.form.get("username", "")[:128]
    password = request.form.get("password", "")
    with db() as s:
        advocate = accounts.authenticate(s, username, password, login_policy())
        if advocate is not None:
            s.flush()
            s.expunge(advocate)
    if advocate is None:
        return render_template("login.html", next=target, error=LOGIN_FAILED,
                               username=username), 401
    start_session(advocate)
    return redirect(target)


@bp.post("/logout")
def logout() -> Response:
    with db() as s:
        record_event(s, "logout", advocate=current_advocate())
    end_session()
    flash("You are logged out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/reauth", methods=["GET", "POST"])
def reauth() -> Response | tuple[str, int] | str:
    target = safe_next(request.values.get("next")) or url_for("index")
    if request.method == "GET":
        return render_template("reauth.html", next=target)
    with db() as s:
        advocate = s.get(Advocate, current_advocate().id)
        ok = advocate is not None and accounts.confirm_password(
            s, advocate, request.form.get("password", ""), login_policy())
        locked = advocate is None or accounts.is_locked(advocate, accounts.utcnow())
    if ok:
        session["auth_at"] = now()
        return redirect(target)
    if locked:
        end_session()
        flash(LOGIN_FAILED, "error")
        return redirect(url_for("auth.login"))
    return render_template("reauth.html", next=target, error="That password did not work."), 401
