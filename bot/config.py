"""Settings from environment variables (and an optional `.env` file).

Every setting is documented in README.md ("Configuration"). Values are read
once per process; tests build their own `Settings` with `Settings.from_env(env)`.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from dotenv import dotenv_values

from bot.paths import ROOT, VAR_DIR
from bot.private_files import write_private

DEFAULT_DB_URL = f"sqlite:///{VAR_DIR / 'hotline.db'}"
# The secret keys contact hashes, web chat sessions and the console's session key;
# a short one could be guessed offline from a copied database.
MIN_SECRET_CHARS = 16


class SecretKeyError(ValueError):
    """The secret key is unusable (too short, empty file); the message says what to do."""


def _split_words(value: str) -> tuple[str, ...]:
    return tuple(w.strip().lower() for w in value.split(",") if w.strip())


def _positive_int(env: Mapping[str, str], name: str, default: int) -> int:
    value = int(env.get(name, default))
    if value < 1:
        raise ValueError(f"{name} must be at least 1")
    return value


MAX_RASA_WORKERS = 16


def _workers(env: Mapping[str, str], name: str, default: int) -> int:
    value = _positive_int(env, name, default)
    if value > MAX_RASA_WORKERS:
        raise ValueError(f"{name} must be at most {MAX_RASA_WORKERS} "
                         "(each Rasa server holds about 1 GB)")
    return value


def _positive_float(env: Mapping[str, str], name: str, default: float) -> float:
    value = float(env.get(name, default))
    if value <= 0:
        raise ValueError(f"{name} must be greater than 0")
    return value


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    value = env.get(name, "").strip().lower()
    if not value:
        return default
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"{name} must be 1 or 0 (on / off)")


def _checked_url(env: Mapping[str, str], name: str, default: str) -> str:
    """An absolute http(s) address (anything else could run script or stay on a blank page)."""
    from urllib.parse import urlsplit

    value = env.get(name, "").strip() or default
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{name} must be an http:// or https:// address")
    return value


def _checked_hours(spec: str) -> str:
    from bot.staffed_hours import parse_hours

    parse_hours(spec)  # fail at start-up, not when the first texter waits
    return spec


def _checked_timezone(name: str) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"HOTLINE_TIMEZONE: unknown time zone {name!r}") from exc
    return name


def is_postgresql(url: str) -> bool:
    """True for a PostgreSQL SQLAlchemy URL (any driver)."""
    return url.split(":", 1)[0].split("+", 1)[0] == "postgresql"


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DB_URL
    host: str = "127.0.0.1"
    port: int = 5005
    actions_host: str = "127.0.0.1"
    actions_port: int = 5055
    # The internal channel gateway -> Rasa (bot/gateway/): Rasa listens on loopback
    # only. Port 0: `hotline run` picks a free one. The secret is made per run
    # unless set (several gateways sharing one Rasa need the same value).
    rasa_port: int = 0
    rasa_url: str = ""  # one URL, or one per worker separated by commas
    # Rasa servers `hotline run` starts on this machine; the gateway sends each
    # conversation to one of them by a stable hash of its id (bot/gateway/workers.py).
    rasa_workers: int = 1
    internal_secret: str = ""
    # How long the web chat waits for the assistant before answering "one moment";
    # the replies then reach the page through /updates.
    webchat_wait_seconds: float = 20.0
    default_language: str = "en"
    exit_words: tuple[str, ...] = ("exit", "salir")
    secret_key_file: Path = VAR_DIR / "secret.key"
    secret_key: str | None = field(default=None, repr=False)
    # Fernet keys for encryption at rest (bot/store/crypto.py); first = current.
    data_key_file: Path = VAR_DIR / "data.keys"
    data_keys: str | None = field(default=None, repr=False)
    webchat_max_chars: int = 2000
    # Where the web chat's Leave button (and EXIT) sends the texter: an ordinary page,
    # so a glance at the screen shows nothing unusual.
    webchat_leave_url: str = "https://www.google.com/"
    state_content_max_age_days: int = 365
    # Directory services verified longer ago than this are stale: never offered to texters.
    directory_max_age_days: int = 365
    log_level: str = "INFO"
    public_url: str = ""
    twilio_account_sid: str = ""
    twilio_auth_token: str = field(default="", repr=False)
    twilio_from_number: str = ""
    twilio_messaging_service_sid: str = ""
    twilio_api_base_url: str = "https://api.twilio.com"
    sms_max_segments: int = 3
    telegram_bot_token: str = field(default="", repr=False)
    telegram_mode: str = "polling"
    telegram_webhook_secret: str = field(default="", repr=False)
    telegram_api_base_url: str = "https://api.telegram.org"
    outbox_rate_per_second: float = 1.0
    outbox_max_attempts: int = 10
    outbox_backoff_base_seconds: float = 2.0
    outbox_backoff_max_seconds: float = 300.0
    provider_timeout_seconds: float = 15.0
    outbox_lease_seconds: float = 120.0
    # Retention (bot/retention.py) and safe texting (README "Privacy and safety").
    tracker_db: Path = VAR_DIR / "rasa_tracker.db"
    retention_messages_days: int = 30
    retention_tips_days: int = 365
    retention_cases_days: int = 365
    retention_audit_days: int = 730
    reply_window_hours: float = 24.0
    flood_max_per_minute: int = 20
    # Warn (doctor, log) when the disk holding the database or var/ has less free.
    disk_warn_mb: int = 1024
    # The advocate queue (bot/handoff/, docs/console.md): how long a request waits
    # unclaimed before the texter is told nobody is free, and the staffed hours.
    handoff_unclaimed_minutes: float = 10.0
    advocate_hours: str = ""
    timezone: str = "America/New_York"
    # Advocate console (bot/console/, docs/console.md).
    console_host: str = "127.0.0.1"
    console_port: int = 5006
    console_secure_cookies: bool = False
    console_idle_minutes: int = 30
    console_session_hours: int = 12
    console_reauth_minutes: int = 5
    # Simultaneous conversations an advocate holds before new ones go to others.
    console_max_conversations: int = 3
    console_lockout_attempts: int = 5
    console_lockout_minutes: int = 15
    # De-identified statistics (bot/reports/stats.py, docs/statistics.md): counts
    # below this are suppressed.
    stats_min_cell: int = 10
    # Scale-out (docs/deploy.md): Rasa's tracker store by URL (default: see
    # `tracker_url`), Redis for Rasa's lock store, and whether this replica polls
    # Telegram (exactly one replica may).
    tracker_store_url: str = field(default="", repr=False)
    redis_url: str = field(default="", repr=False)
    telegram_polling: bool = True

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        if env is None:
            env = {**{k: v for k, v in dotenv_values(ROOT / ".env").items() if v is not None},
                   **os.environ}
        d = cls()
        lang = env.get("HOTLINE_DEFAULT_LANGUAGE", d.default_language).strip().lower()
        if lang not in ("en", "es"):
            raise ValueError("HOTLINE_DEFAULT_LANGUAGE must be 'en' or 'es'")
        mode = env.get("TELEGRAM_MODE", d.telegram_mode).strip().lower()
        if mode not in ("polling", "webhook"):
            raise ValueError("TELEGRAM_MODE must be 'polling' or 'webhook'")
        return cls(
            database_url=env.get("HOTLINE_DATABASE_URL", d.database_url),
            host=env.get("HOTLINE_HOST", d.host),
            port=int(env.get("HOTLINE_PORT", d.port)),
            actions_host=env.get("HOTLINE_ACTIONS_HOST", d.actions_host),
            rasa_port=int(env.get("HOTLINE_RASA_PORT", d.rasa_port)),
            rasa_url=env.get("HOTLINE_RASA_URL", d.rasa_url),
            rasa_workers=_workers(env, "HOTLINE_RASA_WORKERS", d.rasa_workers),
            internal_secret=env.get("HOTLINE_INTERNAL_SECRET", d.internal_secret),
            webchat_wait_seconds=_positive_float(env, "HOTLINE_WEBCHAT_WAIT_SECONDS",
                                                 d.webchat_wait_seconds),
            actions_port=int(env.get("HOTLINE_ACTIONS_PORT", d.actions_port)),
            default_language=lang,
            exit_words=_split_words(env.get("HOTLINE_EXIT_WORDS", ",".join(d.exit_words))),
            secret_key_file=Path(env.get("HOTLINE_SECRET_KEY_FILE", d.secret_key_file)),
            secret_key=env.get("HOTLINE_SECRET_KEY") or None,
            data_key_file=Path(env.get("HOTLINE_DATA_KEY_FILE", d.data_key_file)),
            data_keys=env.get("HOTLINE_DATA_KEYS") or None,
            webchat_max_chars=int(env.get("HOTLINE_WEBCHAT_MAX_CHARS", d.webchat_max_chars)),
            webchat_leave_url=_checked_url(env, "HOTLINE_WEBCHAT_LEAVE_URL",
                                           d.webchat_leave_url),
            state_content_max_age_days=int(
                env.get("HOTLINE_STATE_CONTENT_MAX_AGE_DAYS", d.state_content_max_age_days)
            ),
            directory_max_age_days=int(
                env.get("HOTLINE_DIRECTORY_MAX_AGE_DAYS", d.directory_max_age_days)
            ),
            log_level=env.get("HOTLINE_LOG_LEVEL", d.log_level).upper(),
            public_url=env.get("HOTLINE_PUBLIC_URL", d.public_url).rstrip("/"),
            twilio_account_sid=env.get("TWILIO_ACCOUNT_SID", ""),
            twilio_auth_token=env.get("TWILIO_AUTH_TOKEN", ""),
            twilio_from_number=env.get("TWILIO_FROM_NUMBER", ""),
            twilio_messaging_service_sid=env.get("TWILIO_MESSAGING_SERVICE_SID", ""),
            twilio_api_base_url=env.get("TWILIO_API_BASE_URL", d.twilio_api_base_url).rstrip("/"),
            sms_max_segments=min(10, max(1, int(env.get("HOTLINE_SMS_MAX_SEGMENTS",
                                                        d.sms_max_segments)))),
            telegram_bot_token=env.get("TELEGRAM_BOT_TOKEN", ""),
            telegram_mode=mode,
            telegram_webhook_secret=env.get("TELEGRAM_WEBHOOK_SECRET", ""),
            telegram_api_base_url=env.get("TELEGRAM_API_BASE_URL",
                                          d.telegram_api_base_url).rstrip("/"),
            outbox_rate_per_second=float(env.get("HOTLINE_OUTBOX_RATE_PER_SECOND",
                                                 d.outbox_rate_per_second)),
            outbox_max_attempts=int(env.get("HOTLINE_OUTBOX_MAX_ATTEMPTS", d.outbox_max_attempts)),
            outbox_backoff_base_seconds=float(env.get("HOTLINE_OUTBOX_BACKOFF_BASE_SECONDS",
                                                      d.outbox_backoff_base_seconds)),
            outbox_backoff_max_seconds=float(env.get("HOTLINE_OUTBOX_BACKOFF_MAX_SECONDS",
                                                     d.outbox_backoff_max_seconds)),
            provider_timeout_seconds=float(env.get("HOTLINE_PROVIDER_TIMEOUT_SECONDS",
                                                   d.provider_timeout_seconds)),
            outbox_lease_seconds=float(env.get("HOTLINE_OUTBOX_LEASE_SECONDS",
                                               d.outbox_lease_seconds)),
            tracker_db=Path(env.get("HOTLINE_TRACKER_DB") or d.tracker_db),
            retention_messages_days=_positive_int(env, "HOTLINE_RETENTION_MESSAGES_DAYS",
                                                  d.retention_messages_days),
            retention_tips_days=_positive_int(env, "HOTLINE_RETENTION_TIPS_DAYS",
                                              d.retention_tips_days),
            retention_cases_days=_positive_int(env, "HOTLINE_RETENTION_CASES_DAYS",
                                               d.retention_cases_days),
            retention_audit_days=_positive_int(env, "HOTLINE_RETENTION_AUDIT_DAYS",
                                               d.retention_audit_days),
            reply_window_hours=_positive_float(env, "HOTLINE_REPLY_WINDOW_HOURS",
                                               d.reply_window_hours),
            flood_max_per_minute=max(0, int(env.get("HOTLINE_FLOOD_MAX_PER_MINUTE",
                                                    d.flood_max_per_minute))),
            disk_warn_mb=_positive_int(env, "HOTLINE_DISK_WARN_MB", d.disk_warn_mb),
            handoff_unclaimed_minutes=_positive_float(env, "HOTLINE_HANDOFF_UNCLAIMED_MINUTES",
                                                      d.handoff_unclaimed_minutes),
            advocate_hours=_checked_hours(env.get("HOTLINE_ADVOCATE_HOURS", d.advocate_hours)),
            timezone=_checked_timezone(env.get("HOTLINE_TIMEZONE", d.timezone)),
            tracker_store_url=env.get("HOTLINE_TRACKER_URL", "").strip(),
            redis_url=env.get("HOTLINE_REDIS_URL", "").strip(),
            telegram_polling=_flag(env, "TELEGRAM_POLLING", d.telegram_polling),
            console_host=env.get("HOTLINE_CONSOLE_HOST", d.console_host),
            console_port=int(env.get("HOTLINE_CONSOLE_PORT", d.console_port)),
            console_secure_cookies=_flag(env, "HOTLINE_CONSOLE_SECURE_COOKIES",
                                         d.console_secure_cookies),
            console_idle_minutes=_positive_int(env, "HOTLINE_CONSOLE_IDLE_MINUTES",
                                               d.console_idle_minutes),
            console_session_hours=_positive_int(env, "HOTLINE_CONSOLE_SESSION_HOURS",
                                                d.console_session_hours),
            console_reauth_minutes=_positive_int(env, "HOTLINE_CONSOLE_REAUTH_MINUTES",
                                                 d.console_reauth_minutes),
            console_max_conversations=_positive_int(env, "HOTLINE_CONSOLE_MAX_CONVERSATIONS",
                                                    d.console_max_conversations),
            console_lockout_attempts=_positive_int(env, "HOTLINE_CONSOLE_LOCKOUT_ATTEMPTS",
                                                   d.console_lockout_attempts),
            console_lockout_minutes=_positive_int(env, "HOTLINE_CONSOLE_LOCKOUT_MINUTES",
                                                  d.console_lockout_minutes),
            stats_min_cell=_positive_int(env, "HOTLINE_STATS_MIN_CELL", d.stats_min_cell),
        )

    @property
    def tracker_url(self) -> str:
        """SQLAlchemy URL of Rasa's tracker store.

        HOTLINE_TRACKER_URL if set; else the SQLite file HOTLINE_TRACKER_DB if
        that was changed from its default; else the project database when that
        is PostgreSQL (Rasa's `events` table sits beside ours); else the default
        SQLite file var/rasa_tracker.db. Relative paths are relative to the
        project folder.
        """
        if self.tracker_store_url:
            return self.tracker_store_url
        if is_postgresql(self.database_url) and self.tracker_db == Settings.tracker_db:
            return self.database_url
        path = self.tracker_db if self.tracker_db.is_absolute() else ROOT / self.tracker_db
        return f"sqlite:///{path}"

    @property
    def rasa_urls(self) -> list[str]:
        """Where the gateway reaches its Rasa workers, in worker order."""
        return [u.strip().rstrip("/") for u in self.rasa_url.split(",") if u.strip()]

    @property
    def twilio_enabled(self) -> bool:
        return bool(self.twilio_account_sid and self.twilio_auth_token
                    and (self.twilio_from_number or self.twilio_messaging_service_sid))

    @property
    def telegram_enabled(self) -> bool:
        return bool(self.telegram_bot_token)

    def resolved_secret_key(self) -> bytes:
        """The key used for keyed hashes of contact addresses.

        Taken from HOTLINE_SECRET_KEY, else from the key file, which is created
        (mode 600) on first use so a fresh install needs no manual step.
        """
        if self.secret_key is not None:
            return _long_enough(self.secret_key.strip(), "HOTLINE_SECRET_KEY").encode()
        path = self.secret_key_file
        if not path.exists():
            # Whole or not at all (temporary file, then link): a process starting at
            # the same moment never reads an empty key; the first writer wins.
            write_private(path, secrets.token_urlsafe(48) + "\n", exclusive=True)
        return _long_enough(path.read_text().strip(), f"the secret key file {path}").encode()


def _long_enough(secret: str, where: str) -> str:
    if len(secret) < MIN_SECRET_CHARS:
        raise SecretKeyError(
            f"{where} is too short ({len(secret)} characters; at least {MIN_SECRET_CHARS}). "
            "Use a long random value, e.g. from `python -c \"import secrets; "
            "print(secrets.token_urlsafe(48))\"`, the same on every replica; or unset "
            "HOTLINE_SECRET_KEY to have one created in HOTLINE_SECRET_KEY_FILE")
    return secret


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Process-wide settings (environment wins over `.env`)."""
    return Settings.from_env()
