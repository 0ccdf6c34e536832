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


# Round 4 (issue 10): shorthand, presence, "delete this", "dont call", leaving said last.
ROUND4_MUST_STOP = [
    "me tengo q ir ya", "tengo q esconder el cel", "se desperto el patron", "boss here",
    "dont call this number", "no me mandes nada x fa", "deleting this now", "shhh",
    "my husband is awake, later", "they are checking phones tonight", "he reads my phone",
    "alguien esta leyendo por encima de mi hombro", "no estoy sola, despues te escribo",
    "sorry this was a mistake to write and he is right here, gotta go",
    "cant text rn", "not safe to talk, tmrw", "ya me vio el encargado, luego sigo",
]
ROUND4_NOT_MUST_STOP = [
    "i cant talk to my boss about my pay", "can i text tomorrow with more questions",
    "si me salgo de ahi me pueden deportar?", "la finca esta cerca de immokalee",
    "no puedo hablar con la policia verdad?", "he said dont call the police or else, "
    "what are my rights here in this state if i do call them anyway",
    "i have to go to court next month", "me voy a mudar a texas, hay ayuda alla?",
]


@pytest.mark.parametrize("text", ROUND4_MUST_STOP)
def test_round4_must_stop(text: str) -> None:
    assert is_must_stop(text)


@pytest.mark.parametrize("text", ROUND4_NOT_MUST_STOP)
def test_round4_not_must_stop(text: str) -> None:
    assert not is_must_stop(text)
