"""Queue page and its JSON poll (Flask test client, real migrated DB)."""

from __future__ import annotations

import threading
from datetime import timedelta

from flask.testing import FlaskClient

from bot.store.db import session_scope
from bot.store.models import AuditEvent, HandoffRequest
from tests.unit.console.conftest import PASSWORD, csrf_token
from tests.unit.console.seed import PHONE, T0, escalated_conversation


def _seed_queue(db_url: str) -> dict[str, int]:
    """Four requests whose creation order differs from the expected queue order."""
    ids = {}
    for name, priority, minutes in (("normal_old", "normal", 0), ("high_new", "high", 9),
                                    ("emergency_new", "emergency", 10), ("high_old", "high", 2),
                                    ("minor", "minor", 12)):
        seeded = escalated_conversation(db_url, priority=priority, key=f"q-{name}",
                                        minor=priority == "minor",
                                        created_at=T0 + timedelta(minutes=minutes))
        ids[name] = seeded.request_id
    return ids


def test_queue_json_is_sorted_by_priority_then_wait(client, make_advocate, login,
                                                    db_url) -> None:
    ids = _seed_queue(db_url)
    login(client, make_advocate())
    data = client.get("/api/queue").get_json()
    order = [e["request_id"] for e in data["entries"]]
    assert order == [ids["emergency_new"], ids["minor"], ids["high_old"], ids["high_new"],
                     ids["normal_old"]]
    first = data["entries"][0]
    assert first["emergency"] and first["reason_label"] == "Screening result"
    assert first["channel_label"] == "SMS" and first["language_label"] == "Spanish"
    assert first["claimed_by"] is None and first["status"] == "open"
    assert data["entries"][1]["minor"] is True
    assert data["entries"][-1]["wait_seconds"] > data["entries"][0]["wait_seconds"]
    assert data["open"] == 5 and data["emergencies"] == [ids["emergency_new"]]
    assert PHONE not in str(data) and "hola" not in str(data)


def test_queue_page_lists_entries_with_the_live_script(client, make_advocate, login,
                                                       db_url) -> None:
    _seed_queue(db_url)
    login(client, make_advocate())
    page = client.get("/queue")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'src="/static/queue.js"' in html and "<script>" not in html
    assert 'class="prio-emergency' in html and "Screening result" in html
    assert PHONE not in html
    assert client.get("/static/queue.js").status_code == 200


def test_claimed_entries_show_who_has_them(client, make_advocate, login, db_url) -> None:
    ids = _seed_queue(db_url)
    ana = make_advocate(username="ana")
    login(client, ana)
    client.post(f"/handoff/{ids['high_old']}/claim",
                data={"csrf_token": csrf_token(client)})
    entries = {e["request_id"]: e for e in client.get("/api/queue").get_json()["entries"]}
    assert entries[ids["high_old"]]["claimed_by"] == "Ana"
    assert entries[ids["high_old"]]["claimed_by_me"] is True
    assert entries[ids["high_old"]]["status"] == "claimed"


def test_queue_refuses_anonymous_requests(client) -> None:
    assert client.get("/api/queue").status_code == 401
    assert client.get("/queue").status_code == 302


def test_two_clients_claiming_over_http_exactly_one_wins(console_app, make_advocate,
                                                        db_url) -> None:
    seeded = escalated_conversation(db_url)
    clients: list[FlaskClient] = []
    tokens = []
    for name in ("ana", "ben"):
        make_advocate(username=name)
        c = console_app.test_client()
        c.post("/login", data={"username": name, "password": PASSWORD,
                               "csrf_token": csrf_token(c)})
        clients.append(c)
        tokens.append(csrf_token(c))
    barrier = threading.Barrier(2)
    pages: list[str] = ["", ""]

    def run(i: int) -> None:
        barrier.wait(timeout=30)
        r = clients[i].post(f"/handoff/{seeded.request_id}/claim",
                            data={"csrf_token": tokens[i]}, follow_redirects=True)
        pages[i] = r.get_data(as_text=True)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    won = ["You have this conversation now." in p for p in pages]
    lost = ["Already claimed by" in p for p in pages]
    assert sorted(won) == [False, True] and sorted(lost) == [False, True]
    assert won != lost
    with session_scope(db_url) as s:
        request = s.get(HandoffRequest, seeded.request_id)
        claims = s.query(AuditEvent).filter_by(action="claim").count()
    assert request.status == "claimed" and claims == 1
    winner = ("Ana", "Ben")[won.index(True)]
    assert f"Already claimed by {winner}." in pages[won.index(False)]
