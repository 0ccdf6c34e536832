"""Queue rules for a real shift: urgent requests never expire, every lost chance is on the
missed list, leaving is real, and a deactivated account's conversations go back."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.console import accounts
from bot.handoff import missed, queue
from bot.store.db import session_scope
from bot.store.models import Advocate, AuditEvent, Conversation, HandoffRequest, OutboundMessage
from tests.unit.test_handoff_queue import (
    NOW,
    advocates,
    created,
    escalate,
    outbound,
    sweep,
    texter,
)


def request(db_url: str, request_id: int) -> HandoffRequest:
    with session_scope(db_url) as s:
        row = s.get(HandoffRequest, request_id)
        s.expunge(row)
        return row


def audit(db_url: str, action: str) -> list[dict]:
    with session_scope(db_url) as s:
        return [e.details or {} for e in s.execute(
            select(AuditEvent).where(AuditEvent.action == action)).scalars()]


@pytest.mark.parametrize("priority,minor", [("emergency", False), ("minor", True),
                                            ("high", True)])
def test_an_unclaimed_emergency_or_minor_escalates_and_never_closes(db_url, priority,
                                                                     minor) -> None:
    cid = texter(db_url, 1, language="es")
    request_id = escalate(db_url, cid, priority, minor=minor)
    created(db_url, request_id, NOW - timedelta(minutes=11))
    assert sweep(db_url, NOW) == 1
    for later in (1, 60, 24 * 60):            # a day later it is still waiting for a person
        sweep(db_url, NOW + timedelta(minutes=later))
    row = request(db_url, request_id)
    assert row.status == "open" and row.escalated_at is not None and row.missed_at is None
    (notice,) = outbound(db_url, cid)          # told once, honestly, with the 24/7 numbers
    assert "Se avisó a todo el equipo" in notice and "1-888-373-7888" in notice
    assert "cerré" not in notice
    assert [e["request_id"] for e in audit(db_url, "escalated")] == [request_id]
    with session_scope(db_url) as s:
        (entry,) = queue.waiting(s)
        assert entry.escalated is True
        assert s.get(Conversation, cid).status == "queued"
        with pytest.raises(queue.QueueError, match="never expires"):
            queue.expire(s, s.get(HandoffRequest, request_id))


def test_a_request_raised_to_emergency_after_its_notice_escalates_too(db_url) -> None:
    cid = texter(db_url, 1)
    request_id = escalate(db_url, cid, details={"contact_ok": True})
    created(db_url, request_id, NOW - timedelta(minutes=11))
    assert sweep(db_url, NOW) == 1             # "a person will text you when free"
    assert request(db_url, request_id).escalated_at is None
    escalate(db_url, cid, "emergency")          # danger words while waiting
    sweep(db_url, NOW + timedelta(seconds=5))
    row = request(db_url, request_id)
    assert (row.status, row.priority) == ("open", "emergency") and row.escalated_at


def test_a_claimed_emergency_is_not_escalated(db_url) -> None:
    (ana,) = advocates(db_url, "advocate")
    request_id = escalate(db_url, texter(db_url, 1), "emergency")
    with session_scope(db_url) as s:
        queue.claim(s, request_id, s.get(Advocate, ana))
    created(db_url, request_id, NOW - timedelta(hours=1))
    assert sweep(db_url, NOW) == 0
    assert request(db_url, request_id).escalated_at is None


def test_an_expired_request_lands_on_the_missed_list_with_its_reason(db_url) -> None:
    (sup,) = advocates(db_url, "supervisor")
    cid = texter(db_url, 1)
    request_id = escalate(db_url, cid)
    created(db_url, request_id, NOW - timedelta(minutes=11))
    assert sweep(db_url, NOW) == 1
    with session_scope(db_url) as s:
        (entry,) = missed.missed(s)
        assert (entry.request_id, entry.missed_reason) == (request_id, "expired")
        missed.follow_up(s, request_id, s.get(Advocate, sup))
        assert missed.missed(s) == []
        assert len(missed.missed(s, include_followed_up=True)) == 1
    assert audit(db_url, "missed") == [{"request_id": request_id, "reason": "expired",
                                         "priority": "normal"}]
    assert [e["request_id"] for e in audit(db_url, "missed_followed_up")] == [request_id]


def test_only_a_supervisor_records_a_follow_up(db_url) -> None:
    (ana,) = advocates(db_url, "advocate")
    request_id = escalate(db_url, texter(db_url, 1))
    with session_scope(db_url) as s:
        queue.leave(s, s.get(HandoffRequest, request_id).conversation_id, "texter_left")
        with pytest.raises(queue.QueueError, match="supervisor"):
            missed.follow_up(s, request_id, s.get(Advocate, ana))


@pytest.mark.parametrize("why", ["texter_left", "quick_exit"])
def test_a_texter_who_leaves_lands_on_the_missed_list(db_url, why) -> None:
    cid = texter(db_url, 1)
    request_id = escalate(db_url, cid, "emergency")
    with session_scope(db_url) as s:
        queue.leave(s, cid, why)
    row = request(db_url, request_id)
    assert (row.status, row.missed_reason, row.disposition) == ("left", why, why)
    with session_scope(db_url) as s:
        assert s.get(Conversation, cid).status == "bot"
        assert [e.request_id for e in missed.missed(s)] == [request_id]
    with pytest.raises(ValueError), session_scope(db_url) as s:
        queue.leave(s, texter(db_url, 2), "bored")  # reasons are an enum
    with session_scope(db_url) as s:  # nothing active: nothing to leave
        assert queue.leave(s, cid, "texter_left") is None


def test_deactivating_an_advocate_returns_their_conversations_at_their_priority(db_url) -> None:
    ana, ben, admin = advocates(db_url, "advocate", "advocate", "admin")
    urgent = escalate(db_url, texter(db_url, 1), "emergency")
    normal = escalate(db_url, texter(db_url, 2))
    bens = escalate(db_url, texter(db_url, 3), "high")
    with session_scope(db_url) as s:
        queue.claim(s, urgent, s.get(Advocate, ana))
        queue.claim(s, normal, s.get(Advocate, ana))
        queue.claim(s, bens, s.get(Advocate, ben))
    with session_scope(db_url) as s:
        accounts.deactivate(s, s.get(Advocate, ana), by=accounts.Actor(s.get(Advocate, admin)))
    with session_scope(db_url) as s:
        order = [(e.request_id, e.status, e.priority, e.claimed_by) for e in queue.waiting(s)]
        assert order == [(urgent, "open", "emergency", None), (bens, "claimed", "high", ben),
                         (normal, "open", "normal", None)]
        for rid in (urgent, normal):
            cid = s.get(HandoffRequest, rid).conversation_id
            assert s.get(Conversation, cid).status == "queued"
        returned = s.execute(select(AuditEvent).where(
            AuditEvent.action == "returned_to_queue")).scalars().all()
        assert sorted(e.details["request_id"] for e in returned) == sorted([urgent, normal])
        assert {e.actor for e in returned} == {"admin2"}
        (off,) = audit(db_url, "account_deactivated")
        assert off["returned"] == 2


def test_the_leave_button_ends_the_conversation_like_exit(db_url) -> None:
    """The router's texter_left: queued sends cancelled, request left, on the missed list."""
    import asyncio

    from bot.messaging.router import Router

    cid = texter(db_url, 1, channel="webchat")
    request_id = escalate(db_url, cid)
    with session_scope(db_url) as s:
        queue.queue_text(s, s.get(Conversation, cid), "a late line", author="bot")
    router = Router(db_url, None, delivered_inline=True)  # type: ignore[arg-type]
    asyncio.run(router.texter_left(cid))
    row = request(db_url, request_id)
    assert (row.status, row.missed_reason) == ("left", "texter_left")
    with session_scope(db_url) as s:
        statuses = list(s.execute(select(OutboundMessage.status).where(
            OutboundMessage.conversation_id == cid)).scalars())
    assert statuses == ["cancelled"]


def test_a_request_put_back_in_the_queue_restarts_its_unclaimed_window(db_url) -> None:
    """The texter was talking to a person: they are not told "nobody is free" at once."""
    from datetime import datetime, timezone

    ana, admin = advocates(db_url, "advocate", "admin")
    cid = texter(db_url, 1)
    request_id = escalate(db_url, cid)
    created(db_url, request_id, NOW - timedelta(hours=2))
    with session_scope(db_url) as s:
        queue.claim(s, request_id, s.get(Advocate, ana))
        accounts.deactivate(s, s.get(Advocate, ana), by=accounts.Actor(s.get(Advocate, admin)))
    with session_scope(db_url) as s:
        back = s.get(HandoffRequest, request_id).requeued_at
    back = back if back.tzinfo else back.replace(tzinfo=timezone.utc)
    assert sweep(db_url, back + timedelta(minutes=5)) == 0          # window restarted
    assert request(db_url, request_id).status == "open" and outbound(db_url, cid) == []
    assert sweep(db_url, back + timedelta(minutes=11)) == 1          # then the usual rules
    assert request(db_url, request_id).missed_reason == "expired"
    assert isinstance(back, datetime)
