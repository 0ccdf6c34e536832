"""Erase a conversation whose texter asked for it while a person had their case.

"Delete my data" during an active handoff can't erase at once: the advocate
may still be reading or replying. The request is flagged instead
(bot/privacy.py request_deletion), the texter is told it will be erased when
the case closes, and this sweep keeps that promise: once the request is no
longer active (closed, handed back, left, expired) and nothing is left to send
to the texter, the conversation and its tracker events are erased. The audit
log records the erasure (ids only).
"""

from __future__ import annotations

import logging

from sqlalchemy import exists, select

from bot.privacy import delete_tracker_events, erase_conversation
from bot.store.audit import SYSTEM, record_event
from bot.store.db import session_scope
from bot.store.models import HandoffRequest, OutboundMessage
from bot.store.statuses import HANDOFF_ACTIVE, HANDOFF_ENDED, OUTBOUND_PENDING

logger = logging.getLogger(__name__)

ENDED = HANDOFF_ENDED
UNSENT = OUTBOUND_PENDING


def erase_requested(db_url: str, tracker_url: str) -> int:
    """Erase every conversation whose deletion is due; returns how many were erased."""
    with session_scope(db_url) as session:
        due = sorted(set(session.execute(
            select(HandoffRequest.conversation_id).where(
                HandoffRequest.deletion_requested_at.isnot(None),
                HandoffRequest.status.in_(ENDED),
                ~exists().where(OutboundMessage.conversation_id == HandoffRequest.conversation_id,
                                OutboundMessage.status.in_(UNSENT)))
        ).scalars()))
    erased = 0
    for conversation_id in due:
        with session_scope(db_url) as session:
            active = session.execute(
                select(HandoffRequest.id).where(HandoffRequest.conversation_id == conversation_id,
                                                HandoffRequest.status.in_(HANDOFF_ACTIVE))
            ).first()
            if active:  # escalated again meanwhile: wait for that case to end too
                continue
            counts = erase_conversation(session, conversation_id)
            record_event(session, "erase", actor=SYSTEM, conversation_id=conversation_id,
                         reason="texter_request", rows=sum(counts.values()))
        try:
            delete_tracker_events(tracker_url, conversation_id)
        except Exception:
            logger.exception("could not delete tracker events of erased conversation=%s",
                             conversation_id)
        logger.info("erased conversation=%s at the texter's request, after the case ended",
                    conversation_id)
        erased += 1
    return erased
