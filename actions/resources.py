"""Resources: the line asked for at once, then a state look-up by name, code or ZIP code.

`action_answer_resources` answers any request for a number in its first reply
(data/content/lines.yml, always with the national hotline); "help near me" and
"shelter" then ask the state (location_form), other lines offer more. Inside a
form the answer goes first and the form asks its question again.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import content, language, retrieval_key, settings
from actions.disclosures import answers_so_far, hear_events, heard
from actions.form_answer import answer_to_form
from bot.content.render import line_message, line_offer, national_resources, state_resources
from bot.screening.answers import parse_answer

NATIONAL = "US"
UNKNOWN = "??"
# Sub-intents of find_resources whose answer goes on to the state look-up.
LOOKUP = frozenset({"local", "shelter"})
# find_resources sub-intent -> line id in lines.yml (same name unless listed).
LINE_FOR = {"local": "hotline"}


class ActionAnswerResources(Action):
    """Answer a request for a number or a place in the first reply."""

    def name(self) -> str:
        return "action_answer_resources"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: dict[str, Any]) -> list[EventType]:
        answered = answer_to_form(tracker)
        if answered is not None:  # an answer to the form's question, not a request
            return [*answered, SlotSet("ask_state", False)]
        lang = language(tracker)
        key = retrieval_key(tracker, "find_resources") or "hotline"
        dispatcher.utter_message(text=line_message(content(), LINE_FOR.get(key, key), lang))
        if (tracker.active_loop or {}).get("name"):
            return [SlotSet("ask_state", False)]  # the form resumes and asks its own question
        code = tracker.get_slot("location_state")
        state = content().state_by_code(code) if code not in (None, NATIONAL, UNKNOWN) else None
        if state is not None:
            dispatcher.utter_message(text=state_resources(
                content(), state, lang, today=date.today(),
                max_age_days=settings().state_content_max_age_days))
            return [SlotSet("location_state", None), SlotSet("ask_state", False)]
        if key in LOOKUP:
            return [SlotSet("ask_state", True)]
        dispatcher.utter_message(text=line_offer(content(), lang))
        return [SlotSet("ask_state", False)]


class ValidateLocationForm(FormValidationAction):
    def name(self) -> str:
        return "validate_location_form"

    def validate_location_state(self, value: Any, dispatcher: CollectingDispatcher,
                                tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        text = str(value or "").strip()
        if text == NATIONAL:
            return {"location_state": text}
        state = content().lookup_state(text)
        if state is not None:
            return {"location_state": state.code}
        if parse_answer(text) in ("skip", "no", "not_sure"):
            return {"location_state": NATIONAL}
        found = heard(text, answers_so_far(tracker))
        if found:  # their story, not a place: heard (and pre-filled), then the state again
            return {**hear_events(found, tracker, dispatcher), "location_state": None}
        return {"location_state": UNKNOWN}


class ActionResources(Action):
    def name(self) -> str:
        return "action_resources"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: dict[str, Any]) -> list[EventType]:
        code = tracker.get_slot("location_state")
        state = content().state_by_code(code) if code not in (None, NATIONAL, UNKNOWN) else None
        lang = language(tracker)
        if code in (None, NATIONAL, UNKNOWN):
            if code == UNKNOWN:
                dispatcher.utter_message(response="utter_place_not_found")
            dispatcher.utter_message(text=national_resources(content(), lang))
        else:
            dispatcher.utter_message(text=state_resources(
                content(), state, lang, today=date.today(),
                max_age_days=settings().state_content_max_age_days))
        return [SlotSet("location_state", None)]
