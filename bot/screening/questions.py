"""Screening questions as data.

Why data and not dialogue code: the Rasa form, the rules engine, the referral
record and the tests all need the same list, the same slot names and the same
HTCDS mapping. Wording of the questions lives in the content files (EN/ES);
only ids, themes and the HTCDS "Methods of Control" mapping live here.

Each question is closed-ended (yes / no / not sure / skip). ``polarity`` says
which answer is the indicator: for ``q_safe_leave`` ("can you leave when you
want?") it is "no"; for every other question it is "yes".

HTCDS names are the field names of the "Methods Of Control" table in the IOM
Human Trafficking Case Data Standard (``shared/reference/htcds/Field
Definitions.md``). ``q_commercial_sex`` and ``q_under18`` map to no method of
control: commercial sex is a *purpose* (AMP model) and age is a status, so they
feed the exploitation type and the minor flag instead.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from bot.screening.answers import NO, NOT_SURE, SKIP, YES, canonical

# Answer vocabulary shared by the whole screening package (defined in answers.py).
ANSWER_VALUES: tuple[str, ...] = (YES, NO, NOT_SURE, SKIP)

AskIf = Callable[[Mapping[str, str]], bool]


@dataclass(frozen=True)
class Question:
    """One screening item.

    ``context`` says which purpose the item points to: "labor" items are the
    signs of control over work or living used for the labor/sex/both decision;
    "sex" items are about commercial sex; "general" items (threats, violence)
    are means that occur in both; "age" is the minor question.
    ``key`` marks items where a "not sure" is worth an advocate's attention.
    """

    id: str
    theme: str
    methods: tuple[str, ...]
    polarity: str = YES
    ask_if: AskIf | None = None
    context: str = "general"
    key: bool = False

    def applies(self, answers: Mapping[str, str]) -> bool:
        """True when this question should be asked given earlier answers."""
        return self.ask_if is None or bool(self.ask_if(answers))

    def indicates(self, answer: str | None) -> bool:
        """True when ``answer`` (canonical value) is the indicating answer."""
        return answer == self.polarity


def _commercial_sex_yes(answers: Mapping[str, str]) -> bool:
    return answers.get("q_commercial_sex") == YES


QUESTIONS: tuple[Question, ...] = (
    Question(
        id="q_safe_leave",
        theme="Can leave the job or place whenever they want (a 'no' is the indicator)",
        methods=("MethodsOfControlRestrictsMovement",),
        polarity=NO,
        context="labor",
        key=True,
    ),
    Question(
        id="q_documents",
        theme="Someone else keeps their ID, passport or papers",
        methods=("MethodsOfControlWithholdsDocuments",),
        context="labor",
        key=True,
    ),
    Question(
        id="q_debt",
        theme="A debt that keeps growing or cannot be paid off; pay taken or withheld",
        methods=("MethodsOfControlDebtBondage", "MethodsOfControlTakesEarnings"),
        context="labor",
    ),
    Question(
        id="q_threats",
        theme="Threats against them or their family",
        methods=("MethodsOfControlThreats",),
        key=True,
    ),
    Question(
        id="q_police_threats",
        theme="Threats to call the police or immigration on them",
        methods=("MethodsOfControlThreatOfLawEnforcement",),
    ),
    Question(
        id="q_violence",
        theme="Someone hurt them or forced sexual contact on them",
        methods=("MethodsOfControlPhysicalAbuse", "MethodsOfControlSexualAbuse"),
        key=True,
    ),
    Question(
        id="q_false_promises",
        theme="The job, pay or conditions are different from what was promised",
        methods=("MethodsOfControlFalsePromises",),
        context="labor",
    ),
    Question(
        id="q_commercial_sex",
        theme="Made or pressured to have sex for money or things of value",
        methods=(),
        context="sex",
    ),
    Question(
        id="q_money_taken",
        theme="Someone else takes the money from the commercial sex",
        methods=("MethodsOfControlTakesEarnings",),
        ask_if=_commercial_sex_yes,
        context="sex",
    ),
    Question(
        id="q_under18",
        theme="Is under 18",
        methods=(),
        context="age",
    ),
    Question(
        id="q_conditions",
        theme="Very long hours or no days off; denied food, sleep or a doctor",
        methods=(
            "MethodsOfControlExcessiveWorkingHours",
            "MethodsOfControlWithholdsNecessities",
            "MethodsOfControlRestrictsMedicalCare",
        ),
        context="labor",
    ),
    Question(
        id="q_housing",
        theme="Lives where they work, or the boss controls where they live",
        # No dedicated HTCDS method: employer-controlled housing is a control
        # tactic that fits none of the named categories, hence "Other".
        methods=("MethodsOfControlOther",),
        context="labor",
    ),
)

QUESTION_IDS: tuple[str, ...] = tuple(q.id for q in QUESTIONS)
_BY_ID: dict[str, Question] = {q.id: q for q in QUESTIONS}


def get_question(question_id: str) -> Question:
    """Look a question up by id (raises KeyError for unknown ids)."""
    return _BY_ID[question_id]


def required_questions(answers: Mapping[str, object] | None = None) -> list[str]:
    """Ids of the questions to ask, in order, given the answers so far.

    Conditional items (``ask_if``) are evaluated on the answers given; e.g.
    ``q_money_taken`` is only asked once ``q_commercial_sex`` is "yes".
    Raw replies ("Y", "sí") are normalised the same way the rules do.
    """
    given: dict[str, str] = {}
    for key, value in (answers or {}).items():
        normalised = canonical(value)
        if normalised is not None:
            given[key] = normalised
    return [q.id for q in QUESTIONS if q.applies(given)]
