"""Directory pages: supervisors add, edit, verify, retire (audited); advocates search
(audited) and pick a case's receiving organisation; the review page; the summary."""

from __future__ import annotations

from sqlalchemy import select

from bot.referrals import htcds
from bot.store.db import session_scope
from bot.store.models import AuditEvent, DirService, ReferralCase
from tests.unit.console.conftest import post
from tests.unit.console.seed import escalated_conversation

ENTRY = {"organization_name": "Casa Segura Houston", "name": "Casa Segura emergency shelter",
         "need": "shelter", "phone_voice": "713-555-0142", "areas": "city TX/Houston\nzip 770",
         "languages": ["en", "es"], "hours": "MO,TU,WE,TH,FR,SA,SU 00:00-23:59",
         "source": "called them 2026-12-01"}


def audit(db_url: str, action: str) -> list[AuditEvent]:
    with session_scope(db_url) as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action == action)
                              .order_by(AuditEvent.id)))


def service_named(db_url: str, name: str) -> DirService:
    with session_scope(db_url) as s:
        return s.scalars(select(DirService).where(DirService.name == name)).one()


def test_advocates_cannot_change_the_directory(client, make_advocate, login, db_url) -> None:
    login(client, make_advocate(username="ana"))
    assert client.get("/directory").status_code == 200
    assert client.get("/directory/new").status_code == 403
    assert post(client, "/directory/new", ENTRY).status_code == 403
    assert client.get("/directory/review").status_code == 403
    assert audit(db_url, "directory_add") == []


def test_supervisor_adds_edits_verifies_retires(client, make_advocate, login, db_url) -> None:
    login(client, make_advocate(username="sam", role="supervisor"))
    bad = post(client, "/directory/new", {**ENTRY, "areas": "city Houston"})
    assert bad.status_code == 400 and "ST/Name" in bad.get_data(as_text=True)
    assert "Casa Segura Houston" in bad.get_data(as_text=True)  # nothing typed is lost
    r = post(client, "/directory/new", ENTRY)
    assert r.status_code == 303
    service = service_named(db_url, "Casa Segura emergency shelter")
    assert service.assured_date is None
    review = client.get("/directory/review").get_data(as_text=True)
    assert "Casa Segura emergency shelter" in review.split('id="review-unverified"')[1]
    page = client.get(f"/directory/{service.id}").get_data(as_text=True)
    assert "unverified" in page and "713-555-0142" in page and "Houston, TX" in page
    edit = client.get(f"/directory/{service.id}/edit").get_data(as_text=True)
    assert "city TX/Houston" in edit and "zip 770" in edit
    post(client, f"/directory/{service.id}/edit", {**ENTRY, "phone_text": "713-555-0143"})
    refused = post(client, f"/directory/{service.id}/verify", {"assurer_email": "nope"},
                   follow_redirects=True)
    assert "assurer_email" in refused.get_data(as_text=True)
    post(client, f"/directory/{service.id}/verify", {"assurer_email": "sam@example.org"})
    service = service_named(db_url, "Casa Segura emergency shelter")
    assert service.assurer_email == "sam@example.org" and service.assured_date is not None
    post(client, f"/directory/{service.id}/retire", {"status": "inactive"})
    assert service_named(db_url, "Casa Segura emergency shelter").status == "inactive"
    for action in ("directory_add", "directory_edit", "directory_verify", "directory_retire"):
        [event] = audit(db_url, action)
        assert event.actor == "sam" and event.details["service_id"] == service.id


def test_search_is_audited_without_the_place_and_marks_what_texters_never_see(
        client, make_advocate, login, db_url) -> None:
    login(client, make_advocate(username="sam", role="supervisor"))
    post(client, "/directory/new", ENTRY)
    html = client.get("/directory?need=shelter&place=77002").get_data(as_text=True)
    assert "Casa Segura" not in html  # unverified: not in a default search
    html = client.get("/directory?need=shelter&place=77002&all=1").get_data(as_text=True)
    assert "Casa Segura emergency shelter" in html and "unverified" in html
    [first, second] = audit(db_url, "directory_search")
    assert first.details == {"need": "shelter", "place_given": True, "place_found": True,
                             "lang": None, "open_now": False, "results": 0}
    assert "77002" not in str(second.details)


