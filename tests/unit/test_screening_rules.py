"""Screening rules: written vignettes plus checks against the HTCDS reference.

Each vignette is a short story (comment), the answers a person might give,
and what an advocate would expect the rules to produce. If a rule changes,
these vignettes say which real situations change with it.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bot.screening import rules
from bot.screening.questions import QUESTION_IDS, QUESTIONS, get_question, required_questions
from bot.screening.rules import ScreeningResult, evaluate, to_record

HTCDS_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "htcds"

MOV = "MethodsOfControlRestrictsMovement"
DOC = "MethodsOfControlWithholdsDocuments"
DEBT = "MethodsOfControlDebtBondage"
EARN = "MethodsOfControlTakesEarnings"
THR = "MethodsOfControlThreats"
LAW = "MethodsOfControlThreatOfLawEnforcement"
PHY = "MethodsOfControlPhysicalAbuse"
SEXA = "MethodsOfControlSexualAbuse"
FALSE = "MethodsOfControlFalsePromises"
HOURS = "MethodsOfControlExcessiveWorkingHours"
NEC = "MethodsOfControlWithholdsNecessities"
MED = "MethodsOfControlRestrictsMedicalCare"
OTHER = "MethodsOfControlOther"

# Nothing indicated: can leave ("yes"), everything else "no".
BASELINE: dict[str, str] = {
    "q_safe_leave": "yes",
    "q_documents": "no",
    "q_debt": "no",
    "q_threats": "no",
    "q_police_threats": "no",
    "q_violence": "no",
    "q_false_promises": "no",
    "q_commercial_sex": "no",
    "q_under18": "no",
    "q_conditions": "no",
    "q_housing": "no",
}


def answers(**overrides: str) -> dict[str, str]:
    return {**BASELINE, **overrides}


@dataclass(frozen=True)
class Vignette:
    name: str
    answers: dict[str, str]
    indicators: frozenset[str]
    exploitation_type: str
    minor: bool
    triage: str
    emergency: bool = False
    reason: str | None = None  # a reason code that must be present
    extra: dict[str, object] = field(default_factory=dict)


VIGNETTES: list[Vignette] = [
    # Farmworker recruited abroad with a promise of good pay; the grower keeps his
    # passport, says he owes the bus fare and cannot leave until it is paid.
    Vignette(
        "farmworker_passport_debt",
        answers(q_safe_leave="no", q_documents="yes", q_debt="yes", q_false_promises="yes"),
        frozenset({MOV, DOC, DEBT, EARN, FALSE}), "labor", False, "high",
        reason="R5_MULTIPLE_MEANS_WITH_CORE",
    ),
    # Live-in domestic worker: the family holds her passport, she works 16-hour
    # days with no day off and sleeps in the laundry room.
    Vignette(
        "domestic_worker_live_in",
        answers(q_documents="yes", q_conditions="yes", q_housing="yes"),
        frozenset({DOC, HOURS, NEC, MED, OTHER}), "labor", False, "high",
        reason="R5_MULTIPLE_MEANS_WITH_CORE",
    ),
    # Restaurant cook paid less than he was promised; otherwise free to come and go.
    Vignette(
        "cook_underpaid_only",
        answers(q_false_promises="yes"),
        frozenset({FALSE}), "labor", False, "medium", reason="R7_SOME_MEANS",
    ),
    # Construction worker: very long shifts and lives in a trailer the boss
    # controls, but no core control item (leaving, papers, threats, debt, violence).
    Vignette(
        "construction_hours_housing_no_core",
        answers(q_conditions="yes", q_housing="yes"),
        frozenset({HOURS, NEC, MED, OTHER}), "labor", False, "medium", reason="R7_SOME_MEANS",
    ),
    # Nail-salon worker: owner keeps her wages "for her debt" and says he will call
    # immigration if she complains.
    Vignette(
        "salon_debt_immigration_threat",
        answers(q_debt="yes", q_police_threats="yes"),
        frozenset({DEBT, EARN, LAW}), "labor", False, "high", reason="R5_MULTIPLE_MEANS_WITH_CORE",
    ),
    # Adult woman in commercial sex; a man takes all the money and threatens her family.
    Vignette(
        "adult_sex_pimp_takes_money_threats",
        answers(q_commercial_sex="yes", q_money_taken="yes", q_threats="yes"),
        frozenset({EARN, THR}), "sex", False, "high", reason="R4_COMMERCIAL_SEX_WITH_MEANS",
    ),
    # Adult in commercial sex who reports no one controlling her so far.
    Vignette(
        "adult_sex_no_means",
        answers(q_commercial_sex="yes", q_money_taken="no"),
        frozenset(), "sex", False, "medium", reason="R8_COMMERCIAL_SEX_NO_MEANS",
    ),
    # 16-year-old trading sex for a place to stay; no force, fraud or coercion
    # reported. Under US law no means are needed for a minor: at least high.
    Vignette(
        "minor_commercial_sex_no_other_indicator",
        answers(q_under18="yes", q_commercial_sex="yes", q_money_taken="no"),
        frozenset(), "sex", True, "high", reason="R3_MINOR_COMMERCIAL_SEX",
    ),
    # 15-year-old girl sold for sex by an older "boyfriend" who beats her.
    Vignette(
        "minor_commercial_sex_violence",
        answers(q_under18="yes", q_commercial_sex="yes", q_money_taken="yes", q_violence="yes"),
        frozenset({EARN, PHY, SEXA}), "sex", True, "emergency", reason="R2_MINOR_VIOLENCE",
    ),
    # 14-year-old working in a workshop; the owner hits him. No commercial sex.
    Vignette(
        "minor_labor_violence",
        answers(q_under18="yes", q_violence="yes"),
        frozenset({PHY, SEXA}), "unclear", True, "emergency", reason="R2_MINOR_VIOLENCE",
    ),
    # 17-year-old on a fishing boat who cannot leave and "owes" for his gear.
    Vignette(
        "minor_labor_debt_cannot_leave",
        answers(q_under18="yes", q_safe_leave="no", q_debt="yes"),
        frozenset({MOV, DEBT, EARN}), "labor", True, "high",
        reason="R5_MULTIPLE_MEANS_WITH_CORE",
    ),
    # Woman recruited for a waitress job, passport taken, then made to have sex with
    # customers while the "manager" keeps the money.
    Vignette(
        "waitress_job_turned_sex",
        answers(
            q_false_promises="yes", q_documents="yes", q_commercial_sex="yes", q_money_taken="yes"
        ),
        frozenset({FALSE, DOC, EARN}), "both", False, "high",
        reason="R4_COMMERCIAL_SEX_WITH_MEANS",
    ),
    # Massage parlour worker who lives on site, works all night and has sex with
    # clients under pressure; her earnings are taken.
    Vignette(
        "massage_parlour_both",
        answers(
            q_housing="yes", q_conditions="yes", q_commercial_sex="yes", q_money_taken="yes",
            q_safe_leave="no",
        ),
        frozenset({OTHER, HOURS, NEC, MED, EARN, MOV}), "both", False, "high",
    ),
    # The person texted "he is coming back with a gun" before any screening answer.
    Vignette(
        "emergency_flag_no_answers",
        {}, frozenset(), "unclear", False, "emergency", emergency=True,
        reason="R1_EMERGENCY_FLAG",
    ),
    # Emergency flagged while a worker was explaining that her papers are held.
    Vignette(
        "emergency_flag_with_labor",
        answers(q_documents="yes"),
        frozenset({DOC}), "labor", False, "emergency", emergency=True,
        reason="R1_EMERGENCY_FLAG",
    ),
    # A worker asking about unpaid overtime who answers "no" to everything.
    Vignette(
        "all_no",
        answers(), frozenset(), "unclear", False, "low", reason="R10_NO_INDICATORS",
    ),
    # The person skips every question: inconclusive, not reassuring.
    Vignette(
        "all_skipped",
        {qid: "skip" for qid in BASELINE}, frozenset(), "unclear", False, "low",
        reason="R10_NO_ANSWERS", extra={"answered": 0, "skipped": 11},
    ),
    # The conversation ended before any question (empty slots).
    Vignette(
        "nothing_answered",
        {}, frozenset(), "unclear", False, "low", reason="R10_NO_ANSWERS",
        extra={"answered": 0, "skipped": 11},
    ),
    # Not sure whether "the office keeping her papers for safety" counts.
    Vignette(
        "not_sure_documents_only",
        answers(q_documents="not_sure"), frozenset(), "unclear", False, "medium",
        reason="R9_NOT_SURE_KEY_ITEM", extra={"not_sure": ("q_documents",)},
    ),
    # Not sure about the housing question only: not a key item, stays low.
    Vignette(
        "not_sure_housing_only",
        answers(q_housing="not_sure"), frozenset(), "unclear", False, "low",
        reason="R10_NO_INDICATORS", extra={"not_sure": ("q_housing",), "answered": 10},
    ),
    # 16-year-old not sure whether what happens with "older friends" is commercial sex.
    Vignette(
        "minor_not_sure_commercial_sex",
        answers(q_under18="yes", q_commercial_sex="not_sure"), frozenset(), "unclear", True,
        "medium", reason="R9_NOT_SURE_KEY_ITEM",
    ),
    # Adult not sure about commercial sex, nothing else: not key for adults.
    Vignette(
        "adult_not_sure_commercial_sex",
        answers(q_commercial_sex="not_sure"), frozenset(), "unclear", False, "low",
    ),
    # Commercial sex and "not sure" about age (a friend texting on her behalf):
    # a minor cannot be ruled out.
    Vignette(
        "commercial_sex_age_unclear",
        answers(q_commercial_sex="yes", q_money_taken="no", q_under18="not_sure"),
        frozenset(), "sex", False, "high", reason="R6_COMMERCIAL_SEX_AGE_UNCLEAR",
    ),
    # Threats against his family back home; nothing else.
    Vignette(
        "threats_only",
        answers(q_threats="yes"), frozenset({THR}), "unclear", False, "medium",
        reason="R7_SOME_MEANS",
    ),
    # Threatened and beaten by the person controlling her; no labor signs reported.
    Vignette(
        "threats_and_violence",
        answers(q_threats="yes", q_violence="yes"), frozenset({THR, PHY, SEXA}), "unclear",
        False, "high", reason="R5_MULTIPLE_MEANS_WITH_CORE",
    ),
    # Lied to about the job and threatened with immigration; no core item.
    Vignette(
        "false_promises_and_immigration_threat",
        answers(q_false_promises="yes", q_police_threats="yes"), frozenset({FALSE, LAW}),
        "labor", False, "medium",
    ),
    # Raw SMS replies straight from the slots: "n", "Y", "sí", "no sé".
    Vignette(
        "raw_sms_answers",
        {**BASELINE, "q_safe_leave": "n", "q_documents": "Y", "q_threats": "sí",
         "q_violence": "no sé"},
        frozenset({MOV, DOC, THR}), "labor", False, "high",
        extra={"not_sure": ("q_violence",)},
    ),
    # Money-taken answered although commercial sex is "no": the item was not due
    # and must be ignored.
    Vignette(
        "money_taken_without_commercial_sex_ignored",
        answers(q_money_taken="yes"), frozenset(), "unclear", False, "low",
    ),
    # Cannot leave the motel where she cleans rooms; nothing else.
    Vignette(
        "cannot_leave_only",
        answers(q_safe_leave="no"), frozenset({MOV}), "labor", False, "medium",
    ),
    # Warehouse worker shoved and hit by a supervisor; nothing else.
    Vignette(
        "violence_only_adult",
        answers(q_violence="yes"), frozenset({PHY, SEXA}), "unclear", False, "medium",
    ),
    # Domestic worker skips the papers question but reports long hours, housing
    # controlled by the employer and threats.
    Vignette(
        "skip_documents_threats_conditions",
        answers(q_documents="skip", q_conditions="yes", q_housing="yes", q_threats="yes"),
        frozenset({HOURS, NEC, MED, OTHER, THR}), "labor", False, "high",
        extra={"skipped": 1},
    ),
]


def test_there_are_at_least_24_vignettes() -> None:
    assert len(VIGNETTES) >= 24
    assert len({v.name for v in VIGNETTES}) == len(VIGNETTES)


@pytest.mark.parametrize("v", VIGNETTES, ids=lambda v: v.name)
def test_vignette(v: Vignette) -> None:
    result = evaluate(v.answers, emergency=v.emergency)
    assert set(result.indicators) == v.indicators
    assert result.exploitation_type == v.exploitation_type
    assert result.minor is v.minor
    assert result.triage == v.triage, result.reasons
    if v.reason:
        assert v.reason in result.reason_codes, result.reasons
    for attr, expected in v.extra.items():
        assert getattr(result, attr) == expected, attr


@pytest.mark.parametrize("v", VIGNETTES, ids=lambda v: v.name)
def test_result_invariants(v: Vignette) -> None:
    result = evaluate(v.answers, emergency=v.emergency)
    assert list(result.indicators) == sorted(set(result.indicators))
    due = required_questions(v.answers)
    assert result.answered + result.skipped + len(result.not_sure) == len(due)
    assert result.reasons, "every triage must be explained"
    assert json.loads(json.dumps(to_record(result)))["triage"] == result.triage


def test_minor_in_commercial_sex_needs_no_means() -> None:
    # Only age and commercial sex answered; everything else skipped.
    result = evaluate({"q_under18": "yes", "q_commercial_sex": "yes"})
    assert result.indicators == ()
    assert result.triage == "high"
    assert result.minor is True


def test_not_sure_never_counts_as_indicator() -> None:
    result = evaluate({qid: "not_sure" for qid in QUESTION_IDS})
    assert result.indicators == ()
    assert result.exploitation_type == "unclear"
    assert set(result.not_sure) == set(required_questions({}))
    assert result.triage == "medium"  # key items not sure


def test_safe_leave_polarity() -> None:
    assert evaluate(answers(q_safe_leave="no")).indicators == (MOV,)
    assert evaluate(answers(q_safe_leave="yes")).indicators == ()
    assert get_question("q_safe_leave").polarity == "no"
    assert all(q.polarity == "yes" for q in QUESTIONS if q.id != "q_safe_leave")


def test_triage_order_takes_the_highest_rule() -> None:
    result = evaluate(
        answers(q_under18="yes", q_commercial_sex="yes", q_violence="yes"), emergency=True
    )
    assert result.triage == "emergency"
    assert result.reason_codes[0].startswith(("R1", "R2"))
    assert "R3_MINOR_COMMERCIAL_SEX" in result.reason_codes


def test_every_reason_code_is_documented_in_module_docstring() -> None:
    doc = rules.__doc__ or ""
    codes = set()
    for v in VIGNETTES:
        codes.update(evaluate(v.answers, emergency=v.emergency).reason_codes)
    assert len(codes) >= 9
    for code in codes:
        rule_no = code.split("_", 1)[0]
        assert re.search(rf"\b{rule_no}\b", doc), f"{rule_no} not explained in rules docstring"


def test_result_is_frozen() -> None:
    result = evaluate(answers())
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.triage = "high"  # type: ignore[misc]


def test_to_record_shape() -> None:
    result = evaluate(answers(q_commercial_sex="yes", q_money_taken="yes", q_documents="yes"))
    record = to_record(result)
    assert json.loads(json.dumps(record)) == record
    assert record["indicators"] == sorted([DOC, EARN])
    assert record["exploitation_type"] == "both"
    assert record["htcds_type_of_exploitation"] == ["ForcedLabour", "SexualExploitation"]
    assert record["triage"] == "high"
    assert record["validated_instrument"] is False


@pytest.mark.parametrize(
    ("etype", "expected"),
    [
        ("labor", ("ForcedLabour",)),
        ("sex", ("SexualExploitation",)),
        ("both", ("ForcedLabour", "SexualExploitation")),
        ("unclear", ()),
    ],
)
def test_htcds_exploitation_types(etype: str, expected: tuple[str, ...]) -> None:
    result = ScreeningResult((), etype, False, "low", 0, 0, (), ("x",))
    assert result.htcds_exploitation_types == expected


# --- required_questions ------------------------------------------------------


def test_question_ids_are_the_slot_names() -> None:
    assert set(QUESTION_IDS) == {
        "q_safe_leave", "q_documents", "q_debt", "q_threats", "q_police_threats",
        "q_violence", "q_false_promises", "q_commercial_sex", "q_money_taken",
        "q_under18", "q_conditions", "q_housing",
    }
    assert len(QUESTION_IDS) == 12


@pytest.mark.parametrize("value", ["no", "not_sure", "skip", None])
def test_money_taken_not_required_unless_commercial_sex_yes(value: str | None) -> None:
    due = required_questions({"q_commercial_sex": value})
    assert "q_money_taken" not in due
    assert len(due) == 11


@pytest.mark.parametrize("value", ["yes", "Y", "sí"])
def test_money_taken_required_after_commercial_sex_yes(value: str) -> None:
    due = required_questions({"q_commercial_sex": value})
    assert "q_money_taken" in due
    assert due.index("q_money_taken") == due.index("q_commercial_sex") + 1
    assert len(due) == 12


def test_required_questions_without_answers() -> None:
    assert required_questions() == [q for q in QUESTION_IDS if q != "q_money_taken"]


# --- HTCDS reference ---------------------------------------------------------


def _htcds_file(name: str) -> Path:
    path = HTCDS_DIR / name
    if not path.is_file():
        pytest.fail(
            f"HTCDS reference not found at {path}. The tests expect the shared reference "
            "directory as a sibling of the repository (../shared/reference/htcds/)."
        )
    return path


def _methods_of_control_names() -> set[str]:
    text = _htcds_file("Field Definitions.md").read_text(encoding="utf-8")
    match = re.search(r"^## Methods Of Control\s*$(.*?)^## ", text, re.M | re.S)
    assert match, "section '## Methods Of Control' not found in Field Definitions.md"
    names = set(re.findall(r"^\|\s*(MethodsOfControl\w+)\s*\|", match.group(1), re.M))
    assert len(names) >= 10, names
    return names


def test_every_indicator_name_exists_in_htcds_reference() -> None:
    names = _methods_of_control_names()
    used = {m for q in QUESTIONS for m in q.methods}
    assert used, "questions map to no HTCDS methods"
    assert used <= names, f"not in HTCDS Field Definitions: {sorted(used - names)}"
    for v in VIGNETTES:
        assert set(evaluate(v.answers, emergency=v.emergency).indicators) <= names


def test_exploitation_type_names_exist_in_htcds_reference() -> None:
    # TypeOfExploitation values are not in Field Definitions.md; they are listed
    # in the HTCDS XLSForm (select vic_TypeOfExploitation).
    xml = _htcds_file("htcds_xlsform.xml").read_text(encoding="utf-8")
    block = re.search(r'<select ref="/data/vic_TypeOfExploitation">(.*?)</select>', xml, re.S)
    assert block, "vic_TypeOfExploitation not found in htcds_xlsform.xml"
    values = set(re.findall(r"<value>([^<]+)</value>", block.group(1)))
    for etype in rules.EXPLOITATION_TYPES:
        result = ScreeningResult((), etype, False, "low", 0, 0, (), ("x",))
        assert set(result.htcds_exploitation_types) <= values
