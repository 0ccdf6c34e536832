"""Export: HTCDS names and values only, consented fields only, the safety path, audit rows.

Outputs are checked against names parsed here from the repository's copy of
the reference (docs/reference/htcds/), independently of bot/referrals/htcds.py.
"""

from __future__ import annotations

import csv
import io
import json
import re
import stat
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.config import get_settings
from bot.directory.seed import seed_org
from bot.referrals import cases
from bot.referrals.consent import record_consent, withdraw_consent
from bot.referrals.export import ExportError, export_cases
from bot.store.models import AuditEvent

HOTLINE_ORG = seed_org("national_hotline")
DOL_ORG = seed_org("dol_whd")

ROOT = Path(__file__).resolve().parents[3]
REFERENCE = ROOT / "docs" / "reference" / "htcds"
XF = "{http://www.w3.org/2002/xforms}"
TODAY = datetime.now(timezone.utc).date()
ORG = HOTLINE_ORG


# ---- the reference, parsed by the test itself ---------------------------------------

def form_fields() -> dict[str, tuple[str, tuple[str, ...]]]:
    """XForm field name -> (control tag, value names)."""
    root = ET.parse(REFERENCE / "htcds_xlsform.xml").getroot()  # noqa: S314 (our own copy)
    body = root.find("{http://www.w3.org/1999/xhtml}body")
    out = {}
    for el in body:
        tag = el.tag.replace(XF, "")
        if tag in ("input", "select", "select1"):
            values = tuple(i.findtext(f"{XF}value") for i in el.findall(f"{XF}item"))
            out[el.get("ref").split("/")[-1]] = (tag, values)
    return out


def methods_of_control_fields() -> list[str]:
    text = (REFERENCE / "Field Definitions.md").read_text(encoding="utf-8")
    section = text.split("## Methods Of Control", 1)[1].split("\n## ", 1)[0]
    names = [row.split("|")[1].strip() for row in section.splitlines() if row.startswith("|")]
    return [n for n in names if n and n != "Field Name" and not set(n) <= {"-"}]


FORM = form_fields()
METHODS = methods_of_control_fields()
YES_NO = FORM["con_Consent"][1]
DOCS = (ROOT / "docs" / "referrals.md").read_text(encoding="utf-8")


def check_record(record: dict[str, Any], *, from_csv: bool) -> None:
    """Every key is an HTCDS field (or a documented ext_ field); every value a value name."""
    for name, value in record.items():
        if value in (None, "", []):
            continue
        if name.startswith("ext_"):
            assert f"`{name}`" in DOCS, f"{name} is not documented in docs/referrals.md"
            if name in ("ext_Minor", "ext_ImminentDanger"):
                assert value in YES_NO
            continue
        if name in METHODS:
            assert value in YES_NO, (name, value)
            continue
        assert name in FORM, f"{name} is not an HTCDS field name"
        tag, allowed = FORM[name]
        if tag == "select1":
            assert value in allowed, (name, value)
        elif tag == "select":
            items = value.split(" ") if from_csv else value
            assert isinstance(items, list) or from_csv
            assert set(items) <= set(allowed), (name, items)


def parse_csv(content: str) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(content))
    return list(reader.fieldnames or []), list(reader)


def do_export(session, fmt: str, who, **kw) -> tuple[Any, Any]:
    result = export_cases(session, kw.pop("date_from", TODAY), kw.pop("date_to", TODAY), fmt,
                          advocate=who, **kw)
    if fmt == "json":
        return result, json.loads(result.content)["records"]
    header, rows = parse_csv(result.content)
    assert header[:4] == ["ext_CaseId", "ext_ReceivingOrganisation",
                          "ext_ReceivingOrganisationName", "con_Consent"]
    return result, rows


# ---- building cases -------------------------------------------------------------------

def full_case(session, episode, advocate, *, fields=None, minor=False):
    ep = episode(minor=minor, language="es")
    ep.screening({"q_safe_leave": "no", "q_documents": "yes", "q_threats": "yes"})
    case = cases.open_case(session, ep.request)
    cases.update_case(session, case, advocate, receiving_org=ORG, state="TX",
                      forced_labour_industry=["A_AgricultureForestryAndFishing"],
                      methods_of_recruitment=["ThroughOnlineSocialNetworks"],
                      referral_reason="Wants to leave the farm safely",
                      referral_details="=HYPERLINK(\"http://x\") works near Austin")
    if fields is not None:
        record_consent(session, case, fields=fields, receiving_org=ORG,
                       inbound_message_id=ep.message().id, advocate=advocate)
    return case, ep


ALL_FIELDS = [
    "cas_Status", "cas_IncomingReferralDate", "cas_ReasonForIncomingReferral",
    "cas_IncomingReferralDetails", "vic_TraffickingStatus", "vic_Methods_of_Control",
    "vic_TypeOfExploitation", "vic_ForcedLabourIndustry", "vic_MethodOfRecruitment",
    "vic_LocationOfExploitation", "ext_Language", "ext_Minor", "ext_ImminentDanger",
]


