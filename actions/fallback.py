"""Unclear input: one rephrase prompt, then the menu and the offer of a person.

Before giving up, the text is matched against the content keywords (a rights
topic such as "passport", or a state / ZIP code), and a message asking for a
number ("numero??", "phone pls") gets the national hotline, so a short message
the model did not learn still gets a useful reply. Misses are counted from the
tracker (consecutive low-confidence messages), so no state can get stuck; the
third miss in a row also asks for a person.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import content, language, latest_text, settings, store
from actions.disclosures import answers_so_far, hear_events, heard
from bot.content.line_words import asks_for_a_line
from bot.content.loader import normalize
from bot.content.render import line_message, line_offer, rights_part, state_resources
from bot.handoff.queue import record_handoff

MISSES = ("nlu_fallback", "out_of_scope")
# Words that ask for a number: never answered with "Sorry" (normalized text, no accents).


def consecutive_fallbacks(tracker: Tracker) -> int:
    """How many of the latest user messages in a row were not understood."""
    count = 0
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if intent not in MISSES:
            break
        count += 1
    return count


class ActionFallback(Action):
    def name(self) -> str:
        return "action_fallback"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: dict[str, Any]) -> list[EventType]:
        topic = content().match_rights_topic(latest_text(tracker))
        if topic is not None:
            text, _has_more = rights_part(topic, language(tracker), 0)
            dispatcher.utter_message(text=text)
            return [SlotSet("rights_topic", topic.id), SlotSet("rights_part", 0)]
        state = content().lookup_state(latest_text(tracker))
        if state is not None:
            dispatcher.utter_message(text=state_resources(
                content(), state, language(tracker), today=date.today(),
                max_age_days=settings().state_content_max_age_days))
            return [SlotSet("location_state", None)]
        found = heard(latest_text(tracker), answers_so_far(tracker))
        if any(d.htcds for d in found) and not (tracker.active_loop or {}).get("name"):
            # The texter told us about their situation in words the model did not place
            # ("he posts me online and i have to see whoever he says"): say back what was
            # heard and offer the questions, pre-filled, instead of "Sorry".
            slots = hear_events(found, tracker, dispatcher)
            return [*(SlotSet(k, v) for k, v in slots.items()),
                    FollowupAction("utter_offer_screening")]
        if asks_for_a_line(normalize(latest_text(tracker))):
            dispatcher.utter_message(text=line_message(content(), "hotline", language(tracker)))
            dispatcher.utter_message(text=line_offer(content(), language(tracker)))
            return []
        misses = consecutive_fallbacks(tracker)
        if misses <= 1:
            intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
            dispatcher.utter_message(
                response="utter_out_of_scope" if intent == "out_of_scope" else "utter_rephrase")
            return []
        dispatcher.utter_message(response="utter_fallback_menu")
        dispatcher.utter_message(response="utter_menu")
        if misses >= 3:
            with store() as session:
                record_handoff(session, tracker.sender_id, reason="misunderstood",
                               priority="normal", details={"misses": misses})
        return []
