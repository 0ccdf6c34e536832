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


# Round 5 (issue 10): classes missed by blind set6, written in new words (never the
# blind texts): someone close with a posture word, the phone going (battery, taken),
# someone heard arriving, "not safe now", a break that ends.
ROUND5_MUST_STOP = [
    "the manager is standing right next to me",
    "mi patrona esta sentada junto a mi",
    "batt low",
    "my phone is about to die",
    "cel al 3%",
    "3 %",
    "se me va a acabar la pila",
    "hes about to take my phone",
    "me estan quitando el cel",
    "i hear his truck",
    "van pulled in out front",
    "oigo pasos",
    "se esta abriendo la puerta",
    "its not safe rn, tmrw",
    "lunch is over gotta run",
    "se acabo el descanso",
    "ya vienen",
    "al rato les escribo",
    "they go through our phones every night, deleting this",
]
ROUND5_NOT_MUST_STOP = [
    "100%",
    "2",
    "my battery died yesterday thats why i didnt answer",
    "they took my phone last year and my passport too",
    "is it legal that they are taking my phone away every night?",
    "i heard them talking about sending us to another farm next month",
    "the door was open so i walked out and now im at my cousins",
    "quiero aguas frescas jaja",
    "se me murio el cel ayer, por eso no conteste",
    "me quitaron el pasaporte hace un año",
    "ok. yes they take my phone at night",
]


@pytest.mark.parametrize("text", ROUND5_MUST_STOP)
def test_round5_must_stop(text: str) -> None:
    assert is_must_stop(text)


@pytest.mark.parametrize("text", ROUND5_NOT_MUST_STOP)
def test_round5_not_must_stop(text: str) -> None:
    assert not is_must_stop(text)


def test_the_phone_going_is_left_out_when_asked() -> None:
    """The router's question: is the texter watched, or only losing the phone?"""
    assert is_must_stop("battery dying")
    assert not is_must_stop("battery dying", phone_going=False)
    assert not is_must_stop("1%", phone_going=False)
    assert is_must_stop("hes back gotta go", phone_going=False)


# Round 5b (issue 10): more classes from set7, in new words: "not now", someone walking
# over / coming up the stairs / pulling up / at the door / making rounds, lights coming
# on, the phone grabbed or collected, "I have to stop", putting the phone away, driving,
# "I'll try tonight" / "mañana intento", "don't text this number first", the screen seen.
ROUND5B_MUST_STOP = [
    "not right now",
    "orita no puedo",
    "my aunt is walking over here",
    "the manager is coming up the stairs",
    "hes pulling in the driveway",
    "el patron esta en la puerta",
    "el encargado anda rondando",
    "hallway lights just came on",
    "se prendieron las luces, ya",
    "she keeps reaching for my phone",
    "ya estan recogiendo los celulares",
    "sorry i have to stop",
    "tengo que dejarlo aqui",
    "putting this away now",
    "im driving with him",
    "ill try again tonight",
    "mañana intento otra vez",
    "please dont text this number first, ill write you",
    "no me manden mensajes ustedes primero",
    "he can see my screen from there",
    "el esta viendo la pantalla",
    "my cousin tells the boss everything and she just got back from lunch, i gotta stop, "
    "ill message tomorrow if i can",
]
ROUND5B_NOT_MUST_STOP = [
    "later",
    "not now but soon i want to leave that job",
    "when the lights come on at 5 they make us work",
    "i was driving trucks for them for two years",
    "they collect our passports when we arrive",
    "can i text this number from another phone?",
    "he walked over to the office last week and took my papers",
]


@pytest.mark.parametrize("text", ROUND5B_MUST_STOP)
def test_round5b_must_stop(text: str) -> None:
    assert is_must_stop(text)


@pytest.mark.parametrize("text", ROUND5B_NOT_MUST_STOP)
def test_round5b_not_must_stop(text: str) -> None:
    assert not is_must_stop(text)
