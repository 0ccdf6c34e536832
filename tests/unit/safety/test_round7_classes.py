"""Round 7 (issue 10): classes of failure found on set11, in sentences of our own.

Own sentences, written for these tests (never from a blind set).
"""

from __future__ import annotations

import pytest

from bot.safety.detector import Level, assess
from bot.safety.must_stop import is_must_stop
from bot.safety.normalise import unstretch

EMERGENCIES = [
    # stretched word endings
    "me estan golpeandoo ayudaa",
    "hes chokingg me helpp",
    # a plea beside a room number or a lodging
    "ayudenme por favor, cuarto 22 del motel de la salida 9",
    "help me im at the budget inn room 7 he went to get more guys",
    # won't let me go, every Spanish form
    "el señor me llevo a un motel y no me deja irme, tengo miedo",
    # waking in an unknown place
    "i woke up in a room i dont recognize and the door wont open",
    # medicine taken away, fainting to come
    "they hid my inhaler and i feel like im about to pass out",
    # a relayed plea
    "my cousin just texted me saying help and now her phone is off",
    "mi hermana me mando un mensaje diciendo auxilio y ya no contesta",
    # self-harm: the means and "thinking about it"; the night chosen; better off without me
    "i got my dads pills in my room and im thinking about doing it",
    "today is the day i end it, im done",
    "my kids would be better off without me honestly",
    # a clause boundary is not the "thing that kills me" idiom
    "el padrote dice q hoy le pago todo o me mata, ya viene",
    # help is with them and the danger is named: still an emergency
    "ya llame a la policia pero me sigue pegando",
]

NOT_EMERGENCIES = [
    # a thing, verb first
    "me esta matando la renta este mes",
    # trivial conditions, joking slang, catchphrase
    "mi tia dice q me va a matar si agarro su carro otra vez",
    "mi compa dice que me mata si no llego al partido, puro vacilon",
    "the foreman always says hell shoot us if were slow, its just his catchphrase",
    # venting; an adult now; the aggressor in jail
    "just venting, double shifts all week and my feet are done",
    "my stepdad used to hit me when i was younger. im 29 now",
    "ese hombre me golpeaba pero ya esta preso, solo quiero saber mis derechos",
    # childhood words
    "me pegaban cuando yo era chamaco en mi pueblo",
    # help is with them already, no danger named
    "ok i called the police already, they are there now. can we go on",
    "ya llamamos al 911 y ya llego la patrulla, gracias",
    # "dragged back in" is not "back in 2019"
]


@pytest.mark.parametrize("text", EMERGENCIES)
def test_round7_emergencies(text: str) -> None:
    assert assess(text).is_emergency, text


def test_the_988_line_comes_with_self_harm_said_indirectly() -> None:
    assert assess("my kids would be better off without me honestly").self_harm
    assert assess("i got my dads pills in my room and im thinking about doing it").self_harm


@pytest.mark.parametrize("text", NOT_EMERGENCIES)
def test_round7_not_emergencies(text: str) -> None:
    assert not assess(text).is_emergency, text


def test_dragged_back_in_is_not_a_past_time() -> None:
    assert assess("the owner dragged the girl back in by her arm, shes crying").is_emergency
    assert not assess("back in 2018 my boss hit me once").is_emergency


POSSIBLE = [
    "not sure if im safe here",
    "no se si estoy segura aqui",
    "workers who complain to anyone end up hurt",
    "a la que se fue la encontraron y nunca regreso",
    "a veces no nos dejan salir del rancho",
]


@pytest.mark.parametrize("text", POSSIBLE)
def test_round7_possible_danger_gets_the_check(text: str) -> None:
    assert assess(text).level is not Level.NONE, text


def test_unstretch_undoes_only_stretched_endings() -> None:
    assert unstretch("Ayudaa me estan pegandoo") == "ayuda me estan pegando"
    assert unstretch("kill all the bills") == "kill all the bills"  # l, s, f, z kept


MUST_STOP = ["cant rn", "sorry cant right now", "hold on people around",
             "espera hay gente aqui", "ahorita no puedo, al rato te escribo",
             "the supervisor is here now, i have to stop, sorry"]
NOT_MUST_STOP = ["i need to stop working there", "how do i stop them taking my pay",
                 "are there people around here who can help", "cant"]


@pytest.mark.parametrize("text", MUST_STOP)
def test_round7_must_stop(text: str) -> None:
    assert is_must_stop(text), text


@pytest.mark.parametrize("text", NOT_MUST_STOP)
def test_round7_not_must_stop(text: str) -> None:
    assert not is_must_stop(text), text


@pytest.mark.parametrize("text", ["will you guys tell the cops about me",
                                  "ustedes le avisan a la policia de lo que les escribo?"])
def test_a_question_about_what_we_do_is_not_the_models_emergency(text: str) -> None:
    assert assess(text, "emergency", 0.9).level is Level.NONE


def test_a_question_to_us_that_names_danger_is_still_an_emergency() -> None:
    assert assess("can you send the police, he is hitting me", "emergency", 0.9).is_emergency
