"""`hotline doctor`: say plainly what is wrong with this installation, if anything."""

from __future__ import annotations

import sys
from collections.abc import Callable

from bot.config import get_settings
from bot.paths import MODEL_PATH, ROOT

Check = Callable[[], tuple[bool, str]]


def check_python() -> tuple[bool, str]:
    ok = sys.version_info[:2] == (3, 10)
    return ok, f"Python {sys.version.split()[0]}" + ("" if ok else " (Rasa 3.6 needs 3.10)")


def check_settings() -> tuple[bool, str]:
    try:
        s = get_settings()
    except ValueError as exc:
        return False, f"settings: {exc}"
    return True, (f"settings: port {s.port}, actions port {s.actions_port}, "
                  f"language {s.default_language}")


def check_model() -> tuple[bool, str]:
    from bot.training import model_is_current

    if not MODEL_PATH.exists():
        return False, "model: none trained yet; run `hotline train` (or `make model`)"
    if not model_is_current():
        return False, ("model: training data or config changed since the last training; "
                       "run `hotline train`")
    return True, f"model: {MODEL_PATH.relative_to(ROOT)} is up to date"


def check_database() -> tuple[bool, str]:
    from bot.store.migrate import current_revision, head_revision

    url = get_settings().database_url
    safe_url = url.split("@")[-1] if "@" in url else url
    try:
        current = current_revision(url)
    except Exception as exc:  # report, don't crash: this is a diagnostic
        return False, f"database: cannot connect to {safe_url} ({type(exc).__name__})"
    head = head_revision()
    if current != head:
        return False, f"database: schema at {current}, expected {head}; run `hotline db upgrade`"
    return True, f"database: {safe_url} at schema {current}"


def check_secret_key() -> tuple[bool, str]:
    from bot.config import SecretKeyError

    s = get_settings()
    if s.secret_key or s.secret_key_file.exists():
        try:
            s.resolved_secret_key()
        except SecretKeyError as exc:
            return False, f"secret key: {exc}"
    if s.secret_key:
        return True, "secret key: from HOTLINE_SECRET_KEY"
    if s.secret_key_file.exists():
        mode = s.secret_key_file.stat().st_mode & 0o077
        if mode:
            return False, f"secret key: {s.secret_key_file} is readable by others; chmod 600 it"
        return True, f"secret key: {s.secret_key_file}"
    return True, "secret key: will be created on first run"


def check_content() -> tuple[bool, str]:
    from bot.content.loader import ContentError, load_content

    try:
        content = load_content()
    except ContentError as exc:
        return False, f"content: {exc}"
    pending = content.unreviewed()
    note = f"; {len(pending)} entries marked to be reviewed before launch" if pending else ""
    return True, f"content: loaded{note}"


def check_console_content() -> tuple[bool, str]:
    """Canned replies and the mandatory-reporting steps the console shows advocates."""
    from bot.content.canned import load_canned_replies
    from bot.content.loader import ContentError
    from bot.content.mandatory import load_reporting_steps

    try:
        load_canned_replies()
        steps = load_reporting_steps()
    except ContentError as exc:
        return False, f"console content: {exc}"
    note = "" if steps.reviewed else (
        "; the mandatory-reporting steps are not reviewed yet (have counsel check them)")
    return True, f"console content: canned replies and reporting steps loaded{note}"


def check_console_accounts() -> tuple[bool, str]:
    """Nobody can take a handoff until an admin account exists."""
    from sqlalchemy import func, select

    from bot.store.db import session_scope
    from bot.store.models import Advocate

    try:
        with session_scope(get_settings().database_url) as session:
            admins = session.execute(select(func.count()).select_from(Advocate).where(
                Advocate.active.is_(True), Advocate.role == "admin")).scalar_one()
            active = session.execute(select(func.count()).select_from(Advocate).where(
                Advocate.active.is_(True))).scalar_one()
    except Exception as exc:  # an unmigrated database is reported by check_database
        return False, f"console accounts: cannot read ({type(exc).__name__})"
    if not admins:
        return False, ("console accounts: no active admin; create one with "
                       "`hotline advocate add USERNAME --role admin`")
    return True, f"console accounts: {active} active, {admins} admin(s)"


def check_directory() -> tuple[bool, str]:
    """How much of the resource directory may reach texters (informational: a new
    install has only unverified national entries, and the fallback covers it)."""
    from datetime import date

    from sqlalchemy import select

    from bot.directory.status import ACTIVE, Freshness, freshness
    from bot.store.db import session_scope
    from bot.store.models import DirService

    settings = get_settings()
    try:
        with session_scope(settings.database_url) as session:
            active = list(session.scalars(select(DirService).where(DirService.status == ACTIVE)))
    except Exception as exc:  # an unmigrated database is reported by check_database
        return False, f"directory: cannot read ({type(exc).__name__})"
    today = date.today()
    counts = {f: 0 for f in Freshness}
    for service in active:
        counts[freshness(service, today, settings.directory_max_age_days)] += 1
    return True, (f"directory: {counts[Freshness.CURRENT]} service(s) offered to texters, "
                  f"{counts[Freshness.STALE]} stale, {counts[Freshness.UNVERIFIED]} unverified "
                  "(console: Directory, Stale and unverified)")


def check_channels() -> tuple[bool, str]:
    s = get_settings()
    parts = ["web chat on"]
    problems = []
    partial_twilio = any((s.twilio_account_sid, s.twilio_auth_token, s.twilio_from_number,
                          s.twilio_messaging_service_sid))
    if s.twilio_enabled:
        parts.append("SMS (Twilio) on")
        if not s.public_url:
            problems.append("HOTLINE_PUBLIC_URL is unset: Twilio signatures are checked "
                            "against the request host, which is wrong behind a proxy")
    elif partial_twilio:
        problems.append("Twilio is half configured: set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN "
                        "and TWILIO_FROM_NUMBER (or TWILIO_MESSAGING_SERVICE_SID)")
    else:
        parts.append("SMS off")
    if s.telegram_enabled:
        parts.append(f"Telegram on ({s.telegram_mode})")
        if s.telegram_mode == "webhook" and not (s.public_url and s.telegram_webhook_secret):
            problems.append("Telegram webhook mode needs HOTLINE_PUBLIC_URL and "
                            "TELEGRAM_WEBHOOK_SECRET")
    else:
        parts.append("Telegram off")
    if problems:
        return False, "channels: " + "; ".join(problems)
    return True, "channels: " + ", ".join(parts)


def check_disk_space() -> tuple[bool, str]:
    """A full disk turns texts away: say so before it happens."""
    from bot.store.disk import free_space

    s = get_settings()
    spaces = free_space(s)
    low = [d for d in spaces if d.free_mb < s.disk_warn_mb]
    if low:
        return False, "disk: " + "; ".join(
            f"only {d.free_mb} MB free for the {d.what} ({d.path}), below "
            f"HOTLINE_DISK_WARN_MB={s.disk_warn_mb}: free space before texts are refused"
            for d in low)
    return True, "disk: " + ", ".join(f"{d.what} {d.free_mb} MB free" for d in spaces)


CHECKS: list[Check] = [check_python, check_settings, check_secret_key, check_database,
                       check_model, check_content, check_console_content,
                       check_console_accounts, check_directory, check_channels,
                       check_disk_space]


def run_checks() -> int:
    failures = 0
    for check in CHECKS:
        ok, message = check()
        failures += not ok
        print(f"[{'ok' if ok else 'FAIL'}] {message}")
    print("all good" if not failures else f"{failures} problem(s) found")
    return 1 if failures else 0
