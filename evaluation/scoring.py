"""Turn the replies of each case into verdicts (evaluation/checks.py) and figures.

Inside a conversation the language the checks expect follows the texter: it starts as
the file's language and becomes the new one after a labelled language_switch turn.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from evaluation.cases import Case
from evaluation.checks import (
    CHECKS,
    EMERGENCY_CATEGORIES,
    TurnContext,
    advice_911,
    double_fallback,
)
from evaluation.driver import TurnReplies
from evaluation.expectations import Expectations

# Categories whose pass rate is also shown per topic (the fixed topic lists).
TOPIC_CATEGORIES = ("line_request", "rights", "disclosure")


@dataclass(frozen=True)
class Outcome:
    """One checked turn: which check, in which scope, passed or why not."""

    case_id: str
    set: str
    lang: str                 # the file's language
    scope: str                # "single" or "conversation"
    category: str             # a category of checks.CHECKS, or "no_double_fallback"
    topic: str | None
    turn: int
    passed: bool
    reason: str = ""
    any_911: bool = False     # the 911 advice in any language (emergency recall, lenient)


@dataclass
class CaseResult:
    case: Case
    turns: list[TurnReplies]
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return all(o.passed for o in self.outcomes)


def score_case(case: Case, turns: Sequence[TurnReplies], exp: Expectations) -> CaseResult:
    result = CaseResult(case, list(turns))
    scope = "conversation" if case.is_conversation else "single"
    lang = case.lang
    for index, (turn, replies) in enumerate(zip(case.turns, turns, strict=True)):
        checks = [c for c in (turn.category, "resume" if turn.expect else None) if c]
        for category in checks:
            ctx = TurnContext(lang=lang, topic=turn.topic, text_lang=turn.lang, flow=case.flow)
            if replies.error:
                passed, reason = False, f"no answer ({replies.error})"
            else:
                verdict = CHECKS[category](replies.replies, ctx, exp)
                passed, reason = verdict.passed, verdict.reason
            result.outcomes.append(Outcome(
                case.id, case.set, case.lang, scope, category, turn.topic, index, passed,
                reason, any_911=bool(advice_911(replies.replies))))
        if turn.category == "language_switch" and turn.topic in ("en", "es"):
            lang = turn.topic
    if case.is_conversation:
        second = double_fallback([t.replies for t in turns], exp)
        result.outcomes.append(Outcome(
            case.id, case.set, case.lang, scope, "no_double_fallback", None,
            second if second is not None else len(turns) - 1, second is None,
            "fallback twice for one question" if second is not None else ""))
    return result


def _rate(passed: int, total: int) -> dict:
    return {"passed": passed, "total": total,
            "rate": round(passed / total, 4) if total else None}


def summarize(results: Sequence[CaseResult]) -> dict:
    """The figures the report prints and stores."""
    outcomes = [o for r in results for o in r.outcomes]
    table: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    for o in outcomes:
        for key in ((o.category, o.scope, o.lang), (o.category, "all", o.lang),
                    (o.category, "all", "all")):
            table[key][0] += o.passed
            table[key][1] += 1
    by_topic: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for o in outcomes:
        if o.topic and o.category in TOPIC_CATEGORIES:
            by_topic[f"{o.category}|{o.topic}"][0] += o.passed
            by_topic[f"{o.category}|{o.topic}"][1] += 1
    by_lang: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for o in outcomes:
        by_lang[o.lang][0] += o.passed
        by_lang[o.lang][1] += 1

    def figure(predicate, lenient: bool = False) -> dict:  # type: ignore[no-untyped-def]
        chosen = [o for o in outcomes if predicate(o)]
        return _rate(sum(o.any_911 if lenient else o.passed for o in chosen), len(chosen))

    emergencies = lambda o: o.category in EMERGENCY_CATEGORIES  # noqa: E731
    not_emergency = [o for o in outcomes if o.category == "not_emergency"]
    interruptions = lambda o: o.scope == "conversation" and o.category not in (  # noqa: E731
        "no_double_fallback",)
    conversations = [r for r in results if r.case.is_conversation]
    return {
        "cases": len(results),
        "checks": len(outcomes),
        "by_language": {lang: _rate(*counts) for lang, counts in sorted(by_lang.items())},
        "by_category": {
            f"{cat}|{scope}|{lang}": _rate(*counts)
            for (cat, scope, lang), counts in sorted(table.items())
        },
        "by_topic": {key: _rate(*counts) for key, counts in sorted(by_topic.items())},
        "turns_without_answer": sum(bool(t.error) for r in results for t in r.turns),
        "emergency_recall": {
            "strict": figure(emergencies),
            "any_language_911": figure(emergencies, lenient=True),
            "single": figure(lambda o: emergencies(o) and o.scope == "single"),
            "in_conversations": figure(lambda o: emergencies(o) and o.scope == "conversation"),
            **{lang: figure(lambda o, lang=lang: emergencies(o) and o.lang == lang)
               for lang in ("en", "es")},
        },
        "false_alarm_rate": _rate(sum(not o.passed for o in not_emergency),
                                  len(not_emergency)),
        "possible_danger": figure(lambda o: o.category == "possible_danger"),
        "interruption_turns": figure(interruptions),
        "resume": figure(lambda o: o.category == "resume"),
        "conversations_fully_passed": _rate(sum(r.passed for r in conversations),
                                            len(conversations)),
        "no_double_fallback": figure(lambda o: o.category == "no_double_fallback"),
    }
