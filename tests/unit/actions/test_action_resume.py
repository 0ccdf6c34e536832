"""action_resume_flow: "ok im back" after an interruption picks up the unfinished flow."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.resume import ActionResumeFlow, unfinished_form
from tests.unit.actions.action_helpers import action_event, build_tracker, responses


def loop(name: str | None) -> dict[str, Any]:
    return {"event": "active_loop", "name": name}


def run(history: list[dict[str, Any]]) -> tuple[list[str | None], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    tracker = build_tracker("ok im back", "resume_flow", history=history)
    events = ActionResumeFlow().run(dispatcher, tracker, {})
    return responses(dispatcher), events


@pytest.mark.parametrize("form", ["screening_form", "tip_form", "location_form"])
def test_a_form_ended_by_an_interruption_is_started_again(form: str) -> None:
    said, events = run([action_event(form), loop(form), action_event("action_handoff"),
                        action_event("action_deactivate_loop"), loop(None)])
    assert said == ["utter_resume_flow"]
    assert events == [{"event": "followup", "name": form, "timestamp": None}]


def test_a_finished_screening_is_not_started_again() -> None:
    said, events = run([loop("screening_form"), loop(None),
                        action_event("action_submit_screening")])
    assert said == ["utter_nothing_to_resume"]
    assert events == []


def test_only_the_latest_form_counts() -> None:
    """A tip reported in full after an abandoned screening: nothing to resume."""
    history = [loop("screening_form"), action_event("action_stop_screening"), loop(None),
               loop("tip_form"), loop(None), action_event("action_submit_tip")]
    assert unfinished_form(history) is None
    assert unfinished_form(history[:3]) == "screening_form"


def test_nothing_to_resume_in_a_new_conversation() -> None:
    said, events = run([])
    assert said == ["utter_nothing_to_resume"]
    assert events == []


def test_an_offered_screening_interrupted_before_yes_or_no_is_started() -> None:
    """"Is it safe to start now?", then a rights question, then "ok go on"."""
    history = [action_event("action_hear_disclosure"), action_event("utter_offer_screening"),
               action_event("action_answer_rights")]
    said, events = run(history)
    assert said == ["utter_resume_flow"]
    assert events == [{"event": "followup", "name": "screening_form", "timestamp": None}]


@pytest.mark.parametrize("closing", ["utter_screening_declined", "action_keep_disclosures"])
def test_an_offer_the_texter_declined_is_not_started(closing: str) -> None:
    history = [action_event("utter_offer_screening"), action_event(closing),
               action_event("action_answer_rights")]
    assert unfinished_form(history) is None


def test_an_offer_after_a_finished_screening_is_still_resumable_but_not_the_old_form() -> None:
    """A screening finished, then offered again later and interrupted: the new offer counts."""
    history = [loop("screening_form"), loop(None), action_event("action_submit_screening"),
               action_event("utter_offer_screening"), action_event("action_answer_rights")]
    assert unfinished_form(history) == "screening_form"


def test_after_a_finished_look_up_go_on_gives_its_listing_again(dispatcher, domain):  # type: ignore[no-untyped-def]
    """Round 7: "ok keep looking for fresno" after a question got "nothing to resume"."""
    tracker = build_tracker("ok keep looking for fresno", "resume_flow",
                            slots={"lookup_state": "CA"})
    events = ActionResumeFlow().run(dispatcher, tracker, domain)
    assert responses(dispatcher)[0] == "utter_resume_flow"
    listing = dispatcher.messages[1]["text"]
    assert "California" in listing and "1-888-373-7888" in listing
    assert events == []