def test_advocate_picks_the_receiving_organisation_and_prints_a_summary(
        client, console_app, make_advocate, login, db_url) -> None:
    sam_client = console_app.test_client()
    login(sam_client, make_advocate(username="sam", role="supervisor"))
    post(sam_client, "/directory/new", ENTRY)
    service = service_named(db_url, "Casa Segura emergency shelter")
    post(sam_client, f"/directory/{service.id}/verify", {"assurer_email": "sam@example.org"})
    seeded = escalated_conversation(db_url)
    login(client, make_advocate(username="ana"))
    post(client, f"/handoff/{seeded.request_id}/claim")
    post(client, f"/conversations/{seeded.conversation_id}/case")
    with session_scope(db_url) as s:
        case = s.scalars(select(ReferralCase)).one()
        case_id, case.imminent_danger = case.id, False
    html = client.get(f"/directory?case={case_id}&need=shelter&place=houston&lang=es"
                      ).get_data(as_text=True)
    assert "Make receiving organisation" in html and "Casa Segura emergency shelter" in html
    r = post(client, f"/cases/{case_id}/receiving-org", {"receiving_org": service.organization_id})
    assert r.status_code == 303
    with session_scope(db_url) as s:
        assert s.get(ReferralCase, case_id).receiving_org == service.organization_id
    conversation = client.get(f"/conversations/{seeded.conversation_id}").get_data(as_text=True)
    assert "Printable referral summary for Casa Segura Houston" in conversation
    # No consent yet: no summary.
    assert client.get(f"/cases/{case_id}/summary").status_code == 409
    post(client, f"/cases/{case_id}", {"status": "Active", "state": "TX",
                                       "trafficking_status": "PossibleVictimOfTrafficking",
                                       "receiving_org": service.organization_id,
                                       "referral_reason": "needs a safe place tonight"})
    post(client, f"/cases/{case_id}/consents",
         {"inbound_message_id": str(seeded.inbound_ids[1]),
          "receiving_org": service.organization_id, "fields": [htcds.VIC_LOCATION]})
    page = client.get(f"/cases/{case_id}/summary").get_data(as_text=True)
    assert "Referral to Casa Segura Houston" in page and "US-TX" in page
    assert "713-555-0142" in page
    assert "needs a safe place tonight" not in page  # not consented
    [event] = audit(db_url, "case_summary")
    assert event.details["fields"] == [htcds.VIC_LOCATION] and event.actor == "ana"


def test_unknown_entry_is_404(client, make_advocate, login) -> None:
    login(client, make_advocate(username="sam", role="supervisor"))
    assert client.get("/directory/not-an-id").status_code == 404
    assert post(client, "/directory/not-an-id/verify",
                {"assurer_email": "a@b.org"}).status_code == 404




def test_import_and_export_hsds_files_in_the_console(client, make_advocate, login,
                                                     db_url) -> None:
    import io
    import json
    import zipfile
    from pathlib import Path

    fixtures = Path(__file__).resolve().parents[2] / "fixtures" / "hsds"
    login(client, make_advocate(username="sam", role="supervisor"))
    bad = post(client, "/directory/import",
               {"file": (io.BytesIO(b'{"id": "x", "status": "active"}'), "bad.json")},
               content_type="multipart/form-data")
    assert bad.status_code == 400 and "required property" in bad.get_data(as_text=True)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        for path in (fixtures / "csv").glob("*.csv"):
            z.write(path, f"partner/{path.name}")
    archive.seek(0)
    r = post(client, "/directory/import", {"file": (archive, "partner.zip")},
             content_type="multipart/form-data", follow_redirects=True)
    html = r.get_data(as_text=True)
    assert "Imported:" in html
    # Verified in 2005 by the partner: listed as stale, never offered to texters.
    stale = html.split('id="review-stale"')[1].split('id="review-unverified"')[0]
    assert "Community Counselling" in stale and "2005-01-01 by email@example.com" in stale
    exported = client.get("/directory/export.json")
    names = {s["name"] for s in json.loads(exported.get_data())["contents"]}
    assert "Community Counselling" in names
    assert [e.details["form"] for e in audit(db_url, "directory_import")] == ["csv"]
    assert len(audit(db_url, "directory_export")) == 1
