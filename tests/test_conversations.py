"""Conversation tests: `rasa data validate` and the end-to-end test stories.

The stories in tests/conversations/test_*.yml run through the trained model with
`rasa test core --e2e`, so every user text goes through NLU (intent must match)
and every bot action must be predicted. Without `--e2e` Rasa ignores the texts
and only checks actions; with `--e2e` it only reads files named `test_*.yml`.

Needs a trained model: HOTLINE_MODEL=path/to/model.tar.gz, or
models/hotline.tar.gz (build it with `make model`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[1]
CONVERSATIONS_DIR = REPO_ROOT / "tests" / "conversations"
DEFAULT_MODEL = REPO_ROOT / "models" / "hotline.tar.gz"
TIMEOUT_SECONDS = 1800

pytestmark = pytest.mark.rasa


@pytest.fixture(scope="module")
def model_path() -> Path:
    env = os.environ.get("HOTLINE_MODEL")
    path = Path(env) if env else DEFAULT_MODEL
    if not path.is_file():
        source = f"HOTLINE_MODEL={env}" if env else f"default model {path}"
        pytest.fail(
            f"No trained model: {source} does not exist. Train it with "
            "`make model` (or `.venv/bin/python -m bot train`) or set HOTLINE_MODEL."
        )
    return path


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        p for p in (str(REPO_ROOT), os.environ.get("PYTHONPATH", "")) if p)}
    return subprocess.run(
        # `rasa`, with the fast model load (bot/nlu/rasa_main.py)
        [sys.executable, "-m", "bot.nlu.rasa_main", *args], cwd=REPO_ROOT, env=env,
        capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False,
    )


def _tail(text: str, lines: int = 80) -> str:
    return "\n".join(text.splitlines()[-lines:])


def _story_count() -> int:
    count = 0
    for path in sorted(CONVERSATIONS_DIR.glob("test_*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        count += len(data.get("stories") or [])
    return count


def test_conversation_files_are_picked_up() -> None:
    """`--e2e` silently tests nothing if the files lack the `test_` prefix."""
    stray = [p.name for p in CONVERSATIONS_DIR.glob("*.y*ml") if not p.name.startswith("test_")]
    assert not stray, f"rasa test --e2e ignores files not named test_*.yml: {stray}"
    assert _story_count() > 0, f"no test stories in {CONVERSATIONS_DIR}"


def test_rasa_data_validate() -> None:
    result = _run(["data", "validate", "--domain", "domain",
                   "--data", "data/nlu", "data/rules", "data/stories"])
    assert result.returncode == 0, (
        f"rasa data validate failed (exit {result.returncode}):\n"
        f"{_tail(result.stdout)}\n{_tail(result.stderr)}"
    )


def _failed_stories(out: Path) -> str:
    failed = out / "failed_test_stories.yml"
    return failed.read_text(encoding="utf-8") if failed.exists() else "(not written)"


def test_conversations(model_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "rasa-test-results"
    story_args = ["test", "core", "--model", str(model_path),
                  "--stories", str(CONVERSATIONS_DIR), "--e2e"]
    result = _run([*story_args, "--fail-on-prediction-errors", "--out", str(out)])
    if result.returncode != 0:
        # --fail-on-prediction-errors stops at the first wrong intent or action
        # (the failed story is in the error message on stdout) and writes no
        # failed_test_stories.yml; run once more without it to list every failure.
        full = tmp_path / "rasa-test-results-all"
        _run([*story_args, "--out", str(full)])
        failed_text = _failed_stories(full)
        print(f"--- {full / 'failed_test_stories.yml'} ---\n{failed_text}")
        print(f"--- rasa stdout (tail) ---\n{_tail(result.stdout)}")
        print(f"--- rasa stderr (tail) ---\n{_tail(result.stderr, 40)}")
        pytest.fail(
            f"rasa test core --fail-on-prediction-errors failed (exit {result.returncode}) "
            f"on model {model_path}.\nFirst failure:\n{_tail(result.stdout, 40)}\n\n"
            f"All failed stories (run without --fail-on-prediction-errors):\n{failed_text}",
            pytrace=False,
        )

    report = json.loads((out / "story_report.json").read_text(encoding="utf-8"))
    conversations = report.get("conversation_accuracy", {})
    expected = _story_count()
    assert conversations.get("total") == expected, (
        f"expected {expected} test stories to run, Rasa reports {conversations}"
    )
    assert conversations.get("correct") == expected, (
        f"not all stories passed: {conversations}\n{_failed_stories(out)}"
    )


# Free-text form answers have no intent of their own (the forms read the raw text),
# so they cannot be pinned to one intent in the stories. What matters is that they
# are never read as an intent the form rejects: that would stop, restart, switch
# language or hand off in the middle of a tip or a location question.
# Questions (ask_rights, find_resources, more) also interrupt a form, but a short
# reply without a question cue is taken as the answer by the answering actions
# (actions/form_answer.py, tested in tests/unit/actions/test_action_answer_first.py).
INTERRUPTING = {"quick_exit", "handoff", "switch_language", "stop", "show_menu"}
FREE_TEXT_ANSWERS = [
    # tip: when
    "last week", "yesterday", "today", "2 days ago", "last night",
    "la semana pasada", "ayer", "hoy", "hace 2 dias", "anoche",
    # tip: where / location question
    "a massage place in dallas tx", "un bar en el paso texas", "77002", "houston",
    "springfield", "vivo en springfield",
    # "Reply SKIP to pass" / "SALTAR pasa una" is what the bot itself tells people
    "skip", "SKIP", "saltar", "SALTAR",
]


@pytest.fixture(scope="module")
def nlu_agent(model_path: Path):  # type: ignore[no-untyped-def]
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    from bot.nlu.report import _load_agent

    return _load_agent(model_path)


def test_free_text_answers_do_not_interrupt_forms(nlu_agent) -> None:  # type: ignore[no-untyped-def]
    import asyncio

    from bot.nlu.report import _predict_all

    intents = asyncio.run(_predict_all(nlu_agent, FREE_TEXT_ANSWERS))
    bad = {text: intent for text, intent in zip(FREE_TEXT_ANSWERS, intents, strict=True)
           if intent in INTERRUPTING}
    assert not bad, f"form answers read as interrupting intents (form would stop): {bad}"
