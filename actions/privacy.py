"""Delete my data: erase the texter's conversation, or pass the request to their advocate.

DELETE / BORRAR (or "delete my data") asks for confirmation first
(data/rules/privacy.yml); only a confirmed request reaches `action_delete_my_data`.

- With an active handoff request (an advocate case), nothing is deleted yet: the
  advocate may be acting on it. The request gets `deletion_requested_at`, the
  console shows it, the texter is told the data is erased when the case closes,
  and bot/handoff/erasure.py keeps that promise once the case has ended.
- Otherwise the conversation's rows are deleted from the project database
  (inbound and outbound messages, screenings, tips, closed handoff requests and
  the conversation itself, `bot.privacy.erase_conversation`) and its events
  from Rasa's tracker store (`HOTLINE_TRACKER_DB`). One neutral line is said
  and the dialogue restarts. Rasa saves this turn's events again after the
  action returns, so the router (bot/messaging/router.py) deletes the tracker
  events once more when the turn is over, and delivers the reply to the
  address it read before the turn.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, Restarted
from rasa_sdk.executor import CollectingDispatcher

from actions.common import settings, store
from actions.interrupted import clear_form, keep_partial_answers
from bot.handoff.queue import active_request
from bot.privacy import (
    delete_tracker_events,
    erase_conversation,
    request_deletion,
)

logger = logging.getLogger(__name__)


class ActionDeleteMyData(Action):
    def name(self) -> str:
        return "action_delete_my_data"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: dict[str, Any]) -> list[EventType]:
        conversation_id = tracker.sender_id
        try:
            with store() as session:
                case = active_request(session, conversation_id)
                if case is not None:
                    request_deletion(case, datetime.now(timezone.utc))
                    counts = None
                else:
                    counts = erase_conversation(session, conversation_id)
        except Exception:
            logger.exception("could not erase conversation=%s", conversation_id)
            dispatcher.utter_message(response="utter_delete_failed")
            return []
        if counts is None:
            logger.info("deletion requested for conversation=%s with an open case; "
                        "left to the advocate", conversation_id)
            dispatcher.utter_message(response="utter_delete_pending_case")
            return []
        try:
            events = delete_tracker_events(settings().tracker_url, conversation_id)
        except Exception:  # the router deletes them again after this turn
            logger.exception("could not delete tracker events of conversation=%s",
                             conversation_id)
            events = 0
        logger.info("erased conversation=%s at the texter's request (rows=%d, events=%d)",
                    conversation_id, sum(counts.values()), events)
        dispatcher.utter_message(response="utter_data_deleted")
        return [Restarted()]


class ActionLeaveForm(Action):
    """Leave a form for "delete my data": keep partial answers (as STOP does), silently.

    If the texter then confirms, these are erased with the rest; if not, they
    are kept as an incomplete screening or tip, exactly as after STOP.
    """

    def name(self) -> str:
        return "action_leave_form"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: dict[str, Any]) -> list[EventType]:
        try:
            keep_partial_answers(tracker)
        except Exception:
            logger.exception("could not keep partial answers of conversation=%s",
                             tracker.sender_id)
        return clear_form(tracker)
