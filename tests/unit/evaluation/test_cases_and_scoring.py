"""Loading blind sets, scoring cases and the printed report (no texts on stdout)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.content.loader import load_content
from evaluation.cases import SetError, load_file, load_sets, set_names
from evaluation.driver import TurnReplies
from evaluation.expectations import load_expectations
from evaluation.report import cases_from_record, record, render, write_json
from evaluation.scoring import score_case, summarize

SAMPLE = Path(__file__).parent / "sample"


def test_the_sample_set_loads_and_lists_its_invalid_case():
    blind = load_sets(SAMPLE)
    assert set_names(SAMPLE) == ["tiny"]
    assert [c.id for c in blind.cases] == ["t-en-1", "t-en-2", "t-en-3", "t-en-4", "t-es-1",
                                           "t-es-2"]
    assert blind.invalid == [("t-en-5", "rights needs a topic from the fixed list")]
    conversation = blind.cases[3]
    assert conversation.is_conversation and conversation.flow == "screening"
    assert [t.labelled for t in conversation.turns] == [False, False, True, True]
    assert load_sets(SAMPLE, langs=("es",)).cases[0].lang == "es"


def test_malformed_cases_are_invalid_and_a_malformed_file_stops(tmp_path: Path):
    path = tmp_path / "en.yml"
    path.write_text(json.dumps({"language": "en", "cases": [
        {"id": "a", "category": "nonsense", "text": "x"},
        {"id": "b", "category": "conversation", "flow": "screening",
         "turns": [{"text": "x"}]},
        {"id": "c", "category": "other_language", "text": "x"},
        {"id": "d", "category": "conversation", "flow": "nowhere",
         "turns": [{"text": "x", "expect": "resume"}]},
        {"id": "e", "category": "tip", "text": "ok"},
        {"id": "e", "category": "tip", "text": "ok"},
        {"id": "f", "category": "stop_flow", "text": "only inside conversations"},
    ]}))
    loaded = load_file(path)
    assert [c.id for c in loaded.cases] == ["e"]
    assert dict(loaded.invalid) == {
        "a": "unknown category 'nonsense'",
        "b": "a conversation needs at least one labelled turn",
        "c": "other_language needs lang",
        "d": "unknown flow 'nowhere'",
        "e": "duplicate id",
        "f": "unknown category 'stop_flow'",
    }
    path.write_text("- just a list\n")
    with pytest.raises(SetError):
        load_file(path)
    with pytest.raises(SetError):
        load_sets(tmp_path, ["missing"])


def _replies(*texts: str) -> TurnReplies:
    return TurnReplies(list(texts))


def test_scoring_follows_the_language_switch_and_finds_double_fallbacks(tmp_path: Path):
    exp = load_expectations()
    content = load_content()
    path = tmp_path / "en.yml"
    path.write_text(json.dumps({"language": "en", "cases": [{
        "id": "c1", "category": "conversation", "flow": "screening", "turns": [
            {"text": "start"},
            {"text": "spanish please", "category": "language_switch", "topic": "es"},
            {"text": "help now", "category": "emergency_self"},
            {"text": "more", "expect": "resume"},
        ]}]}))
    case = load_file(path).cases[0]
    q1_es = next(t for t in exp.flow_questions["screening"]["utter_ask_q_safe_leave"]
                 if "¿" in t)
    hint = "Perdona, no entendí. Responde S (sí), N (no), ? (no sé) o SALTAR."
    turns = [_replies(q1_es), _replies("Listo, te escribo en español.", hint, q1_es),
             _replies(content.template("emergency", "es")), _replies(hint, q1_es)]
    result = score_case(case, turns, exp)
    by_category = {o.category: o for o in result.outcomes}
    assert by_category["language_switch"].passed
    assert by_category["emergency_self"].passed       # Spanish 911 advice after the switch
    assert not by_category["resume"].passed
    assert by_category["no_double_fallback"].reason == "fallback twice for one question"
    assert not result.passed

    summary = summarize([result])
    assert summary["emergency_recall"]["in_conversations"] == {"passed": 1, "total": 1,
                                                               "rate": 1.0}
    assert summary["conversations_fully_passed"]["passed"] == 0
    assert summary["by_category"]["resume|conversation|en"]["total"] == 1


def test_a_turn_without_an_answer_fails_with_the_error(tmp_path: Path):
    exp = load_expectations()
    case = load_sets(SAMPLE).cases[0]
    result = score_case(case, [TurnReplies(error="ConnectError")], exp)
    assert result.outcomes[0].reason == "no answer (ConnectError)"
    summary = summarize([result])
    assert summary["turns_without_answer"] == 1
    assert "WARNING: 1 turns got no answer" in render(summary, [result], [], 1.0)


def test_report_prints_ids_and_reasons_but_never_texts(tmp_path: Path):
    exp = load_expectations()
    content = load_content()
    blind = load_sets(SAMPLE)
    replies = {"t-en-1": [_replies(content.template("emergency", "es"))]}
    results = [score_case(c, replies.get(c.id) or [_replies("OK.") for _ in c.turns], exp)
               for c in blind.cases]
    summary = summarize(results)
    text = render(summary, results, blind.invalid, 12.0)
    assert "t-en-1 t0 emergency_self: 911 advice in es, expected en" in text
    assert "t-en-5: rights needs a topic" in text
    assert "false alarms on not_emergency" in text and "emergency recall" in text
    assert summary["by_topic"]["line_request|national_hotline"]["total"] == 1
    assert "line_request by topic:" in text
    for case in blind.cases:
        for turn in case.turns:
            assert turn.text not in text
    assert "Aquí tienes info" not in text          # replies stay in the JSON record
    path = write_json(record(summary, results, blind.invalid, {"when": "now"}), None, tmp_path)
    assert path.parent == tmp_path / "var" / "eval"
    stored = json.loads(path.read_text())
    assert stored["cases"][0]["turns"][0]["replies"][0].startswith("Aquí tienes info")
    assert stored["summary"]["emergency_recall"]["strict"]["total"] == 2


def test_a_record_can_be_scored_again(tmp_path: Path, capsys):
    from evaluation.__main__ import main

    exp = load_expectations()
    blind = load_sets(SAMPLE)
    content = load_content()
    results = [score_case(c, [_replies(content.template("emergency", "en"))
                              for _ in c.turns], exp) for c in blind.cases]
    data = record(summarize(results), results, blind.invalid, {"seconds": 3})
    cases, replies = cases_from_record(json.loads(json.dumps(data)))
    assert cases == blind.cases
    assert [[t.replies for t in r] for r in replies] == [[t.replies for t in r.turns]
                                                         for r in results]
    old = tmp_path / "old.json"
    old.write_text(json.dumps(data))
    assert main(["--rescore", str(old), "--out", str(tmp_path / "new.json")]) == 0
    printed = capsys.readouterr().out
    assert "t-en-3 t0 not_emergency: false alarm: 911 advice" in printed
    new = json.loads((tmp_path / "new.json").read_text())
    assert new["summary"] == data["summary"] and new["meta"]["rescored_from"] == str(old)