# ---- consent rules -------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_no_consent_means_not_exported(session, episode, advocate, fmt):
    case, _ = full_case(session, episode, advocate, fields=None)
    result, records = do_export(session, fmt, advocate)
    assert records == []
    assert result.case_ids == () and result.withheld_case_ids == (case.id,)
    assert "Austin" not in result.content and "farm" not in result.content


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_consent_for_some_fields_exports_only_those(session, episode, advocate, fmt):
    case, _ = full_case(session, episode, advocate,
                        fields=["vic_TypeOfExploitation", "vic_LocationOfExploitation"])
    result, records = do_export(session, fmt, advocate)
    assert result.case_ids == (case.id,)
    [record] = records
    check_record(record, from_csv=fmt == "csv")
    shared = {k for k, v in record.items() if v not in ("", None)}
    assert shared == {"ext_CaseId", "ext_ReceivingOrganisation", "ext_ReceivingOrganisationName",
                      "con_Consent", "vic_TypeOfExploitation", "vic_LocationOfExploitation"}
    assert record["ext_ReceivingOrganisationName"] == "National Human Trafficking Hotline"
    assert record["con_Consent"] == "TRUE"
    assert record["vic_LocationOfExploitation"] == "US-TX"
    assert "Austin" not in result.content and "Wants to leave" not in result.content
    if fmt == "json":
        assert record["vic_TypeOfExploitation"] == ["ForcedLabour"]
        assert "vic_Methods_of_Control" not in record and "MethodsOfControlThreats" not in record


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_full_consent_record_uses_htcds_names_and_values(session, episode, advocate, fmt):
    case, ep = full_case(session, episode, advocate, fields=ALL_FIELDS)
    cases.refer(session, case, ORG, advocate)
    result, [record] = do_export(session, fmt, advocate)
    check_record(record, from_csv=fmt == "csv")
    assert set(METHODS) <= set(record)  # one TRUE/FALSE column per Methods of Control field
    assert record["MethodsOfControlRestrictsMovement"] == "TRUE"
    assert record["MethodsOfControlWithholdsDocuments"] == "TRUE"
    assert record["MethodsOfControlDebtBondage"] == "FALSE"
    methods = record["vic_Methods_of_Control"]
    methods = methods.split(" ") if fmt == "csv" else methods
    assert set(methods) == {"Other", "WithholdsDocuments", "PhysicalThreats"}
    assert record["cas_Status"] == "Active"
    assert record["vic_TraffickingStatus"] == "PossibleVictimOfTrafficking"
    assert record["cas_IncomingReferralDate"] == TODAY.isoformat()
    assert record["ext_Language"] == "es" and record["ext_Minor"] == "FALSE"
    if fmt == "csv":  # a spreadsheet must not run the text as a formula
        assert record["cas_IncomingReferralDetails"].startswith("'=HYPERLINK")
    else:
        assert record["cas_IncomingReferralDetails"].startswith("=HYPERLINK")
        assert record["cas_ReasonForIncomingReferral"] == "Wants to leave the farm safely"


def test_withdrawn_consent_means_not_exported(session, episode, advocate):
    case, ep = full_case(session, episode, advocate, fields=None)
    consent = record_consent(session, case, fields=ALL_FIELDS, receiving_org=ORG,
                             inbound_message_id=ep.message().id, advocate=advocate)
    assert do_export(session, "json", advocate)[1] != []
    withdraw_consent(session, consent, advocate)
    result, records = do_export(session, "json", advocate)
    assert records == [] and result.withheld_case_ids == (case.id,)


def test_consent_for_another_organisation_does_not_count(session, episode, advocate):
    case, ep = full_case(session, episode, advocate, fields=None)
    record_consent(session, case, fields=ALL_FIELDS, receiving_org=DOL_ORG,
                   inbound_message_id=ep.message().id, advocate=advocate)
    assert do_export(session, "json", advocate)[1] == []
    cases.update_case(session, case, advocate, receiving_org=DOL_ORG)
    assert [r["ext_CaseId"] for r in do_export(session, "json", advocate)[1]] == [case.id]
    # Filtering by organisation.
    assert do_export(session, "json", advocate, receiving_org=ORG)[1] == []


def test_date_range_is_inclusive_and_by_opening_day(session, episode, advocate):
    old, _ = full_case(session, episode, advocate, fields=["cas_Status"])
    new, _ = full_case(session, episode, advocate, fields=["cas_Status"])
    old.opened_at = datetime.combine(TODAY - timedelta(days=10), datetime.min.time(),
                                     tzinfo=timezone.utc)
    session.flush()
    assert do_export(session, "json", advocate)[0].case_ids == (new.id,)
    result = do_export(session, "json", advocate, date_from=TODAY - timedelta(days=10))[0]
    assert result.case_ids == (old.id, new.id)
    with pytest.raises(ExportError):
        export_cases(session, TODAY, TODAY - timedelta(days=1), "json", advocate=advocate)
    with pytest.raises(ExportError):
        export_cases(session, TODAY, TODAY, "xlsx", advocate=advocate)


