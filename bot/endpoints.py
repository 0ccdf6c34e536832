"""The endpoints file Rasa runs with: endpoints.yml, with the stores set from settings.

endpoints.yml in the project folder is the template (and stays usable on its own
with `rasa run`). `hotline run` writes a copy for its Rasa server in which

- `tracker_store` is bot.store.tracker_store.EncryptedSQLTrackerStore at
  `url: ${HOTLINE_TRACKER_URL}` (Settings.tracker_url: a SQLite file by
  default, PostgreSQL by URL), and
- `lock_store` is Rasa's own Redis lock store when HOTLINE_REDIS_URL is set, so
  two replicas never process the same conversation at once (without it, Rasa's
  in-memory lock store, which is right for one server process).

Secrets never land in the file: the database URL and the Redis password reach
Rasa as environment variables, which Rasa expands in endpoint files.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import yaml

from bot.config import Settings
from bot.paths import ENDPOINTS_PATH

TRACKER_STORE_CLASS = "bot.store.tracker_store.EncryptedSQLTrackerStore"
# SQLTrackerStore options replaced by the single `url`.
_SQL_OPTIONS = ("dialect", "host", "port", "db", "username", "password", "login_db", "query")
REDIS_KEY_PREFIX = "hotline"


def redis_lock_store(url: str) -> tuple[dict[str, Any], dict[str, str]]:
    """Rasa's `lock_store: type: redis` section for a redis:// or rediss:// URL.

    Returns the section and the environment it needs (the password, if any).
    """
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss"):
        raise ValueError("HOTLINE_REDIS_URL must be redis://[user:password@]host[:port][/db] "
                         "or rediss://...")
    db = parts.path.strip("/") or "0"
    if not db.isdigit():
        raise ValueError("HOTLINE_REDIS_URL: the database (path) must be a number")
    section: dict[str, Any] = {
        "type": "redis",
        "url": parts.hostname or "localhost",
        "port": parts.port or 6379,
        "db": int(db),
        "key_prefix": REDIS_KEY_PREFIX,
    }
    env: dict[str, str] = {}
    if parts.username:
        section["username"] = unquote(parts.username)
    if parts.password:
        section["password"] = "${HOTLINE_REDIS_PASSWORD}"  # noqa: S105 (a reference, expanded by Rasa)
        env["HOTLINE_REDIS_PASSWORD"] = unquote(parts.password)
    if parts.scheme == "rediss":
        section["use_ssl"] = True
    return section, env


def runtime_endpoints(settings: Settings,
                      template: Path = ENDPOINTS_PATH) -> tuple[dict[str, Any], dict[str, str]]:
    """The endpoints configuration and the environment variables it refers to."""
    config = yaml.safe_load(template.read_text()) or {}
    tracker = {k: v for k, v in (config.get("tracker_store") or {}).items()
               if k not in _SQL_OPTIONS}
    tracker["type"] = TRACKER_STORE_CLASS
    tracker["url"] = "${HOTLINE_TRACKER_URL}"
    config["tracker_store"] = tracker
    env = {"HOTLINE_TRACKER_URL": settings.tracker_url}
    if settings.redis_url:
        config["lock_store"], redis_env = redis_lock_store(settings.redis_url)
        env.update(redis_env)
    return config, env


def write_runtime_endpoints(settings: Settings) -> tuple[Path, dict[str, str]]:
    """Write the runtime endpoints file (mode 600, a fresh temporary file per run).

    One file per `hotline run`, so several supervisors started from the same
    folder (replicas on one machine, tests) never overwrite each other's.
    The caller deletes it when the servers stop.
    """
    config, env = runtime_endpoints(settings)
    fd, name = tempfile.mkstemp(prefix="hotline-endpoints-", suffix=".yml")
    with os.fdopen(fd, "w") as fh:
        fh.write("# Written by `hotline run` from endpoints.yml and the settings "
                 "(bot/endpoints.py); do not edit.\n")
        yaml.safe_dump(config, fh, sort_keys=False)
    return Path(name), env
