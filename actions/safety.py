"""Emergency interrupt: record it for a human (the reply is a domain response)."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.common import store
from actions.screening import reset_events as reset_screening
from actions.screening import store_partial_screening
from actions.tips import reset_events as reset_tip
from actions.tips import save_partial_tip
from bot.store.records import record_handoff

logger = logging.getLogger(__name__)


class ActionEmergency(Action):
    """Flag the conversation for a human (the reply itself is `utter_emergency`).

    The rule answers with the domain response first, so the texter gets 911
    advice and the 24/7 hotline even when this action server is unreachable.
    """

    def name(self) -> str:
        return "action_emergency"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: dict[str, Any]) -> list[EventType]:
        active = (tracker.active_loop or {}).get("name")
        try:
            with store() as session:
                record_handoff(session, tracker.sender_id, reason="emergency",
                               priority="emergency", details={"active_loop": active})
                if active == "tip_form":
                    save_partial_tip(session, tracker)
            if active == "screening_form":
                store_partial_screening(tracker, emergency=True)
        except Exception:  # never let a store failure look like a crash to the texter
            logger.exception("could not record emergency for conversation=%s",
                             tracker.sender_id)
        # The interrupted form is over: clear its answers so a new one starts clean.
        if active == "screening_form":
            return reset_screening()
        if active == "tip_form":
            return reset_tip()
        return []
