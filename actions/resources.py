"""Resources: national numbers plus a state look-up by name, code or ZIP code."""

from __future__ import annotations

from datetime import date
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import content, language, settings
from bot.content.render import national_resources, state_resources
from bot.screening.answers import parse_answer

NATIONAL = "US"
UNKNOWN = "??"


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
