"""Conversation page and actions: privacy, audit rows, ownership, minors (real DB)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from bot.content.loader import load_content
from bot.store.db import session_scope
from bot.store.models import (
    AdvocateNote,
    AuditEvent,
    Conversation,
    HandoffRequest,
    OutboundMessage,
    ScreeningRecord,
)
from tests.unit.console.conftest import PASSWORD, post
from tests.unit.console.seed import PHONE, escalated_conversation


def audit(db_url: str, action: str) -> list[AuditEvent]:
    with session_scope(db_url) as s:
        return list(s.execute(select(AuditEvent).where(AuditEvent.action == action)
                              .order_by(AuditEvent.id)).scalars())


def outbox(db_url: str, conversation_id: str) -> list[OutboundMessage]:
    with session_scope(db_url) as s:
        return list(s.execute(select(OutboundMessage).where(
            OutboundMessage.conversation_id == conversation_id,
            OutboundMessage.inbound_id.is_(None)).order_by(OutboundMessage.id)).scalars())


def request_row(db_url: str, request_id: int) -> HandoffRequest:
    with session_scope(db_url) as s:
        return s.get(HandoffRequest, request_id)


@pytest.fixture
def seeded(console_app: Any, db_url: str):  # type: ignore[no-untyped-def]
    return escalated_conversation(db_url)


def claim(client: Any, request_id: int) -> Any:
    return post(client, f"/handoff/{request_id}/claim", follow_redirects=True)


# --------------------------------------------------------------------------- viewing


def test_conversation_page_shows_everything_but_the_phone_number(client, make_advocate, login,
                                                                 seeded, db_url) -> None:
    ana = make_advocate(username="ana")
    login(client, ana)
    page = client.get(f"/conversations/{seeded.conversation_id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert PHONE not in html and PHONE[2:] not in html
    for text in ("hola, necesito ayuda", "Aquí tienes info.", "delivered",  # transcript
                 "Restricts movement", "Withholds documents",            # indicators
                 "workers locked in a barn", "Fresno",                   # tip (decrypted)
                 "Spanish", "SMS", "Screening result"):
        assert text in html, text
    assert "<script>" not in html and 'src="/static/conversation.js"' in html
    (view,) = audit(db_url, "view")
    assert (view.actor, view.conversation_id) == ("ana", seeded.conversation_id)


def test_transcript_poll_returns_messages_and_status_without_the_number(
        client, make_advocate, login, seeded, db_url) -> None:
    login(client, make_advocate())
    data = client.get(f"/api/conversations/{seeded.conversation_id}/messages").get_json()
    assert [e["author"] for e in data["entries"]] == ["texter", "assistant", "texter"]
    assert data["entries"][1]["status"] == "delivered"
    assert data["request"]["status"] == "open"
    assert PHONE not in str(data)
    assert audit(db_url, "view") == []  # the poll belongs to the audited page view


def test_unknown_or_never_escalated_conversations_are_not_found(client, make_advocate, login,
                                                                 db_url, console_app) -> None:
    with session_scope(db_url) as s:
        s.add(Conversation(id="bot-only", channel="twilio", contact_key="k-bot-only"))
    login(client, make_advocate())
    assert client.get("/conversations/nope").status_code == 404
    assert client.get("/conversations/bot-only").status_code == 404


def test_canned_replies_are_offered_in_the_conversations_language(client, make_advocate, login,
                                                                  seeded) -> None:
    login(client, make_advocate())
    html = claim(client, seeded.request_id).get_data(as_text=True)
    assert "¿Puedes hablar?" in html and "Are you safe to talk?" not in html
    assert 'class="secondary canned-reply" data-text="Una pregunta.' in html


# --------------------------------------------------------------------------- reveal


def test_reveal_needs_a_supervisor_with_fresh_password_and_is_audited(
        client, make_advocate, login, seeded, db_url, clock) -> None:
    advocate = make_advocate(username="ana")
    login(client, advocate)
    url = f"/conversations/{seeded.conversation_id}/reveal"
    r = post(client, url, {"reason": "mandatory report"})
    assert r.status_code == 403 and PHONE not in r.get_data(as_text=True)
    sup_client = client.application.test_client()
    sup = make_advocate(role="supervisor", username="sam")
    login(sup_client, sup)
    page = sup_client.get(f"/conversations/{seeded.conversation_id}").get_data(as_text=True)
    assert "Reveal contact" in page and PHONE not in page
    clock.advance(6 * 60)  # the password was entered more than 5 minutes ago
    r = post(sup_client, url, {"reason": "mandatory report"})
    assert r.status_code == 302 and "/reauth" in r.headers["Location"]
    assert audit(db_url, "reveal") == []
    post(sup_client, "/reauth", {"password": PASSWORD,
                                 "next": f"/conversations/{seeded.conversation_id}"})
    r = post(sup_client, url, {"reason": "mandatory report"})
    assert r.status_code == 200 and PHONE in r.get_data(as_text=True)
    (event,) = audit(db_url, "reveal")
    assert (event.actor, event.conversation_id) == ("sam", seeded.conversation_id)
    assert event.details == {"reason": "mandatory report"}
    assert PHONE not in str(event.details)


def test_reveal_without_a_reason_shows_nothing(client, make_advocate, login, seeded,
                                               db_url) -> None:
    login(client, make_advocate(role="supervisor"))
    r = post(client, f"/conversations/{seeded.conversation_id}/reveal", {"reason": " "},
             follow_redirects=True)
    assert PHONE not in r.get_data(as_text=True) and audit(db_url, "reveal") == []


# --------------------------------------------------------------------------- claim and reply


def test_claim_then_reply_goes_to_the_outbox_as_the_advocate(client, make_advocate, login,
                                                             seeded, db_url) -> None:
    ana = make_advocate(username="ana")
    login(client, ana)
    html = claim(client, seeded.request_id).get_data(as_text=True)
    assert "You have this conversation now." in html and 'id="reply-text"' in html
    r = post(client, f"/handoff/{seeded.request_id}/reply", {"text": "Hola, soy Ana."})
    assert r.status_code == 303
    (row,) = outbox(db_url, seeded.conversation_id)
    assert (row.author, row.advocate_id, row.status, row.channel, row.body) == (
        "advocate", ana.id, "queued", "twilio", "Hola, soy Ana.")
    (event,) = audit(db_url, "reply")
    assert event.actor == "ana" and event.details["outbound_id"] == row.id
    assert "Hola" not in str(event.details)  # the audit log holds no message text
    data = client.get(f"/api/conversations/{seeded.conversation_id}/messages").get_json()
    assert (data["entries"][-1]["author"], data["entries"][-1]["status"],
            data["entries"][-1]["author_name"]) == ("advocate", "queued", "Ana")
    assert len(audit(db_url, "claim")) == 1


def test_reply_with_an_unfilled_placeholder_is_refused_and_kept(client, make_advocate, login,
                                                                seeded, db_url) -> None:
    login(client, make_advocate())
    claim(client, seeded.request_id)
    text = "Hola, soy [NOMBRE] del equipo."
    r = post(client, f"/handoff/{seeded.request_id}/reply", {"text": text})
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and "[NOMBRE]" in html and "Replace the placeholders" in html
    assert outbox(db_url, seeded.conversation_id) == []


def test_reply_before_claiming_is_refused(client, make_advocate, login, seeded, db_url) -> None:
    login(client, make_advocate())
    r = post(client, f"/handoff/{seeded.request_id}/reply", {"text": "hola"})
    assert r.status_code == 422 and "not claimed" in r.get_data(as_text=True)
    assert outbox(db_url, seeded.conversation_id) == []


def test_an_advocate_cannot_act_on_anothers_claim(console_app, make_advocate, login, seeded,
                                                  db_url) -> None:
    ana_client, ben_client = console_app.test_client(), console_app.test_client()
    ana = make_advocate(username="ana")
    login(ana_client, ana)
    ben = make_advocate(username="ben")
    login(ben_client, ben)
    claim(ana_client, seeded.request_id)
    lost = claim(ben_client, seeded.request_id).get_data(as_text=True)
    assert "Already claimed by Ana." in lost
    rid, cid = seeded.request_id, seeded.conversation_id
    for url, data in ((f"/handoff/{rid}/reply", {"text": "hi"}),
                      (f"/handoff/{rid}/close", {"disposition": "referred"}),
                      (f"/handoff/{rid}/transfer", {"to": "queue"}),
                      (f"/handoff/{rid}/transfer", {"to": str(ben.id)}),
                      (f"/handoff/{rid}/hand-back", {}),
                      (f"/conversations/{cid}/notes", {"body": "mine now"})):
        r = post(ben_client, url, data)
        assert r.status_code == 403, url
        assert "claimed by Ana" in r.get_data(as_text=True), url
    row = request_row(db_url, rid)
    assert (row.status, row.claimed_by) == ("claimed", ana.id)
    assert outbox(db_url, cid) == [] and audit(db_url, "note") == []
    assert {e.action for e in audit(db_url, "transfer") + audit(db_url, "close")} == set()


def test_a_supervisor_may_act_on_an_advocates_claim(console_app, make_advocate, login, seeded,
                                                    db_url) -> None:
    ana_client, sup_client = console_app.test_client(), console_app.test_client()
    login(ana_client, make_advocate(username="ana"))
    login(sup_client, make_advocate(role="supervisor", username="sam"))
    claim(ana_client, seeded.request_id)
    r = post(sup_client, f"/handoff/{seeded.request_id}/transfer", {"to": "queue"})
    assert r.status_code == 303
    assert request_row(db_url, seeded.request_id).status == "open"


# --------------------------------------------------------------------------- notes, transfer


def test_notes_are_internal_and_audited(client, make_advocate, login, seeded, db_url) -> None:
    login(client, make_advocate(username="ana"))
    claim(client, seeded.request_id)
    r = post(client, f"/conversations/{seeded.conversation_id}/notes",
             {"body": "texter prefers evenings"}, follow_redirects=True)
    assert "texter prefers evenings" in r.get_data(as_text=True)
    with session_scope(db_url) as s:
        (note,) = s.execute(select(AdvocateNote)).scalars().all()
    assert note.body == "texter prefers evenings"
    (event,) = audit(db_url, "note")
    assert event.details == {"note_id": note.id} and event.actor == "ana"
    assert outbox(db_url, seeded.conversation_id) == []  # never sent to the texter


def test_transfer_to_another_advocate_then_back_to_the_queue(console_app, make_advocate, login,
                                                             seeded, db_url) -> None:
    ana_client, ben_client = console_app.test_client(), console_app.test_client()
    login(ana_client, make_advocate(username="ana"))
    ben = make_advocate(username="ben")
    login(ben_client, ben)
    claim(ana_client, seeded.request_id)
    page = ana_client.get(f"/conversations/{seeded.conversation_id}").get_data(as_text=True)
    assert f'<option value="{ben.id}">Ben (available, 0 of 3)</option>' in page
    r = post(ana_client, f"/handoff/{seeded.request_id}/transfer", {"to": str(ben.id)})
    assert r.status_code == 303 and r.headers["Location"].endswith("/queue")
    assert request_row(db_url, seeded.request_id).claimed_by == ben.id
    # Ana no longer holds it; Ben does and can reply.
    assert post(ana_client, f"/handoff/{seeded.request_id}/reply",
                {"text": "hi"}).status_code == 403
    assert post(ben_client, f"/handoff/{seeded.request_id}/reply",
                {"text": "Hola, soy Ben."}).status_code == 303
    post(ben_client, f"/handoff/{seeded.request_id}/transfer", {"to": "queue"})
    row = request_row(db_url, seeded.request_id)
    assert (row.status, row.claimed_by) == ("open", None)
    with session_scope(db_url) as s:
        assert s.get(Conversation, seeded.conversation_id).status == "queued"
    assert [e.details["to"] for e in audit(db_url, "transfer")] == ["ben", "queue"]


# --------------------------------------------------------------------------- hand back, close


def test_hand_back_sends_the_resume_line_in_the_texters_language(client, make_advocate, login,
                                                                 seeded, db_url) -> None:
    login(client, make_advocate(username="ana"))
    claim(client, seeded.request_id)
    r = post(client, f"/handoff/{seeded.request_id}/hand-back")
    assert r.status_code == 303
    row = request_row(db_url, seeded.request_id)
    assert row.status == "handed_back"
    with session_scope(db_url) as s:
        assert s.get(Conversation, seeded.conversation_id).status == "bot"
    (line,) = outbox(db_url, seeded.conversation_id)
    assert line.author == "bot" and line.advocate_id is None
    assert line.body == load_content().template("handback_resume", "es")
    assert [e.actor for e in audit(db_url, "hand_back")] == ["ana"]


def test_close_with_a_disposition_is_audited(client, make_advocate, login, seeded,
                                             db_url) -> None:
    login(client, make_advocate(username="ana"))
    claim(client, seeded.request_id)
    for disposition in ("whatever", ""):   # no default: a disposition must be picked
        bad = post(client, f"/handoff/{seeded.request_id}/close",
                   {"disposition": disposition, "confirm_unanswered": "1"},
                   follow_redirects=True)
        assert "Pick a disposition" in bad.get_data(as_text=True)
    assert request_row(db_url, seeded.request_id).status == "claimed"
    r = post(client, f"/handoff/{seeded.request_id}/close",
             {"disposition": "safety_planned", "confirm_unanswered": "1"})
    assert r.status_code == 303
    row = request_row(db_url, seeded.request_id)
    assert (row.status, row.disposition) == ("closed", "safety_planned")
    (event,) = audit(db_url, "close")
    assert event.details["disposition"] == "safety_planned" and event.actor == "ana"


# --------------------------------------------------------------------------- minors


def test_minor_case_shows_steps_and_cannot_close_before_a_supervisor_acknowledges(
        console_app, make_advocate, login, db_url) -> None:
    seeded = escalated_conversation(db_url, priority="minor", minor=True)
    ana_client, sup_client = console_app.test_client(), console_app.test_client()
    login(ana_client, make_advocate(username="ana"))
    login(sup_client, make_advocate(role="supervisor", username="sam"))
    page = claim(ana_client, seeded.request_id).get_data(as_text=True)
    assert "mandatory-reporting steps" in page and "1-800-843-5678" in page
    assert 'id="acknowledge"' not in page  # advocates can't acknowledge
    refused = post(ana_client, f"/handoff/{seeded.request_id}/close",
                   {"disposition": "referred", "confirm_unanswered": "1"},
                   follow_redirects=True)
    assert "needs a supervisor" in refused.get_data(as_text=True)
    assert request_row(db_url, seeded.request_id).status == "claimed"
    assert post(ana_client, f"/handoff/{seeded.request_id}/acknowledge-minor"
                ).status_code == 403
    sup_page = sup_client.get(f"/conversations/{seeded.conversation_id}").get_data(as_text=True)
    assert 'id="acknowledge"' in sup_page
    assert post(sup_client, f"/handoff/{seeded.request_id}/acknowledge-minor"
                ).status_code == 303
    (ack,) = audit(db_url, "minor_ack")
    assert ack.actor == "sam"
    page = ana_client.get(f"/conversations/{seeded.conversation_id}").get_data(as_text=True)
    assert "Acknowledged by Sam." in page
    assert post(ana_client, f"/handoff/{seeded.request_id}/close",
                {"disposition": "referred", "confirm_unanswered": "1"}).status_code == 303
    assert request_row(db_url, seeded.request_id).status == "closed"


def test_every_action_refuses_csrf_less_posts(client, make_advocate, login, seeded,
                                              db_url) -> None:
    login(client, make_advocate())
    r = client.post(f"/handoff/{seeded.request_id}/claim")
    assert r.status_code == 400
    assert request_row(db_url, seeded.request_id).status == "open"


def test_screening_summary_shows_what_came_from_the_texters_words(client, make_advocate, login,
                                                                   seeded, db_url) -> None:
    with session_scope(db_url) as s:
        record = s.execute(select(ScreeningRecord).where(
            ScreeningRecord.conversation_id == seeded.conversation_id)).scalar_one()
        record.result = {**record.result, "from_texters_words": [
            {"kind": "documents", "question": "q_documents",
             "htcds": "MethodsOfControlWithholdsDocuments"}]}
    login(client, make_advocate(username="ana"))
    html = client.get(f"/conversations/{seeded.conversation_id}").get_data(as_text=True)
    assert "Withholds documents" in html
    assert html.count("from the texter's words") >= 2  # the indicator and its answer
    assert "<code>MethodsOfControlWithholdsDocuments</code>" in html
