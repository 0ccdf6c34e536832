"""The repository's copy of the HTCDS reference, and our names checked against it."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest

from bot.referrals import htcds
from bot.screening.questions import QUESTIONS
from bot.screening.rules import HTCDS_FORCED_LABOUR, HTCDS_SEXUAL_EXPLOITATION

ROOT = Path(__file__).resolve().parents[3]
REPO_COPY = ROOT / "docs" / "reference" / "htcds"
SHARED = ROOT.parent / "shared" / "reference" / "htcds"


@pytest.mark.skipif(not SHARED.is_dir(), reason="no ../shared/reference/htcds next to the repo")
def test_repo_copy_is_identical_to_the_shared_reference():
    shared_files = sorted(p.name for p in SHARED.iterdir() if p.is_file())
    assert shared_files, "the shared reference is empty"
    match, mismatch, errors = filecmp.cmpfiles(SHARED, REPO_COPY, shared_files, shallow=False)
    assert (mismatch, errors) == ([], [])
    assert sorted(match) == shared_files


def test_repo_copy_carries_licence_and_attribution():
    assert "CC BY 4.0" in (REPO_COPY / "LICENSE.md").read_text(encoding="utf-8")
    attribution = (REPO_COPY / "ATTRIBUTION.md").read_text(encoding="utf-8")
    assert "IOM" in attribution and "CC BY 4.0" in attribution


def test_reference_loads_and_every_name_we_use_is_in_it():
    ref = htcds.load_reference()
    htcds.check_mapping(ref)  # raises on a name the standard does not have
    assert ref.fields["cas_Status"].kind == "select_one"
    assert ref.fields["vic_Methods_of_Control"].kind == "select_multiple"
    assert len(ref.methods_of_control_fields) == len(set(ref.methods_of_control_fields)) > 10


def test_screening_writes_htcds_names():
    ref = htcds.load_reference()
    used = {m for q in QUESTIONS for m in q.methods}
    assert used <= set(ref.methods_of_control_fields)
    assert {HTCDS_FORCED_LABOUR, HTCDS_SEXUAL_EXPLOITATION} <= set(
        ref.values("vic_TypeOfExploitation"))


def test_a_missing_name_is_reported(tmp_path):
    for p in REPO_COPY.iterdir():
        text = p.read_text(encoding="utf-8")
        (tmp_path / p.name).write_text(text.replace("ClosedReferred", "ClosedElsewhere"),
                                       encoding="utf-8")
    with pytest.raises(htcds.HtcdsReferenceError, match="cas_Status=ClosedReferred"):
        htcds.check_mapping(htcds.load_reference(tmp_path))
