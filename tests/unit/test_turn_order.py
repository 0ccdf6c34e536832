"""A backlog from one sender reaches the assistant in inbox order, by construction."""

from __future__ import annotations

import asyncio
import random

from bot.messaging.turn_order import Turnstiles


def test_turns_enter_in_inbox_order_one_at_a_time() -> None:
    turnstiles = Turnstiles()
    entered: list[int] = []
    running = 0

    async def turn(inbound_id: int) -> None:
        nonlocal running
        async with turnstiles.turn("conv", inbound_id):
            running += 1
            assert running == 1  # never two turns of one conversation at once
            entered.append(inbound_id)
            await asyncio.sleep(random.random() / 1000)
            running -= 1

    async def scenario() -> None:
        await asyncio.gather(*(turn(i) for i in range(1, 301)))

    asyncio.run(scenario())
    assert entered == list(range(1, 301))
    assert turnstiles.waiting("conv") == []


def test_other_conversations_do_not_wait_and_a_cancelled_turn_frees_its_place() -> None:
    turnstiles = Turnstiles()
    order: list[str] = []

    async def scenario() -> None:
        gate = asyncio.Event()

        async def slow() -> None:
            async with turnstiles.turn("a", 1):
                await gate.wait()
                order.append("a1")

        async def waiter(cid: str, iid: int) -> None:
            async with turnstiles.turn(cid, iid):
                order.append(f"{cid}{iid}")

        first = asyncio.ensure_future(slow())
        await asyncio.sleep(0)
        cancelled = asyncio.ensure_future(waiter("a", 2))
        later = asyncio.ensure_future(waiter("a", 3))
        other = asyncio.ensure_future(waiter("b", 9))
        await asyncio.sleep(0.01)
        assert order == ["b9"]  # another conversation is not held up
        cancelled.cancel()
        gate.set()
        await asyncio.gather(first, later, other)
        assert order == ["b9", "a1", "a3"]

    asyncio.run(scenario())
    assert turnstiles.waiting("a") == []
