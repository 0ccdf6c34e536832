"""Console accounts: create, change role, deactivate, reset password, log in.

Used by the CLI (`hotline advocate ...`) and the admin views alike, so both
apply the same policy and write the same audit events. Every change is audited
in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.console import passwords, sessions
from bot.handoff import queue
from bot.store.audit import record_event
from bot.store.models import Advocate, as_utc

ROLES = ("advocate", "supervisor", "admin")  # each includes the ones before it
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")


class AccountError(ValueError):
    """A request that cannot be applied; the message is safe to show an admin."""


@dataclass(frozen=True)
class Actor:
    """Who changes an account: a logged-in advocate or a named tool (the CLI)."""

    advocate: Advocate | None = None
    name: str | None = None

    def audit(self) -> dict:
        return {"advocate": self.advocate} if self.advocate else {"actor": self.name or "cli"}


@dataclass(frozen=True)
class LoginPolicy:
    attempts: int = 5
    lockout: dt.timedelta = dt.timedelta(minutes=15)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def role_rank(role: str) -> int:
    return ROLES.index(role) if role in ROLES else -1


def has_role(advocate: Advocate, role: str) -> bool:
    """admin ⊇ supervisor ⊇ advocate."""
    return bool(advocate.active) and role_rank(advocate.role) >= role_rank(role) >= 0


def normalise_username(username: str) -> str:
    return username.strip().lower()


def find(session: Session, username: str) -> Advocate | None:
    return session.execute(
        select(Advocate).where(Advocate.username == normalise_username(username))
    ).scalar_one_or_none()


def get(session: Session, advocate_id: int) -> Advocate:
    advocate = session.get(Advocate, advocate_id)
    if advocate is None:
        raise AccountError("no such account")
    return advocate


def list_all(session: Session) -> list[Advocate]:
    return list(session.execute(select(Advocate).order_by(Advocate.username)).scalars())


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")


def create(session: Session, username: str, password: str, *, role: str = "advocate",
           display_name: str = "", by: Actor) -> Advocate:
    username = normalise_username(username)
    if not USERNAME_RE.match(username):
        raise AccountError("username: 2-64 characters, letters, digits, '.', '_' or '-'")
    _check_role(role)
    try:
        passwords.check_policy(password, username)
    except passwords.PasswordPolicyError as exc:
        raise AccountError(str(exc)) from exc
    if find(session, username) is not None:
        raise AccountError("that username is taken")
    now = utcnow()
    advocate = Advocate(username=username, display_name=(display_name.strip() or username)[:64],
                        password_hash=passwords.hash_password(password), role=role,
                        active=True, failed_logins=0, password_changed_at=now)
    session.add(advocate)
    session.flush()
    record_event(session, "account_created", **by.audit(), target=username, role=role)
    return advocate


def _active_admins(session: Session) -> int:
    return session.execute(select(func.count()).select_from(Advocate).where(
        Advocate.role == "admin", Advocate.active.is_(True))).scalar_one()


def _keep_an_admin(session: Session, advocate: Advocate) -> None:
    if advocate.role == "admin" and advocate.active and _active_admins(session) <= 1:
        raise AccountError("this is the last active admin; make another admin first")


def set_role(session: Session, advocate: Advocate, role: str, *, by: Actor) -> None:
    _check_role(role)
    if role == advocate.role:
        return
    if role != "admin":
        _keep_an_admin(session, advocate)
    old, advocate.role = advocate.role, role
    record_event(session, "account_role", **by.audit(), target=advocate.username,
                 old_role=old, role=role)


def deactivate(session: Session, advocate: Advocate, *, by: Actor) -> None:
    """The account can no longer log in; its open sessions end at once.

    Its conversations go back to the queue at their priority (audited one by one),
    so no texter waits on an account nobody uses any more.
    """
    if not advocate.active:
        return
    _keep_an_admin(session, advocate)
    advocate.active = False
    sessions.close_all(session, advocate.id)
    returned = queue.return_claims(session, advocate, by.audit())
    record_event(session, "account_deactivated", **by.audit(), target=advocate.username,
                 returned=len(returned))


MAX_CAPACITY = 50


def set_capacity(session: Session, advocate: Advocate, capacity: int | None, *,
                 by: Actor) -> None:
    """The most conversations this account holds at once (None: the console's default)."""
    if capacity is not None and not 1 <= capacity <= MAX_CAPACITY:
        raise AccountError(f"the maximum must be between 1 and {MAX_CAPACITY} conversations")
    if advocate.max_conversations == capacity:
        return
    advocate.max_conversations = capacity
    record_event(session, "account_capacity", **by.audit(), target=advocate.username,
                 max_conversations=capacity)


def reactivate(session: Session, advocate: Advocate, *, by: Actor) -> None:
    if advocate.active:
        return
    advocate.active, advocate.failed_logins, advocate.locked_until = True, 0, None
    record_event(session, "account_reactivated", **by.audit(), target=advocate.username)


def reset_password(session: Session, advocate: Advocate, password: str, *, by: Actor) -> None:
    """New password; sessions started with the old one end at once."""
    try:
        passwords.check_policy(password, advocate.username)
    except passwords.PasswordPolicyError as exc:
        raise AccountError(str(exc)) from exc
    advocate.password_hash = passwords.hash_password(password)
    advocate.password_changed_at = utcnow()
    advocate.failed_logins, advocate.locked_until = 0, None
    sessions.close_all(session, advocate.id)
    record_event(session, "account_password", **by.audit(), target=advocate.username)


def is_locked(advocate: Advocate, now: dt.datetime) -> bool:
    locked_until = as_utc(advocate.locked_until)
    return locked_until is not None and locked_until > now


def _failed(session: Session, advocate: Advocate, policy: LoginPolicy, now: dt.datetime,
            reason: str) -> None:
    advocate.failed_logins = (advocate.failed_logins or 0) + 1
    record_event(session, "login_failed", advocate=advocate, reason=reason)
    if advocate.failed_logins >= policy.attempts:
        advocate.failed_logins = 0
        advocate.locked_until = now + policy.lockout
        record_event(session, "account_locked", actor="system", target=advocate.username,
                     minutes=int(policy.lockout.total_seconds() // 60))


def authenticate(session: Session, username: str, password: str, policy: LoginPolicy,
                 now: dt.datetime | None = None) -> Advocate | None:
    """The advocate if the log-in succeeds, else None (the caller shows one generic error).

    Every path does one argon2 verification, so timing does not tell an unknown
    username from a wrong password or a locked account. Failures count toward
    the lock-out; a success resets the count and rehashes an outdated hash.
    """
    now = now or utcnow()
    advocate = find(session, username) if username.strip() else None
    if advocate is None:
        passwords.verify_dummy(password)
        record_event(session, "login_failed", actor="unknown", reason="unknown_user")
        return None
    if not advocate.active or is_locked(advocate, now):
        passwords.verify_dummy(password)
        reason = "inactive" if not advocate.active else "locked"
        record_event(session, "login_failed", advocate=advocate, reason=reason)
        return None
    if not passwords.verify(advocate.password_hash, password):
        _failed(session, advocate, policy, now, "wrong_password")
        return None
    if passwords.needs_rehash(advocate.password_hash):
        advocate.password_hash = passwords.hash_password(password)
    advocate.failed_logins, advocate.locked_until, advocate.last_login_at = 0, None, now
    record_event(session, "login", advocate=advocate)
    return advocate


def confirm_password(session: Session, advocate: Advocate, password: str, policy: LoginPolicy,
                     now: dt.datetime | None = None) -> bool:
    """Re-authentication of a logged-in advocate (reveal, export); failures count too."""
    now = now or utcnow()
    if not advocate.active or is_locked(advocate, now):
        passwords.verify_dummy(password)
        return False
    if not passwords.verify(advocate.password_hash, password):
        _failed(session, advocate, policy, now, "reauth_wrong_password")
        return False
    advocate.failed_logins = 0
    record_event(session, "reauth", advocate=advocate)
    return True
