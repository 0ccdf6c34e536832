"""Round 3 of issue 10: the failure classes the development sets showed, one test each.

Sentences written for these tests (never copied from tests/blind); each class is the
behaviour, so a new phrasing of the class should pass too.
"""

from __future__ import annotations

import pytest

from bot.safety import Level, assess, classifier, patterns

# ---------------------------------------------------------------- the combination rule

def test_the_classifier_alone_decides_without_a_danger_word(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Clear present danger often names no weapon or blow: it was only asked the Y/N check."""
    monkeypatch.setattr(patterns, "pattern_hits", lambda text: [])
    text = "stuck in the back of a van and they wont say where we are going"
    assert not patterns.has_danger_words(text)
    assert classifier.score(text) >= classifier.THRESHOLD
    result = assess(text)
    assert result.level is Level.EMERGENCY and "classifier" in result.layers


def test_below_the_threshold_without_danger_words_is_no_alarm(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(patterns, "pattern_hits", lambda text: [])
    monkeypatch.setattr(classifier, "score", lambda text: classifier.THRESHOLD - 0.01)
    monkeypatch.setattr(classifier, "self_harm_score", lambda text: 0.0)
    assert assess("the van is outside the laundromat").level is Level.NONE


@pytest.mark.parametrize("text", [
    "he has the knife out right now",
    "theyre beating my cousin rn",
    "me estan golpeando ahorita en la bodega",
    "the man who hurt me is still here in the next room",
    "tonight he says he will hurt me",
])
def test_a_danger_word_beside_a_narrow_now_is_an_emergency(
        monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr(patterns, "pattern_hits", lambda text: [])
    monkeypatch.setattr(classifier, "score", lambda text: 0.0)
    result = assess(text)
    assert result.level is Level.EMERGENCY and "danger_now" in result.layers


@pytest.mark.parametrize("text", ["my boss hits me", "mi jefe me pega",
                                  "he hit me today"])
def test_a_danger_word_without_a_narrow_now_still_asks(
        monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr(patterns, "pattern_hits", lambda text: [])
    monkeypatch.setattr(classifier, "score", lambda text: 0.0)
    monkeypatch.setattr(classifier, "self_harm_score", lambda text: 0.0)
    assert assess(text).level is Level.POSSIBLE


# ---------------------------------------------------------------- self-harm: 988

@pytest.mark.parametrize("text", [
    "ive got the rope in the garage",
    "wrote a goodbye note for my son, im done",
    "going to drink the antifreeze",
    "swallowed all of my sleeping pills",
    "thinking about ending it all tonight",
    "ill step in front of a truck on the way home",
    "what is the fastest way to die",
    "mejor me mato hoy",
    "esta noche acabo con todo",
    "me voy a tomar el veneno de ratas",
    "me tome todas las pastillas del frasco",
    "ya deje cartas de despedida",
    "voy a aventarme del puente",
])
def test_self_harm_means_methods_and_farewells_get_988(text: str) -> None:
    result = assess(text)
    assert result.is_emergency and result.self_harm


def test_the_self_harm_head_adds_988_where_no_pattern_does(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(patterns, "pattern_hits", lambda text: [])
    text = "i have a blade and im using it on myself tonight"
    assert classifier.self_harm_score(text) >= classifier.SELF_HARM_SURE
    result = assess(text)
    assert result.is_emergency and result.self_harm


@pytest.mark.parametrize("text", [
    "he has a gun and says he will shoot me",
    "my coworker is not breathing",
    "they locked me in the storage room",
])
def test_violence_and_medical_emergencies_do_not_get_988(text: str) -> None:
    result = assess(text)
    assert result.is_emergency and not result.self_harm


@pytest.mark.parametrize("text", [
    "i took my pills this morning",
    "me quiero morir de la pena jaja",
    "years ago i took a bunch of pills, im in therapy now and doing well",
])
def test_self_harm_words_in_ordinary_or_past_texts_are_no_alarm(text: str) -> None:
    assert not assess(text).is_emergency


# ---------------------------------------------------------------- medical, without "bleeding"

@pytest.mark.parametrize("text", [
    "her lips are turning blue",
    "my tongue is swelling and i cant swallow",
    "se me esta cerrando la garganta",
    "he fell from the scaffold and cant move his legs",
    "my chest hurts and my left arm went numb",
    "se me cayo aceite hirviendo en el brazo",
    "the machine crushed his fingers",
    "asthma attack, they took my inhaler",
    "me duele mucho el pecho",
    "my heart is racing after the pills they gave me",
    "no insulin for three days and im confused",
])
def test_acute_symptoms_are_emergencies(text: str) -> None:
    assert assess(text).is_emergency


# ---------------------------------------------------------------- held, taken, coming

@pytest.mark.parametrize("text", [
    "im in the trunk, we are moving",
    "the driver wont let me out of the truck",
    "locked all of us in the cooler",
    "la encerraron en el bano",
    "me tienen trancada",
    "no nos abren la puerta del trailer",
    "se acaban de llevar a mi prima a la fuerza",
    "me dieron una golpiza y siguen aqui",
    "dice que llega en media hora por mi",
    "he gave me until 9 tonight to pay or hes coming",
])
def test_held_taken_or_someone_coming_is_an_emergency(text: str) -> None:
    assert assess(text).is_emergency


# ---------------------------------------------------------------- false-alarm classes

@pytest.mark.parametrize("text", [
    "estoy muerta de sueno, hoy trabaje doble",   # an idiom with "hoy" is still an idiom
    "i killed it at the job fair today",
    "my teacher is gonna kill me when she sees my grade",
    "could murder a pizza rn",
    "el trafico de hoy me esta matando",
    "my coach will kill me if i skip practice",
    "no es nada urgente, solo una pregunta",
    "ando que me lleva el diablo con este horario",
])
def test_idioms_are_vetoed_unless_a_strong_cue(text: str) -> None:
    result = assess(text)
    assert result.level is Level.NONE


def test_a_strong_cue_beats_the_idiom() -> None:
    assert assess("im dying here help he stabbed me").is_emergency


@pytest.mark.parametrize("text", [
    "got a burn at the restaurant last week, its healing fine",
    "me pegaron hace un mes pero ya estoy bien",
    "i still have nightmares about the man who locked me up",
    "antes pensaba en matarme, ahora voy a terapia",
    "we had a fight, nothing physical, just sad",
    "years ago they held me in a house, im 30 now and doing ok",
])
def test_healed_resolved_and_remembered_are_no_alarm(text: str) -> None:
    assert not assess(text).is_emergency


def test_estoy_bien_as_an_intensifier_is_not_safe_now() -> None:
    """'estoy bien asustada' = I am very scared: not the all-clear "estoy bien"."""
    assert assess("estoy bien asustada, me encerro y tiene un cuchillo").is_emergency


def test_hace_rato_is_minutes_not_years() -> None:
    assert not patterns.is_benign("me apunto con la pistola hace rato y sigue aqui")
    assert assess("me apunto con la pistola hace rato y sigue aqui").is_emergency


def test_a_mothers_boyfriend_is_not_the_mom_idiom() -> None:
    assert assess("my moms boyfriend is going to kill me when he finds out i told").is_emergency


@pytest.mark.parametrize("text", [
    "where can i stay tonight, i have nowhere to go",
    "necesito un albergue para hoy",
    "can you call me tonight",
    "took my medicine, going to bed now",
])
def test_tonight_in_everyday_needs_is_no_alarm(text: str) -> None:
    assert not assess(text).is_emergency


def test_hace_calor_is_weather_not_the_past() -> None:
    """'hace mucho calor' (it is very hot) is not 'hace mucho' (long ago)."""
    assert not patterns.is_benign("hace mucho calor en la caja del camion y no nos abren")
    assert patterns.is_benign("eso me paso hace mucho, en otro trabajo")


@pytest.mark.parametrize("text", ["help", "help me", "help me please", "HELP!", "ayuda",
                                  "ayúdame", "ayudame por favor", "Ayúdenme!"])
def test_a_bare_call_for_help_gets_the_same_check_in_both_languages(text: str) -> None:
    assert assess(text).level is Level.POSSIBLE


@pytest.mark.parametrize("text", ["help help", "help!!!", "auxilio", "ayuda ya"])
def test_urgent_calls_for_help_stay_emergencies(text: str) -> None:
    assert assess(text).is_emergency


@pytest.mark.parametrize("text", ["no", "y", "no se", "no sé", "no lo se", "and wages?"])
def test_short_answers_are_no_alarm_and_no_check(text: str) -> None:
    """The classifier is not trusted alone below CLASSIFIER_ALONE_WORDS words: 'no se'
    shares n-grams with 'no se donde estoy' but is an everyday answer in a form."""
    assert assess(text).level is Level.NONE


@pytest.mark.parametrize("text", ["ya no quiero seguir", "quiero parar",
                                  "ya no quiero seguir con las preguntas",
                                  "no él está aquí", "i dont want to continue this"])
def test_stopping_a_form_is_not_self_harm(text: str) -> None:
    """The self-harm head alone needs a self-harm word; the classifier alone 5+ words."""
    assert not assess(text).is_emergency


def test_not_wanting_to_stay_alive_is_still_self_harm() -> None:
    result = assess("ya no quiero seguir viva")
    assert result.is_emergency and result.self_harm
