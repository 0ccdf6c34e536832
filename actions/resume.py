"""Back to where we were: pick up the flow an interruption ended.

A stop, a menu, a person or an emergency ends the form it interrupts. When the
texter then asks to go on ("ok im back", "sigamos"), they mean the screening or
tip they were in, not the menu. Inside a form the rules in
data/rules/interruptions.yml simply ask the open question again; this action
covers the case where no form is active any more: it finds the latest form in
the conversation that was never finished and starts it again, at its first
unanswered question (answers kept by the form are not asked twice).
A screening that was offered ("Is it safe to start now?") and then interrupted
before the texter said yes or no counts too: "ok go on" after the answer to
their question means yes to the questions, not "nothing to resume".
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.common import content, language, latest_text
from actions.offer import SCREENING_OFFER
from actions.resources import local_reply

RESUMABLE_FORMS = ("screening_form", "tip_form", "location_form")
# The action that runs when each form is finished: a form followed by it is done.
FINISHING_ACTIONS = {
    "action_submit_screening": "screening_form",
    "action_submit_tip": "tip_form",
    "action_resources": "location_form",
}
# The screening's consent question, and the replies that close it with a no.
OFFER_CLOSED = frozenset({"utter_screening_declined", "action_keep_disclosures"})


def unfinished_form(events: list[dict[str, Any]]) -> str | None:
    """The latest form of the conversation that was never finished, if any.

    Only the most recent form counts: resuming an older one after the texter
    went on to something else would surprise them.
    """
    finished: set[str] = set()
    offer_closed = False
    for event in reversed(events):
        kind = event.get("event")
        if kind == "action" and event.get("name") in OFFER_CLOSED:
            offer_closed = True
        elif kind == "action" and event.get("name") == SCREENING_OFFER:
            # Offered, then interrupted before a yes or a no.
            return None if offer_closed or "screening_form" in finished else "screening_form"
        elif kind == "action" and event.get("name") in FINISHING_ACTIONS:
            finished.add(FINISHING_ACTIONS[event["name"]])
        elif kind == "active_loop" and event.get("name") in RESUMABLE_FORMS:
            name = event["name"]
            return None if name in finished else name
    return None


def lookup_to_repeat(tracker: Tracker) -> str | None:
    """The state of the last look-up with a listing, when nothing else was left open."""
    code = tracker.get_slot("lookup_state")
    return code if code and content().state_by_code(code) is not None else None


class ActionResumeFlow(Action):
    def name(self) -> str:
        return "action_resume_flow"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: dict[str, Any]) -> list[EventType]:
        form = unfinished_form(tracker.events)
        if form is None:
            state = lookup_to_repeat(tracker)
            if state is not None:
                # The look-up had already answered: "ok keep looking" gets its listing
                # again, with the offer of more, rather than "nothing to resume".
                dispatcher.utter_message(response="utter_resume_flow")
                dispatcher.utter_message(text=local_reply(
                    latest_text(tracker), state, None, language(tracker)))
                return []
            dispatcher.utter_message(response="utter_nothing_to_resume")
            return []
        dispatcher.utter_message(response="utter_resume_flow")
        return [FollowupAction(form)]
