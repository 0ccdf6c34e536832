"""Two advocates claim the same conversation at the same moment: exactly one wins.

Runs against whatever database the `db_url` fixture gives (SQLite here; PostgreSQL
when the suite is pointed at it), with separate connections per claimant: threads
with their own sessions, and separate processes with their own engines. The HTTP
variant lives in test_queue_views.py.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from bot.handoff.queue import claim
from bot.store.crypto import Keyring, set_keyring
from bot.store.db import make_engine, session_scope
from bot.store.models import Advocate, AuditEvent, Conversation, HandoffRequest
from tests.conftest import TEST_DATA_KEY
from tests.unit.console.seed import T0, add_advocate, escalated_conversation

ROUNDS = 12


@pytest.fixture(autouse=True)
def _pinned_keys() -> Iterator[None]:
    """The seeding process and the claimants read the same data key.

    Without it each resolves its own (an earlier test's settings in this process, the
    repository's var/data.keys in a spawned one): found when the suite ran on two workers.
    """
    set_keyring(Keyring([TEST_DATA_KEY]))
    yield
    set_keyring(None)


def _claim_in_own_engine(db_url: str, request_id: int, advocate_id: int,
                         barrier: threading.Barrier | None) -> bool:
    """One claimant: its own engine (own connection pool), like another server process."""
    from sqlalchemy.orm import Session

    engine = make_engine(db_url)
    try:
        with Session(engine, future=True) as session:
            advocate = session.get(Advocate, advocate_id)
            if barrier is not None:
                barrier.wait(timeout=30)
            won = claim(session, request_id, advocate)
            session.commit()
            return won
    finally:
        engine.dispose()


def _process_main(db_url: str, request_ids: list[int], advocate_id: int,
                  start: multiprocessing.synchronize.Event, out: multiprocessing.Queue) -> None:
    set_keyring(Keyring([TEST_DATA_KEY]))  # a spawned process starts with none pinned
    start.wait(timeout=60)
    out.put((advocate_id, [_claim_in_own_engine(db_url, r, advocate_id, None)
                           for r in request_ids]))


def _check_one_winner_each(db_url: str, winners: dict[int, set[int]], ids: dict[int, str]) -> None:
    assert all(len(w) == 1 for w in winners.values()), winners
    with session_scope(db_url) as s:
        for request_id, (winner,) in winners.items():
            request = s.get(HandoffRequest, request_id)
            assert (request.status, request.claimed_by) == ("claimed", winner)
            assert s.get(Conversation, request.conversation_id).status == "advocate"
            claims = s.execute(select(func.count()).select_from(AuditEvent).where(
                AuditEvent.action == "claim",
                AuditEvent.conversation_id == ids[request_id])).scalar_one()
            assert claims == 1  # the loser's attempt leaves no trace of a claim


def _seed(db_url: str, n: int) -> dict[int, str]:
    ids = {}
    for i in range(n):
        seeded = escalated_conversation(db_url, address=f"+1555000{i:04d}", key=f"race-{i}",
                                        created_at=T0)
        ids[seeded.request_id] = seeded.conversation_id
    return ids


def test_two_threads_claiming_at_once_exactly_one_wins(db_url: str) -> None:
    a, b = add_advocate(db_url, "ana"), add_advocate(db_url, "ben")
    ids = _seed(db_url, ROUNDS)
    winners: dict[int, set[int]] = {}
    for request_id in ids:
        barrier = threading.Barrier(2)
        results: dict[int, bool] = {}

        def run(advocate_id: int, request_id: int = request_id,
                barrier: threading.Barrier = barrier, results: dict[int, bool] = results) -> None:
            results[advocate_id] = _claim_in_own_engine(db_url, request_id, advocate_id, barrier)

        threads = [threading.Thread(target=run, args=(x,)) for x in (a, b)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert sorted(results.values()) == [False, True], results
        winners[request_id] = {x for x, won in results.items() if won}
    _check_one_winner_each(db_url, winners, ids)


def test_two_processes_claiming_the_same_requests_exactly_one_wins_each(db_url: str) -> None:
    a, b = add_advocate(db_url, "ana"), add_advocate(db_url, "ben")
    ids = _seed(db_url, ROUNDS)
    ctx = multiprocessing.get_context("spawn")
    start, out = ctx.Event(), ctx.Queue()
    order = list(ids)
    # Opposite orders too: each process races the other on every request.
    procs = [ctx.Process(target=_process_main, args=(db_url, order, a, start, out)),
             ctx.Process(target=_process_main, args=(db_url, order, b, start, out))]
    for p in procs:
        p.start()
    start.set()
    results = dict(out.get(timeout=120) for _ in procs)
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    winners = {r: {x for x in (a, b) if results[x][i]} for i, r in enumerate(order)}
    _check_one_winner_each(db_url, winners, ids)