# ---- the minor / imminent-danger path -------------------------------------------------

@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_safety_path_exports_the_minimal_set_for_flagged_cases(session, episode, advocate,
                                                               supervisor, fmt):
    minor_case, _ = full_case(session, episode, advocate, fields=None, minor=True)
    plain_case, _ = full_case(session, episode, advocate, fields=None)
    # Without a reason the minor's case stays withheld like any other.
    assert do_export(session, fmt, supervisor)[0].case_ids == ()
    with pytest.raises(ExportError, match="supervisor"):
        export_cases(session, TODAY, TODAY, fmt, advocate=advocate,
                     safety_reason="minor_mandatory_report")
    # The reason must match the case's flag.
    assert do_export(session, fmt, supervisor, safety_reason="imminent_danger")[0].case_ids == ()

    result, [record] = do_export(session, fmt, supervisor, safety_reason="minor_mandatory_report")
    assert result.case_ids == result.safety_case_ids == (minor_case.id,)
    assert result.withheld_case_ids == (plain_case.id,)
    check_record(record, from_csv=fmt == "csv")
    assert record["con_Consent"] == "FALSE" and record["ext_Minor"] == "TRUE"
    shared = {k for k, v in record.items() if v not in ("", None)}
    assert "cas_IncomingReferralDetails" not in shared  # never free text on this path
    assert "cas_ReasonForIncomingReferral" not in shared
    assert "vic_ForcedLabourIndustry" not in shared
    assert {"vic_LocationOfExploitation", "vic_Methods_of_Control", "ext_Language"} <= shared
    assert "Austin" not in result.content

    event = session.get(AuditEvent, result.audit_event_id)
    assert event.actor == supervisor.username
    assert event.details["safety_reason"] == "minor_mandatory_report"
    assert event.details["safety_case_ids"] == [minor_case.id]


# ---- audit -----------------------------------------------------------------------------

def test_every_export_is_audited(session, episode, advocate):
    case, _ = full_case(session, episode, advocate, fields=["cas_Status"])
    before = session.execute(select(AuditEvent).where(AuditEvent.action == "export")).all()
    assert before == []
    first = do_export(session, "csv", advocate)[0]
    do_export(session, "json", advocate, date_from=TODAY - timedelta(days=400),
              date_to=TODAY - timedelta(days=300))  # nothing in range: still audited
    events = session.execute(select(AuditEvent).where(AuditEvent.action == "export")
                             .order_by(AuditEvent.id)).scalars().all()
    assert [e.details["format"] for e in events] == ["csv", "json"]
    assert events[0].id == first.audit_event_id
    assert events[0].details["case_ids"] == [case.id] and events[1].details["case_ids"] == []
    assert events[0].actor_id == advocate.id
    assert "farm" not in json.dumps(events[0].details)


def test_cli_export_writes_a_private_file_and_audits_as_cli(session, episode, advocate,
                                                            db_url, tmp_path, monkeypatch,
                                                            capsys):
    from bot.cli import main

    case, _ = full_case(session, episode, advocate, fields=["cas_Status", "ext_Language"])
    session.commit()
    monkeypatch.setenv("HOTLINE_DATABASE_URL", db_url)
    get_settings.cache_clear()
    out = tmp_path / "cases.json"
    try:
        code = main(["export", "--from", TODAY.isoformat(), "--to", TODAY.isoformat(),
                     "--format", "json", "--out", str(out)])
    finally:
        get_settings.cache_clear()
    assert code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    [record] = json.loads(out.read_text(encoding="utf-8"))["records"]
    assert record == {"ext_CaseId": case.id, "ext_ReceivingOrganisation": ORG,
                      "ext_ReceivingOrganisationName": "National Human Trafficking Hotline",
                      "con_Consent": "TRUE", "cas_Status": "Active", "ext_Language": "es"}
    assert re.search(r"1 case\(s\) exported", capsys.readouterr().err)
    session.expire_all()
    event = session.execute(select(AuditEvent).where(AuditEvent.action == "export")
                            ).scalar_one()
    assert (event.actor, event.actor_id) == ("cli", None)
    assert event.details["case_ids"] == [case.id]


def test_cli_refuses_a_bad_date(capsys):
    from bot.cli import main

    with pytest.raises(SystemExit):
        main(["export", "--from", "2026-13-01", "--to", "2026-12-01", "--format", "csv"])
    assert "YYYY-MM-DD" in capsys.readouterr().err
