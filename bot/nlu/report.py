"""Held-out NLU evaluation for the hotline assistant.

Loads a trained Rasa model, parses every example of the held-out test sets
(``tests/nlu_heldout/<lang>.yml``, never used for training) and reports, per
language: number of examples, accuracy, macro-F1, per-intent precision /
recall / F1 and the misclassified examples.

The predicted intent is the *final* intent of the pipeline (after
FallbackClassifier and any custom override components), i.e. what the bot
would actually act on; ``nlu_fallback`` therefore counts as an error.
Macro-F1 is averaged over the intents present in the held-out set.

Usage (from the repository root)::

    python -m bot.nlu.report [--model models/xxx.tar.gz] [--heldout tests/nlu_heldout]

Privacy: this module never logs message texts. Only :func:`main`, a developer
tool, prints misclassified held-out examples (synthetic test data) to stdout.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_MODELS_DIR = REPO_ROOT / "models"
DEFAULT_HELDOUT_DIR = REPO_ROOT / "tests" / "nlu_heldout"


def latest_model(models_dir: Path = DEFAULT_MODELS_DIR) -> Path | None:
    """Return the newest ``*.tar.gz`` in ``models_dir`` (by mtime), or None."""
    models_dir = Path(models_dir)
    if not models_dir.is_dir():
        return None
    candidates = sorted(models_dir.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    return candidates[-1] if candidates else None


def load_heldout(heldout_dir: Path) -> dict[str, list[tuple[str, str]]]:
    """Read ``<lang>.yml`` files into ``{lang: [(text, intent), ...]}``."""
    from rasa.shared.nlu.training_data.loading import load_data

    heldout_dir = Path(heldout_dir)
    sets: dict[str, list[tuple[str, str]]] = {}
    for path in sorted(heldout_dir.glob("*.yml")):
        data = load_data(str(path))
        examples = [
            (m.get("text"), m.get("intent"))
            for m in data.intent_examples
            if m.get("text") and m.get("intent")
        ]
        if examples:
            sets[path.stem] = examples
    if not sets:
        raise FileNotFoundError(f"no held-out NLU files (*.yml) in {heldout_dir}")
    return sets


def compute_metrics(pairs: list[tuple[str, str, str]]) -> dict[str, Any]:
    """Metrics from ``[(text, expected, predicted), ...]``.

    Macro-F1 averages the F1 of every intent that occurs as an expected label.
    """
    n = len(pairs)
    correct = sum(1 for _, exp, pred in pairs if exp == pred)
    support = Counter(exp for _, exp, _ in pairs)
    predicted = Counter(pred for _, _, pred in pairs)
    true_pos = Counter(exp for _, exp, pred in pairs if exp == pred)

    per_intent: dict[str, dict[str, float]] = {}
    for intent in sorted(support):
        tp = true_pos[intent]
        precision = tp / predicted[intent] if predicted[intent] else 0.0
        recall = tp / support[intent] if support[intent] else 0.0
        f1 = (
            2 * precision * recall / (precision + recall)
            if precision + recall
            else 0.0
        )
        per_intent[intent] = {
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "support": support[intent],
        }
    macro_f1 = (
        sum(v["f1"] for v in per_intent.values()) / len(per_intent) if per_intent else 0.0
    )
    errors = [(text, exp, pred) for text, exp, pred in pairs if exp != pred]
    return {
        "n": n,
        "accuracy": correct / n if n else 0.0,
        "macro_f1": macro_f1,
        "per_intent": per_intent,
        "errors": errors,
        "fallbacks": sum(1 for _, _, pred in pairs if pred == "nlu_fallback"),
    }


async def _predict_all(agent: Any, texts: list[str]) -> list[str]:
    predictions = []
    for text in texts:
        result = await agent.parse_message(text)
        intent = (result or {}).get("intent") or {}
        predictions.append(intent.get("name") or "None")
    return predictions


def _quiet_structlog() -> None:
    """Rasa's processor logs parsed message texts through structlog at DEBUG.

    When nobody configured structlog (library / test use), its default logger
    prints everything; filter below WARNING so message texts are not emitted.
    A server started by ``rasa run`` configures structlog itself.
    """
    import structlog

    if not structlog.is_configured():
        structlog.configure(
            wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING)
        )


def _load_agent(model_path: str | Path) -> Any:
    # The model may reference custom components (bot.nlu.overrides); make sure
    # the repository root is importable wherever this is called from.
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    from rasa.core.agent import Agent

    from bot.nlu import fast_load

    fast_load.install()
    _quiet_structlog()
    model_path = Path(model_path)
    if not model_path.exists():
        raise FileNotFoundError(f"model not found: {model_path}")
    agent = Agent.load(str(model_path))
    if not agent.is_ready():
        raise RuntimeError(f"model could not be loaded: {model_path}")
    return agent


def evaluate_heldout(model_path: str | Path, heldout_dir: Path) -> dict[str, dict]:
    """Evaluate a trained model on the held-out sets, one entry per language.

    Returns ``{lang: {"n", "accuracy", "macro_f1", "per_intent", "errors",
    "fallbacks"}}`` where ``errors`` is a list of
    ``(text, expected, predicted)``.
    """
    sets = load_heldout(Path(heldout_dir))
    agent = _load_agent(model_path)
    results: dict[str, dict] = {}
    for lang, examples in sets.items():
        texts = [text for text, _ in examples]
        predictions = asyncio.run(_predict_all(agent, texts))
        pairs = [
            (text, expected, predicted)
            for (text, expected), predicted in zip(examples, predictions, strict=True)
        ]
        results[lang] = compute_metrics(pairs)
        logger.debug(
            "held-out %s: n=%d accuracy=%.3f",
            lang,
            results[lang]["n"],
            results[lang]["accuracy"],
        )
    return results


def format_report(results: dict[str, dict], worst: int = 5) -> str:
    lines = [
        f"{'lang':<6}{'n':>6}{'accuracy':>10}{'macro-F1':>10}{'fallback':>10}",
        "-" * 42,
    ]
    for lang, r in results.items():
        lines.append(
            f"{lang:<6}{r['n']:>6}{r['accuracy']:>10.3f}{r['macro_f1']:>10.3f}"
            f"{r.get('fallbacks', 0):>10}"
        )
    for lang, r in results.items():
        ranked = sorted(r["per_intent"].items(), key=lambda kv: (kv[1]["f1"], kv[0]))
        lines.append("")
        lines.append(f"[{lang}] worst intents (F1 / precision / recall / support):")
        for intent, m in ranked[:worst]:
            lines.append(
                f"  {intent:<18} {m['f1']:.2f} / {m['precision']:.2f} / "
                f"{m['recall']:.2f} / {m['support']}"
            )
        if r["errors"]:
            lines.append(f"[{lang}] errors ({len(r['errors'])}):")
            for text, expected, predicted in r["errors"]:
                lines.append(f"  {text!r}: expected {expected}, got {predicted}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Held-out NLU evaluation (EN/ES).")
    parser.add_argument("--model", type=Path, default=None,
                        help="model .tar.gz (default: newest in models/)")
    parser.add_argument("--heldout", type=Path, default=DEFAULT_HELDOUT_DIR,
                        help="directory with <lang>.yml held-out sets")
    parser.add_argument("--worst", type=int, default=5,
                        help="how many worst intents to show per language")
    args = parser.parse_args(argv)

    model = args.model or (
        Path(os.environ["HOTLINE_MODEL"]) if os.environ.get("HOTLINE_MODEL") else None
    ) or latest_model()
    if model is None:
        print("No trained model found in models/ - run `make model` first.",
              file=sys.stderr)
        return 2

    logging.basicConfig(level=logging.WARNING)
    for name in ("rasa", "tensorflow", "absl"):
        logging.getLogger(name).setLevel(logging.ERROR)

    results = evaluate_heldout(model, args.heldout)
    print(f"model: {model}")
    print(format_report(results, worst=args.worst))
    return 0


if __name__ == "__main__":
    sys.exit(main())
