"""Resources: the line asked for at once, then a look-up in the resource directory.

`action_answer_resources` answers any request for a number in its first reply
(data/content/lines.yml, always with the national hotline); "help near me" and
"shelter" then ask the state (location_form), other lines offer more. Inside a
form the answer goes first and the form asks its question again.

The look-up (bot/directory/) reads the place from the texter's words (ZIP, a
city staff listed, a state; a shared Telegram location arrives as a state name)
and the need from the request ("shelter", "free legal help"); only verified,
current directory entries are listed, always with the national hotline, and
with nothing local the national fallback as before.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import content, language, latest_text, retrieval_key, settings, store
from actions.disclosures import answers_so_far, hear_events, heard
from actions.form_answer import answer_to_form
from actions.offer import offer_again
from bot.content.line_words import line_in_words
from bot.content.render import line_message, line_offer, national_resources
from bot.directory.lookup import place_from_text
from bot.directory.reply import directory_reply
from bot.directory.taxonomy import NEED_FOR_LINE, Need, need_in_text
from bot.screening.answers import parse_answer

NATIONAL = "US"
UNKNOWN = "??"
# Sub-intents of find_resources whose answer goes on to the state look-up.
LOOKUP = frozenset({"local", "shelter"})
# find_resources sub-intent -> line id in lines.yml (same name unless listed).
LINE_FOR = {"local": "hotline"}
def _need(key: str | None, text: str) -> Need | None:
    """The need a request names: its words first ("shelter in Houston"), then its line."""
    return need_in_text(text) or (NEED_FOR_LINE.get(key) if key else None)


def _request_need(tracker: Tracker) -> Need | None:
    """The need of the texter's latest find_resources request (the form's answer has none)."""
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        parse = event.get("parse_data") or {}
        if (parse.get("intent") or {}).get("name") != "find_resources":
            continue
        selector = (parse.get("response_selector") or {}).get("find_resources") or {}
        key = str(((selector.get("response") or {}).get("intent_response_key")) or "")
        return _need(key.partition("/")[2] or None, event.get("text") or "")
    return None


def local_reply(text: str, state_code: str, need: Need | None, lang: str) -> str:
    """The directory's answer for the place in `text` (or the state) and the need."""
    with store() as session:
        place = place_from_text(session, content(), text, state_hint=state_code)
        reply, _listed = directory_reply(
            session, content(), need=need, place=place, lang=lang, today=date.today(),
            max_age_days=settings().directory_max_age_days)
    return reply


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
        if key in ("hotline", "local"):
            key = line_in_words(latest_text(tracker)) or key
        dispatcher.utter_message(text=line_message(content(), LINE_FOR.get(key, key), lang))
        if (tracker.active_loop or {}).get("name"):
            return [SlotSet("ask_state", False)]  # the form resumes and asks its own question
        code = tracker.get_slot("location_state")
        state = content().state_by_code(code) if code not in (None, NATIONAL, UNKNOWN) else None
        if state is not None:
            text = latest_text(tracker)
            dispatcher.utter_message(text=local_reply(text, state.code, _need(key, text), lang))
            return [SlotSet("location_state", None), SlotSet("ask_state", False),
                    SlotSet("lookup_state", state.code)]
        if key in LOOKUP:
            return [SlotSet("ask_state", True)]
        pending = offer_again(tracker)
        if not pending:  # the screening's question comes back instead of the offer of more
            dispatcher.utter_message(text=line_offer(content(), lang))
        return [SlotSet("ask_state", False), *pending]


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
        with store() as session:  # a city only the directory knows
            place = place_from_text(session, content(), text)
        if place.state:
            return {"location_state": place.state}
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
        if code in (None, NATIONAL, UNKNOWN) or state is None:
            if code == UNKNOWN:
                dispatcher.utter_message(response="utter_place_not_found")
            dispatcher.utter_message(text=national_resources(content(), lang))
        else:
            dispatcher.utter_message(text=local_reply(
                latest_text(tracker), state.code, _request_need(tracker), lang))
            return [SlotSet("location_state", None), SlotSet("lookup_state", state.code)]
        return [SlotSet("location_state", None)]
