"""Emergency interrupt: record it for a human (the reply is a domain response)."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.common import store
from actions.interrupted import active_form, clear_form, keep_partial_answers
from bot.handoff.queue import record_handoff

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
        try:
            with store() as session:
                record_handoff(session, tracker.sender_id, reason="emergency",
                               priority="emergency",
                               details={"active_loop": active_form(tracker)})
            keep_partial_answers(tracker, emergency=True)
        except Exception:  # never let a store failure look like a crash to the texter
            logger.exception("could not record emergency for conversation=%s",
                             tracker.sender_id)
        return clear_form(tracker)
