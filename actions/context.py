"""Per-turn context: the texter's language and a mentioned US state.

`action_extract_context` is the custom slot mapping of the `language` and
`location_state` slots, so Rasa runs it after every user message.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import content, latest_text, settings, store
from bot.language.detect import detect_language, explicit_switch
from bot.store.models import Conversation
from bot.store.records import set_language

logger = logging.getLogger(__name__)

# Intents that interrupt a form (they are excluded from the forms' slot mappings).
INTERRUPTING = frozenset({"emergency", "quick_exit", "handoff", "switch_language", "stop",
                          "show_menu", "delete_my_data"})


class ActionSessionStart(Action):
    def name(self) -> str:
        return "action_session_start"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        return [SessionStarted(), SlotSet("language", _known_language(tracker.sender_id)),
                ActionExecuted("action_listen")]


def _known_language(conversation_id: str) -> str:
    """The texter's language from earlier sessions, else the configured default."""
    try:
        with store() as session:
            conversation = session.get(Conversation, conversation_id)
            if conversation is not None and conversation.language in ("en", "es"):
                return conversation.language
    except Exception:
        logger.exception("could not read language for conversation=%s", conversation_id)
    return settings().default_language


# Form questions answered in free text: a place, a time, what was seen. Short
# answers there are names and addresses as often as words ("Sunset Motel on
# Main", "Los Angeles", "today"), so they never change the language; a sentence
# (6 words or more) still can, and an explicit request ("english pls") always
# does. A Spanish tipster who names an English place stays in Spanish.
FREE_TEXT_SLOTS = frozenset({"tip_what", "tip_where", "tip_when", "location_state"})
MIN_WORDS_TO_SWITCH_IN_FREE_TEXT = 6


def _free_text_answer(tracker: Tracker) -> bool:
    """A short free-text form answer, whose words say nothing about the language."""
    requested = tracker.get_slot("requested_slot")
    in_form = bool((tracker.active_loop or {}).get("name"))
    short = len(latest_text(tracker).split()) < MIN_WORDS_TO_SWITCH_IN_FREE_TEXT
    return in_form and requested in FREE_TEXT_SLOTS and short


class ActionExtractContext(Action):
    def name(self) -> str:
        return "action_extract_context"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: dict[str, Any]) -> list[EventType]:
        text = latest_text(tracker)
        events: list[EventType] = []
        current = tracker.get_slot("language")
        detected = explicit_switch(text) or (
            None if _free_text_answer(tracker) else detect_language(text))
        if detected and detected != current:
            events.append(SlotSet("language", detected))
            with store() as session:
                set_language(session, tracker.sender_id, detected)
        # Outside the location form, only unambiguous mentions count (a bare
        # "hi" or "ok" must not become Hawaii or Oklahoma). A message that
        # interrupts ("im locked in a house in texas") must not be taken as the
        # answer to "which state?": the interruption has to win.
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        if intent in INTERRUPTING:
            return events
        if len(text.strip()) > 3 or any(c.isdigit() for c in text):
            state = content().lookup_state(text)
            if state is not None:
                events.append(SlotSet("location_state", state.code))
        return events
