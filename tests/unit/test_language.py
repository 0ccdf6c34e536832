"""Language switch requests and EN/ES detection on short SMS."""

from __future__ import annotations

import pytest

from bot.language import detect_language, explicit_switch

SWITCH = [
    ("español", "es"), ("espanol", "es"), ("Spanish", "es"), ("en español", "es"),
    ("habla español?", "es"), ("¿Hablas español?", "es"), ("spanish please", "es"),
    ("english", "en"), ("English", "en"), ("inglés", "en"), ("ingles", "en"),
    ("in english please", "en"), ("speak english", "en"), ("do you speak english?", "en"),
]
NOT_SWITCH = [
    "my boss only speaks spanish", "hola", "necesito ayuda", "english or spanish",
    "I need help", "", None,
]
DETECT = [
    ("necesito ayuda", "es"), ("i need help", "en"),
    ("me quitaron mi pasaporte", "es"), ("they took my passport", "en"),
    ("no puedo salir", "es"), ("cant leave", "en"), ("can't leave", "en"),
    ("what are my rights", "en"), ("cuales son mis derechos", "es"),
    ("¿cuáles son mis derechos?", "es"), ("hola", "es"), ("Hola!", "es"), ("hi", "en"),
    ("Hello", "en"), ("sí", "es"), ("no sé", "es"), ("mi jefe no me paga", "es"),
    ("my boss doesnt pay me", "en"), ("tengo miedo", "es"), ("im scared", "en"),
    ("buenas tardes", "es"), ("español", "es"), ("english please", "en"),
]
AMBIGUOUS = ["y", "no", "ok", "OK", "1", "si", "n", "?", "", "   ", "no se", None]


@pytest.mark.parametrize(("text", "expected"), SWITCH)
def test_explicit_switch(text: str, expected: str) -> None:
    assert explicit_switch(text) == expected


@pytest.mark.parametrize("text", NOT_SWITCH)
def test_not_a_switch(text: str | None) -> None:
    assert explicit_switch(text) is None


@pytest.mark.parametrize(("text", "expected"), DETECT)
def test_detect_language(text: str, expected: str) -> None:
    assert detect_language(text) == expected


@pytest.mark.parametrize("text", AMBIGUOUS)
def test_ambiguous_is_none(text: str | None) -> None:
    assert detect_language(text) is None


def test_a_switch_asked_for_inside_a_longer_message_names_its_target() -> None:
    """Round 7: the named language wins, not the language the request is written in."""
    from bot.language.detect import explicit_switch

    assert explicit_switch("could you write the rest in spanish, my english is bad") == "es"
    assert explicit_switch("mejor escribeme en ingles porque mi hijo lo va a leer") == "en"
    assert explicit_switch("is there a hotline in spanish") is None
    assert explicit_switch("my boss yells at me in english all day") is None


def test_a_script_no_detector_language_uses_gets_the_interpreter_line_code() -> None:
    """Round 7: Thai or Amharic got "Sorry, I didn't get that"."""
    from bot.language.identify import UNKNOWN, other_language
    from bot.safety.lines import safety_lines

    assert other_language("สวัสดีครับ ผมต้องการความช่วยเหลือ") == UNKNOWN
    assert other_language("ሰላም እርዳታ እፈልጋለሁ እባካችሁ") == UNKNOWN
    lines = safety_lines().other_language(UNKNOWN)
    assert len(lines) == 2 and all("1-888-373-7888" in line for line in lines)
    assert other_language("hola necesito ayuda con mi jefe") is None
