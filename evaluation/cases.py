"""Read the blind sets: tests/blind/<set>/<lang>.yml in the format of tests/blind/FORMAT.md.

Why lenient per case and strict per file: a set is written by hand by people who never
saw the code; one case with a misspelt category must not cancel the whole report, so it
is listed as invalid and skipped, while a file that is not the format stops the run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from evaluation.checks import CHECKS

LANGS = ("en", "es")
FLOWS = ("screening", "tip", "lookup")
TOPICS: dict[str, frozenset[str]] = {
    "line_request": frozenset({"national_hotline", "domestic_violence", "child_abuse",
                               "crisis_988", "labor", "immigration_legal", "shelter",
                               "spanish_speaking"}),
    "rights": frozenset({"t_visa", "u_visa", "continued_presence", "documents_held", "wages",
                         "minors", "record_relief", "report_to_immigration",
                         "report_to_police", "who_reads_chat", "must_talk_police",
                         "can_get_status", "removal_risk"}),
    "disclosure": frozenset({"papers_held", "debt", "immigration_threat", "no_pay",
                             "forced_sex", "under_18"}),
    "language_switch": frozenset(LANGS),
}
CONVERSATION_ONLY = frozenset({"language_switch", "stop_flow"})
SINGLE_CATEGORIES = frozenset(CHECKS) - CONVERSATION_ONLY - {"resume"}


class SetError(ValueError):
    """A blind set file cannot be read at all."""


@dataclass(frozen=True)
class Turn:
    text: str
    category: str | None = None      # a labelled turn is checked
    topic: str | None = None
    lang: str | None = None          # other_language: ISO 639-1 of the text
    expect: str | None = None        # "resume"

    @property
    def labelled(self) -> bool:
        return bool(self.category or self.expect)


@dataclass(frozen=True)
class Case:
    """One single-turn case (one turn) or one conversation (flow set)."""

    id: str
    set: str
    lang: str
    category: str                    # "conversation" for multi-turn cases
    turns: tuple[Turn, ...]
    flow: str | None = None

    @property
    def is_conversation(self) -> bool:
        return self.category == "conversation"


@dataclass
class BlindSet:
    cases: list[Case] = field(default_factory=list)
    invalid: list[tuple[str, str]] = field(default_factory=list)   # (case id, why)


def _turn_problem(turn: Turn, conversation: bool) -> str | None:
    allowed = set(CHECKS) - {"resume"} if conversation else SINGLE_CATEGORIES
    if not turn.text.strip():
        return "empty text"
    if turn.category and turn.category not in allowed:
        return f"unknown category {turn.category!r}"
    if turn.category in TOPICS and turn.topic not in TOPICS[turn.category]:
        return f"{turn.category} needs a topic from the fixed list"
    if turn.category == "other_language" and not turn.lang:
        return "other_language needs lang"
    if turn.expect not in (None, "resume"):
        return f"unknown expect {turn.expect!r}"
    return None


def _turn(raw: object) -> Turn:
    if not isinstance(raw, dict) or not isinstance(raw.get("text"), str):
        raise ValueError("a turn needs a text")
    return Turn(text=raw["text"], category=raw.get("category"), topic=raw.get("topic"),
                lang=raw.get("lang"), expect=raw.get("expect"))


def _case(raw: dict, set_name: str, lang: str) -> Case:
    case_id = str(raw.get("id") or "")
    if not case_id:
        raise ValueError("a case needs an id")
    category = raw.get("category")
    if category == "conversation":
        turns = tuple(_turn(t) for t in raw.get("turns") or ())
        if not turns:
            raise ValueError("a conversation needs turns")
        flow = raw.get("flow")
        if flow not in FLOWS:
            raise ValueError(f"unknown flow {flow!r}")
        for turn in turns:
            problem = _turn_problem(turn, conversation=True)
            if problem:
                raise ValueError(problem)
        if not any(t.labelled for t in turns):
            raise ValueError("a conversation needs at least one labelled turn")
        return Case(case_id, set_name, lang, "conversation", turns, flow)
    turn = _turn({"text": raw.get("text"), "category": category, "topic": raw.get("topic"),
                  "lang": raw.get("lang")})
    if not category:
        raise ValueError("a case needs a category")
    problem = _turn_problem(turn, conversation=False)
    if problem:
        raise ValueError(problem)
    return Case(case_id, set_name, lang, category, (turn,))


def load_file(path: Path, set_name: str | None = None) -> BlindSet:
    """One <lang>.yml file; invalid cases are listed, not raised."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise SetError(f"{path}: cannot read: {exc.__class__.__name__}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("cases"), list):
        raise SetError(f"{path}: expected a mapping with a 'cases' list")
    lang = data.get("language") or path.stem
    if lang not in LANGS:
        raise SetError(f"{path}: language must be en or es")
    name = set_name or str(data.get("set") or path.parent.name)
    found = BlindSet()
    seen: set[str] = set()
    for index, raw in enumerate(data["cases"]):
        case_id = str(raw.get("id")) if isinstance(raw, dict) and raw.get("id") \
            else f"{path.name}#{index}"
        try:
            if not isinstance(raw, dict):
                raise ValueError("not a mapping")
            if case_id in seen:
                raise ValueError("duplicate id")
            case = _case(raw, name, lang)
        except ValueError as exc:
            found.invalid.append((case_id, str(exc)))
            continue
        seen.add(case_id)
        found.cases.append(case)
    return found


def set_names(root: Path) -> list[str]:
    """Every set under tests/blind (a folder with en.yml and/or es.yml)."""
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir()
                  if p.is_dir() and any((p / f"{lang}.yml").exists() for lang in LANGS))


def load_sets(root: Path, names: list[str] | None = None,
              langs: tuple[str, ...] = LANGS) -> BlindSet:
    """The chosen sets and languages under root, merged."""
    merged = BlindSet()
    for name in names or set_names(root):
        folder = root / name
        if not folder.is_dir():
            raise SetError(f"no blind set {name!r} under {root}")
        for lang in langs:
            path = folder / f"{lang}.yml"
            if path.exists():
                part = load_file(path, name)
                merged.cases.extend(part.cases)
                merged.invalid.extend(part.invalid)
    return merged
