"""`python -m evaluation` against the real hotline (the session's running stack), with the
harness's own tiny synthetic set (tests/unit/evaluation/sample, never a blind case)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evaluation.__main__ import main

# The harness, not the backend: the PostgreSQL pass leaves it out (tests/conftest.py).
pytestmark = pytest.mark.one_backend

SAMPLE = Path(__file__).resolve().parent.parent / "unit" / "evaluation" / "sample"


def test_the_harness_runs_end_to_end_and_reports_ids_not_texts(hotline, tmp_path: Path,
                                                                capsys):
    out = tmp_path / "eval.json"
    code = main(["--url", hotline.base_url, "--blind-dir", str(SAMPLE), "--out", str(out),
                 "--concurrency", "2"])
    assert code == 0
    printed = capsys.readouterr().out
    assert "emergency recall" in printed and "false alarms on not_emergency" in printed
    assert "t-en-5: rights needs a topic from the fixed list" in printed
    for line in (SAMPLE / "tiny" / "en.yml").read_text().splitlines():
        if line.strip().startswith(("text:", "- text:")):
            assert line.split("text:", 1)[1].strip().strip('"') not in printed

    record = json.loads(out.read_text())
    cases = {c["id"]: c for c in record["cases"]}
    assert set(cases) == {"t-en-1", "t-en-2", "t-en-3", "t-en-4", "t-es-1", "t-es-2"}
    # Every turn was answered through the web chat; the replies are in the record only.
    assert all(t["replies"] and t["error"] is None for c in cases.values() for t in c["turns"])
    # Violence just now and being locked in is an emergency in both languages.
    for case_id in ("t-en-1", "t-es-1"):
        [outcome] = cases[case_id]["outcomes"]
        assert outcome["passed"], outcome
    conversation = cases["t-en-4"]
    assert [o["category"] for o in conversation["outcomes"]] == ["rights", "resume",
                                                                 "no_double_fallback"]
    assert record["summary"]["emergency_recall"]["strict"]["total"] == 2
