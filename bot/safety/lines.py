"""The router's own safety lines (data/content/safety_lines.yml), validated at load.

Why a file of its own: these lines are sent without the assistant (must-stop,
the Y/N danger check, 988 after a self-harm emergency, the other-language
line), so they are checked here like the other content: a source, a review
date, English and Spanish, numbers filled from resources.yml, and a neutral
first line (lockscreen.yml).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.content.loader import Content, ContentError, load_content
from bot.content.lockscreen import first_line_is_safe
from bot.paths import CONTENT_DIR

LINES_PATH = CONTENT_DIR / "safety_lines.yml"
TEMPLATE_KEYS = ("must_stop", "danger_check", "crisis_988")


@dataclass(frozen=True)
class SafetyLines:
    templates: dict[str, dict[str, str]]
    fallback: dict[str, str]
    other: dict[str, str]  # language code -> line
    unreviewed: tuple[str, ...]

    def template(self, key: str, lang: str) -> str:
        return self.templates[key][lang if lang in ("en", "es") else "en"]

    def other_language(self, code: str) -> list[str]:
        """One line in that language if we have it, else the English and Spanish line."""
        if code in self.other:
            return [self.other[code]]
        return [self.fallback["en"], self.fallback["es"]]


def _fill(text: str, content: Content) -> str:
    hotline = content.resource("national_hotline").contact
    crisis = content.resource("lifeline_988").contact
    return (text.replace("{hotline.call}", hotline["call"])
            .replace("{hotline.text}", hotline["text"])
            .replace("{crisis.call}", crisis["call"]))


def parse(data: dict, content: Content) -> SafetyLines:  # type: ignore[type-arg]
    """Validate the file's data; ContentError names what is wrong."""
    for key in ("source", "last_reviewed", "templates", "other_language"):
        if not data.get(key):
            raise ContentError(f"safety_lines.yml: '{key}' is required")
    templates: dict[str, dict[str, str]] = {}
    for key in TEMPLATE_KEYS:
        entry = data["templates"].get(key) or {}
        for lang in ("en", "es"):
            if not str(entry.get(lang) or "").strip():
                raise ContentError(f"safety_lines.yml: templates.{key} needs '{lang}'")
        templates[key] = {lang: _fill(entry[lang], content) for lang in ("en", "es")}
    fallback_raw = data["other_language"].get("fallback") or {}
    if not all(str(fallback_raw.get(lang) or "").strip() for lang in ("en", "es")):
        raise ContentError("safety_lines.yml: other_language.fallback needs 'en' and 'es'")
    fallback = {lang: _fill(fallback_raw[lang], content) for lang in ("en", "es")}
    other: dict[str, str] = {}
    unreviewed: list[str] = []
    for code, entry in (data["other_language"].get("lines") or {}).items():
        if not str((entry or {}).get("text") or "").strip() or "reviewed" not in entry:
            raise ContentError(f"safety_lines.yml: other_language.lines.{code} needs text "
                               "and reviewed")
        other[code] = _fill(entry["text"], content)
        if not entry["reviewed"]:
            unreviewed.append(f"safety_lines.yml: other_language.lines.{code}")
    for key, by_lang in {**templates, "other_language.fallback": fallback}.items():
        for lang, text in by_lang.items():
            if not first_line_is_safe(text, content):
                raise ContentError(f"safety_lines.yml: templates.{key}.{lang}: the first "
                                   "line is not lock-screen safe")
    return SafetyLines(templates, fallback, other, tuple(unreviewed))


def load(path: Path = LINES_PATH, content: Content | None = None) -> SafetyLines:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return parse(data, content or load_content())


@lru_cache(maxsize=1)
def safety_lines() -> SafetyLines:
    return load()
