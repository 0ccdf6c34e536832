"""Run N simulated texters against one driver for a while, like people would text:
a short conversation, each message only after the replies to the previous one."""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from bench.conversations import script_for
from bench.drivers import Turn
from bench.stats import rate, summary


class Driver(Protocol):
    name: str

    def new_address(self) -> str: ...

    async def turn(self, address: str, body: str, script: str) -> Turn: ...


@dataclass
class Phase:
    """Everything measured while one driver was under load."""

    name: str
    texters: int
    duration: float
    warmup: float
    turns: list[Turn] = field(default_factory=list)
    memory: dict[str, list[float]] = field(default_factory=dict)  # MiB samples per process
    memory_times: list[float] = field(default_factory=list)
    elapsed: float = 0.0
    cpu_seconds: dict[str, float] = field(default_factory=dict)  # user + system, per process
    cpu_window: float = 0.0  # seconds over which cpu_seconds were counted

    def window(self) -> list[Turn]:
        """Turns sent after the warm-up (the sustained part)."""
        return [t for t in self.turns if self.warmup <= t.sent_at < self.duration]

    def summary(self) -> dict[str, Any]:
        window = self.window()
        done = [t for t in window if t.complete]
        seconds = self.duration - self.warmup
        return {
            "texters": self.texters,
            "duration_s": self.duration,
            "warmup_s": self.warmup,
            "messages_sent": len(self.turns),
            "messages_in_window": len(window),
            "errors": sum(1 for t in self.turns if t.error),
            "error_kinds": sorted({t.error for t in self.turns if t.error}),
            "inbound_per_s": rate(len(window), seconds),
            "replies_per_s": rate(sum(t.replies for t in done), seconds),
            "ack_latency_s": summary([t.ack for t in window if t.ack is not None]),
            "first_reply_latency_s": summary([t.first_reply for t in done]),
            "e2e_latency_s": summary([t.last_reply for t in done]),
            "memory_mib": {role: {"start": s[0], "peak": max(s), "end": s[-1],
                                  "growth": s[-1] - s[0],
                                  "growth_after_warmup": s[-1] - self._at_warmup(s)}
                           for role, s in self.memory.items() if s},
            # CPU time each process used during the phase, and as % of one core.
            "cpu": {role: {"seconds": round(sec, 2),
                           "pct_of_one_core": round(100 * sec / self.cpu_window, 1)
                           if self.cpu_window else None}
                    for role, sec in self.cpu_seconds.items()},
        }

    def _at_warmup(self, series: list[float]) -> float:
        """The first memory sample taken after the warm-up."""
        for at, value in zip(self.memory_times, series, strict=False):
            if at >= self.warmup:
                return value
        return series[-1]


async def _texter(index: int, driver: Driver, phase: Phase, t0: float, think: float,
                  seed: int) -> None:
    rng = random.Random(seed * 1000 + index)  # same pauses in every phase of a run
    await asyncio.sleep(rng.uniform(0, 2 * think))  # people do not all start at once
    round_ = 0
    while time.monotonic() - t0 < phase.duration:
        script = script_for(index, round_)
        address = driver.new_address()
        for body in script.messages:
            if time.monotonic() - t0 >= phase.duration:
                break
            turn = await driver.turn(address, body, script.name)
            phase.turns.append(turn)
            if turn.error:
                await asyncio.sleep(think)  # give up on this conversation
                break
            await asyncio.sleep(rng.uniform(0.5, 1.5) * think)  # reading and typing
        round_ += 1


async def _sample_memory(phase: Phase, read: Callable[[], dict[str, float]], t0: float,
                         every: float) -> None:
    while True:
        phase.memory_times.append(time.monotonic() - t0)
        for role, mib in read().items():
            phase.memory.setdefault(role, []).append(mib)
        await asyncio.sleep(every)


async def run_phase(name: str, driver: Driver, *, texters: int, duration: float,
                    think: float, seed: int, t0: float,
                    read_memory: Callable[[], dict[str, float]],
                    memory_every: float = 5.0, warmup: float | None = None,
                    read_cpu: Callable[[], dict[str, float]] | None = None) -> Phase:
    """Drive `texters` concurrent conversations for `duration` seconds; in-flight turns
    are finished (up to the turn timeout) before returning."""
    phase = Phase(name, texters, duration,
                  warmup=min(10.0, duration / 10) if warmup is None else warmup)
    cpu_before = read_cpu() if read_cpu else {}
    started = time.monotonic()
    sampler = asyncio.create_task(_sample_memory(phase, read_memory, t0, memory_every))
    try:
        await asyncio.gather(*(_texter(i, driver, phase, t0, think, seed)
                               for i in range(texters)))
    finally:
        phase.memory_times.append(time.monotonic() - t0)
        for role, mib in read_memory().items():
            phase.memory.setdefault(role, []).append(mib)
        sampler.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await sampler
    phase.elapsed = time.monotonic() - t0
    if read_cpu:
        cpu_after, seconds = read_cpu(), time.monotonic() - started
        phase.cpu_seconds = {role: cpu_after[role] - cpu_before.get(role, 0.0)
                             for role in cpu_after}
        phase.cpu_window = seconds
    phase.turns.sort(key=lambda t: t.sent_at)
    return phase
