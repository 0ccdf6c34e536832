"""The layers are combined so that a miss by one is caught by another."""

from __future__ import annotations

import pytest

from bot.safety import Level, assess, classifier, detector, patterns


def test_pattern_miss_is_caught_by_the_classifier(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(patterns, "pattern_hits", lambda text: [])
    text = "hes beating me pls help"
    result = assess(text)
    assert classifier.score(text) >= classifier.THRESHOLD
    assert result.level is Level.EMERGENCY and result.layers == ("classifier",)


def test_pattern_and_classifier_miss_is_caught_by_the_model(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(patterns, "pattern_hits", lambda text: [])
    # The classifier below its threshold but not silent (round 9: MODEL_ALONE_MIN_SCORE).
    monkeypatch.setattr(classifier, "score", lambda text: detector.MODEL_ALONE_MIN_SCORE)
    text = "the man in the blue truck is doing it again"
    assert assess(text).level is not Level.EMERGENCY
    result = assess(text, nlu_intent="emergency", nlu_confidence=0.9)
    assert result.level is Level.EMERGENCY and result.layers == ("model",)


def test_a_sure_model_that_nothing_else_backs_is_discounted(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Round 9: a form answer the model took for an emergency is not the 911 reply."""
    monkeypatch.setattr(classifier, "score", lambda text: 0.05)
    result = assess("ok just send me the list", nlu_intent="emergency", nlu_confidence=0.96)
    assert result.level is Level.NONE and result.model_discounted
    # a danger word beside it keeps the model's say
    result = assess("ok just send me the list, he has a gun", nlu_intent="emergency",
                    nlu_confidence=0.96)
    assert result.is_emergency and "model" in result.layers


def test_classifier_and_model_miss_is_caught_by_the_patterns(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(classifier, "score", lambda text: 0.0)
    result = assess("no se donde estoy me llevaron anoche", nlu_intent="get_help",
                    nlu_confidence=0.99)
    assert result.level is Level.EMERGENCY and result.layers == ("patterns",)


def test_a_half_sure_model_asks_the_check(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(classifier, "score", lambda text: 0.0)
    result = assess("the thing with the van again", nlu_intent="emergency",
                    nlu_confidence=detector.NLU_DOUBT + 0.05)
    assert result.level is Level.POSSIBLE


def test_the_benign_veto_needs_no_present_cue() -> None:
    assert assess("my boss is gonna kill me if im late lol").level is Level.NONE
    assert assess("years ago he had a gun").level is Level.NONE
    # A present cue keeps the danger, even beside an old year.
    assert assess("in 2019 he hit me and right now he is hitting me again").is_emergency


def test_the_model_cannot_override_the_idiom_veto() -> None:
    result = assess("mi jefe me va a matar si llego tarde jaja", nlu_intent="emergency",
                    nlu_confidence=0.99)
    assert result.level is Level.NONE and result.concern


def test_threshold_is_recorded_and_recall_first() -> None:
    assert 0 < classifier.POSSIBLE_THRESHOLD < classifier.THRESHOLD < 1
    texts, labels = classifier.load_examples()
    assert len(texts) >= 300 and sum(labels) >= 150
    # In sample, the classifier alone finds most emergencies; every one is
    # found by some layer (patterns or classifier) without the model.
    missed = [t for t, y in zip(texts, labels, strict=True) if y and not assess(t).is_emergency]
    assert missed == []
