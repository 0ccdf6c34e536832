"""Referral cases: one per episode, pre-filled from screening and tips, validated edits."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from bot.directory.seed import seed_org
from bot.referrals import cases, htcds
from bot.referrals.cases import CaseError
from bot.referrals.consent import record_consent
from bot.store.models import AuditEvent, ReferralCase

HOTLINE_ORG = seed_org("national_hotline")
NCMEC_ORG = seed_org("ncmec")


def audit_actions(session, case_id: int) -> list[str]:
    return list(session.execute(select(AuditEvent.action).where(AuditEvent.case_id == case_id)
                                .order_by(AuditEvent.id)).scalars())


def test_case_is_prefilled_from_screening(session, episode, advocate):
    ep = episode(language="es")
    result = ep.screening({"q_safe_leave": "no", "q_documents": "yes", "q_commercial_sex": "yes",
                           "q_money_taken": "yes", "q_under18": "yes"})
    case = cases.open_case(session, ep.request, advocate=advocate)

    assert case.status == "Active"
    assert case.trafficking_status == "PossibleVictimOfTrafficking"
    assert set(case.methods_of_control) == set(result["indicators"]) == {
        "MethodsOfControlRestrictsMovement", "MethodsOfControlWithholdsDocuments",
        "MethodsOfControlTakesEarnings"}
    assert case.types_of_exploitation == ["ForcedLabour", "SexualExploitation"]
    assert case.minor is True
    assert case.language == "es"
    assert case.imminent_danger is False
    assert audit_actions(session, case.id) == ["case_open"]


def test_emergency_screening_and_tip_set_danger_and_state(session, episode):
    ep = episode(language="en")
    ep.screening({"q_violence": "yes"}, emergency=True)
    ep.tip(what="people locked in a van", state_code="TX", minor_involved="no", danger="yes")
    case = cases.open_case(session, ep.request.id)
    assert case.imminent_danger is True
    assert case.state == "TX"
    assert case.minor is False
    assert case.methods_of_control == ["MethodsOfControlPhysicalAbuse",
                                       "MethodsOfControlSexualAbuse"]
    # Opened without an advocate: the system opened it.
    event = session.execute(select(AuditEvent).where(AuditEvent.case_id == case.id)).scalar_one()
    assert (event.action, event.actor, event.actor_id) == ("case_open", "system", None)


def test_one_case_per_episode(session, episode):
    ep = episode()
    first = cases.open_case(session, ep.request)
    assert cases.open_case(session, ep.request.id) is first
    assert session.execute(select(ReferralCase)).scalars().all() == [first]
    # A new handoff request is a new episode: a new case.
    ep2_request = type(ep.request)(conversation_id=ep.id, reason="emergency",
                                   priority="emergency")
    session.add(ep2_request)
    session.flush()
    second = cases.open_case(session, ep2_request)
    assert second.id != first.id and second.imminent_danger is True
    assert cases.case_for_conversation(session, ep.id).id == second.id


def test_update_validates_against_htcds_values(session, episode, advocate):
    case = cases.open_case(session, episode().request)
    cases.update_case(session, case, advocate, types_of_exploitation=["ForcedBegging"],
                      forced_labour_industry=["F_Construction"], state="ca",
                      referral_reason="Needs shelter tonight")
    assert case.types_of_exploitation == ["ForcedBegging"]
    assert case.state == "CA"
    with pytest.raises(CaseError, match="not HTCDS value names: Begging"):
        cases.update_case(session, case, advocate, types_of_exploitation=["Begging"])
    with pytest.raises(CaseError):
        cases.update_case(session, case, advocate, methods_of_control=["DebtBondage"])
    with pytest.raises(CaseError, match="not editable"):
        cases.update_case(session, case, advocate, status="Closed")
    with pytest.raises(CaseError, match="state"):
        cases.update_case(session, case, advocate, state="ZZ")
    with pytest.raises(CaseError, match="directory"):
        cases.update_case(session, case, advocate, receiving_org="no_such_org")
    # Refused changes leave the case as it was.
    assert case.types_of_exploitation == ["ForcedBegging"]
    assert audit_actions(session, case.id) == ["case_open", "case_update"]


def test_free_text_is_encrypted_at_rest(session, episode, advocate):
    case = cases.open_case(session, episode().request)
    cases.update_case(session, case, advocate, referral_details="works at Rosa's diner on 5th")
    session.flush()
    raw = session.execute(text("SELECT referral_details FROM referral_cases WHERE id = :i"),
                          {"i": case.id}).scalar_one()
    assert raw.startswith("f2:") and "diner" not in raw


def test_verified_status_needs_the_deciding_organisation(session, episode, advocate):
    case = cases.open_case(session, episode().request)
    with pytest.raises(CaseError, match="organisation that decided"):
        cases.update_case(session, case, advocate, trafficking_status="ActualVictimOfTrafficking")
    cases.update_case(session, case, advocate, trafficking_status="ActualVictimOfTrafficking",
                      trafficking_status_org="Police")
    assert case.trafficking_status == "ActualVictimOfTrafficking"


def test_only_a_supervisor_clears_the_minor_flag(session, episode, advocate, supervisor):
    case = cases.open_case(session, episode(minor=True).request)
    assert case.minor is True
    with pytest.raises(CaseError, match="supervisor"):
        cases.update_case(session, case, advocate, minor=False)
    cases.update_case(session, case, supervisor, minor=False)
    assert case.minor is False


def test_referral_needs_consent_unless_minor_or_danger(session, episode, advocate):
    ep = episode()
    case = cases.open_case(session, ep.request)
    with pytest.raises(CaseError, match="consent"):
        cases.refer(session, case, HOTLINE_ORG, advocate)
    assert case.referred_at is None
    record_consent(session, case, fields=["cas_Status"], receiving_org=HOTLINE_ORG,
                   inbound_message_id=ep.message().id, advocate=advocate)
    cases.refer(session, case, HOTLINE_ORG, advocate, reason="wants legal help")
    assert case.receiving_org == HOTLINE_ORG and case.referred_at is not None
    assert case.referred_by == advocate.id

    minor_case = cases.open_case(session, episode(minor=True).request)
    cases.refer(session, minor_case, NCMEC_ORG, advocate)  # the safety path
    event = session.execute(select(AuditEvent).where(AuditEvent.case_id == minor_case.id,
                                                     AuditEvent.action == "case_refer")
                            ).scalar_one()
    assert event.details["basis"] == "safety"


def test_status_lifecycle(session, episode, advocate):
    case = cases.open_case(session, episode(priority="emergency").request)
    cases.set_status(session, case, "FollowUp", advocate)
    assert case.status == "FollowUp"
    with pytest.raises(CaseError, match="refer first"):
        cases.set_status(session, case, "ClosedReferred", advocate)
    cases.refer(session, case, seed_org("emergency_911"), advocate)
    cases.set_status(session, case, "ClosedReferred", advocate)
    assert case.status == "ClosedReferred" and case.closed_at is not None
    assert case.closed_by == advocate.id
    with pytest.raises(CaseError, match="closed"):
        cases.update_case(session, case, advocate, state="TX")
    with pytest.raises(CaseError):
        cases.set_status(session, case, "Pending", advocate)
    cases.set_status(session, case, "Active", advocate)  # reopen
    assert case.closed_at is None
    assert set(htcds.CASE_STATUSES) == set(htcds.allowed_values("status"))
    assert audit_actions(session, case.id) == [
        "case_open", "case_status", "case_refer", "case_close", "case_status"]


def test_describe_case_for_the_console(session, episode):
    case = cases.open_case(session, episode().request)
    view = cases.describe_case(case)
    assert view["status"] == "Active" and view["id"] == case.id
    assert set(cases.EDITABLE_FIELDS) <= set(view)
    assert HOTLINE_ORG in cases.receiving_organisations(session)
