"""Every emergency class of issue 10, in both languages, through the combined detector.

These phrasings are written for the tests and are not in
data/safety/emergency_examples.yml, so they also check that the layers
generalise beyond their own examples.
"""

from __future__ import annotations

import pytest

from bot.safety import Level, assess, is_emergency

EMERGENCIES = {
    "violence_just_happened_kept_inside": [
        "he just hit me and now he wont let me leave the apartment",
        "my boss just kicked me and the door is locked",
        "me acaba de pegar el patron y no me deja salir",
        "me golpeo y ahora no me dejan salir de la casa",
    ],
    "fear_of_dying_tonight": [
        "i really think i am going to die tonight",
        "he will kill me tonight i know it",
        "siento que hoy me van a matar",
        "tengo miedo de que me maten esta noche",
    ],
    "self_harm_with_means": [
        "i have a razor and i want to end it all",
        "going to swallow all the pills now",
        "tengo todas las pastillas aqui me quiero morir",
        "me voy a quitar la vida tengo la cuerda",
    ],
    "someone_else_unconscious": [
        "my friend stopped breathing after the guy gave her something",
        "he wont wake up they gave him pills",
        "mi companera no respira le dieron algo",
        "le dieron una droga y ya no despierta",
    ],
    "third_person_taken_now": [
        "they are grabbing my cousin and putting her in a car",
        "they locked my sister up in the back room",
        "se estan llevando a mi prima en un carro",
        "tienen encerrada a mi hermana en el cuarto",
    ],
    "held_in_named_place": [
        "im at the motel on route 9 room 112 they wont let me out",
        "me tienen en el motel del centro cuarto 8 y no me dejan salir",
        "help they keep me at 2250 pine street",
        "estoy en una casa en la calle 5 y no me dejan salir ayuda",
    ],
    "deadline_today_on_the_way": [
        "he said pay by tonight or else and now hes on his way",
        "they are coming for me tonight",
        "dijo que si no le pago hoy viene a matarme y ya viene",
        "ya vienen por mi dijeron que hoy",
    ],
    "hiding_from_searchers": [
        "im hiding in a closet and they are looking for me",
        "hiding behind a dumpster they are searching",
        "estoy escondida detras de la tienda me estan buscando",
        "me estoy escondiendo y me andan buscando",
    ],
    "taken_somewhere_unknown": [
        "they drove me somewhere and i dont know where i am",
        "idk where i am they took me last night",
        "me llevaron a otro lugar y no se donde estoy",
        "no se donde estoy me trajeron en la noche",
    ],
    "english_inside_spanish": [
        "ayuda me tienen locked en un cuarto",
        "el jefe has a gun y me amenaza",
        "estoy trapped en la casa help",
        "please ayuda me estan hitting",
    ],
    "medical": [
        "my friend is having a seizure and shes blue",
        "i think i broke my ribs and theres so much blood",
        "mi amiga esta embarazada y esta sangrando mucho",
        "me duele el pecho creo que es un ataque al corazon",
    ],
    "danger_to_someone_else": [
        "he is going to kill my daughter",
        "hes beating a girl in the next room right now",
        "van a matar a mi hermano",
        "le estan pegando a mi amiga ahorita",
    ],
}

NOT_EMERGENCIES = {
    "boss_idiom": [
        "my boss will literally kill me if i am late again lol",
        "my supervisor is gonna murder me if i break the register haha",
        "mi jefe me va a matar si llego tarde otra vez jaja",
        "mi jefa me mata si no termino hoy jajaja",
    ],
    "job_weapon": [
        "the security guard at my work has a gun",
        "we use big knives in the kitchen at the restaurant",
        "el guardia de seguridad del trabajo tiene pistola",
        "en la cocina usamos cuchillos para cortar carne",
    ],
    "long_past": [
        "in 2015 a man threatened me with a knife",
        "years ago they kept me locked in a house",
        "hace tres anos me tuvieron encerrada en una casa",
        "en 2017 me amenazaron con un arma",
    ],
}


@pytest.mark.parametrize(("category", "text"), [
    (c, t) for c, texts in EMERGENCIES.items() for t in texts])
def test_emergency_class(category: str, text: str) -> None:
    result = assess(text)
    assert result.level is Level.EMERGENCY, (category, result)


@pytest.mark.parametrize(("category", "text"), [
    (c, t) for c, texts in NOT_EMERGENCIES.items() for t in texts])
def test_not_an_emergency(category: str, text: str) -> None:
    result = assess(text)
    assert result.level is Level.NONE, (category, result)
    assert not is_emergency(text)


@pytest.mark.parametrize("text", NOT_EMERGENCIES["job_weapon"] + NOT_EMERGENCIES["long_past"])
def test_past_and_job_danger_feed_screening(text: str) -> None:
    assert assess(text).concern is True


@pytest.mark.parametrize("text", [
    "i have the pills in my hand", "tengo las pastillas en la mano", "i want to kill myself"])
def test_self_harm_is_flagged_for_988(text: str) -> None:
    result = assess(text)
    assert result.is_emergency and result.self_harm


@pytest.mark.parametrize("text", [
    "my boss hits me", "he hits me when he drinks", "mi jefe me pega",
    "no me dejan salir de la casa",
])
def test_danger_words_without_time_cue_are_possible(text: str) -> None:
    assert assess(text).level is Level.POSSIBLE


@pytest.mark.parametrize("text", [
    "what are my rights", "cuales son mis derechos", "hi", "ok", "si", "my boss took my passport",
    "necesito ayuda", "they dont pay me",
])
def test_ordinary_messages_are_nothing(text: str) -> None:
    assert assess(text).level is Level.NONE


@pytest.mark.parametrize("text", [
    "he said he will kill me if i leave", "me va a matar si no le pago",
    "she will hurt my kids if i talk to anyone",
])
def test_a_real_conditional_threat_is_not_an_idiom(text: str) -> None:
    assert assess(text).level is not Level.NONE
