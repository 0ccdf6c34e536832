"""Unclear input: one rephrase prompt, then the menu and the offer of a person.

Counted from the tracker (consecutive low-confidence messages), so no state
can get stuck; the third miss in a row also asks for a person.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.common import store
from bot.store.records import record_handoff


def consecutive_fallbacks(tracker: Tracker) -> int:
    count = 0
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if intent != "nlu_fallback":
            break
        count += 1
    return count


class ActionFallback(Action):
    def name(self) -> str:
        return "action_fallback"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: dict[str, Any]) -> list[EventType]:
        misses = consecutive_fallbacks(tracker)
        if misses <= 1:
            dispatcher.utter_message(response="utter_rephrase")
            return []
        dispatcher.utter_message(response="utter_fallback_menu")
        dispatcher.utter_message(response="utter_menu")
        if misses >= 3:
            with store() as session:
                record_handoff(session, tracker.sender_id, reason="misunderstood",
                               priority="normal", details={"misses": misses})
        return []
