"""Presence and capacity: who is available, how much room they have, who gets offered what.

An advocate is available or away (`Advocate.available`) and holds at most
`max_conversations` conversations at once (None: the console's
HOTLINE_CONSOLE_MAX_CONVERSATIONS). Each open request is *offered* to the
available advocate with the most room, in queue order (most urgent first), one
unit of room per offer; it stays visible to everyone and anyone may claim it.
Offers are computed when the queue is read, so they follow presence changes at
once and need no state of their own.

Capacity stops an advocate claiming more than their maximum, except an
emergency or a minor's request: those are never refused for lack of room.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.handoff.queue import QueueEntry, QueueError, is_urgent
from bot.store.audit import record_event
from bot.store.models import Advocate, HandoffRequest
from bot.store.statuses import HandoffStatus


class AtCapacity(QueueError):
    """The advocate already holds their maximum of conversations."""


@dataclass(frozen=True)
class AdvocateLoad:
    advocate_id: int
    name: str
    available: bool
    load: int
    capacity: int

    @property
    def room(self) -> int:
        return max(0, self.capacity - self.load)

    @property
    def label(self) -> str:
        """"Ben (available, 1 of 3)": what the transfer list shows."""
        state = "available" if self.available else "away"
        return f"{self.name} ({state}, {self.load} of {self.capacity})"


def capacity_of(advocate: Advocate, default: int) -> int:
    return advocate.max_conversations if advocate.max_conversations else default


def held_by(session: Session, advocate_id: int) -> int:
    """How many conversations this advocate holds now."""
    return session.execute(select(func.count(HandoffRequest.id)).where(
        HandoffRequest.claimed_by == advocate_id,
        HandoffRequest.status == HandoffStatus.CLAIMED)).scalar_one()


def loads(session: Session, default_capacity: int) -> list[AdvocateLoad]:
    """Every active account with its presence, load and capacity (by name)."""
    counts = dict(session.execute(
        select(HandoffRequest.claimed_by, func.count(HandoffRequest.id))
        .where(HandoffRequest.status == HandoffStatus.CLAIMED)
        .group_by(HandoffRequest.claimed_by)).all())
    people = session.execute(select(Advocate).where(Advocate.active.is_(True))
                             .order_by(Advocate.display_name, Advocate.id)).scalars().all()
    return [AdvocateLoad(a.id, a.display_name, bool(a.available), counts.get(a.id, 0),
                         capacity_of(a, default_capacity)) for a in people]


def offers(entries: Iterable[QueueEntry], people: Iterable[AdvocateLoad]) -> dict[int, int]:
    """request id -> the advocate it is offered to, for open requests, in queue order.

    Each goes to the available advocate with the most room left (ties: the
    lighter load, then the name); an advocate with no room left is offered none.
    """
    room = {p.advocate_id: p.room for p in people if p.available}
    order = {p.advocate_id: (p.load, p.name) for p in people}
    offered: dict[int, int] = {}
    for entry in entries:
        if entry.status != HandoffStatus.OPEN:
            continue
        candidates = [a for a, r in room.items() if r > 0]
        if not candidates:
            break
        best = min(candidates, key=lambda a: (-room[a], order[a]))
        offered[entry.request_id] = best
        room[best] -= 1
    return offered


def check_room(session: Session, request: HandoffRequest, advocate: Advocate,
               default_capacity: int) -> None:
    """Refuse a claim beyond the advocate's maximum (never for an emergency or a minor)."""
    if is_urgent(request):
        return
    capacity = capacity_of(advocate, default_capacity)
    if held_by(session, advocate.id) >= capacity:
        raise AtCapacity(f"you already hold {capacity} conversations, your maximum; "
                         "close or transfer one first (emergencies and minors are never refused)")


def set_presence(session: Session, advocate: Advocate, available: bool) -> None:
    """Available for new conversations, or away (audited "presence")."""
    row = session.get(Advocate, advocate.id)
    if bool(row.available) == available:
        return
    row.available = available
    record_event(session, "presence", advocate=advocate,
                 state="available" if available else "away")
