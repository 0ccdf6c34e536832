"""Helpers for the custom-action tests (trackers, events, store queries, dispatcher output)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from bot.store.db import session_scope
from bot.store.models import Conversation, HandoffRequest, ScreeningRecord, Tip

SENDER = "conv-0001"

SLOT_DEFAULTS: dict[str, Any] = {"language": "en", "answer_retries": 0, "rights_part": 0}


@dataclass
class Store:
    """Read-only helpers over the test database."""

    url: str

    def all(self, model: type) -> list[Any]:
        with session_scope(self.url) as session:
            return list(session.execute(select(model).order_by(model.id)).scalars())

    def handoffs(self) -> list[HandoffRequest]:
        return self.all(HandoffRequest)

    def screenings(self) -> list[ScreeningRecord]:
        return self.all(ScreeningRecord)

    def tips(self) -> list[Tip]:
        return self.all(Tip)

    def conversation(self, conversation_id: str = SENDER) -> Conversation | None:
        with session_scope(self.url) as session:
            return session.get(Conversation, conversation_id)

    def add_conversation(self, conversation_id: str = SENDER, **fields: Any) -> None:
        with session_scope(self.url) as session:
            session.add(Conversation(id=conversation_id, channel="webchat",
                                     contact_key=f"k:{conversation_id}", **fields))


def user_event(text: str, intent: str, confidence: float = 1.0) -> dict[str, Any]:
    return {
        "event": "user", "timestamp": time.time(), "text": text,
        "parse_data": {"text": text, "intent": {"name": intent, "confidence": confidence},
                       "entities": []},
        "input_channel": "webchat",
    }


def bot_event(response: str) -> dict[str, Any]:
    return {"event": "bot", "timestamp": time.time(), "text": None,
            "metadata": {"utter_action": response}}


def action_event(name: str) -> dict[str, Any]:
    return {"event": "action", "timestamp": time.time(), "name": name,
            "policy": None, "confidence": None}


def slot_event(name: str, value: Any) -> dict[str, Any]:
    return {"event": "slot", "timestamp": time.time(), "name": name, "value": value}


MakeTracker = Callable[..., Tracker]


def build_tracker(
    text: str = "",
    intent: str = "nlu_fallback",
    *,
    slots: dict[str, Any] | None = None,
    history: list[dict[str, Any]] | None = None,
    active_loop: str | None = None,
    candidates: dict[str, Any] | None = None,
    sender_id: str = SENDER,
    confidence: float = 1.0,
) -> Tracker:
    """A tracker as the Rasa server sends it to the action server.

    `history` are the events before this turn; this turn's user message is
    appended, then `candidates` as SlotSet events (what a form hands to its
    validation action). Candidate values are also in `slots`, as in Rasa.
    """
    all_slots = {**SLOT_DEFAULTS, **(slots or {})}
    events = [action_event("action_session_start"), {"event": "session_started",
                                                      "timestamp": time.time()},
              action_event("action_listen"), *(history or [])]
    events.append(user_event(text, intent, confidence))
    if active_loop:
        events.append(action_event(active_loop))
    for name, value in (candidates or {}).items():
        events.append(slot_event(name, value))
        all_slots[name] = value
    latest = {"text": text, "intent": {"name": intent, "confidence": confidence},
              "entities": [], "intent_ranking": [{"name": intent, "confidence": confidence}]}
    return Tracker(
        sender_id, all_slots, latest, events, paused=False, followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


def responses(dispatcher: CollectingDispatcher) -> list[str | None]:
    return [m.get("response") for m in dispatcher.messages]


def texts(dispatcher: CollectingDispatcher) -> list[str]:
    return [m["text"] for m in dispatcher.messages if m.get("text")]


def slot_sets(events: list[dict[str, Any]]) -> dict[str, Any]:
    """SlotSet events as {slot: value} (last one wins, as in Rasa)."""
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
