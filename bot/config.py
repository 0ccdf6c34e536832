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

DEFAULT_DB_URL = f"sqlite:///{VAR_DIR / 'hotline.db'}"


def _split_words(value: str) -> tuple[str, ...]:
    return tuple(w.strip().lower() for w in value.split(",") if w.strip())


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DB_URL
    host: str = "127.0.0.1"
    port: int = 5005
    actions_host: str = "127.0.0.1"
    actions_port: int = 5055
    default_language: str = "en"
    exit_words: tuple[str, ...] = ("exit", "salir")
    secret_key_file: Path = VAR_DIR / "secret.key"
    secret_key: str | None = field(default=None, repr=False)
    webchat_max_chars: int = 2000
    state_content_max_age_days: int = 365
    log_level: str = "INFO"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        if env is None:
            env = {**{k: v for k, v in dotenv_values(ROOT / ".env").items() if v is not None},
                   **os.environ}
        d = cls()
        lang = env.get("HOTLINE_DEFAULT_LANGUAGE", d.default_language).strip().lower()
        if lang not in ("en", "es"):
            raise ValueError("HOTLINE_DEFAULT_LANGUAGE must be 'en' or 'es'")
        return cls(
            database_url=env.get("HOTLINE_DATABASE_URL", d.database_url),
            host=env.get("HOTLINE_HOST", d.host),
            port=int(env.get("HOTLINE_PORT", d.port)),
            actions_host=env.get("HOTLINE_ACTIONS_HOST", d.actions_host),
            actions_port=int(env.get("HOTLINE_ACTIONS_PORT", d.actions_port)),
            default_language=lang,
            exit_words=_split_words(env.get("HOTLINE_EXIT_WORDS", ",".join(d.exit_words))),
            secret_key_file=Path(env.get("HOTLINE_SECRET_KEY_FILE", d.secret_key_file)),
            secret_key=env.get("HOTLINE_SECRET_KEY") or None,
            webchat_max_chars=int(env.get("HOTLINE_WEBCHAT_MAX_CHARS", d.webchat_max_chars)),
            state_content_max_age_days=int(
                env.get("HOTLINE_STATE_CONTENT_MAX_AGE_DAYS", d.state_content_max_age_days)
            ),
            log_level=env.get("HOTLINE_LOG_LEVEL", d.log_level).upper(),
        )

    def resolved_secret_key(self) -> bytes:
        """The key used for keyed hashes of contact addresses.

        Taken from HOTLINE_SECRET_KEY, else from the key file, which is created
        (mode 600) on first use so a fresh install needs no manual step.
        """
        if self.secret_key:
            return self.secret_key.encode()
        path = self.secret_key_file
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:  # another process created it first
                pass
            else:
                with os.fdopen(fd, "w") as fh:
                    fh.write(secrets.token_urlsafe(48))
        return path.read_text().strip().encode()


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Process-wide settings (environment wins over `.env`)."""
    return Settings.from_env()
