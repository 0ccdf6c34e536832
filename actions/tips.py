"""Anonymous public tips: what, where, when, minors, danger, consent to call back."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.answers import validate_yes_no
from actions.common import content, latest_text, store
from bot.handoff.queue import record_handoff
from bot.safety.emergency import is_emergency
from bot.screening.answers import parse_answer
from bot.store.records import record_tip

TIP_SLOTS = ["tip_what", "tip_where", "tip_when", "tip_minor", "tip_danger", "tip_contact"]
FREE_TEXT = ("tip_what", "tip_where", "tip_when")
SKIPPED = "skip"


def save_partial_tip(session: Session, tracker: Tracker) -> bool:
    """Save whatever the tipster already told us; returns whether anything was saved."""
    if not any(tracker.get_slot(s) for s in TIP_SLOTS):
        return False
    _save_tip(session, tracker, complete=False)
    return True


def _clean(value: Any) -> str | None:
    return None if value in (None, SKIPPED) else str(value)


def _handoff_details(minor: Any, danger: Any, contact: Any) -> dict[str, Any]:
    details: dict[str, Any] = {"minor": minor, "danger": danger}
    if contact in ("yes", "no"):  # the tipster already said whether we may text back
        details["contact_ok"] = contact == "yes"
    return details


def _save_tip(session: Session, tracker: Tracker, *, complete: bool) -> tuple[bool, bool]:
    minor = tracker.get_slot("tip_minor")
    danger = tracker.get_slot("tip_danger")
    where = _clean(tracker.get_slot("tip_where"))
    state = content().lookup_state(where) if where else None
    urgent = minor == "yes" or danger == "yes"
    record_tip(
        session, tracker.sender_id, complete=complete,
        what=_clean(tracker.get_slot("tip_what")), location=where,
        state_code=state.code if state else None, when_seen=_clean(tracker.get_slot("tip_when")),
        minor_involved=minor, danger=danger, contact_ok=tracker.get_slot("tip_contact") == "yes",
        urgent=urgent,
    )
    if urgent:
        record_handoff(session, tracker.sender_id, reason="tip",
                       priority="emergency" if danger == "yes" else "minor",
                       details=_handoff_details(minor, danger, tracker.get_slot("tip_contact")),
                       minor=minor == "yes")
    return urgent, danger == "yes"


def reset_events() -> list[EventType]:
    return [SlotSet(s, None) for s in TIP_SLOTS] + [SlotSet("answer_retries", 0)]


class ValidateTipForm(FormValidationAction):
    def name(self) -> str:
        return "validate_tip_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        """Keep the answer in the tip, and if it shows danger now, send the numbers too."""
        answered = any(s in tracker.slots_to_validate() for s in TIP_SLOTS)
        events = await super().run(dispatcher, tracker, domain)
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        if answered and (intent == "emergency" or is_emergency(latest_text(tracker))):
            dispatcher.utter_message(response="utter_emergency")
            with store() as session:
                record_handoff(session, tracker.sender_id, reason="tip", priority="emergency",
                               details={"during": "tip_form"})
        return events

    def _free_text(self, slot: str, value: Any) -> dict[str, Any]:
        text = str(value or "").strip()
        return {slot: SKIPPED if parse_answer(text) == "skip" else text[:1000]}

    def validate_tip_what(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                          domain: DomainDict) -> dict[str, Any]:
        return self._free_text("tip_what", value)

    def validate_tip_where(self, value: Any, dispatcher: CollectingDispatcher,
                           tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        return self._free_text("tip_where", value)

    def validate_tip_when(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                          domain: DomainDict) -> dict[str, Any]:
        return self._free_text("tip_when", value)

    def validate_tip_minor(self, value: Any, dispatcher: CollectingDispatcher,
                           tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        return validate_yes_no("tip_minor", value, dispatcher, tracker)

    def validate_tip_danger(self, value: Any, dispatcher: CollectingDispatcher,
                            tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        result = validate_yes_no("tip_danger", value, dispatcher, tracker)
        if result.get("tip_danger") == "yes":
            # Someone is in danger now: the numbers go out before anything else.
            dispatcher.utter_message(response="utter_emergency")
        return result

    def validate_tip_contact(self, value: Any, dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        return validate_yes_no("tip_contact", value, dispatcher, tracker)


class ActionSubmitTip(Action):
    def name(self) -> str:
        return "action_submit_tip"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: dict[str, Any]) -> list[EventType]:
        with store() as session:
            urgent, _danger = _save_tip(session, tracker, complete=True)
        dispatcher.utter_message(response="utter_tip_urgent" if urgent else "utter_tip_saved")
        return reset_events()


class ActionStopTip(Action):
    def name(self) -> str:
        return "action_stop_tip"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: dict[str, Any]) -> list[EventType]:
        with store() as session:
            save_partial_tip(session, tracker)
        dispatcher.utter_message(response="utter_tip_stopped")
        return reset_events()
