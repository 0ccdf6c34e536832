"""Talk to a person: record a handoff request the advocate queue will read."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.common import content, language, store
from actions.tips import save_partial_tip
from bot.content.render import handoff_message
from bot.store.models import Conversation
from bot.store.records import record_handoff


class ActionHandoff(Action):
    def name(self) -> str:
        return "action_handoff"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: dict[str, Any]) -> list[EventType]:
        active = (tracker.active_loop or {}).get("name")
        with store() as session:
            urgent = bool(getattr(session.get(Conversation, tracker.sender_id), "urgent", False))
            record_handoff(session, tracker.sender_id, reason="asked",
                           priority="emergency" if urgent else "normal",
                           details={"active_loop": active})
            if active == "tip_form":
                save_partial_tip(session, tracker)
        dispatcher.utter_message(text=handoff_message(content(), language(tracker), urgent=urgent))
        return []
