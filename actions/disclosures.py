"""Hear what the texter told us in their own words, before any question.

"They took my passport and I owe them for the trip" answers two screening
questions already. `action_hear_disclosure` (on get_help) says back what the
law says about it (data/content/disclosures.yml) and pre-fills those answers,
so the screening asks only the rest (the offer then says "a few more"). The
same hearing runs inside the screening (actions/screening.py), so a texter who
tells their story instead of answering Y/N is heard, not told "Sorry". The kinds
go into the `disclosed` slot; the stored result marks their HTCDS names as
"from the texter's words" for the advocate (bot/screening/disclosures.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import content, language, latest_text
from bot.content.render import disclosure_reply
from bot.screening.disclosures import Disclosure, find_disclosures, new_answers
from bot.screening.questions import QUESTION_IDS


def answers_so_far(tracker: Tracker) -> dict[str, Any]:
    """Screening answers already in the conversation (given or heard)."""
    return {q: tracker.get_slot(q) for q in QUESTION_IDS if tracker.get_slot(q)}


def heard(text: str, answered: Mapping[str, Any]) -> list[Disclosure]:
    """Disclosures in `text` that answer a screening question not answered yet."""
    return new_answers(find_disclosures(text), dict(answered))


def hear_events(found: list[Disclosure], tracker: Tracker,
                dispatcher: CollectingDispatcher) -> dict[str, Any]:
    """Say back what was heard and return the slots it fills (answers, disclosed, prefilled)."""
    reply = disclosure_reply(content(), [d.kind for d in found], language(tracker))
    if reply:
        dispatcher.utter_message(text=reply)
    kinds = list(tracker.get_slot("disclosed") or [])
    kinds += [d.kind for d in found if d.kind not in kinds]
    slots: dict[str, Any] = {d.question: d.answer for d in found}
    slots.update({"disclosed": kinds, "prefilled": True})
    return slots


class ActionHearDisclosure(Action):
    """On "I need help" and its stories: speak to what they said, pre-fill the screening."""

    def name(self) -> str:
        return "action_hear_disclosure"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: dict[str, Any]) -> list[EventType]:
        found = heard(latest_text(tracker), answers_so_far(tracker))
        if not found:
            return []
        return [SlotSet(slot, value)
                for slot, value in hear_events(found, tracker, dispatcher).items()]
