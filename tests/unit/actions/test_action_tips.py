"""validate_tip_form, action_submit_tip and action_stop_tip."""

from __future__ import annotations

import pytest
from action_helpers import SENDER, build_tracker, responses, slot_sets

from actions.tips import TIP_SLOTS, ActionStopTip, ActionSubmitTip, ValidateTipForm

RESET = {**dict.fromkeys(TIP_SLOTS), "answer_retries": 0}


def tip_turn(text, slot, *, intent="inform", slots=None):  # type: ignore[no-untyped-def]
    return build_tracker(text, intent, active_loop="tip_form",
                         slots={"requested_slot": slot, **(slots or {})},
                         candidates={slot: text})


async def validate(dispatcher, domain, text, slot, **kwargs):  # type: ignore[no-untyped-def]
    events = await ValidateTipForm().run(dispatcher, tip_turn(text, slot, **kwargs), domain)
    return slot_sets(events)


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize("slot", ["tip_what", "tip_where", "tip_when"])
async def test_free_text_is_kept(dispatcher, domain, slot):
    text = "  Workers sleep in the back of the restaurant on Main St.  "
    assert await validate(dispatcher, domain, text, slot) == {
        slot: "Workers sleep in the back of the restaurant on Main St."}
    assert dispatcher.messages == []


@pytest.mark.parametrize("text", ["skip", "SKIP", "prefer not to say", "saltar"])
async def test_free_text_skip(dispatcher, domain, text):
    assert await validate(dispatcher, domain, text, "tip_where") == {"tip_where": "skip"}


async def test_free_text_is_capped(dispatcher, domain):
    sets = await validate(dispatcher, domain, "x" * 5000, "tip_what")
    assert sets == {"tip_what": "x" * 1000}


async def test_free_text_yes_no_is_kept_verbatim(dispatcher, domain):
    # Free-text questions do not normalise answers: "no" is a valid "when".
    assert await validate(dispatcher, domain, "no idea", "tip_when") == {"tip_when": "no idea"}


@pytest.mark.parametrize(("text", "expected"), [("y", "yes"), ("sí", "yes"), ("nope", "no"),
                                                 ("no sé", "not_sure"), ("skip", "skip")])
async def test_minor_answer_is_normalised(dispatcher, domain, text, expected):
    sets = await validate(dispatcher, domain, text, "tip_minor")
    assert sets == {"tip_minor": expected, "answer_retries": 0}
    assert dispatcher.messages == []


async def test_unclear_yes_no_gets_a_hint(dispatcher, domain):
    sets = await validate(dispatcher, domain, "maybe", "tip_contact")
    assert sets == {"tip_contact": "not_sure", "answer_retries": 0}
    assert dispatcher.messages == []
    sets = await validate(dispatcher, domain, "purple", "tip_contact")
    assert sets == {"tip_contact": None, "answer_retries": 1}
    assert responses(dispatcher) == ["utter_answer_hint"]


async def test_danger_yes_sends_emergency_numbers(dispatcher, domain):
    sets = await validate(dispatcher, domain, "yes", "tip_danger")
    assert sets == {"tip_danger": "yes", "answer_retries": 0}
    assert responses(dispatcher) == ["utter_emergency"]


@pytest.mark.parametrize("text", ["no", "idk", "skip"])
async def test_danger_other_answers_send_nothing(dispatcher, domain, text):
    await validate(dispatcher, domain, text, "tip_danger")
    assert dispatcher.messages == []


async def test_plain_tip_answer_sends_no_emergency(dispatcher, domain, store):
    await validate(dispatcher, domain, "a massage parlor open all night", "tip_what",
                   intent="report_tip")
    assert dispatcher.messages == []
    assert store.handoffs() == []


@pytest.mark.parametrize(("text", "intent"), [
    ("they keep girls locked in", "emergency"),   # NLU / SafetyOverrides said emergency
    ("girls are locked in a house", "report_tip"),  # is_emergency() matches the text
])
async def test_emergency_sounding_tip_is_kept_and_triggers_emergency(
        dispatcher, domain, store, text, intent):
    sets = await validate(dispatcher, domain, text, "tip_what", intent=intent)
    assert sets == {"tip_what": text}  # kept as the tip text
    assert responses(dispatcher) == ["utter_emergency"]
    [handoff] = store.handoffs()
    assert (handoff.reason, handoff.priority) == ("tip", "emergency")


async def test_emergency_sounding_tip_text_is_kept(dispatcher, domain):
    # The part that works today: the slot keeps the text (the mapping allows `emergency`).
    text = "they keep girls locked in"
    assert await validate(dispatcher, domain, text, "tip_what", intent="emergency") == {
        "tip_what": text}


# --------------------------------------------------------------------------- submit


