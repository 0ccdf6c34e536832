"""Talk to a person: record a handoff request the advocate queue will read."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.common import content, language, store
from actions.interrupted import active_form, clear_form, keep_partial_answers
from bot.content.render import handoff_message
from bot.handoff.queue import record_handoff
from bot.store.models import Conversation

logger = logging.getLogger(__name__)


class ActionHandoff(Action):
    def name(self) -> str:
        return "action_handoff"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: dict[str, Any]) -> list[EventType]:
        urgent = False
        try:
            with store() as session:
                conversation = session.get(Conversation, tracker.sender_id)
                urgent = bool(conversation is not None and conversation.urgent)
                record_handoff(session, tracker.sender_id, reason="asked",
                               priority="emergency" if urgent else "normal",
                               details={"active_loop": active_form(tracker)})
            keep_partial_answers(tracker)
        except Exception:  # the texter must still get the 24/7 numbers
            logger.exception("could not record handoff for conversation=%s", tracker.sender_id)
        dispatcher.utter_message(text=handoff_message(content(), language(tracker), urgent=urgent))
        return clear_form(tracker)
