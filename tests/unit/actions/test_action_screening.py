"""validate_screening_form, action_submit_screening and action_stop_screening."""

from __future__ import annotations

import pytest
from action_helpers import SENDER, build_tracker, responses, slot_sets, texts

from actions.screening import (
    QUESTION_IDS,
    ActionStopScreening,
    ActionSubmitScreening,
    ValidateScreeningForm,
)
from bot.content.loader import load_content
from bot.content.render import handoff_message

ALL_NO = dict.fromkeys(QUESTION_IDS, "no")
ALL_NO.pop("q_money_taken")
SAFE = {**ALL_NO, "q_safe_leave": "yes"}  # "can you leave?" yes + no to everything else


def answer_turn(text, slot, *, slots=None, language="en", intent="affirm"):  # type: ignore[no-untyped-def]
    """The tracker validate_screening_form gets when `text` answers `slot`."""
    return build_tracker(text, intent, active_loop="screening_form",
                         slots={"language": language, "requested_slot": slot, **(slots or {})},
                         candidates={slot: text})


def expected_reset() -> dict[str, object]:
    return {**dict.fromkeys(QUESTION_IDS), "answer_retries": 0, "disclosed": None,
            "prefilled": None}


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize(("text", "expected"), [
    ("y", "yes"), ("Y", "yes"), ("yes", "yes"), ("sí", "yes"), ("si", "yes"), ("siii", "yes"),
    ("n", "no"), ("nope", "no"), ("nunca", "no"),
    ("no sé", "not_sure"), ("idk", "not_sure"), ("?", "not_sure"),
    ("skip", "skip"), ("saltar", "skip"), ("prefer not to say", "skip"),
])
async def test_answers_are_normalised(dispatcher, domain, text, expected):
    tracker = answer_turn(text, "q_safe_leave")
    events = await ValidateScreeningForm().run(dispatcher, tracker, domain)
    assert slot_sets(events) == {"q_safe_leave": expected, "answer_retries": 0,
                                 "requested_slot": "q_documents"}
    assert dispatcher.messages == []


async def test_spanish_answer_mid_form(dispatcher, domain):
    tracker = answer_turn("sí, me quitaron el pasaporte", "q_documents",
                          slots={"q_safe_leave": "no"}, language="es")
    events = await ValidateScreeningForm().run(dispatcher, tracker, domain)
    assert slot_sets(events) == {"q_documents": "yes", "answer_retries": 0,
                                 "disclosed": ["documents"], "prefilled": True,
                                 "requested_slot": "q_debt"}
    # Heard, in Spanish: what the law says about it, never "Perdona, no entendí".
    [text] = texts(dispatcher)
    assert text.startswith("Gracias por contármelo.") and "pasaporte" in text


async def test_unparseable_answer_gets_a_hint_then_moves_on(dispatcher, domain):
    first = answer_turn("purple", "q_threats", slots={"q_safe_leave": "yes"})
    events = await ValidateScreeningForm().run(dispatcher, first, domain)
    assert slot_sets(events) == {"q_threats": None, "answer_retries": 1,
                                 "requested_slot": "q_documents"}
    assert responses(dispatcher) == ["utter_answer_hint"]

    second_dispatcher = type(dispatcher)()
    second = answer_turn("purple again", "q_threats",
                         slots={"q_safe_leave": "yes", "answer_retries": 1})
    events = await ValidateScreeningForm().run(second_dispatcher, second, domain)
    sets = slot_sets(events)
    assert sets["q_threats"] == "skip"
    assert sets["answer_retries"] == 0
    assert responses(second_dispatcher) == ["utter_moving_on"]


async def test_hint_reasks_the_same_question(dispatcher, domain):
    tracker = answer_turn("what do you mean", "q_safe_leave")
    events = await ValidateScreeningForm().run(dispatcher, tracker, domain)
    assert slot_sets(events)["requested_slot"] == "q_safe_leave"
    assert responses(dispatcher) == ["utter_answer_hint"]


async def test_a_good_answer_resets_the_retry_counter(dispatcher, domain):
    tracker = answer_turn("no", "q_safe_leave", slots={"answer_retries": 1})
    events = await ValidateScreeningForm().run(dispatcher, tracker, domain)
    assert slot_sets(events)["answer_retries"] == 0
    assert dispatcher.messages == []


