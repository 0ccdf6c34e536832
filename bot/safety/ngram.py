"""The character n-gram model both safety classifiers use, and its out-of-fold check.

Why shared: the emergency and must-stop layers differ in their examples and
thresholds, not in how text becomes features (char_wb n-grams over the
normalised text, so typos, missing accents and Spanglish share features).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence

from bot.safety.normalise import normalise


def pipeline(c: float):  # type: ignore[no-untyped-def]
    """TF-IDF over character 2-5-grams, then a class-balanced logistic regression."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    return make_pipeline(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), preprocessor=normalise,
                        sublinear_tf=True, min_df=1),
        LogisticRegression(C=c, class_weight="balanced", max_iter=3000),
    )


def out_of_fold(texts: Sequence[str], labels: Sequence[int], c: float,
                thresholds: Iterable[float], *, caught: str, wrong: str,
                folds: int = 5) -> tuple[list[float], dict[str, dict[str, float]]]:
    """Positive-class scores out of fold, and per threshold the share of positives
    caught (`caught`) and of negatives wrongly flagged (`wrong`)."""
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    probs = cross_val_predict(pipeline(c), list(texts), list(labels), method="predict_proba",
                              cv=StratifiedKFold(folds, shuffle=True, random_state=7))[:, 1]
    positives = [p for p, y in zip(probs, labels, strict=True) if y == 1]
    negatives = [p for p, y in zip(probs, labels, strict=True) if y == 0]
    table = {}
    for threshold in thresholds:
        table[f"{threshold:.2f}"] = {
            caught: round(sum(p >= threshold for p in positives) / len(positives), 3),
            wrong: round(sum(p >= threshold for p in negatives) / len(negatives), 3)}
    return sorted(positives), table


class Layer:
    """One trained n-gram model, fitted on first use from `load()` (no file to ship).

    While another thread is fitting it (the router's start-up warm-up, a few seconds),
    `score` answers 0.0 rather than make a texter wait: the patterns still decide, and
    the assistant's own check (bot/nlu/overrides.py, in the Rasa process) scores the
    same message again with its own copy.
    """

    def __init__(self, load: Callable[[], tuple[list[str], list[int]]], c: float) -> None:
        self._load = load
        self._c = c
        self._model = None  # type: ignore[var-annotated]
        self._lock = threading.Lock()

    def fit(self) -> None:
        """Train now (at start-up) rather than on a texter's first message."""
        with self._lock:
            self._fit_locked()

    def _fit_locked(self) -> None:
        if self._model is None:
            texts, labels = self._load()
            model = pipeline(self._c)
            model.fit(texts, labels)
            self._model = model

    @property
    def ready(self) -> bool:
        return self._model is not None

    def score(self, text: str | None) -> float:
        """Probability-like score of the positive class (0..1); 0 for no text, and 0
        while another thread is still fitting the model."""
        if not isinstance(text, str) or not text.strip():
            return 0.0
        if self._model is None:
            if not self._lock.acquire(blocking=False):
                return 0.0
            try:
                self._fit_locked()
            finally:
                self._lock.release()
        return float(self._model.predict_proba([text])[0][1])  # type: ignore[union-attr]
