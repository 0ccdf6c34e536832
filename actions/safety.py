"""Emergency interrupt and quick exit: the two replies that must never fail."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, Restarted
from rasa_sdk.executor import CollectingDispatcher

from actions.common import content, language, store
from bot.content.render import emergency_message
from bot.store.records import record_handoff

logger = logging.getLogger(__name__)


class ActionEmergency(Action):
    """Answer at once with 911 advice and the 24/7 hotline; flag for a human."""

    def name(self) -> str:
        return "action_emergency"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: dict[str, Any]) -> list[EventType]:
        # Reply first: even if the database is unavailable the texter gets the numbers.
        dispatcher.utter_message(text=emergency_message(content(), language(tracker)))
        try:
            with store() as session:
                record_handoff(session, tracker.sender_id, reason="emergency",
                               priority="emergency",
                               details={"active_loop": (tracker.active_loop or {}).get("name")})
        except Exception:  # the reply above must go out regardless
            logger.exception("could not record emergency for conversation=%s",
                             tracker.sender_id)
        return []


class ActionQuickExit(Action):
    """One neutral line, then forget the dialogue state."""

    def name(self) -> str:
        return "action_quick_exit"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: dict[str, Any]) -> list[EventType]:
        dispatcher.utter_message(response="utter_quick_exit")
        return [Restarted(), FollowupAction("action_listen")]
