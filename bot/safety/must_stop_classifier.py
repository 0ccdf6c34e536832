"""The learned half of "I must stop now": character n-grams over many written examples.

Why beside the patterns (bot/safety/must_stop.py): fresh blind sets kept showing a
long tail of ways to say "he's back", "hide the phone", "later" that no pattern
listed (patterns alone: about 7 in 10 on new text, docs/safety.md). This layer is
trained on data/safety/must_stop_examples.yml, written by helpers who never saw a
blind set: must-stop messages against hard look-alikes (the same words in a past
story, permission questions, plain form answers, opt-outs, emergencies where
someone is coming to hurt the texter).

It only ever adds a must-stop where no emergency was found: `must_stop_wins`
does not consult it beside an emergency, so a wrong guess costs a texter an "OK."
and a pause, never the 911 line. THRESHOLD is chosen for precision (see
`choose_threshold`), since a wrong stop silences someone who wanted an answer.
Trained when first used (about a second; no model file to ship or go stale).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.paths import DATA_DIR
from bot.safety import ngram
from bot.safety.background import nlu_examples

EXAMPLES_PATH = DATA_DIR / "safety" / "must_stop_examples.yml"
# NLU intents that can themselves be a sign-off: left out of the background.
NOT_BACKGROUND = frozenset({"goodbye", "stop", "quick_exit"})

# Recorded from `python -m bot.safety.must_stop_classifier` (5-fold cross-validation,
# 2026-12-02, round 6: 477 must-stops, 4,385 negatives; docs/safety.md). Out of fold,
# 0.90 catches 44% of the must-stops alone with 0.6% false stops; the patterns do the
# rest. On the development sets it adds 8 of 485 must-stops for 6 false stops in
# 11,681 other turns (lower thresholds cost far more stops than they add).
THRESHOLD = 0.90
# Beyond this many words a message is a story, not a sign-off: left to the patterns.
MAX_WORDS = 30
# One or two words ("later", "ok luego", "text 2") are a form answer as often as a stop:
# patterns only.
MIN_WORDS = 3


def load_examples(path: Path = EXAMPLES_PATH,
                  background: bool = True) -> tuple[list[str], list[int]]:
    """(texts, labels): 1 = must stop, 0 = anything else.

    The look-alikes in the examples file alone taught "short = stop" (round 6: "go on"
    replies, screening requests and asking for a person scored 0.8-0.95), so everything else a
    texter says is the background: the NLU training examples of every other intent
    and the emergency classifier's examples.
    """
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    texts: list[str] = []
    labels: list[int] = []
    for key, label in (("must_stop", 1), ("not_must_stop", 0)):
        for group in data[key].values():
            texts.extend(str(t) for t in group)
            labels.extend([label] * len(group))
    if background:
        others = nlu_examples(NOT_BACKGROUND) + emergency_background()
        texts.extend(others)
        labels.extend([0] * len(others))
    return texts, labels


def emergency_background() -> list[str]:
    """The emergency classifier's examples, both labels: none of them is a sign-off
    (an emergency where someone is coming is answered, never silenced by this layer)."""
    from bot.safety.classifier import load_examples as emergency_examples

    return emergency_examples(background=False)[0]


C = 16.0


_LAYER = ngram.Layer(load_examples, C, "must_stop")


def score(text: str | None) -> float:
    """Probability-like score that the texter signals they must stop now (0..1)."""
    return _LAYER.score(text)


def says_must_stop(text: str | None) -> bool:
    """The learned layer's verdict: sure enough, and short enough to be a sign-off."""
    if not isinstance(text, str) or not MIN_WORDS <= len(text.split()) <= MAX_WORDS:
        return False
    return score(text) >= THRESHOLD


def warm() -> None:
    """Train now (at start-up) rather than on a texter's first message."""
    _LAYER.fit()


def choose_threshold(folds: int = 5) -> dict[str, object]:
    """Out-of-fold scores: what each threshold catches and what it costs."""
    texts, labels = load_examples()
    _, table = ngram.out_of_fold(texts, labels, C, (0.5, 0.6, 0.7, 0.8, THRESHOLD),
                                 caught="recall", wrong="false_stops", folds=folds)
    return {"examples": len(texts), "must_stop": sum(labels), **table}


if __name__ == "__main__":  # pragma: no cover - a reviewer's tool
    print(choose_threshold())
