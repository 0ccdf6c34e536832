"""The character n-gram model both safety classifiers use, and its out-of-fold check.

Why shared: the emergency and must-stop layers differ in their examples and
thresholds, not in how text becomes features (char_wb n-grams over the
normalised text, so typos, missing accents and Spanglish share features).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import pickle
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from bot.paths import DATA_DIR, MODELS_DIR
from bot.safety.normalise import normalise

logger = logging.getLogger(__name__)

# Fitted layers are kept here between runs (`bot train` fills it; a process that finds
# no file for its inputs fits and writes one). HOTLINE_SAFETY_CACHE_DIR moves it;
# "off" keeps everything in memory.
CACHE_ENV = "HOTLINE_SAFETY_CACHE_DIR"
DEFAULT_CACHE_DIR = MODELS_DIR / "safety"
_SAFETY_CODE_DIR = Path(__file__).resolve().parent

# The named layers (the product's, not a test's or an experiment's): the start-up
# warm-up reserves them all before its thread runs (`start_background_fit`).
_NAMED: list[Layer] = []


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


def cache_dir() -> Path | None:
    """Where fitted layers are kept, or None when HOTLINE_SAFETY_CACHE_DIR is "off"."""
    value = os.environ.get(CACHE_ENV, "").strip()
    if value.lower() == "off":
        return None
    return Path(value) if value else DEFAULT_CACHE_DIR


def inputs_fingerprint(name: str, c: float) -> str:
    """A digest of everything a fit depends on: the example and NLU files, the safety
    code (loaders, normalisation), C and the library versions. Any change is a new file,
    so a cached model can never be older than its inputs."""
    import sklearn

    digest = hashlib.sha256(f"{name}|{c}|{sklearn.__version__}|{sys.version_info[:2]}"
                            .encode())
    sources = sorted((DATA_DIR / "safety").glob("*.yml")) + sorted(
        (DATA_DIR / "nlu").glob("*.yml")) + sorted(_SAFETY_CODE_DIR.glob("*.py"))
    for path in sources:
        digest.update(path.name.encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:24]


def start_background_fit() -> None:
    """Reserve every named layer for the warm-up thread, before it runs: until it has
    fitted one, that layer answers 0.0 instead of fitting on a texter's message. The
    thread ends with `end_background_fit` (in a `finally`, or a layer it failed to
    fit would answer 0.0 for ever)."""
    for layer in _NAMED:
        layer._reserved = not layer.ready


def end_background_fit() -> None:
    for layer in _NAMED:
        layer._reserved = False


class Layer:
    """One trained n-gram model: loaded from the cache, else fitted from `load()`.

    While another thread is fitting it, or the start-up warm-up has not reached it
    yet, `score` answers 0.0 rather than make a texter wait: the patterns still
    decide, and the assistant's own check (bot/nlu/overrides.py, in the Rasa process)
    scores the same message again with its own copy. A layer without `name` is never
    cached (tests, experiments).
    """

    def __init__(self, load: Callable[[], tuple[list[str], list[int]]], c: float,
                 name: str | None = None) -> None:
        self._load = load
        self._c = c
        self._name = name
        self._model = None  # type: ignore[var-annotated]
        self._lock = threading.Lock()
        self._reserved = False  # the warm-up thread will fit it (start_background_fit)
        if name is not None:
            _NAMED.append(self)

    def fit(self) -> None:
        """Load or train now (at start-up) rather than on a texter's first message."""
        with self._lock:
            try:
                self._fit_locked()
            finally:
                self._reserved = False

    def _cache_path(self) -> Path | None:
        directory = cache_dir()
        if self._name is None or directory is None:
            return None
        return directory / f"{self._name}-{inputs_fingerprint(self._name, self._c)}.pkl"

    def _fit_locked(self) -> None:
        if self._model is not None:
            return
        path = self._cache_path()
        if path is not None and path.exists():
            try:
                self._model = pickle.loads(path.read_bytes())  # noqa: S301 (our own file)
                return
            except Exception:  # a torn or foreign file: fit again and replace it
                logger.warning("safety layer %s: cached model unreadable; fitting", self._name)
        texts, labels = self._load()
        model = pipeline(self._c)
        model.fit(texts, labels)
        self._model = model
        if path is not None:
            self._write(path, model)

    def _write(self, path: Path, model: object) -> None:
        """Atomically (a reader never sees half a file); older fits of this layer go."""
        temporary: Path | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".tmp-",
                                             delete=False) as handle:
                temporary = Path(handle.name)
                handle.write(pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL))
            os.chmod(temporary, 0o644)  # like the Rasa model: public training data
            os.replace(temporary, path)
            for old in path.parent.glob(f"{self._name}-*.pkl"):
                if old != path:
                    old.unlink(missing_ok=True)
        except OSError:  # a read-only models/ directory: keep it in memory
            logger.warning("safety layer %s: could not write its cache", self._name)
            if temporary is not None:
                with contextlib.suppress(OSError):
                    temporary.unlink()

    @property
    def ready(self) -> bool:
        return self._model is not None

    def score(self, text: str | None) -> float:
        """Probability-like score of the positive class (0..1); 0 for no text, and 0
        while another thread is fitting the model or is reserved to (the warm-up)."""
        if not isinstance(text, str) or not text.strip():
            return 0.0
        if self._model is None:
            if self._reserved or not self._lock.acquire(blocking=False):
                return 0.0
            try:
                self._fit_locked()
            finally:
                self._lock.release()
        return float(self._model.predict_proba([text])[0][1])  # type: ignore[union-attr]
