"""Referral case form, consent by the texter's message, and the export (real DB)."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import select

from bot.directory.seed import seed_org
from bot.referrals import htcds
from bot.store.db import session_scope
from bot.store.models import AuditEvent, Consent, ReferralCase
from tests.unit.console.conftest import PASSWORD, post
from tests.unit.console.seed import PHONE, escalated_conversation

DOL_ORG = seed_org("dol_whd")


def audit(db_url: str, action: str) -> list[AuditEvent]:
    with session_scope(db_url) as s:
        return list(s.execute(select(AuditEvent).where(AuditEvent.action == action)
                              .order_by(AuditEvent.id)).scalars())


def the_case(db_url: str) -> ReferralCase:
    with session_scope(db_url) as s:
        return s.execute(select(ReferralCase)).scalar_one()


@pytest.fixture
def seeded(console_app: Any, db_url: str):  # type: ignore[no-untyped-def]
    return escalated_conversation(db_url)


@pytest.fixture
def ana_with_case(client, make_advocate, login, seeded, db_url):  # type: ignore[no-untyped-def]
    ana = make_advocate(username="ana")
    login(client, ana)
    post(client, f"/handoff/{seeded.request_id}/claim")
    r = post(client, f"/conversations/{seeded.conversation_id}/case")
    assert r.status_code == 303 and r.headers["Location"].endswith("#case")
    return ana


CASE_FORM = {"status": "Active", "trafficking_status": "PossibleVictimOfTrafficking",
             "methods_of_control": ["MethodsOfControlWithholdsDocuments",
                                    "MethodsOfControlDebtBondage"],
             "types_of_exploitation": ["ForcedLabour"], "state": "CA",
             "referral_reason": "needs shelter and legal help", "receiving_org": DOL_ORG}


def test_open_case_is_prefilled_from_screening_and_tip_and_audited(
        client, ana_with_case, seeded, db_url) -> None:
    case = the_case(db_url)
    assert case.conversation_id == seeded.conversation_id
    assert case.handoff_request_id == seeded.request_id
    assert set(case.methods_of_control) == {"MethodsOfControlRestrictsMovement",
                                            "MethodsOfControlWithholdsDocuments"}
    assert (case.state, case.status, case.trafficking_status) == (
        "CA", "Active", "PossibleVictimOfTrafficking")
    (event,) = audit(db_url, "case_open")
    assert event.actor == "ana" and event.case_id == case.id
    html = client.get(f"/conversations/{seeded.conversation_id}").get_data(as_text=True)
    assert 'id="case-form"' in html and f"Case #{case.id}" in html
    assert 'value="MethodsOfControlWithholdsDocuments" checked' in html
    assert PHONE not in html


def test_case_form_saves_htcds_values_and_refuses_bad_ones(client, ana_with_case, seeded,
                                                           db_url) -> None:
    case_id = the_case(db_url).id
    r = post(client, f"/cases/{case_id}", CASE_FORM)
    assert r.status_code == 303
    case = the_case(db_url)
    assert set(case.methods_of_control) == set(CASE_FORM["methods_of_control"])
    assert case.imminent_danger  # the form did not show the flags: left as they were
    assert (case.receiving_org, case.referral_reason, case.types_of_exploitation) == (
        DOL_ORG, "needs shelter and legal help", ["ForcedLabour"])
    (event,) = audit(db_url, "case_update")
    assert "receiving_org" in event.details["fields"]
    # A verified status needs the deciding organisation: refused, nothing changes.
    bad = post(client, f"/cases/{case_id}", {**CASE_FORM, "state": "TX",
                                             "trafficking_status": "ActualVictimOfTrafficking"},
               follow_redirects=True)
    assert "organisation that decided it" in bad.get_data(as_text=True)
    assert the_case(db_url).state == "CA"
    # Only a supervisor may clear a safety flag the screening or tip set.
    cleared = post(client, f"/cases/{case_id}", {**CASE_FORM, "flags": "1"},
                   follow_redirects=True)
    assert "Only a supervisor can clear" in cleared.get_data(as_text=True)
    assert the_case(db_url).imminent_danger
    # Moving the status: FollowUp, audited.
    post(client, f"/cases/{case_id}", {**CASE_FORM, "status": "FollowUp"})
    assert the_case(db_url).status == "FollowUp"
    assert [e.details["status_to"] for e in audit(db_url, "case_status")] == ["FollowUp"]


def test_consent_is_recorded_by_picking_the_texters_message(client, ana_with_case, seeded,
                                                            db_url) -> None:
    case_id = the_case(db_url).id
    post(client, f"/cases/{case_id}", CASE_FORM)
    html = client.get(f"/conversations/{seeded.conversation_id}").get_data(as_text=True)
    assert f'<option value="{seeded.inbound_ids[1]}">' in html  # the texter's messages
    # Referral before consent is refused (not a minor / danger case).
    with session_scope(db_url) as s:
        s.get(ReferralCase, case_id).imminent_danger = False
    refused = post(client, f"/cases/{case_id}/refer", {"receiving_org": DOL_ORG},
                   follow_redirects=True)
    assert "No recorded consent" in refused.get_data(as_text=True)
    # A message from before the escalation is not evidence for this episode.
    early = post(client, f"/cases/{case_id}/consents",
                 {"inbound_message_id": str(seeded.inbound_ids[0]), "receiving_org": DOL_ORG,
                  "fields": [htcds.VIC_LOCATION]}, follow_redirects=True)
    assert "from before this case&#39;s episode" in early.get_data(as_text=True)
    r = post(client, f"/cases/{case_id}/consents",
             {"inbound_message_id": str(seeded.inbound_ids[1]), "receiving_org": DOL_ORG,
              "fields": [htcds.VIC_LOCATION, htcds.VIC_METHODS_OF_CONTROL]})
    assert r.status_code == 303
    with session_scope(db_url) as s:
        (consent,) = s.execute(select(Consent)).scalars().all()
    assert (consent.inbound_message_id, consent.receiving_org, set(consent.fields)) == (
        seeded.inbound_ids[1], DOL_ORG, {htcds.VIC_LOCATION, htcds.VIC_METHODS_OF_CONTROL})
    (event,) = audit(db_url, "consent_record")
    assert event.actor == "ana" and event.details["inbound_message_id"] == seeded.inbound_ids[1]
    assert post(client, f"/cases/{case_id}/refer",
                {"receiving_org": DOL_ORG}).status_code == 303
    assert the_case(db_url).referred_at is not None
    post(client, f"/cases/{case_id}/consents/{consent.id}/withdraw")
    assert [e.details["consent_id"] for e in audit(db_url, "consent_withdraw")] == [consent.id]


def test_another_advocate_cannot_change_a_claimed_conversations_case(
        console_app, ana_with_case, make_advocate, login, db_url) -> None:
    case_id = the_case(db_url).id
    ben_client = console_app.test_client()
    login(ben_client, make_advocate(username="ben"))
    r = post(ben_client, f"/cases/{case_id}", CASE_FORM)
    assert r.status_code == 403 and "claimed by Ana" in r.get_data(as_text=True)
    assert the_case(db_url).receiving_org is None and audit(db_url, "case_update") == []


def _consented_case(client: Any, seeded: Any, db_url: str) -> int:
    case_id = the_case(db_url).id
    post(client, f"/cases/{case_id}", CASE_FORM)
    post(client, f"/cases/{case_id}/consents",
         {"inbound_message_id": str(seeded.inbound_ids[1]), "receiving_org": DOL_ORG,
          "fields": [htcds.VIC_LOCATION, htcds.VIC_METHODS_OF_CONTROL]})
    return case_id


def test_export_needs_fresh_password_gives_consented_htcds_fields_and_is_audited(
        client, ana_with_case, seeded, db_url, clock) -> None:
    case_id = _consented_case(client, seeded, db_url)
    today = datetime.now(timezone.utc).date()
    form = {"date_from": (today - timedelta(days=1)).isoformat(),
            "date_to": (today + timedelta(days=1)).isoformat(), "format": "csv"}
    page = client.get("/cases/export").get_data(as_text=True)
    assert "Download" in page and "Safety path" not in page  # advocates: no safety path
    clock.advance(6 * 60)
    r = post(client, "/cases/export", form)
    assert r.status_code == 302 and "/reauth" in r.headers["Location"]
    assert audit(db_url, "export") == []
    post(client, "/reauth", {"password": PASSWORD, "next": "/cases/export"})
    r = post(client, "/cases/export", form)
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert "attachment" in r.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(r.get_data(as_text=True))))
    (row,) = rows
    assert row[htcds.EXT_CASE_ID] == str(case_id)
    assert row[htcds.VIC_LOCATION] == "US-CA"
    assert row[htcds.CON_CONSENT] == "TRUE"
    assert not row.get(htcds.CAS_REASON)  # not consented: never leaves
    assert "needs shelter" not in r.get_data(as_text=True)
    assert PHONE not in r.get_data(as_text=True)
    r = post(client, "/cases/export", {**form, "format": "json"})
    data = json.loads(r.get_data(as_text=True))
    assert r.mimetype == "application/json" and "needs shelter" not in json.dumps(data)
    events = audit(db_url, "export")
    assert [e.details["format"] for e in events] == ["csv", "json"]
    assert all(e.details["case_ids"] == [case_id] and e.actor == "ana" for e in events)


def test_export_with_a_bad_range_explains_and_exports_nothing(client, ana_with_case,
                                                              db_url) -> None:
    r = post(client, "/cases/export", {"date_from": "2026-12-31", "date_to": "2026-01-01",
                                       "format": "csv"})
    assert r.status_code == 400 and "before the start date" in r.get_data(as_text=True)
    r = post(client, "/cases/export", {"date_from": "yesterday", "date_to": "", "format": "csv"})
    assert r.status_code == 400
    assert audit(db_url, "export") == []


def test_cases_list_links_to_the_conversation(client, ana_with_case, seeded, db_url) -> None:
    html = client.get("/cases").get_data(as_text=True)
    assert f"#{the_case(db_url).id}" in html
    assert f"/conversations/{seeded.conversation_id}#case" in html
