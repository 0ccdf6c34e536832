"""Presence and capacity: offers go to the available advocate with the most room, in
queue order; capacity refuses extra claims but never an emergency or a minor."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.handoff import queue, routing
from bot.store.db import session_scope
from bot.store.models import Advocate, AuditEvent, HandoffRequest
from tests.unit.test_handoff_queue import advocates, escalate, texter


def loads(db_url: str, default: int = 3) -> list[routing.AdvocateLoad]:
    with session_scope(db_url) as s:
        return routing.loads(s, default)


def test_offers_go_to_the_available_advocate_with_the_most_room(db_url) -> None:
    ana, ben, cat = advocates(db_url, "advocate", "advocate", "supervisor")
    held = escalate(db_url, texter(db_url, 1))
    with session_scope(db_url) as s:
        queue.claim(s, held, s.get(Advocate, ana))          # Ana holds 1 of 3
        s.get(Advocate, cat).available = False              # Cat is away
        s.get(Advocate, ben).max_conversations = 1          # Ben takes one at a time
    first = escalate(db_url, texter(db_url, 2), "emergency")
    second = escalate(db_url, texter(db_url, 3))
    third = escalate(db_url, texter(db_url, 4))
    with session_scope(db_url) as s:
        entries = queue.waiting(s)
    people = loads(db_url)
    assert [(p.name, p.available, p.load, p.capacity) for p in people] == [
        ("advocate", True, 1, 3), ("advocate", True, 0, 1), ("supervisor", False, 0, 3)]
    # Ana has 2 rooms left, Ben 1: the emergency to Ana (most room), then Ana and Ben tie at
    # 1 and Ben's lighter load wins, then Ana; nobody is offered more than their room.
    assert routing.offers(entries, people) == {first: ana, second: ben, third: ana}
    fourth = escalate(db_url, texter(db_url, 5))
    with session_scope(db_url) as s:
        assert fourth not in routing.offers(queue.waiting(s), people)   # no room anywhere
    assert people[0].label == "advocate (available, 1 of 3)"
    assert people[2].label == "supervisor (away, 0 of 3)"


def test_capacity_refuses_extra_claims_but_never_an_emergency_or_a_minor(db_url) -> None:
    (ana,) = advocates(db_url, "advocate")
    with session_scope(db_url) as s:
        s.get(Advocate, ana).max_conversations = 1
    first = escalate(db_url, texter(db_url, 1))
    extra = escalate(db_url, texter(db_url, 2))
    urgent = escalate(db_url, texter(db_url, 3), "emergency")
    minor = escalate(db_url, texter(db_url, 4), "high", minor=True)
    with session_scope(db_url) as s:
        me = s.get(Advocate, ana)
        routing.check_room(s, s.get(HandoffRequest, first), me, 3)
        queue.claim(s, first, me)
        with pytest.raises(routing.AtCapacity, match="maximum"):
            routing.check_room(s, s.get(HandoffRequest, extra), me, 3)
        for rid in (urgent, minor):
            routing.check_room(s, s.get(HandoffRequest, rid), me, 3)   # never refused


def test_presence_is_audited_once_per_change(db_url) -> None:
    (ana,) = advocates(db_url, "advocate")
    with session_scope(db_url) as s:
        me = s.get(Advocate, ana)
        routing.set_presence(s, me, False)
        routing.set_presence(s, me, False)
        routing.set_presence(s, me, True)
    with session_scope(db_url) as s:
        states = [e.details["state"] for e in s.execute(
            select(AuditEvent).where(AuditEvent.action == "presence")).scalars()]
    assert states == ["away", "available"]
