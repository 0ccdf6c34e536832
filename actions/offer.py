"""A question asked while the screening's consent question is open.

Why: "Is it safe to start now? (Y/N)" is asked by a response, not a form, so a
question in reply ("do u report to immigration?") was answered and the offer was
then forgotten: the texter's next "yes" had nothing to say yes to. The answering
actions call `offer_again` and, when the offer was the bot's last question, ask it
again after the answer, the way a form asks its question again after an
interruption (data/rules/interruptions.yml).
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction

SCREENING_OFFER = "utter_offer_screening"
# Actions that run around every turn and say nothing of their own.
_SILENT = frozenset({"action_listen", "action_extract_context", "action_session_start",
                     "action_unlikely_intent"})


def last_bot_action(events: list[dict[str, Any]]) -> str | None:
    """The last action that spoke before the texter's latest message."""
    seen_user = False
    for event in reversed(events):
        kind = event.get("event")
        if kind == "user":
            if seen_user:
                return None  # two texts in a row with nothing said between them
            seen_user = True
        elif kind == "action" and seen_user and event.get("name") not in _SILENT:
            return event.get("name")
    return None


def offer_pending(tracker: Tracker) -> bool:
    """The screening was just offered and this message is not a yes or a no to it."""
    if (tracker.active_loop or {}).get("name"):
        return False
    return last_bot_action(tracker.events) == SCREENING_OFFER


def offer_again(tracker: Tracker) -> list[EventType]:
    """Ask the screening's consent question again after this answer, if it was open."""
    return [FollowupAction(SCREENING_OFFER)] if offer_pending(tracker) else []
