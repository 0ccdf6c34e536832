"""Screening rules: from yes/no answers to indicators, exploitation type and triage.

Plain-words summary (this docstring is the reviewable specification; the code
below implements exactly this and nothing else):

Indicators
    Every question the person was asked (see ``required_questions``) and
    answered with its indicating answer adds that question's HTCDS "Methods of
    Control" names. The indicating answer is "no" for "can you leave when you
    want?" (q_safe_leave) and "yes" for everything else. "Not sure" and "skip"
    never add an indicator. Commercial sex and age are not methods of control:
    they set the exploitation type and the minor flag instead. An answer to a
    question that was not due (q_money_taken without a "yes" to commercial
    sex) is ignored.

Exploitation type (maps to HTCDS TypeOfExploitation)
    "sex"     - yes to commercial sex (SexualExploitation);
    "labor"   - a sign of control over work or living (cannot leave, papers
                held, debt/pay withheld, false promises, extreme hours or
                denied food/sleep/doctor, employer-controlled housing) and no
                commercial sex (ForcedLabour);
    "both"    - both of the above (ForcedLabour + SexualExploitation);
    "unclear" - neither (e.g. only threats or violence, or nothing at all).
    The screen cannot tell whether a held passport serves labor or sex
    exploitation, so "both" means "commercial sex plus control over work or
    living" and is for an advocate to confirm.

Triage - every rule that matches adds a reason; the highest level wins.
    EMERGENCY
      R1  The conversation flagged immediate danger (``emergency=True``).
      R2  Under 18 and someone hurt them or forced sexual contact.
    HIGH
      R3  Under 18 and in commercial sex. Under US law (22 U.S.C. 7102) a
          minor in commercial sex is a trafficking victim; no force, fraud or
          coercion is needed, so no other indicator is required.
      R4  Commercial sex plus any means indicator (force, fraud or coercion).
      R5  Two or more different questions show means of control and at least
          one of them is a core item: cannot leave, papers held, threats,
          debt/pay withheld, or violence. (Violence is added to the core list
          because force is the strongest "means" in the AMP model.)
      R6  Commercial sex and "not sure" about being under 18: a minor cannot
          be ruled out, and for a minor no means are needed.
    MEDIUM
      R7  At least one means indicator (and none of the above).
      R8  Commercial sex with no means indicator reported (purpose present,
          means unknown).
      R9  "Not sure" on a key item: can leave, papers, threats, violence, or
          commercial sex when under 18.
    LOW
      R10 None of the above. If nothing was answered at all, the reasons say
          so: the screen is then inconclusive, not reassuring.

Never a verdict: the result describes indicators for an advocate. It is not
a validated instrument and must not be shown to the person as a diagnosis.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.screening.answers import NO, NOT_SURE, SKIP, YES, canonical
from bot.screening.questions import QUESTIONS, get_question
from bot.store.statuses import Triage

EMERGENCY = Triage.EMERGENCY
HIGH = Triage.HIGH
MEDIUM = Triage.MEDIUM
LOW = Triage.LOW
TRIAGE_LEVELS: tuple[Triage, ...] = tuple(Triage)  # lowest first

EXPLOITATION_TYPES: tuple[str, ...] = ("labor", "sex", "both", "unclear")

# HTCDS vic_TypeOfExploitation value names (htcds_xlsform.xml).
HTCDS_FORCED_LABOUR = "ForcedLabour"
HTCDS_SEXUAL_EXPLOITATION = "SexualExploitation"
_HTCDS_TYPES: dict[str, tuple[str, ...]] = {
    "labor": (HTCDS_FORCED_LABOUR,),
    "sex": (HTCDS_SEXUAL_EXPLOITATION,),
    "both": (HTCDS_FORCED_LABOUR, HTCDS_SEXUAL_EXPLOITATION),
    "unclear": (),
}

# Items whose "yes" to means counts towards R5's "core" requirement.
CORE_MEANS_QUESTIONS: frozenset[str] = frozenset(
    {"q_safe_leave", "q_documents", "q_threats", "q_debt", "q_violence"}
)
# Items where "not sure" raises low to medium (R9); q_commercial_sex only for minors.
KEY_NOT_SURE_QUESTIONS: frozenset[str] = frozenset(
    {"q_safe_leave", "q_documents", "q_threats", "q_violence"}
)

_REASON_TEXT: dict[str, str] = {
    "R1_EMERGENCY_FLAG": "Immediate danger was reported in the conversation.",
    "R2_MINOR_VIOLENCE": "Under 18 and someone hurt them or forced sexual contact.",
    "R3_MINOR_COMMERCIAL_SEX": (
        "Under 18 and in commercial sex: a trafficking victim under US law with no "
        "force, fraud or coercion needed (22 U.S.C. 7102)."
    ),
    "R4_COMMERCIAL_SEX_WITH_MEANS": (
        "Commercial sex together with force, fraud or coercion indicators."
    ),
    "R5_MULTIPLE_MEANS_WITH_CORE": (
        "Two or more means of control, including leaving, papers, threats, debt or violence."
    ),
    "R6_COMMERCIAL_SEX_AGE_UNCLEAR": "Commercial sex and not sure about being under 18.",
    "R7_SOME_MEANS": "At least one means of control indicator.",
    "R8_COMMERCIAL_SEX_NO_MEANS": "Commercial sex reported; no means of control indicated yet.",
    "R9_NOT_SURE_KEY_ITEM": "Not sure on a key question",
    "R10_NO_INDICATORS": "No indicators reported.",
    "R10_NO_ANSWERS": "No questions were answered; the screening is inconclusive.",
}


@dataclass(frozen=True)
class ScreeningResult:
    """Outcome of one screening; every field can be explained from ``reasons``."""

    indicators: tuple[str, ...]
    exploitation_type: str
    minor: bool
    triage: Triage
    answered: int
    skipped: int
    not_sure: tuple[str, ...]
    reasons: tuple[str, ...]

    @property
    def htcds_exploitation_types(self) -> tuple[str, ...]:
        """HTCDS TypeOfExploitation value names for ``exploitation_type``."""
        return _HTCDS_TYPES[self.exploitation_type]

    @property
    def reason_codes(self) -> tuple[str, ...]:
        """Just the rule codes (e.g. "R3_MINOR_COMMERCIAL_SEX"), for tests and records."""
        return tuple(r.split(":", 1)[0] for r in self.reasons)


def _reason(code: str, extra: str = "") -> str:
    text = _REASON_TEXT[code]
    return f"{code}: {text}{extra}"


def _normalised_answers(answers: Mapping[str, object]) -> dict[str, str]:
    """Canonical answers for the questions that were actually due."""
    given: dict[str, str] = {}
    for q in QUESTIONS:
        value = canonical(answers.get(q.id)) if q.id in answers else None
        if value is not None:
            given[q.id] = value
    return {q.id: given[q.id] for q in QUESTIONS if q.id in given and q.applies(given)}


def evaluate(answers: Mapping[str, object], *, emergency: bool = False) -> ScreeningResult:
    """Apply the documented rules (see module docstring) to the answers."""
    given = _normalised_answers(answers)
    due = [q for q in QUESTIONS if q.applies(given)]

    indicated = [q for q in due if q.indicates(given.get(q.id))]
    means_questions = [q for q in indicated if q.methods]
    indicators = tuple(sorted({m for q in means_questions for m in q.methods}))

    minor = given.get("q_under18") == YES
    age_unclear = given.get("q_under18") == NOT_SURE
    commercial_sex = given.get("q_commercial_sex") == YES
    violence = given.get("q_violence") == YES
    labor_signs = any(q.context == "labor" for q in indicated)

    if commercial_sex and labor_signs:
        exploitation_type = "both"
    elif commercial_sex:
        exploitation_type = "sex"
    elif labor_signs:
        exploitation_type = "labor"
    else:
        exploitation_type = "unclear"

    not_sure = tuple(q.id for q in due if given.get(q.id) == NOT_SURE)
    answered = sum(1 for q in due if given.get(q.id) in (YES, NO))
    skipped = sum(1 for q in due if given.get(q.id) in (SKIP, None))

    key_not_sure = [qid for qid in not_sure if qid in KEY_NOT_SURE_QUESTIONS]
    if minor and "q_commercial_sex" in not_sure:
        key_not_sure.append("q_commercial_sex")
    core_hit = any(q.id in CORE_MEANS_QUESTIONS for q in means_questions)

    fired: list[tuple[str, str]] = []  # (level, reason line)
    if emergency:
        fired.append((EMERGENCY, _reason("R1_EMERGENCY_FLAG")))
    if minor and violence:
        fired.append((EMERGENCY, _reason("R2_MINOR_VIOLENCE")))
    if minor and commercial_sex:
        fired.append((HIGH, _reason("R3_MINOR_COMMERCIAL_SEX")))
    if commercial_sex and means_questions:
        fired.append((HIGH, _reason("R4_COMMERCIAL_SEX_WITH_MEANS")))
    if len(means_questions) >= 2 and core_hit:
        fired.append((HIGH, _reason("R5_MULTIPLE_MEANS_WITH_CORE")))
    if commercial_sex and age_unclear:
        fired.append((HIGH, _reason("R6_COMMERCIAL_SEX_AGE_UNCLEAR")))
    if means_questions:
        fired.append((MEDIUM, _reason("R7_SOME_MEANS")))
    if commercial_sex and not means_questions:
        fired.append((MEDIUM, _reason("R8_COMMERCIAL_SEX_NO_MEANS")))
    if key_not_sure:
        fired.append((MEDIUM, _reason("R9_NOT_SURE_KEY_ITEM", f" ({', '.join(key_not_sure)}).")))
    if not fired:
        code = "R10_NO_ANSWERS" if answered == 0 and not not_sure else "R10_NO_INDICATORS"
        fired.append((LOW, _reason(code)))

    triage = max((level for level, _ in fired), key=TRIAGE_LEVELS.index)
    ordered = sorted(fired, key=lambda item: -TRIAGE_LEVELS.index(item[0]))
    return ScreeningResult(
        indicators=indicators,
        exploitation_type=exploitation_type,
        minor=minor,
        triage=triage,
        answered=answered,
        skipped=skipped,
        not_sure=not_sure,
        reasons=tuple(line for _, line in ordered),
    )


def to_record(result: ScreeningResult) -> dict[str, object]:
    """JSON-serialisable dict for the referral record (HTCDS-aligned names)."""
    return {
        "indicators": list(result.indicators),
        "exploitation_type": result.exploitation_type,
        "htcds_type_of_exploitation": list(result.htcds_exploitation_types),
        "minor": result.minor,
        "triage": result.triage,
        "answered": result.answered,
        "skipped": result.skipped,
        "not_sure": list(result.not_sure),
        "reasons": list(result.reasons),
        "reason_codes": list(result.reason_codes),
        "validated_instrument": False,
    }


__all__ = [
    "CORE_MEANS_QUESTIONS",
    "EXPLOITATION_TYPES",
    "KEY_NOT_SURE_QUESTIONS",
    "ScreeningResult",
    "TRIAGE_LEVELS",
    "evaluate",
    "get_question",
    "to_record",
]
