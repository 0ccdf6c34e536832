"""Talk to a person: record a handoff request the advocate queue will read."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.common import content, language, store
from actions.screening import reset_events as reset_screening
from actions.screening import store_partial_screening
from actions.tips import reset_events as reset_tip
from actions.tips import save_partial_tip
from bot.content.render import handoff_message
from bot.store.models import Conversation
from bot.store.records import record_handoff

logger = logging.getLogger(__name__)


class ActionHandoff(Action):
    def name(self) -> str:
        return "action_handoff"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: dict[str, Any]) -> list[EventType]:
        active = (tracker.active_loop or {}).get("name")
        urgent = False
        try:
            with store() as session:
                conversation = session.get(Conversation, tracker.sender_id)
                urgent = bool(conversation is not None and conversation.urgent)
                record_handoff(session, tracker.sender_id, reason="asked",
                               priority="emergency" if urgent else "normal",
                               details={"active_loop": active})
                if active == "tip_form":
                    save_partial_tip(session, tracker)
            if active == "screening_form":
                store_partial_screening(tracker)
        except Exception:  # the texter must still get the 24/7 numbers
            logger.exception("could not record handoff for conversation=%s", tracker.sender_id)
        dispatcher.utter_message(text=handoff_message(content(), language(tracker), urgent=urgent))
        # A form interrupted here is over: clear its answers so a new one starts clean.
        if active == "tip_form":
            return reset_tip()
        if active == "screening_form":
            return reset_screening()
        return []
