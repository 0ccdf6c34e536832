"""Which language a reply is written in (offline, lingua-language-detector).

Why lingua and not bot/language/detect.py: the project's detector is tuned for a
texter's few SMS words and says "not sure" often; replies are whole sentences, which
lingua identifies well, and it also knows the other languages a texter may write in.
"""

from __future__ import annotations

import functools
import re

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

# Digits, numbers and web addresses say nothing about the language.
_NOISE = re.compile(r"\S*\d\S*|\S+\.(?:org|gov|com)\S*|[A-Z]{2,}")


@functools.lru_cache(maxsize=1)
def _en_es() -> LanguageDetector:
    return (LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.SPANISH)
            .with_minimum_relative_distance(0.05).build())


@functools.lru_cache(maxsize=1)
def _any() -> LanguageDetector:
    return LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()


def _clean(text: str) -> str:
    return " ".join(_NOISE.sub(" ", text).split())


def reply_language(text: str) -> str | None:
    """"en" or "es" for a reply, None when it has too few words to tell."""
    cleaned = _clean(text)
    if len(re.findall(r"[^\W\d_]{2,}", cleaned)) < 2:
        return None
    found = _en_es().detect_language_of(cleaned)
    return found.iso_code_639_1.name.lower() if found else None


def written_in(text: str, iso: str) -> bool:
    """True when the text (a line of a reply) is in the language with this ISO 639-1 code."""
    try:
        wanted = IsoCode639_1.from_str(iso.lower())
    except ValueError:
        return False
    cleaned = _clean(text)
    if not cleaned:
        return False
    found = _any().detect_language_of(cleaned)
    return bool(found) and found.iso_code_639_1 == wanted
