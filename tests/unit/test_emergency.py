"""Immediate-danger and quick-exit detection (EN/ES)."""

from __future__ import annotations

import pytest

from bot.safety import is_emergency, is_quick_exit

POSITIVE_EN = [
    "he is going to hurt me",
    "He's gonna kill me",
    "hes gonna kill me",
    "they are going to kill me",
    "he said he will kill me tonight",
    "I can't breathe",
    "cant breath",
    "help now",
    "help me now",
    "HELP ME NOW PLEASE",
    "help!!!",
    "HELP!!",
    "help help",
    "sos",
    "SOS!!",
    "call 911",
    "911",
    "i'm locked in",
    "Im locked in a room",
    "they locked me in",
    "they have a gun",
    "he has a knife",
    "I'm bleeding",
    "he is hitting me",
    "hes hitting me right now",
    "I am being beaten",
    "i'm in danger",
    "im in danger",
    "my boss is beating me",
    "they r gonna hurt me",
    "this is an emergency",
    "I'm trapped",
    "I want to kill myself",
]
POSITIVE_ES = [
    "estoy encerrada",
    "Estoy encerrado",
    "me tienen encerrada",
    "me va a matar",
    "Me quiere matar",
    "me quieren matar",
    "me está pegando",
    "me esta pegando",
    "ayuda ya",
    "ayuda ahora",
    "ayúdenme ya",
    "auxilio",
    "SOCORRO",
    "no puedo respirar",
    "tiene un arma",
    "tienen una pistola",
    "me van a hacer daño",
    "me van a hacer dano",
    "estoy en peligro",
    "estoy sangrando",
    "dijo que va a matarme",
    "es urgente",
    "me secuestraron",
]
NEGATIVE = [
    "help",
    "Help",
    "HELP",
    "help me",
    "I need help",
    "i need help with my visa",
    "necesito ayuda",
    "ayuda",
    "what are my rights",
    "cuales son mis derechos",
    "he hurt me last year",
    "he used to hit me",
    "he was hitting me",
    "me pegaba antes",
    "no sé",
    "no se",
    "my boss took my passport",
    "this job is killing me",
    "can you help me",
    "how do i get help",
    "hola",
    "exit",
    "salir",
    "they don't pay me",
    "no puedo salir",
    "it's not an emergency",
    "no es urgente",
    "I feel trapped in this job",
    "is this trafficking?",
    "",
]


def test_enough_cases() -> None:
    assert len(POSITIVE_EN) + len(POSITIVE_ES) >= 30
    assert len(POSITIVE_ES) >= 15
    assert len(NEGATIVE) >= 15


@pytest.mark.parametrize("text", POSITIVE_EN + POSITIVE_ES)
def test_emergency_positive(text: str) -> None:
    assert is_emergency(text) is True


@pytest.mark.parametrize("text", NEGATIVE)
def test_emergency_negative(text: str) -> None:
    assert is_emergency(text) is False


def test_emergency_none_is_false() -> None:
    assert is_emergency(None) is False


@pytest.mark.parametrize(
    "text",
    ["exit", "EXIT", "Exit!", "  exit  ", "salir", "SALIR.", "Salír", "¡salir!", "exit please",
     "EXIT NOW", "salir ya", "salir por favor", "exit the chat"],
)
def test_quick_exit_positive(text: str) -> None:
    assert is_quick_exit(text) is True


@pytest.mark.parametrize(
    "text",
    ["I want to exit this job", "exit my job", "please", "quiero salir", "salir de aqui", "",
     "ex", None],
)
def test_quick_exit_negative(text: str | None) -> None:
    assert is_quick_exit(text) is False


def test_quick_exit_custom_words() -> None:
    assert is_quick_exit("STOP", words=("stop", "alto")) is True
    assert is_quick_exit("exit", words=("stop", "alto")) is False
