"""History search: filters, a supervisor's search by number (keyed hash, never kept), and a
returning texter's episodes on the conversation page."""

from __future__ import annotations

from sqlalchemy import select

from bot.console.views.history import normalise_number
from bot.handoff.queue import record_handoff
from bot.store.contacts import contact_key
from bot.store.db import session_scope
from bot.store.models import AuditEvent, HandoffRequest
from tests.unit.console.conftest import post
from tests.unit.console.seed import escalated_conversation
from tests.unit.console.test_conversation_views import claim

NUMBER = "+15557654321"


def test_numbers_are_normalised_like_the_channel_stores_them() -> None:
    assert normalise_number("twilio", "(555) 765-4321") == NUMBER
    assert normalise_number("twilio", "1 555 765 4321") == NUMBER
    assert normalise_number("twilio", "+1 555-765-4321") == NUMBER
    assert normalise_number("twilio", "not a number") is None
    assert normalise_number("telegram", "123456789") == "123456789"
    assert normalise_number("telegram", "12ab") is None


def test_search_by_filters_and_by_number(console_app, console_settings, make_advocate, login,
                                         db_url) -> None:
    key = contact_key(console_settings.resolved_secret_key(), "twilio", NUMBER)
    theirs = escalated_conversation(db_url, key=key)
    other = escalated_conversation(db_url, key="k-someone-else", address="+15550000000")
    ana, sam = console_app.test_client(), console_app.test_client()
    login(ana, make_advocate(username="ana"))
    login(sam, make_advocate(role="supervisor", username="sam"))
    claim(ana, theirs.request_id)
    post(ana, f"/handoff/{theirs.request_id}/close",
         {"disposition": "safety_planned", "confirm_unanswered": "1"})

    page = ana.get("/history?disposition=safety_planned").get_data(as_text=True)
    assert f'data-request="{theirs.request_id}"' in page
    assert f'data-request="{other.request_id}"' not in page
    page = ana.get("/history?status=open&channel=twilio").get_data(as_text=True)
    assert f'data-request="{other.request_id}"' in page
    assert f'data-request="{theirs.request_id}"' not in page
    assert 'id="history-number"' not in ana.get("/history").get_data(as_text=True)
    # An advocate's number is ignored (supervisors only): no narrowing by it.
    page = post(ana, "/history", {"status": "open", "number": "5557654321"}).get_data(
        as_text=True)
    assert f'data-request="{other.request_id}"' in page
    # A number in the URL is never read: it would sit in the history and access logs.
    page = sam.get("/history?status=open&number=5557654321").get_data(as_text=True)
    assert f'data-request="{other.request_id}"' in page

    page = post(sam, "/history", {"number": "(555) 765-4321", "number_channel": "twilio"}
                ).get_data(as_text=True)
    assert f'data-request="{theirs.request_id}"' in page
    assert f'data-request="{other.request_id}"' not in page
    assert "5557654321" not in page and "765-4321" not in page   # not echoed back
    assert "does not look like" in post(sam, "/history", {"number": "abc"}).get_data(
        as_text=True)
    assert "2026-12-01" in sam.get("/history?since=nope").get_data(as_text=True)
    with session_scope(db_url) as s:
        rows = s.execute(select(AuditEvent).where(AuditEvent.action == "history_search")
                         ).scalars().all()
    assert rows and all("555" not in str(r.details) for r in rows)
    assert any(r.details["by_number"] for r in rows)


def test_a_returning_texters_episodes(client, make_advocate, login, db_url) -> None:
    seeded = escalated_conversation(db_url)
    login(client, make_advocate(username="ana"))
    claim(client, seeded.request_id)
    post(client, f"/handoff/{seeded.request_id}/close",
         {"disposition": "information_given", "confirm_unanswered": "1"})
    assert 'id="episodes"' not in client.get(
        f"/conversations/{seeded.conversation_id}").get_data(as_text=True)
    with session_scope(db_url) as s:
        again = record_handoff(s, seeded.conversation_id, reason="asked",
                               priority="normal").id
        assert s.get(HandoffRequest, again).status == "open"
    page = client.get(f"/conversations/{seeded.conversation_id}").get_data(as_text=True)
    assert 'id="episodes"' in page
    assert f'data-request="{seeded.request_id}"' in page and "(information given)" in page
    assert "Ana" in page and "this one" in page
