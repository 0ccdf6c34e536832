"""Print the evaluation's figures and write its full record.

stdout holds figures, case ids and short reasons only, never a blind text or a reply
(the set must not spread into logs, issues or training data). The JSON record under
var/eval/ (git-ignored) holds everything, replies included, for whoever fixes a class.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path

from evaluation.cases import Case, Turn
from evaluation.driver import TurnReplies
from evaluation.scoring import CaseResult

COLUMNS = (("single", "en"), ("single", "es"), ("conversation", "en"),
           ("conversation", "es"), ("all", "all"))


def _cell(entry: dict | None) -> str:
    if not entry or not entry["total"]:
        return "-"
    return f"{entry['passed']}/{entry['total']} {100 * entry['rate']:.0f}%"


def _line(label: str, entry: dict) -> str:
    return f"{label:<34} {_cell(entry)}"


def render(summary: dict, results: Sequence[CaseResult], invalid: Sequence[tuple[str, str]],
           seconds: float) -> str:
    by_cat = summary["by_category"]
    categories = sorted({key.split("|")[0] for key in by_cat})
    header = f"{'category':<20}" + "".join(f"{s[:4] + ' ' + lang:>16}" for s, lang in COLUMNS)
    rows = [header, "-" * len(header)]
    for cat in categories:
        rows.append(f"{cat:<20}" + "".join(f"{_cell(by_cat.get(f'{cat}|{s}|{lang}')):>16}"
                                           for s, lang in COLUMNS))
    recall = summary["emergency_recall"]
    lines = [
        f"Blind evaluation: {summary['cases']} cases, {summary['checks']} checks, "
        f"{seconds / 60:.1f} min",
        "",
        *rows,
        "",
        *(_line(f"all checks, {lang}", entry) for lang, entry in summary["by_language"].items()),
        _line("emergency recall", recall["strict"]),
        _line("  single-turn", recall["single"]),
        _line("  in conversations", recall["in_conversations"]),
        _line("  en / es", recall["en"]) + f"  /  {_cell(recall['es'])}",
        _line("  911 advice in any language", recall["any_language_911"]),
        _line("false alarms on not_emergency", summary["false_alarm_rate"]),
        _line("possible_danger handled", summary["possible_danger"]),
        _line("interruption turns (multi-turn)", summary["interruption_turns"]),
        _line("  resume after interruption", summary["resume"]),
        _line("  no fallback twice per question", summary["no_double_fallback"]),
        _line("conversations fully passed", summary["conversations_fully_passed"]),
    ]
    for category in ("line_request", "rights", "disclosure"):
        topics = {k.split("|", 1)[1]: v for k, v in summary["by_topic"].items()
                  if k.startswith(f"{category}|")}
        if topics:
            lines += ["", f"{category} by topic:"]
            lines += [f"  {topic:<32} {_cell(entry)}" for topic, entry in topics.items()]
    if summary["turns_without_answer"]:
        lines += ["", f"WARNING: {summary['turns_without_answer']} turns got no answer "
                      "(HTTP errors; see the record)"]
    failing = [(o.case_id, o.turn, o.category, o.reason)
               for r in results for o in r.outcomes if not o.passed]
    if failing:
        lines += ["", f"Failing checks ({len(failing)}): case id, turn, category: reason"]
        lines += [f"  {cid} t{turn} {cat}: {reason}" for cid, turn, cat, reason in failing]
    if invalid:
        lines += ["", f"Invalid cases skipped ({len(invalid)}):"]
        lines += [f"  {cid}: {why}" for cid, why in invalid]
    return "\n".join(lines)


def record(summary: dict, results: Sequence[CaseResult], invalid: Sequence[tuple[str, str]],
           meta: dict) -> dict:
    return {
        "meta": meta,
        "summary": summary,
        "invalid": [{"id": cid, "why": why} for cid, why in invalid],
        "cases": [
            {
                "id": r.case.id, "set": r.case.set, "lang": r.case.lang,
                "category": r.case.category, "flow": r.case.flow, "passed": r.passed,
                "turns": [
                    {**asdict(turn), "replies": replies.replies, "error": replies.error,
                     "seconds": round(replies.seconds, 3)}
                    for turn, replies in zip(r.case.turns, r.turns, strict=True)
                ],
                "outcomes": [asdict(o) for o in r.outcomes],
            }
            for r in results
        ],
    }


def cases_from_record(data: dict) -> tuple[list[Case], list[list[TurnReplies]]]:
    """The cases and replies stored by record(), to check them again (--rescore)."""
    cases, replies = [], []
    for raw in data["cases"]:
        turns = [Turn(text=t["text"], category=t.get("category"), topic=t.get("topic"),
                      lang=t.get("lang"), expect=t.get("expect")) for t in raw["turns"]]
        cases.append(Case(raw["id"], raw["set"], raw["lang"], raw["category"], tuple(turns),
                          raw.get("flow")))
        replies.append([TurnReplies(list(t["replies"]), t.get("error"), t.get("seconds", 0.0))
                        for t in raw["turns"]])
    return cases, replies


def write_json(data: dict, out: Path | None, root: Path) -> Path:
    if out is None:
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        out = root / "var" / "eval" / f"{stamp}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return out
