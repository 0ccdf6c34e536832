"""Round 6 (issue 10): the learned must-stop layer, everyday background, new veto fixes.

Own sentences, written for these tests (never from a blind set).
"""

from __future__ import annotations

import pytest

from bot.safety import classifier, must_stop_classifier
from bot.safety.background import nlu_examples
from bot.safety.detector import Level, assess
from bot.safety.must_stop import _by_patterns, is_must_stop, must_stop_wins

# Sign-offs no written pattern lists, which the learned layer catches.
LEARNED_ONLY = [
    "the lady is up, ill write u in the morning",
    "mi esposo ya se levanto, luego te cuento",
    "shh he is in the next room now",
]


@pytest.mark.parametrize("text", LEARNED_ONLY)
def test_the_learned_layer_catches_what_no_pattern_lists(text: str) -> None:
    assert not _by_patterns(text, phone_going=True)
    assert must_stop_classifier.says_must_stop(text)
    assert is_must_stop(text)


@pytest.mark.parametrize("text", LEARNED_ONLY)
def test_the_learned_layer_never_silences_an_emergency(text: str) -> None:
    # Beside an emergency only a written pattern may hold the 911 reply back.
    assert must_stop_wins(text, False, ())
    assert not must_stop_wins(text, True, ("on_the_way",))
    assert not is_must_stop(text, learned=False)
    assert not is_must_stop(text, phone_going=False)


@pytest.mark.parametrize("text", ["later", "luego", "ya", "no", "bye", "text 2", "ok luego"])
def test_one_or_two_words_are_left_to_the_patterns(text: str) -> None:
    assert not must_stop_classifier.says_must_stop(text)


def test_a_long_story_is_left_to_the_patterns() -> None:
    story = ("he is back home now but i wanted to tell you first that the man who brought "
             "me here keeps my passport and says i will get it later when i pay him all of "
             "it, what can i do about that")
    assert len(story.split()) > must_stop_classifier.MAX_WORDS
    assert not must_stop_classifier.says_must_stop(story)


def test_the_background_is_learned_and_the_threshold_is_recorded() -> None:
    texts, labels = must_stop_classifier.load_examples()
    assert sum(labels) >= 400 and len(texts) - sum(labels) >= 2000
    bare, bare_labels = must_stop_classifier.load_examples(background=False)
    assert len(texts) > len(bare) and sum(labels) == sum(bare_labels)
    # In sample, almost no everyday NLU example is taken for a stop.
    background = nlu_examples(must_stop_classifier.NOT_BACKGROUND)
    flagged = [t for t in background if must_stop_classifier.says_must_stop(t)]
    assert len(flagged) <= len(background) // 200, flagged
    assert 0.5 < must_stop_classifier.THRESHOLD < 1
    table = must_stop_classifier.choose_threshold(folds=3)
    assert table["must_stop"] == sum(labels)
    row = table[f"{must_stop_classifier.THRESHOLD:.2f}"]
    assert row["false_stops"] <= 0.02  # precision first: a wrong stop silences a texter


def test_the_emergency_classifier_learns_everyday_texts_as_negatives() -> None:
    texts, labels = classifier.load_examples()
    bare, bare_labels = classifier.load_examples(background=False)
    assert sum(labels) == sum(bare_labels) and len(texts) - len(bare) >= 2000
    assert "emergency" in classifier.NOT_BACKGROUND
    # Nothing from the NLU `emergency` intent is used as a negative.
    emergency_intent = set(nlu_examples(frozenset())) - set(nlu_examples(frozenset({"emergency"})))
    assert emergency_intent
    assert not emergency_intent & set(nlu_examples(classifier.NOT_BACKGROUND))


@pytest.mark.parametrize("text", [
    "he is coming back in an hour and he said he will burn me",
    "hes gonna be back in 20 minutes and said tonight i pay with my life",
    "el viene de regreso y dijo q me va a quebrar",
])
def test_coming_back_in_an_hour_is_not_a_past_time(text: str) -> None:
    assert assess(text).is_emergency


@pytest.mark.parametrize("text", [
    "back in 2019 he hit me but i got out",
    "i took my pills this morning",
    "tomo mis pastillas de la presion cada mañana",
    "he doesnt know where i live anymore and i moved states",
])
def test_the_past_routine_medicine_and_moving_away_are_no_alarm(text: str) -> None:
    assert assess(text).level is not Level.EMERGENCY


def test_an_overdose_is_not_routine_medicine() -> None:
    assert assess("i took all my pills this morning and i dont want to wake up").is_emergency
    assert assess("me tome todas mis pastillas y no quiero despertar").is_emergency


# Round 6 must-stop classes (own sentences): more people who come back, "when he
# leaves", leaving said first, the phone given back, "no puedo hablar ahora".
ROUND6_MUST_STOP = [
    "the foreman is coming, later", "my neighbor is outside, bye", "ya vinieron, luego",
    "ahi anda la señora, despues te cuento", "my wife is home, i'll write when she's asleep",
    "cuando se vaya te escribo", "ok gotta go they need me at the register",
    "tengo que devolver el cel ya", "i have to give the phone back now",
    "somebody is at the door", "tocan la puerta", "no puedo hablar ahorita",
    "me tengo q pelar", "ya ven mi pantalla",
]
ROUND6_NOT_MUST_STOP = [
    "i gotta go to court next week what do i do", "no puedo hablar ahora con la policia?",
    "my supervisor is outside the country until june, can i still report him",
    "when he leaves for work he locks us in, is that legal",
]


@pytest.mark.parametrize("text", ROUND6_MUST_STOP)
def test_round6_must_stop(text: str) -> None:
    assert is_must_stop(text)


@pytest.mark.parametrize("text", ROUND6_NOT_MUST_STOP)
def test_round6_not_must_stop(text: str) -> None:
    assert not is_must_stop(text)


def test_someone_back_beside_violence_stays_an_emergency() -> None:
    # A must-stop is not taught to the emergency classifier as a negative.
    assert assess("oh no hes back and hes yanking the door handle").is_emergency


@pytest.mark.parametrize("text", ["he was kicking me", "me golpeaba"])
def test_a_short_past_tense_text_asks_the_check(text: str) -> None:
    assert assess(text).level is not Level.EMERGENCY


@pytest.mark.parametrize("text", ["she is beating him", "he was beating me just now"])
def test_the_same_text_now_is_an_emergency(text: str) -> None:
    assert assess(text).is_emergency