async def test_required_slots_skip_money_question_unless_commercial_sex(dispatcher, domain):
    form = ValidateScreeningForm()
    domain_slots = form.domain_slots(domain)
    assert domain_slots == QUESTION_IDS  # the domain lists every question in order
    for commercial_sex in (None, "no", "not_sure", "skip"):
        tracker = build_tracker("x", "affirm", active_loop="screening_form",
                                slots={"q_commercial_sex": commercial_sex})
        required = await form.required_slots(domain_slots, dispatcher, tracker, domain)
        assert "q_money_taken" not in required
        assert required == [q for q in QUESTION_IDS if q != "q_money_taken"]
    tracker = build_tracker("x", "affirm", active_loop="screening_form",
                            slots={"q_commercial_sex": "yes"})
    assert await form.required_slots(domain_slots, dispatcher, tracker, domain) == QUESTION_IDS


async def test_no_to_commercial_sex_goes_straight_to_age(dispatcher, domain):
    before = {q: "no" for q in QUESTION_IDS[:QUESTION_IDS.index("q_commercial_sex")]}
    tracker = answer_turn("no", "q_commercial_sex", slots=before)
    events = await ValidateScreeningForm().run(dispatcher, tracker, domain)
    assert slot_sets(events) == {"q_commercial_sex": "no", "answer_retries": 0,
                                 "requested_slot": "q_under18"}


async def test_yes_to_commercial_sex_asks_about_money(dispatcher, domain):
    before = {q: "no" for q in QUESTION_IDS[:QUESTION_IDS.index("q_commercial_sex")]}
    tracker = answer_turn("yes", "q_commercial_sex", slots=before)
    events = await ValidateScreeningForm().run(dispatcher, tracker, domain)
    sets = slot_sets(events)
    assert sets["q_commercial_sex"] == "yes"
    # required_slots now equals the domain list, so rasa-sdk leaves the next
    # question to the form, whose domain order asks q_money_taken next.
    assert sets.get("requested_slot", "q_money_taken") == "q_money_taken"


async def test_last_answer_completes_the_form(dispatcher, domain):
    answered = {q: "no" for q in ALL_NO if q != "q_housing"}
    tracker = answer_turn("no", "q_housing", slots=answered)
    events = await ValidateScreeningForm().run(dispatcher, tracker, domain)
    assert slot_sets(events) == {"q_housing": "no", "answer_retries": 0, "requested_slot": None}


async def test_only_requested_questions_are_validated(dispatcher, domain):
    # A stray q_money_taken candidate is dropped when commercial sex was not "yes".
    tracker = answer_turn("yes", "q_money_taken", slots={"q_commercial_sex": "no"})
    events = await ValidateScreeningForm().run(dispatcher, tracker, domain)
    assert "q_money_taken" not in slot_sets(events)


# --------------------------------------------------------------------------- submit


def submit(dispatcher, domain, answers, language="en"):  # type: ignore[no-untyped-def]
    tracker = build_tracker("no", "deny", slots={"language": language, **answers})
    return ActionSubmitScreening().run(dispatcher, tracker, domain)


def test_high_triage_sends_concern_and_handoff(dispatcher, domain, store):
    answers = {**SAFE, "q_safe_leave": "no", "q_documents": "yes", "q_threats": "yes"}
    events = submit(dispatcher, domain, answers)
    assert responses(dispatcher) == ["utter_result_concern", None]
    assert texts(dispatcher) == [handoff_message(load_content(), "en", urgent=False)]
    assert slot_sets(events) == expected_reset()

    [row] = store.screenings()
    assert row.conversation_id == SENDER
    assert row.complete is True
    assert row.triage == "high"
    assert row.exploitation_type == "labor"
    assert row.minor is False
    assert row.indicators == ["MethodsOfControlRestrictsMovement", "MethodsOfControlThreats",
                              "MethodsOfControlWithholdsDocuments"]
    assert row.answers == answers
    assert row.result["htcds_type_of_exploitation"] == ["ForcedLabour"]
    assert "R5_MULTIPLE_MEANS_WITH_CORE" in row.result["reason_codes"]
    assert row.result["validated_instrument"] is False

    [handoff] = store.handoffs()
    assert (handoff.reason, handoff.priority, handoff.status) == ("screening", "high", "open")
    assert handoff.details == {"triage": "high", "indicators": row.indicators}
    assert store.conversation(SENDER).urgent is False


