"""Held-out NLU quality gate (EN + ES) and train/test leakage check.

Needs a trained model: HOTLINE_MODEL=path/to/model.tar.gz, or the newest
models/*.tar.gz (build it with `make model`).
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bot.nlu.report import compute_metrics, latest_model  # noqa: E402

HELDOUT_DIR = REPO_ROOT / "tests" / "nlu_heldout"
NLU_DIR = REPO_ROOT / "data" / "nlu"
MIN_ACCURACY = 0.85
MIN_MACRO_F1 = 0.80


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower())


def _examples(path: Path) -> list[tuple[str, str]]:
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(path))
    return [(m.get("text"), m.get("intent")) for m in data.intent_examples]


@pytest.fixture(scope="module")
def model_path() -> Path:
    env = os.environ.get("HOTLINE_MODEL")
    if env:
        path = Path(env)
        if not path.exists():
            pytest.fail(f"HOTLINE_MODEL={env} does not exist; run `make model`.")
        return path
    path = latest_model(REPO_ROOT / "models")
    if path is None:
        pytest.fail(
            "No trained model in models/*.tar.gz and HOTLINE_MODEL is not set: "
            "run `make model` first."
        )
    return path


@pytest.fixture(scope="module")
def heldout_results(model_path: Path) -> dict[str, dict]:
    from bot.nlu.report import evaluate_heldout

    return evaluate_heldout(model_path, HELDOUT_DIR)


def test_heldout_files_cover_both_languages():
    for lang in ("en", "es"):
        path = HELDOUT_DIR / f"{lang}.yml"
        assert path.exists(), f"missing held-out set {path}"
        assert len(_examples(path)) >= 100, f"{path} has too few examples"


def test_heldout_accuracy_and_macro_f1(heldout_results):
    assert set(heldout_results) >= {"en", "es"}
    failures = []
    for lang, r in sorted(heldout_results.items()):
        print(
            f"{lang}: n={r['n']} accuracy={r['accuracy']:.3f} "
            f"macro_f1={r['macro_f1']:.3f} fallbacks={r['fallbacks']}"
        )
        for text, expected, predicted in r["errors"]:
            print(f"  {text!r}: expected {expected}, got {predicted}")
        if r["accuracy"] < MIN_ACCURACY:
            failures.append(f"{lang} accuracy {r['accuracy']:.3f} < {MIN_ACCURACY}")
        if r["macro_f1"] < MIN_MACRO_F1:
            failures.append(f"{lang} macro-F1 {r['macro_f1']:.3f} < {MIN_MACRO_F1}")
    assert not failures, "; ".join(failures)


def test_no_heldout_example_in_training_data():
    training = {
        _normalise(text)
        for path in sorted(NLU_DIR.glob("*.yml"))
        for text, intent in _examples(path)
        if text and intent
    }
    assert training, f"no training examples found in {NLU_DIR}"
    leaked = [
        (path.name, text)
        for path in sorted(HELDOUT_DIR.glob("*.yml"))
        for text, _ in _examples(path)
        if _normalise(text) in training
    ]
    assert not leaked, f"held-out examples also in training data: {leaked}"


def test_compute_metrics_macro_f1():
    pairs = [("a", "x", "x"), ("b", "x", "y"), ("c", "y", "y"), ("d", "y", "y")]
    r = compute_metrics(pairs)
    assert r["n"] == 4
    assert r["accuracy"] == pytest.approx(0.75)
    # x: P=1, R=0.5, F1=2/3 ; y: P=2/3, R=1, F1=0.8
    assert r["macro_f1"] == pytest.approx((2 / 3 + 0.8) / 2)
    assert r["errors"] == [("b", "x", "y")]
