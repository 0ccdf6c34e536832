"""The real gateway in front of a fake Rasa: turn order under a flood, routing to workers.

The webhook path is the real one (signed with twilio's RequestValidator, inbox,
router, outbox to the local Twilio-like server); Rasa is tests/fakes/rasa_internal.py,
which records the order turns reach it, so the test is about the gateway.
"""

from __future__ import annotations

import secrets
import threading
import time

import httpx

from tests.conftest import TWILIO_FROM, twilio_env, wait_for
from tests.fakes.rasa_internal import FakeRasaInternal
from tests.fakes.twilio_api import inbound_sms_params, post_inbound
from tests.integration.gateway_process import start_gateway, stop_gateway

POSTERS = 8


def _post_all(url: str, fake, bodies_by_poster: list[list[str]],  # type: ignore[no-untyped-def]
              number_for: callable) -> tuple[list[str], list[str]]:
    accepted: list[str] = []
    refused: list[str] = []
    lock = threading.Lock()

    def poster(bodies: list[str]) -> None:
        for body in bodies:
            params = inbound_sms_params(number_for(body), body, to=TWILIO_FROM,
                                        account_sid=fake.account_sid)
            try:
                ok = post_inbound(url, fake.auth_token, params, timeout=30).status == 200
            except OSError:
                ok = False
            with lock:
                (accepted if ok else refused).append(params["MessageSid"])

    threads = [threading.Thread(target=poster, args=(b,)) for b in bodies_by_poster]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return accepted, refused


def test_a_thousand_sms_from_one_sender_reach_rasa_in_arrival_order(tmp_path, fake_twilio,
                                                                    capsys) -> None:
    secret = secrets.token_urlsafe(32)
    with FakeRasaInternal(secret) as rasa:
        gateway = start_gateway(tmp_path, [rasa.url], secret, {
            **twilio_env(fake_twilio), "HOTLINE_FLOOD_MAX_PER_MINUTE": "0"})
        try:
            url = f"{gateway.base_url}/webhooks/twilio/webhook"
            count = 1000
            # POSTERS connections at once, like Twilio delivering a backlog; each
            # poster's own messages go one after another.
            bodies = [[str(i) for i in range(k, count, POSTERS)] for k in range(POSTERS)]
            started = time.monotonic()
            accepted, refused = _post_all(url, fake_twilio, bodies,
                                          lambda body: "+17770005555")
            posting = time.monotonic() - started
            assert refused == [] and len(accepted) == count
            assert posting < 60, f"posting 1,000 webhooks took {posting:.0f} s"
            wait_for(lambda: len(rasa.turns) >= count, timeout=150,
                     what="every message to reach the assistant")
            drained = time.monotonic() - started
            time.sleep(0.5)  # nothing more may come
            inbox = gateway.rows("select id, provider_message_id from inbound_messages "
                                 "where channel = 'twilio' order by id")
            assert sorted(r[1] for r in inbox) == sorted(accepted)
            turns = rasa.turns
            # Arrival order is the inbox order; every message reached Rasa once, one at a time.
            assert [t.message_id for t in turns] == [f"twilio-{r[0]}" for r in inbox]
            assert {t.attempt for t in turns} == {1}
            assert rasa.overlaps == []
            assert len({t.sender for t in turns}) == 1
            texts = [int(t.text) for t in turns]
            for k in range(POSTERS):  # each poster's sequence survives
                mine = [n for n in texts if n % POSTERS == k]
                assert mine == sorted(mine)
            assert sorted(texts) == list(range(count))
            with capsys.disabled():
                print(f"\n[order test] {count} webhooks posted in {posting:.1f} s, all at "
                      f"the assistant after {drained:.1f} s, in order")
        finally:
            stop_gateway(gateway)


def test_two_workers_both_serve_and_a_conversation_stays_on_one(tmp_path, fake_twilio) -> None:
    """HOTLINE_RASA_WORKERS=2 as `hotline run` sets it up: two URLs, routing by conversation."""
    secret = secrets.token_urlsafe(32)
    workers = [FakeRasaInternal(secret, name=f"w{i}", turn_seconds=0.05,
                                reply=lambda turn, i=i: [f"worker {i} got {turn.text}"])
               for i in range(2)]
    for worker in workers:
        worker.start()
    gateway = start_gateway(tmp_path, [w.url for w in workers], secret,
                            {**twilio_env(fake_twilio), "HOTLINE_FLOOD_MAX_PER_MINUTE": "0"})
    try:
        health = httpx.get(f"{gateway.base_url}/health", timeout=5).json()
        assert health == {"status": "ok", "assistant": "up", "workers": {"up": 2, "of": 2}}
        url = f"{gateway.base_url}/webhooks/twilio/webhook"
        numbers = [f"+1777200{i:04d}" for i in range(16)]
        rounds = 4
        # Every texter sends `rounds` messages; 4 posters interleave the texters.
        bodies = [[f"{n}|{r}" for r in range(rounds) for n in numbers[k::4]]
                  for k in range(4)]
        accepted, refused = _post_all(url, fake_twilio, bodies,
                                      lambda body: body.split("|")[0])
        assert refused == [] and len(accepted) == len(numbers) * rounds
        wait_for(lambda: sum(len(w.turns) for w in workers) >= len(accepted), timeout=120,
                 what="every message at a worker")
        senders = [{t.sender for t in w.turns} for w in workers]
        assert senders[0] and senders[1], "one worker got nothing"
        assert not senders[0] & senders[1], "a conversation reached both workers"
        assert len(senders[0] | senders[1]) == len(numbers)
        for w in workers:
            assert w.overlaps == []
            for sender in {t.sender for t in w.turns}:  # in order on its worker
                rounds_seen = [int(t.text.split("|")[1]) for t in w.turns if t.sender == sender]
                assert rounds_seen == list(range(rounds))
        # Each texter's replies came from one worker, through the real outbox.
        for number in numbers:
            replies = wait_for(lambda n=number: _worker_replies(fake_twilio, n, rounds),
                               timeout=60, what="the replies")
            assert len({body.split()[1] for body in replies}) == 1
    finally:
        stop_gateway(gateway)
        for worker in workers:
            worker.stop()


def _worker_replies(fake, number: str, count: int) -> list[str] | None:  # type: ignore[no-untyped-def]
    bodies = [m["body"] for m in fake.messages_to(number) if m["body"].startswith("worker ")]
    return bodies if len(bodies) >= count else None
