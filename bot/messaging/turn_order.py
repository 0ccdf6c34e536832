"""Per-conversation turn order by construction: a turnstile per conversation.

Every inbox row of a conversation that this process handles takes its place in
the conversation's queue as soon as its processing starts, before any await,
and enters only when it is the oldest row (lowest inbox id) waiting and no
other turn of that conversation runs. So a backlog (1,000 SMS from one
sender in seconds) reaches the assistant in inbox order, with no polling, and
waiting turns cost nothing but a queue entry.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
from collections.abc import AsyncIterator
from dataclasses import dataclass, field


@dataclass
class _Queue:
    waiting: list[int] = field(default_factory=list)  # heap of inbox ids
    busy: bool = False
    changed: asyncio.Condition = field(default_factory=asyncio.Condition)


class Turnstiles:
    def __init__(self) -> None:
        self._queues: dict[str, _Queue] = {}

    def waiting(self, conversation_id: str) -> list[int]:
        queue = self._queues.get(conversation_id)
        return sorted(queue.waiting) if queue else []

    @contextlib.asynccontextmanager
    async def turn(self, conversation_id: str, inbound_id: int) -> AsyncIterator[None]:
        """Hold the conversation for this row; rows enter in inbox-id order."""
        queue = self._queues.setdefault(conversation_id, _Queue())
        heapq.heappush(queue.waiting, inbound_id)  # synchronously: the place is taken now
        entered = False
        try:
            async with queue.changed:
                await queue.changed.wait_for(
                    lambda: not queue.busy and queue.waiting[0] == inbound_id)
                queue.busy = entered = True
            yield
        finally:
            async with queue.changed:
                queue.waiting.remove(inbound_id)
                heapq.heapify(queue.waiting)
                if entered:
                    queue.busy = False
                queue.changed.notify_all()
                if not queue.waiting and not queue.busy:
                    self._queues.pop(conversation_id, None)
