"""Offline language identification with lingua-language-detector.

Why lingua and not our marker list: a word list can't tell Portuguese from
Tagalog, and short Spanish emergencies ("me van a matar", "no respira") carry
none of our marker words. Two detectors are built once per process:

- `english_or_spanish`: EN vs ES only (small: two languages' models), the
  fallback of bot/language/detect.py when the markers are not sure;
- `other_language`: a language we do not text in, among LANGUAGES (a sensible
  list for a US hotline). High-accuracy mode (~300 MB for these languages);
  set HOTLINE_LANGUAGE_ID_LOW_ACCURACY=1 on small machines (~40 MB, weaker on
  short Latin-script texts, so only non-Latin scripts and long texts count).

Short SMS words ("ok", "y", "k", "si", "no") never count as a language.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache

# ISO 639-1 codes of the languages the other-language detector knows. English
# and Spanish are in the list so they compete (a Spanish text is never "pt").
# (Haitian Creole is not in lingua: it falls back to the EN/ES line.)
LANGUAGES = ("en", "es", "pt", "fr", "zh", "vi", "tl", "ko", "ru", "ar", "hi", "uk")
# How sure each detector must be before its answer counts.
EN_ES_MIN_CONFIDENCE = 0.7
OTHER_MIN_CONFIDENCE = 0.7
# So sure that an English or Spanish marker word ("patron", "passport") does not
# outvote it: "Bonjour, ... mon patron ..." is French.
OTHER_SURE_CONFIDENCE = 0.95
_MIN_LETTERS = 5
_LATIN = re.compile(r"[a-zA-Z\u00c0-\u024f]")


def _letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


def _long_enough(text: str) -> bool:
    """Two words, or one long word; "ok", "y", "k" and "si" never qualify."""
    words = re.findall(r"\w+", text)
    if not words or _letters(text) < _MIN_LETTERS:
        return _letters(text) >= 2 and not _LATIN.search(text)  # e.g. two CJK characters
    return len(words) >= 2 or len(words[0]) >= _MIN_LETTERS


def _lingua_language(code: str):  # type: ignore[no-untyped-def]
    from lingua import IsoCode639_1, Language

    return Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper()))


def _available(codes: tuple[str, ...]) -> list:  # type: ignore[type-arg]
    languages = []
    for code in codes:
        try:
            languages.append(_lingua_language(code))
        except (AttributeError, ValueError):  # not in this lingua version
            continue
    return languages


def _low_accuracy() -> bool:
    return os.environ.get("HOTLINE_LANGUAGE_ID_LOW_ACCURACY", "").strip().lower() in (
        "1", "true", "yes", "on")


@lru_cache(maxsize=1)
def _en_es_detector():  # type: ignore[no-untyped-def]
    from lingua import LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(*_available(("en", "es"))).build()


@lru_cache(maxsize=1)
def _other_detector():  # type: ignore[no-untyped-def]
    from lingua import LanguageDetectorBuilder

    builder = LanguageDetectorBuilder.from_languages(*_available(LANGUAGES))
    if _low_accuracy():
        builder = builder.with_low_accuracy_mode()
    return builder.with_preloaded_language_models().build()


def warm() -> None:
    """Build both detectors now (at start-up), not on a texter's first message."""
    _en_es_detector()
    _other_detector()


def english_or_spanish(text: str | None) -> str | None:
    """"en" / "es" when lingua is sure between the two, else None.

    It does not ask whether the text is in a third language (that detector is
    large, and the action server needs only this one): the router checks
    `other_language` before the assistant ever sees the message.
    """
    if not isinstance(text, str) or not _long_enough(text):
        return None
    values = _en_es_detector().compute_language_confidence_values(text)
    if not values or values[0].value < EN_ES_MIN_CONFIDENCE:
        return None
    return values[0].language.iso_code_639_1.name.lower()


# A text mostly in a script none of LANGUAGES uses (Thai, Khmer, Amharic, Burmese...):
# lingua cannot name it, but it is surely neither English nor Spanish, so the texter
# gets the English and Spanish interpreter line rather than "Sorry, I didn't get that"
# (round 7 of issue 10). Scripts of LANGUAGES besides Latin: Han, Hangul, Kana,
# Cyrillic, Arabic, Devanagari.
UNKNOWN = "und"
_KNOWN_SCRIPTS = re.compile(r"[\u4e00-\u9fff\uac00-\ud7af\u3040-\u30ff\u0400-\u04ff"
                            r"\u0600-\u06ff\u0900-\u097f\u1100-\u11ff\u3130-\u318f]")


def _mostly_unknown_script(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) < _MIN_LETTERS:
        return False
    other = sum(1 for ch in letters if not _LATIN.match(ch) and not _KNOWN_SCRIPTS.match(ch))
    return other / len(letters) > 0.6


def other_language(text: str | None, *, min_confidence: float = 0.0) -> str | None:
    """The ISO code of a language we do not text in, when lingua is sure; UNKNOWN for a
    script none of LANGUAGES uses; else None."""
    if not isinstance(text, str) or not _long_enough(text):
        return None
    if _mostly_unknown_script(text):
        return UNKNOWN
    latin = bool(_LATIN.search(text))
    if latin and _low_accuracy() and len(re.findall(r"\w+", text)) < 4:
        return None
    values = _other_detector().compute_language_confidence_values(text)
    if not values or values[0].value < max(OTHER_MIN_CONFIDENCE, min_confidence):
        return None
    code = values[0].language.iso_code_639_1.name.lower()
    return None if code in ("en", "es") else code
