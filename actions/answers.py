"""Validate yes / no / not-sure answers typed in SMS style, for any form.

An unrecognised answer gets a hint and the question again; the second miss
moves on (recorded as skipped), so the texter never sees a question three times.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.screening.answers import parse_answer

MAX_RETRIES = 1


def validate_yes_no(
    slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
) -> dict[str, Any]:
    answer = parse_answer(str(value)) if value is not None else None
    if answer is not None:
        return {slot: answer, "answer_retries": 0}
    retries = int(tracker.get_slot("answer_retries") or 0)
    if retries >= MAX_RETRIES:
        dispatcher.utter_message(response="utter_moving_on")
        return {slot: "skip", "answer_retries": 0}
    dispatcher.utter_message(response="utter_answer_hint")
    return {slot: None, "answer_retries": retries + 1}
