"""'I must stop now' (EN/ES): recognised, and not mistaken for ordinary messages."""

from __future__ import annotations

import pytest

from bot.safety import is_must_stop

MUST_STOP = [
    "hes back", "he's back gotta go", "someone is coming i have to go", "gtg",
    "talk later", "ttyl", "cant talk now", "he is watching my phone",
    "someone can see my screen", "dont text me back", "gotta go", "my boss is here",
    "ya llegó", "ya llego el, luego te escribo", "me están viendo el celular",
    "hablamos luego", "te escribo mas tarde", "no puedo hablar ahorita", "ahí viene",
    "tengo que irme", "no me escribas", "alguien puede ver mi pantalla",
]
NOT_MUST_STOP = [
    "i need to go to court next week what do i do", "he is home all day and watches us work",
    "tengo que ir al doctor y no tengo papeles", "no puedo hablar ingles", "what are my rights",
    "later", "no", "ok", "i want to talk to a person", "cuando puedo hablar con alguien",
    "my boss is here in texas and he took my passport and does not pay me",
]


@pytest.mark.parametrize("text", MUST_STOP)
def test_must_stop(text: str) -> None:
    assert is_must_stop(text)


@pytest.mark.parametrize("text", NOT_MUST_STOP)
def test_not_must_stop(text: str) -> None:
    assert not is_must_stop(text)
