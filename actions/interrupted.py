"""What happens to a form that an emergency, a person or "delete my data" interrupts.

The answers given so far are kept as an incomplete screening or tip (so an
advocate still sees them), and the form's slots are cleared so a new form
starts clean. One place for it, used by every interrupting action.
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType

from actions.common import store
from actions.screening import reset_events as reset_screening
from actions.screening import store_partial_screening
from actions.tips import reset_events as reset_tip
from actions.tips import save_partial_tip


def active_form(tracker: Tracker) -> str | None:
    return (tracker.active_loop or {}).get("name")


def keep_partial_answers(tracker: Tracker, *, emergency: bool = False) -> None:
    """Store the interrupted form's answers as incomplete (raises on store errors)."""
    active = active_form(tracker)
    if active == "screening_form":
        store_partial_screening(tracker, emergency=emergency)
    elif active == "tip_form":
        with store() as session:
            save_partial_tip(session, tracker)


def clear_form(tracker: Tracker) -> list[EventType]:
    """Slot events that empty the interrupted form."""
    active = active_form(tracker)
    if active == "screening_form":
        return reset_screening()
    if active == "tip_form":
        return reset_tip()
    return []
