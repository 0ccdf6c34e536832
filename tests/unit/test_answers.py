"""parse_answer: SMS-style EN/ES replies to yes / no / not_sure / skip / None."""

from __future__ import annotations

import pytest

from bot.screening.answers import canonical, parse_answer

YES = [
    "y", "Y", "yes", "YES", "Yes!", "yesss", "yeah", "yep", "ya", "yea", "yss", "yse",
    "sure", "ok", "OK.", "s", "si", "Si", "sí", "SÍ", "siii", "sip", "claro", "Claro!",
    "👍", "of course", "creo que si",
]
NO = [
    "n", "N", "no", "No.", "NOOO", "nope", "nah", "nel", "never", "nunca", "Nunca!!",
    "no way", "not really", "para nada", "nadie", "nunka",
]
NOT_SURE = [
    "idk", "IDK", "i dont know", "I don't know", "i don’t know", "dunno", "not sure",
    "Not sure.", "maybe", "?", "??", "¿?", "no sé", "No sé", "no se", "NO SE", "nose",
    "no lo sé", "tal vez", "talvez", "quizás", "quizas", "no estoy segura", "ni idea",
    "a lo mejor", "no sé, tal vez",
]
SKIP = [
    "skip", "SKIP", "pass", "next", "saltar", "siguiente", "paso", "prefer not to say",
    "I prefer not to say", "prefiero no decir", "Prefiero no decir.", "no quiero contestar",
]
SENTENCES = [
    ("yes he does", "yes"),
    ("Yes, he keeps it", "yes"),
    ("no never", "no"),
    ("No, I can leave", "no"),
    ("sí, me lo quitó", "yes"),
    ("si me lo quito", "yes"),
    ("no, se llevaron mi pasaporte", "no"),
    ("nunca me dejan salir", "no"),
    ("no sé si me dejan", "not_sure"),
    ("i dont know if that counts", "not_sure"),
    ("prefiero no hablar de eso", "skip"),
    ("nope not at all", "no"),
]
UNRECOGNISED = [
    "", "   ", "hello", "my boss took it", "sometimes", "a veces", "what do you mean",
    "1234", "hola", "the passport", None,
]


@pytest.mark.parametrize("text", YES)
def test_yes(text: str) -> None:
    assert parse_answer(text) == "yes"


@pytest.mark.parametrize("text", NO)
def test_no(text: str) -> None:
    assert parse_answer(text) == "no"


@pytest.mark.parametrize("text", NOT_SURE)
def test_not_sure(text: str) -> None:
    assert parse_answer(text) == "not_sure"


def test_no_se_is_not_no() -> None:
    for text in ("no sé", "no se", "No se.", "nose", "no sé!!", "noo se"):
        assert parse_answer(text) == "not_sure", text
    assert parse_answer("no, se lo llevaron") == "no"  # "no" then a new clause


@pytest.mark.parametrize("text", SKIP)
def test_skip(text: str) -> None:
    assert parse_answer(text) == "skip"


@pytest.mark.parametrize(("text", "expected"), SENTENCES)
def test_sentences_starting_with_clear_answer(text: str, expected: str) -> None:
    assert parse_answer(text) == expected


@pytest.mark.parametrize("text", UNRECOGNISED)
def test_unrecognised_returns_none(text: str | None) -> None:
    assert parse_answer(text) is None


def test_ya_and_ok_are_not_yes_prefixes_in_sentences() -> None:
    # "ya no trabajo ahí" = "I no longer work there": not a yes.
    assert parse_answer("ya no trabajo ahi") != "yes"
    assert parse_answer("ok so what happens now") is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [("yes", "yes"), ("NOT_SURE", "not_sure"), ("not sure", "not_sure"), (True, "yes"),
     (False, "no"), ("Y", "yes"), (None, None), (3, None), ("skip", "skip")],
)
def test_canonical(value: object, expected: str | None) -> None:
    assert canonical(value) == expected
