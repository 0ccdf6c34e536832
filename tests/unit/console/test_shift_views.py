"""Console views for a real shift: safe closing, lock-screen checks on every advocate
message, the missed list, escalation in the queue poll, and the claim button per row."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.handoff import queue
from bot.handoff.timeouts import sweep_unclaimed
from bot.referrals import cases
from bot.store.db import session_scope
from bot.store.models import HandoffRequest, ReferralCase, utcnow
from tests.unit.console.conftest import post
from tests.unit.console.seed import escalated_conversation
from tests.unit.console.test_conversation_views import audit, claim, outbox, request_row


def test_close_warns_about_an_unanswered_last_message(client, make_advocate, login,
                                                      db_url) -> None:
    seeded = escalated_conversation(db_url)
    login(client, make_advocate(username="ana"))
    page = claim(client, seeded.request_id).get_data(as_text=True)
    assert '<div id="unanswered">' in page and '<option value="" selected disabled>' in page
    refused = post(client, f"/handoff/{seeded.request_id}/close",
                   {"disposition": "information_given"}, follow_redirects=True)
    assert "last message has no answer" in refused.get_data(as_text=True)
    assert request_row(db_url, seeded.request_id).status == "claimed"
    # Answer it: the warning goes and the close goes through without ticking anything.
    post(client, f"/handoff/{seeded.request_id}/reply", {"text": "Hola, soy Ana.\nTe leo."})
    page = client.get(f"/conversations/{seeded.conversation_id}").get_data(as_text=True)
    assert '<div id="unanswered" hidden>' in page
    assert post(client, f"/handoff/{seeded.request_id}/close",
                {"disposition": "information_given"}).status_code == 303
    assert request_row(db_url, seeded.request_id).status == "closed"


def test_closing_line_is_sent_and_lock_screen_checked(client, make_advocate, login,
                                                     db_url) -> None:
    seeded = escalated_conversation(db_url)
    login(client, make_advocate(username="ana"))
    claim(client, seeded.request_id)
    unsafe = post(client, f"/handoff/{seeded.request_id}/close",
                  {"disposition": "safety_planned", "confirm_unanswered": "1",
                   "closing_line": "Call the police if he comes back."}, follow_redirects=True)
    assert "lock screen" in unsafe.get_data(as_text=True)
    assert request_row(db_url, seeded.request_id).status == "claimed"
    assert [o for o in outbox(db_url, seeded.conversation_id) if o.author == "advocate"] == []
    line = "Cuídate mucho.\nPuedes escribir aquí cuando quieras."
    assert post(client, f"/handoff/{seeded.request_id}/close",
                {"disposition": "safety_planned", "confirm_unanswered": "1",
                 "closing_line": line}).status_code == 303
    (sent,) = [o for o in outbox(db_url, seeded.conversation_id) if o.author == "advocate"]
    assert sent.body == line and sent.status == "queued"
    assert request_row(db_url, seeded.request_id).status == "closed"


def test_an_advocates_own_first_line_is_lock_screen_checked(client, make_advocate, login,
                                                            db_url) -> None:
    seeded = escalated_conversation(db_url)
    login(client, make_advocate(username="ana"))
    claim(client, seeded.request_id)
    r = post(client, f"/handoff/{seeded.request_id}/reply",
             {"text": "About the trafficking report you made"})
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert "lock screen" in html and "About the trafficking report" in html  # draft kept
    assert [o for o in outbox(db_url, seeded.conversation_id) if o.author == "advocate"] == []
    # The same words are fine after a neutral first line.
    assert post(client, f"/handoff/{seeded.request_id}/reply",
                {"text": "Hi, it's Ana.\nAbout the trafficking report you made"}
                ).status_code == 303


def test_close_moves_the_referral_case_to_the_matching_status(client, make_advocate, login,
                                                              db_url) -> None:
    ana = make_advocate(username="ana")
    login(client, ana)
    statuses = {}
    for disposition in ("information_given", "no_response", "referred"):
        seeded = escalated_conversation(db_url, key=f"k-{disposition}")
        with session_scope(db_url) as s:
            cases.open_case(s, seeded.request_id, actor="test")
        claim(client, seeded.request_id)
        r = post(client, f"/handoff/{seeded.request_id}/close",
                 {"disposition": disposition, "confirm_unanswered": "1"}, follow_redirects=True)
        with session_scope(db_url) as s:
            case = s.execute(select(ReferralCase).where(
                ReferralCase.handoff_request_id == seeded.request_id)).scalar_one()
            statuses[disposition] = (case.status, s.get(HandoffRequest,
                                                        seeded.request_id).status)
        if disposition == "referred":
            assert "referral recorded" in r.get_data(as_text=True)
    assert statuses == {"information_given": ("Closed", "closed"),
                        "no_response": ("FollowUp", "closed"),
                        "referred": ("Active", "claimed")}   # refused: nothing recorded


def test_missed_list_is_for_supervisors_and_follow_ups_are_audited(
        console_app, make_advocate, login, db_url) -> None:
    seeded = escalated_conversation(db_url, priority="normal")
    with session_scope(db_url) as s:
        queue.leave(s, seeded.conversation_id, "texter_left")
    ana, sam = console_app.test_client(), console_app.test_client()
    login(ana, make_advocate(username="ana"))
    login(sam, make_advocate(role="supervisor", username="sam"))
    assert ana.get("/missed").status_code == 403
    page = sam.get("/missed").get_data(as_text=True)
    assert f'data-request="{seeded.request_id}"' in page and "Texter left" in page
    assert post(sam, f"/missed/{seeded.request_id}/follow-up").status_code == 303
    assert f'data-request="{seeded.request_id}"' not in sam.get("/missed").get_data(as_text=True)
    assert "followed up by Sam" in sam.get("/missed?all=1").get_data(as_text=True)
    assert [e.actor for e in audit(db_url, "missed_followed_up")] == ["sam"]
    assert len(audit(db_url, "missed_read")) == 3


def test_queue_poll_marks_escalated_requests_and_offers_a_claim_button(
        client, make_advocate, login, db_url) -> None:
    seeded = escalated_conversation(db_url, priority="emergency", language=None,
                                    created_at=utcnow() - timedelta(minutes=30))
    sweep_unclaimed(db_url, utcnow(), unclaimed_after=timedelta(minutes=10), shifts=(),
                    tz="America/New_York")
    login(client, make_advocate(username="ana"))
    data = client.get("/api/queue").get_json()
    (row,) = data["entries"]
    assert row["escalated"] is True and row["language_label"] == "English (default)"
    assert data["escalated"] == [{"request_id": seeded.request_id, "url": row["url"],
                                  "priority": "emergency"}]
    page = client.get("/queue").get_data(as_text=True)
    assert 'class="claim-row"' in page and "escalated" in page
    r = post(client, row["claim_url"])
    assert r.status_code == 303 and request_row(db_url, seeded.request_id).status == "claimed"
    assert client.get("/api/queue").get_json()["escalated"] == []


def test_presence_mine_view_offers_and_returning_texters(console_app, make_advocate, login,
                                                         db_url) -> None:
    from bot.store.models import Advocate

    ana_client, ben_client = console_app.test_client(), console_app.test_client()
    ana, ben = make_advocate(username="ana"), make_advocate(username="ben")
    login(ana_client, ana)
    login(ben_client, ben)
    earlier = escalated_conversation(db_url, priority="normal", key="k-returning")
    claim(ana_client, earlier.request_id)
    post(ana_client, f"/handoff/{earlier.request_id}/close",
         {"disposition": "information_given", "confirm_unanswered": "1"})
    with session_scope(db_url) as s:   # the same texter asks again
        from bot.handoff.queue import record_handoff
        again = record_handoff(s, earlier.conversation_id, reason="asked",
                               priority="normal").id
    mine = escalated_conversation(db_url, key="k-mine")
    claim(ana_client, mine.request_id)
    # Ana holds one, Ben none: the new request is offered to Ben; then Ben goes away.
    (row,) = [r for r in ben_client.get("/api/queue").get_json()["entries"]
              if r["request_id"] == again]
    assert (row["offered_to"], row["offered_to_me"], row["returning"]) == ("Ben", True, True)
    assert post(ben_client, "/presence", {"available": "0", "next": "/queue"}).status_code == 303
    with session_scope(db_url) as s:
        assert s.get(Advocate, ben.id).available is False
    (row,) = [r for r in ben_client.get("/api/queue").get_json()["entries"]
              if r["request_id"] == again]
    assert row["offered_to"] == "Ana"
    assert "Set available" in ben_client.get("/queue").get_data(as_text=True)
    # "Mine": only Ana's own conversations; the texter wrote last in it.
    page = ana_client.get("/queue?mine=1").get_data(as_text=True)
    assert f'data-request="{mine.request_id}"' in page
    assert f'data-request="{again}"' not in page and "You hold 1 of 3" in page
    poll = ana_client.get("/api/queue").get_json()
    assert [m["url"] for m in poll["mine_waiting"]] == [f"/conversations/{mine.conversation_id}"]
    # A foreign next= is not followed.
    r = post(ben_client, "/presence", {"available": "1", "next": "//evil.example/"})
    assert r.headers["Location"].endswith("/queue")
