"""Screening form: ask, validate, score with bot.screening.rules, store, explain.

The rules live in one module (bot/screening/rules.py); this file only moves
answers between the conversation and that module.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answers import validate_yes_no
from actions.common import content, language, store
from actions.disclosures import hear_events, heard
from bot.content.render import handoff_message
from bot.handoff.queue import record_handoff
from bot.screening.answers import parse_answer
from bot.screening.disclosures import describe
from bot.screening.questions import QUESTIONS, required_questions
from bot.screening.rules import evaluate, to_record
from bot.store.records import record_screening

logger = logging.getLogger(__name__)

QUESTION_IDS = [q.id for q in QUESTIONS]


def screening_answers(tracker: Tracker) -> dict[str, str]:
    return {q: tracker.get_slot(q) for q in QUESTION_IDS if tracker.get_slot(q)}


def reset_events() -> list[EventType]:
    return [SlotSet(q, None) for q in QUESTION_IDS] + [
        SlotSet("answer_retries", 0), SlotSet("disclosed", None), SlotSet("prefilled", None)]


def from_texters_words(tracker: Tracker, answers: dict[str, str]) -> list[dict[str, Any]]:
    """What the texter told us in their own words and still stands, with HTCDS names."""
    out = []
    for kind in tracker.get_slot("disclosed") or []:
        found = describe(kind)
        if found is not None and answers.get(found.question) == found.answer:
            out.append({"kind": kind, "question": found.question, "htcds": found.htcds})
    return out


class ValidateScreeningForm(FormValidationAction):
    def name(self) -> str:
        return "validate_screening_form"

    async def required_slots(self, domain_slots: list[str], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> list[str]:
        return required_questions(screening_answers(tracker))



def validate_screening_answer(slot: str, value: Any, dispatcher: CollectingDispatcher,
                              tracker: Tracker) -> dict[str, Any]:
    """A yes/no answer, or the texter's own account (heard and pre-filled first).

    "They have my passport" in reply to any question answers the papers question
    (and whatever else it says); the question asked is then answered if the
    account or a leading yes/no covers it, else asked again without "Sorry".
    """
    text = str(value or "")
    answered = {q: tracker.get_slot(q) for q in QUESTION_IDS
                if q != slot and tracker.get_slot(q)}
    found = heard(text, answered)
    if not found:
        return validate_yes_no(slot, value, dispatcher, tracker)
    slots = hear_events(found, tracker, dispatcher)
    if slot not in slots:
        slots[slot] = parse_answer(text)  # None: the form asks this question again
    slots["answer_retries"] = 0
    return slots


def _yes_no_validator(slot: str):  # type: ignore[no-untyped-def]
    def validate(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                 domain: DomainDict) -> dict[str, Any]:
        return validate_screening_answer(slot, value, dispatcher, tracker)

    validate.__name__ = f"validate_{slot}"
    return validate


# rasa-sdk calls `validate_<slot>` for each extracted slot: one yes/no validator each.
for _slot in QUESTION_IDS:
    setattr(ValidateScreeningForm, f"validate_{_slot}", _yes_no_validator(_slot))


def _store_result(tracker: Tracker, complete: bool,
                  emergency: bool = False) -> dict[str, Any] | None:
    answers = screening_answers(tracker)
    if not answers:
        return None
    result = to_record(evaluate(answers, emergency=emergency))
    result["from_texters_words"] = from_texters_words(tracker, answers)
    with store() as session:
        record_screening(session, tracker.sender_id, answers, result, complete=complete)
        if result["triage"] in ("emergency", "high") or result["minor"]:
            priority = ("emergency" if result["triage"] == "emergency"
                        else "minor" if result["minor"] else "high")
            record_handoff(session, tracker.sender_id, reason="screening", priority=priority,
                           details={"triage": result["triage"],
                                    "indicators": list(result["indicators"])},
                           minor=bool(result["minor"]))
    return result


def store_partial_screening(tracker: Tracker, emergency: bool = False) -> None:
    """Keep the answers given so far when a screen is interrupted."""
    _store_result(tracker, complete=False, emergency=emergency)


class ActionSubmitScreening(Action):
    def name(self) -> str:
        return "action_submit_screening"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: dict[str, Any]) -> list[EventType]:
        result = _store_result(tracker, complete=True)
        if result is None:
            dispatcher.utter_message(response="utter_screening_stopped")
            return reset_events()
        escalated = result["triage"] in ("emergency", "high") or result["minor"]
        if result["minor"] and result["exploitation_type"] in ("sex", "both"):
            dispatcher.utter_message(response="utter_result_minor")
        elif result["minor"] and not result["indicators"]:
            dispatcher.utter_message(response="utter_result_minor_support")
        elif escalated:
            dispatcher.utter_message(response="utter_result_concern")
        elif result["triage"] == "medium":
            dispatcher.utter_message(response="utter_result_some")
        else:
            dispatcher.utter_message(response="utter_result_low")
        if escalated:
            dispatcher.utter_message(text=handoff_message(
                content(), language(tracker), urgent=result["triage"] == "emergency"))
        else:
            dispatcher.utter_message(response="utter_result_next")
        return reset_events()


class ActionStopScreening(Action):
    """Stop mid-screen: keep what was answered (as incomplete), say so, offer the menu."""

    def name(self) -> str:
        return "action_stop_screening"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: dict[str, Any]) -> list[EventType]:
        _store_result(tracker, complete=False)
        dispatcher.utter_message(response="utter_screening_stopped")
        return reset_events()


def keep_declined_screening(tracker: Tracker, dispatcher: CollectingDispatcher) -> None:
    """Store what the texter told us before declining; escalate as a finished screen would."""
    result = _store_result(tracker, complete=False)
    if result and (result["triage"] in ("emergency", "high") or result["minor"]):
        dispatcher.utter_message(text=handoff_message(
            content(), language(tracker), urgent=result["triage"] == "emergency"))


class ActionKeepDisclosures(Action):
    """The texter declined the questions: keep what they told us for the advocate.

    Stored as an incomplete screening (the advocate sees it, marked as the
    texter's words); when it shows a high risk or a minor, a person is asked to
    join, exactly as after a finished screening.
    """

    def name(self) -> str:
        return "action_keep_disclosures"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: dict[str, Any]) -> list[EventType]:
        if not tracker.get_slot("disclosed"):
            return []
        try:
            keep_declined_screening(tracker, dispatcher)
        except Exception:  # the texter already has their reply; the log says why
            logger.exception("could not keep disclosures for conversation=%s",
                             tracker.sender_id)
        return []
