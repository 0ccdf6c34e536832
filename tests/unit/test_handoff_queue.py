"""The advocate queue: ordering, transitions, minors, staffed hours and the unclaimed notice."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from bot.handoff import queue
from bot.handoff.queue import record_handoff
from bot.handoff.timeouts import sweep_unclaimed
from bot.messaging import inbox
from bot.staffed_hours import is_staffed, parse_hours
from bot.store.db import session_scope
from bot.store.models import Advocate, AuditEvent, Conversation, HandoffRequest, OutboundMessage
from tests.unit.outbox_support import SECRET

NOW = datetime(2026, 11, 30, 15, 0, tzinfo=timezone.utc)  # a Monday, 10:00 in New York


def texter(db_url: str, n: int, language: str = "en", channel: str = "twilio") -> str:
    accepted = inbox.accept(db_url, SECRET, channel=channel, provider_message_id=f"SM-q{n}",
                            address=f"+1555123{n:04d}", body="hi")
    with session_scope(db_url) as s:
        s.get(Conversation, accepted.conversation_id).language = language
    return accepted.conversation_id


def advocates(db_url: str, *roles: str) -> list[int]:
    with session_scope(db_url) as s:
        rows = [Advocate(username=f"{role}{i}", display_name=role, password_hash="x", role=role)
                for i, role in enumerate(roles)]
        s.add_all(rows)
        s.flush()
        return [r.id for r in rows]


def escalate(db_url: str, cid: str, priority: str = "normal", **kwargs) -> int:  # type: ignore[no-untyped-def]
    with session_scope(db_url) as s:
        return record_handoff(s, cid, reason="asked", priority=priority, **kwargs).id


def test_queue_order_is_priority_then_waiting_time(db_url) -> None:
    ids = {}
    for n, priority in enumerate(["normal", "high", "normal", "emergency", "minor"]):
        ids[n] = escalate(db_url, texter(db_url, n), priority)
    with session_scope(db_url) as s:
        order = [e.request_id for e in queue.waiting(s)]
    assert order == [ids[3], ids[4], ids[1], ids[0], ids[2]]


def test_a_second_escalation_raises_priority_instead_of_queueing_twice(db_url) -> None:
    cid = texter(db_url, 1)
    first = escalate(db_url, cid, "normal")
    again = escalate(db_url, cid, "emergency", minor=True)
    assert first == again
    with session_scope(db_url) as s:
        request = s.get(HandoffRequest, first)
        assert (request.priority, request.minor) == ("emergency", True)
        assert s.get(Conversation, cid).urgent is True


def test_claim_transfer_and_ownership(db_url) -> None:
    ana, ben, sup = advocates(db_url, "advocate", "advocate", "supervisor")
    request_id = escalate(db_url, texter(db_url, 1))
    with session_scope(db_url) as s:
        a, b = s.get(Advocate, ana), s.get(Advocate, ben)
        assert queue.claim(s, request_id, a) is True
        assert queue.claim(s, request_id, b) is False  # already taken
        with pytest.raises(queue.NotYours):
            queue.advocate_reply(s, request_id, b, "hello")
        with pytest.raises(queue.NotYours):
            queue.close(s, request_id, b, "other")
        queue.transfer(s, request_id, a, b)
        assert s.get(HandoffRequest, request_id).claimed_by == ben
        queue.advocate_reply(s, request_id, b, "  Hi, I am Ben.  ")
        queue.transfer(s, request_id, b, None)  # back to the queue
        request = s.get(HandoffRequest, request_id)
        assert (request.status, request.claimed_by) == ("open", None)
        assert s.get(Conversation, request.conversation_id).status == "queued"
    with session_scope(db_url) as s:
        reply = s.execute(select(OutboundMessage).where(OutboundMessage.author == "advocate")
                          ).scalar_one()
        assert (reply.body, reply.advocate_id, reply.status) == ("Hi, I am Ben.", ben, "queued")
        actions = list(s.execute(select(AuditEvent.action).order_by(AuditEvent.id)).scalars())
    assert actions == ["claim", "transfer", "reply", "transfer"]


def test_minor_case_needs_a_supervisor_acknowledgement_before_close(db_url) -> None:
    ana, sup = advocates(db_url, "advocate", "supervisor")
    request_id = escalate(db_url, texter(db_url, 1), "minor", minor=True)
    with session_scope(db_url) as s:
        a, boss = s.get(Advocate, ana), s.get(Advocate, sup)
        queue.claim(s, request_id, a)
        with pytest.raises(queue.QueueError, match="supervisor"):
            queue.close(s, request_id, a, "referred")
        with pytest.raises(queue.QueueError, match="supervisor"):
            queue.acknowledge_minor(s, request_id, a)
        queue.acknowledge_minor(s, request_id, boss)
        queue.close(s, request_id, a, "referred")
        request = s.get(HandoffRequest, request_id)
        assert (request.status, request.disposition) == ("closed", "referred")
        assert request.closed_by == ana
        assert s.get(Conversation, request.conversation_id).status == "bot"


def test_close_needs_a_known_disposition(db_url) -> None:
    (ana,) = advocates(db_url, "advocate")
    request_id = escalate(db_url, texter(db_url, 1))
    with session_scope(db_url) as s:
        queue.claim(s, request_id, s.get(Advocate, ana))
        with pytest.raises(queue.QueueError, match="disposition"):
            queue.close(s, request_id, s.get(Advocate, ana), "whatever")


def test_hand_back_queues_one_resume_line(db_url) -> None:
    (ana,) = advocates(db_url, "advocate")
    cid = texter(db_url, 1)
    request_id = escalate(db_url, cid)
    with session_scope(db_url) as s:
        queue.claim(s, request_id, s.get(Advocate, ana))
        queue.hand_back(s, request_id, s.get(Advocate, ana), "You are back with the helper.")
    with session_scope(db_url) as s:
        assert s.get(Conversation, cid).status == "bot"
        rows = s.execute(select(OutboundMessage.body, OutboundMessage.author)
                         .where(OutboundMessage.conversation_id == cid)).all()
    assert rows == [("You are back with the helper.", "bot")]


# ---- staffed hours -----------------------------------------------------------------------
def test_staffed_hours_parse_and_apply_in_the_hotline_time_zone() -> None:
    shifts = parse_hours("mon-fri 09:00-17:00, sat 10:00-14:00")
    ny = "America/New_York"
    assert is_staffed(shifts, NOW, ny)                                    # Mon 10:00
    assert not is_staffed(shifts, NOW + timedelta(hours=8), ny)           # Mon 18:00
    assert is_staffed(shifts, NOW + timedelta(days=5, hours=1), ny)       # Sat 11:00
    assert not is_staffed(shifts, NOW + timedelta(days=6), ny)            # Sun
    assert is_staffed((), NOW, ny)                                        # nothing set: always
    with pytest.raises(ValueError, match="can't read"):
        parse_hours("weekdays 9-5")
    with pytest.raises(ValueError, match="ends before"):
        parse_hours("mon 17:00-09:00")


# ---- nobody claimed it ---------------------------------------------------------------------
def sweep(db_url: str, now: datetime, hours: str = "") -> int:
    return sweep_unclaimed(db_url, now, unclaimed_after=timedelta(minutes=10),
                           shifts=parse_hours(hours), tz="America/New_York")


def created(db_url: str, request_id: int, at: datetime) -> None:
    with session_scope(db_url) as s:
        s.get(HandoffRequest, request_id).created_at = at


def outbound(db_url: str, cid: str) -> list[str]:
    with session_scope(db_url) as s:
        return list(s.execute(select(OutboundMessage.body)
                              .where(OutboundMessage.conversation_id == cid)).scalars())


def test_unclaimed_request_without_consent_closes_safely_with_the_247_number(db_url) -> None:
    cid = texter(db_url, 1, language="es")
    request_id = escalate(db_url, cid)
    created(db_url, request_id, NOW - timedelta(minutes=5))
    assert sweep(db_url, NOW) == 0                        # not yet
    created(db_url, request_id, NOW - timedelta(minutes=11))
    assert sweep(db_url, NOW) == 1
    assert sweep(db_url, NOW) == 0                        # never twice
    (notice,) = outbound(db_url, cid)
    assert "cerré la solicitud" in notice and "1-888-373-7888" in notice
    with session_scope(db_url) as s:
        assert s.get(HandoffRequest, request_id).status == "expired"
        assert s.get(Conversation, cid).status == "bot"


def test_unclaimed_request_with_consent_stays_queued_and_says_a_person_will_text(db_url) -> None:
    cid = texter(db_url, 1)
    request_id = escalate(db_url, cid, details={"contact_ok": True})
    created(db_url, request_id, NOW - timedelta(minutes=30))
    assert sweep(db_url, NOW) == 1
    (notice,) = outbound(db_url, cid)
    assert "will text you here when one is available" in notice
    with session_scope(db_url) as s:
        assert s.get(HandoffRequest, request_id).status == "open"


def test_outside_staffed_hours_the_texter_is_told_at_once(db_url) -> None:
    cid = texter(db_url, 1)
    request_id = escalate(db_url, cid)
    created(db_url, request_id, NOW + timedelta(hours=8))
    assert sweep(db_url, NOW + timedelta(hours=8, minutes=1), "mon-fri 09:00-17:00") == 1
    assert len(outbound(db_url, cid)) == 1


def test_claimed_requests_get_no_notice_and_web_chat_gets_it_by_polling(db_url) -> None:
    from bot.channels.webchat import pending_for
    from bot.store.contacts import contact_key

    (ana,) = advocates(db_url, "advocate")
    claimed = texter(db_url, 1)
    web = texter(db_url, 2, channel="webchat")
    claimed_id, web_id = escalate(db_url, claimed), escalate(db_url, web)
    with session_scope(db_url) as s:
        queue.claim(s, claimed_id, s.get(Advocate, ana))
    for rid in (claimed_id, web_id):
        created(db_url, rid, NOW - timedelta(hours=1))
    assert sweep(db_url, NOW) == 1          # only the open (web chat) request
    assert outbound(db_url, claimed) == []
    with session_scope(db_url) as s:
        assert s.get(HandoffRequest, web_id).status == "expired"
    key = contact_key(SECRET, "webchat", "+15551230002")
    (notice,) = pending_for(db_url, key)
    assert "no one from our team is free" in notice.lower()
    assert pending_for(db_url, key) == []   # handed over once
    assert pending_for(db_url, contact_key(SECRET, "webchat", "someone-else")) == []
