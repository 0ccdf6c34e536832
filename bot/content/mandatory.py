"""Mandatory-reporting steps shown to advocates on a minor's conversation.

Why a content file: who must report, to whom and how fast depends on state law
and the organisation's policy, so operators edit the steps (with counsel)
without touching code. Loading refuses a file without a source, a review date
or steps, like every other content file.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bot.content.loader import (
    DEFAULT_ROOT,
    ContentError,
    _bool,
    _date,
    _fill_refs,
    _read_yaml,
    _req,
    _str,
    load_content,
)

FILE_NAME = "mandatory_reporting.yml"


@dataclass(frozen=True)
class ReportingSteps:
    title: str
    steps: tuple[str, ...]
    source: str
    last_reviewed: date
    reviewed: bool


def _load(root: Path) -> ReportingSteps:
    content = load_content(None if root == DEFAULT_ROOT else root)
    data = _read_yaml(root / FILE_NAME)
    steps = _req(data, "steps", FILE_NAME)
    if not isinstance(steps, list) or not all(isinstance(s, str) and s.strip() for s in steps):
        raise ContentError(f"{FILE_NAME}: 'steps' must be a list of non-empty strings")
    return ReportingSteps(
        title=_str(data, "title", FILE_NAME),
        steps=tuple(_fill_refs(s, content.resources, f"{FILE_NAME} step {n + 1}")
                    for n, s in enumerate(steps)),
        source=_str(data, "source", FILE_NAME),
        last_reviewed=_date(_req(data, "last_reviewed", FILE_NAME), FILE_NAME),
        reviewed=_bool(data, "reviewed", FILE_NAME),
    )


@functools.lru_cache(maxsize=1)
def _load_default() -> ReportingSteps:
    return _load(DEFAULT_ROOT)


def load_reporting_steps(root: Path | None = None) -> ReportingSteps:
    """Load and validate the steps; the default location is cached (changes need a restart)."""
    return _load_default() if root is None else _load(Path(root))
