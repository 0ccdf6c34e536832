"""Free space where the hotline writes: warn before a full disk turns texts away.

A full disk makes the inbox refuse messages (the texter then gets the 24/7
numbers, bot/channels/intake_failure.py), so the operator hears about it first
from `hotline doctor` and from a warning in the log.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.config import Settings
from bot.paths import VAR_DIR


@dataclass(frozen=True)
class DiskSpace:
    what: str
    path: Path
    free_mb: int


def watched_paths(settings: Settings) -> list[tuple[str, Path]]:
    """The SQLite database's folder (when the database is a file) and var/."""
    paths: list[tuple[str, Path]] = []
    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        paths.append(("database", Path(url.database).resolve().parent))
    paths.append(("var", VAR_DIR))
    return paths


def free_space(settings: Settings) -> list[DiskSpace]:
    """Free megabytes at each watched path that exists (its nearest existing parent)."""
    result = []
    for what, path in watched_paths(settings):
        probe = path
        while not probe.exists() and probe != probe.parent:
            probe = probe.parent
        result.append(DiskSpace(what, path, shutil.disk_usage(probe).free // (1024 * 1024)))
    return result


def low_space(settings: Settings) -> list[DiskSpace]:
    """Watched paths with less free space than HOTLINE_DISK_WARN_MB."""
    return [d for d in free_space(settings) if d.free_mb < settings.disk_warn_mb]