def test_minor_in_commercial_sex(dispatcher, domain, store):
    answers = {**SAFE, "q_commercial_sex": "yes", "q_money_taken": "yes", "q_under18": "yes"}
    submit(dispatcher, domain, answers)
    assert responses(dispatcher) == ["utter_result_minor", None]
    assert texts(dispatcher) == [handoff_message(load_content(), "en", urgent=False)]
    [row] = store.screenings()
    assert row.minor is True
    assert row.exploitation_type == "sex"
    assert row.triage == "high"
    assert row.indicators == ["MethodsOfControlTakesEarnings"]
    assert row.result["htcds_type_of_exploitation"] == ["SexualExploitation"]
    assert "R3_MINOR_COMMERCIAL_SEX" in row.result["reason_codes"]
    [handoff] = store.handoffs()
    assert handoff.priority == "minor"
    assert handoff.reason == "screening"


def test_minor_hurt_is_an_emergency(dispatcher, domain, store):
    answers = {**SAFE, "q_violence": "yes", "q_under18": "yes"}
    submit(dispatcher, domain, answers)
    assert responses(dispatcher) == ["utter_result_concern", None]
    assert texts(dispatcher) == [handoff_message(load_content(), "en", urgent=True)]
    assert store.screenings()[0].triage == "emergency"
    [handoff] = store.handoffs()
    assert handoff.priority == "emergency"
    assert store.conversation(SENDER).urgent is True


def test_no_signs_is_low_with_next_steps_and_no_handoff(dispatcher, domain, store):
    events = submit(dispatcher, domain, SAFE)
    assert responses(dispatcher) == ["utter_result_low", "utter_result_next"]
    assert store.handoffs() == []
    [row] = store.screenings()
    assert (row.triage, row.exploitation_type, row.minor, row.indicators) == (
        "low", "unclear", False, [])
    assert row.complete is True
    assert slot_sets(events) == expected_reset()


def test_literally_all_no_is_medium_because_no_means_cannot_leave(dispatcher, domain, store):
    # q_safe_leave asks "can you leave?": "no" is an indicator (polarity no).
    submit(dispatcher, domain, ALL_NO)
    assert responses(dispatcher) == ["utter_result_some", "utter_result_next"]
    assert store.handoffs() == []
    [row] = store.screenings()
    assert row.triage == "medium"
    assert row.indicators == ["MethodsOfControlRestrictsMovement"]


def test_skipped_and_unsure_answers_are_stored_as_given(dispatcher, domain, store):
    answers = {**SAFE, "q_documents": "not_sure", "q_debt": "skip"}
    submit(dispatcher, domain, answers)
    [row] = store.screenings()
    assert row.answers["q_documents"] == "not_sure" and row.answers["q_debt"] == "skip"
    assert row.triage == "medium"  # R9: not sure on a key item
    assert row.result["not_sure"] == ["q_documents"]
    assert responses(dispatcher) == ["utter_result_some", "utter_result_next"]


def test_spanish_result_uses_spanish_handoff(dispatcher, domain, store):
    answers = {**SAFE, "q_safe_leave": "no", "q_violence": "yes"}
    submit(dispatcher, domain, answers, language="es")
    assert texts(dispatcher) == [handoff_message(load_content(), "es", urgent=False)]
    assert texts(dispatcher)[0].startswith("De acuerdo.")


def test_submit_without_answers_stores_nothing(dispatcher, domain, store):
    events = submit(dispatcher, domain, {})
    assert responses(dispatcher) == ["utter_screening_stopped"]
    assert store.screenings() == [] and store.handoffs() == []
    assert slot_sets(events) == expected_reset()


# --------------------------------------------------------------------------- stop


def test_stop_keeps_partial_answers(dispatcher, domain, store):
    tracker = build_tracker("stop", "stop", active_loop="screening_form",
                            slots={"q_safe_leave": "yes", "q_documents": "no",
                                   "requested_slot": "q_debt"})
    events = ActionStopScreening().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_screening_stopped"]
    assert slot_sets(events) == expected_reset()
    [row] = store.screenings()
    assert row.complete is False
    assert row.answers == {"q_safe_leave": "yes", "q_documents": "no"}
    assert row.triage == "low"
    assert store.handoffs() == []


def test_stop_with_concerning_partial_answers_opens_handoff(dispatcher, domain, store):
    tracker = build_tracker("menu", "show_menu", active_loop="screening_form",
                            slots={"q_safe_leave": "no", "q_documents": "yes"})
    ActionStopScreening().run(dispatcher, tracker, domain)
    assert store.screenings()[0].complete is False
    [handoff] = store.handoffs()
    assert handoff.priority == "high"


def test_stop_before_any_answer_stores_nothing(dispatcher, domain, store):
    tracker = build_tracker("stop", "stop", active_loop="screening_form",
                            slots={"requested_slot": "q_safe_leave"})
    ActionStopScreening().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_screening_stopped"]
    assert store.screenings() == []
