"""Account management for admins: add, change role and maximum of conversations,
deactivate, reactivate, reset password.

Every change goes through bot/console/accounts.py (same policy and audit
events as the CLI) and needs the admin's password within the re-auth window.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from bot.console import accounts
from bot.console.auth import (
    current_advocate,
    db,
    recent_auth_required,
    role_required,
    settings,
)
from bot.console.passwords import MIN_LENGTH
from bot.store.models import Advocate

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _actor(session: Any) -> accounts.Actor:
    return accounts.Actor(advocate=session.get(Advocate, current_advocate().id))


@bp.get("/accounts", endpoint="accounts")
@role_required("admin")
def accounts_page() -> str:
    with db() as s:
        rows = accounts.list_all(s)
        s.expunge_all()
    return render_template("admin/accounts.html", accounts=rows, roles=accounts.ROLES,
                           min_length=MIN_LENGTH, max_capacity=accounts.MAX_CAPACITY,
                           default_capacity=settings().console_max_conversations)


def _change(message: str, change: Callable[[Any, accounts.Actor], None]) -> Response:
    """Apply one account change; show the policy's message if it is refused."""
    try:
        with db() as s:
            change(s, _actor(s))
    except accounts.AccountError as exc:
        flash(str(exc), "error")
    else:
        flash(message, "success")
    return redirect(url_for("admin.accounts"))


@bp.post("/accounts")
@role_required("admin")
@recent_auth_required
def add() -> Response:
    form = request.form
    username = form.get("username", "")
    if form.get("password", "") != form.get("password2", ""):
        flash("The two passwords differ.", "error")
        return redirect(url_for("admin.accounts"))

    def create(s: Any, by: accounts.Actor) -> None:
        accounts.create(s, username, form.get("password", ""), role=form.get("role", "advocate"),
                        display_name=form.get("display_name", ""), by=by)

    return _change(f"Account {accounts.normalise_username(username)} created.", create)


@bp.post("/accounts/<int:advocate_id>/role")
@role_required("admin")
@recent_auth_required
def change_role(advocate_id: int) -> Response:
    role = request.form.get("role", "")
    return _change("Role changed.", lambda s, by: accounts.set_role(
        s, accounts.get(s, advocate_id), role, by=by))


@bp.post("/accounts/<int:advocate_id>/capacity")
@role_required("admin")
@recent_auth_required
def change_capacity(advocate_id: int) -> Response:
    raw = request.form.get("max_conversations", "").strip()
    try:
        capacity = int(raw) if raw else None
    except ValueError:
        flash("The maximum is a whole number of conversations (or empty for the default).",
              "error")
        return redirect(url_for("admin.accounts"))
    return _change("Maximum conversations changed.", lambda s, by: accounts.set_capacity(
        s, accounts.get(s, advocate_id), capacity, by=by))


@bp.post("/accounts/<int:advocate_id>/deactivate")
@role_required("admin")
@recent_auth_required
def deactivate(advocate_id: int) -> Response:
    if advocate_id == current_advocate().id:
        flash("You cannot deactivate your own account.", "error")
        return redirect(url_for("admin.accounts"))
    return _change("Account deactivated; its sessions have ended.", lambda s, by:
                   accounts.deactivate(s, accounts.get(s, advocate_id), by=by))


@bp.post("/accounts/<int:advocate_id>/activate")
@role_required("admin")
@recent_auth_required
def activate(advocate_id: int) -> Response:
    return _change("Account reactivated.", lambda s, by:
                   accounts.reactivate(s, accounts.get(s, advocate_id), by=by))


@bp.post("/accounts/<int:advocate_id>/password")
@role_required("admin")
@recent_auth_required
def reset_password(advocate_id: int) -> Response:
    form = request.form
    if form.get("password", "") != form.get("password2", ""):
        flash("The two passwords differ.", "error")
        return redirect(url_for("admin.accounts"))
    return _change("Password set; the account's sessions have ended.", lambda s, by:
                   accounts.reset_password(s, accounts.get(s, advocate_id),
                                           form.get("password", ""), by=by))