def submit(dispatcher, domain, **slots):  # type: ignore[no-untyped-def]
    tracker = build_tracker("yes", "affirm", slots=slots)
    return ActionSubmitTip().run(dispatcher, tracker, domain)


def test_submit_plain_tip(dispatcher, domain, store):
    events = submit(dispatcher, domain, tip_what="men living in the warehouse",
                    tip_where="77001", tip_when="last night", tip_minor="no", tip_danger="no",
                    tip_contact="yes")
    assert responses(dispatcher) == ["utter_tip_saved"]
    assert slot_sets(events) == RESET
    [tip] = store.tips()
    assert tip.conversation_id == SENDER
    assert tip.complete is True
    assert (tip.what, tip.location, tip.state_code, tip.when_seen) == (
        "men living in the warehouse", "77001", "TX", "last night")
    assert (tip.minor_involved, tip.danger, tip.contact_ok, tip.urgent) == (
        "no", "no", True, False)
    assert store.handoffs() == []


def test_skipped_answers_are_stored_as_none(dispatcher, domain, store):
    submit(dispatcher, domain, tip_what="a farm", tip_where="skip", tip_when="skip",
           tip_minor="skip", tip_danger="not_sure", tip_contact="skip")
    [tip] = store.tips()
    assert (tip.location, tip.state_code, tip.when_seen) == (None, None, None)
    assert tip.minor_involved == "skip"  # yes/no answers keep their canonical value
    assert tip.contact_ok is False and tip.urgent is False
    assert responses(dispatcher) == ["utter_tip_saved"]


def test_minor_makes_tip_urgent(dispatcher, domain, store):
    submit(dispatcher, domain, tip_what="teen girls at a motel", tip_where="Fresno, California",
           tip_when="today", tip_minor="yes", tip_danger="no", tip_contact="no")
    assert responses(dispatcher) == ["utter_tip_urgent"]
    [tip] = store.tips()
    assert tip.urgent is True and tip.state_code == "CA"
    [handoff] = store.handoffs()
    assert (handoff.reason, handoff.priority, handoff.status) == ("tip", "minor", "open")
    assert handoff.details == {"minor": "yes", "danger": "no", "contact_ok": False}
    # A tip about a minor is a minor's case: the queue entry carries the flag and
    # already knows the tipster's answer to "may we contact you?".
    assert handoff.minor is True and handoff.contact_back is False
    assert store.conversation(SENDER).urgent is False


def test_danger_makes_tip_an_emergency(dispatcher, domain, store):
    submit(dispatcher, domain, tip_what="a man locked in a van", tip_where="skip",
           tip_when="now", tip_minor="no", tip_danger="yes", tip_contact="yes")
    assert responses(dispatcher) == ["utter_tip_urgent"]
    [handoff] = store.handoffs()
    assert handoff.priority == "emergency"
    assert store.conversation(SENDER).urgent is True
    assert store.tips()[0].urgent is True


async def test_danger_yes_flow_emergency_then_urgent_submit(dispatcher, domain, store):
    sets = await validate(dispatcher, domain, "si", "tip_danger",
                          slots={"tip_what": "x", "tip_minor": "no"})
    submit(dispatcher, domain, tip_what="x", tip_minor="no", tip_contact="no", **sets)
    assert responses(dispatcher) == ["utter_emergency", "utter_tip_urgent"]
    assert store.handoffs()[0].priority == "emergency"


# --------------------------------------------------------------------------- stop


def test_stop_saves_partial_tip(dispatcher, domain, store):
    tracker = build_tracker("stop", "stop", active_loop="tip_form",
                            slots={"tip_what": "kids selling candy late at night",
                                   "tip_where": "Dallas TX", "requested_slot": "tip_when"})
    events = ActionStopTip().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_tip_stopped"]
    assert slot_sets(events) == RESET
    [tip] = store.tips()
    assert tip.complete is False
    assert (tip.what, tip.location, tip.state_code) == (
        "kids selling candy late at night", "Dallas TX", "TX")
    assert tip.urgent is False
    assert store.handoffs() == []


def test_stop_after_minor_yes_still_escalates(dispatcher, domain, store):
    tracker = build_tracker("menu", "show_menu", active_loop="tip_form",
                            slots={"tip_what": "a girl", "tip_minor": "yes"})
    ActionStopTip().run(dispatcher, tracker, domain)
    assert store.tips()[0].urgent is True
    assert store.handoffs()[0].priority == "minor"


def test_stop_before_any_answer_saves_nothing(dispatcher, domain, store):
    tracker = build_tracker("stop", "stop", active_loop="tip_form",
                            slots={"requested_slot": "tip_what"})
    events = ActionStopTip().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_tip_stopped"]
    assert slot_sets(events) == RESET
    assert store.tips() == []
