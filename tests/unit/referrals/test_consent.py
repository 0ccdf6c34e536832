"""Consent: the texter's own message in this episode, named fields, one organisation."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from bot.directory.seed import seed_org
from bot.referrals import cases
from bot.referrals.consent import (
    ConsentError,
    active_consents,
    record_consent,
    shareable_fields,
    withdraw_consent,
)
from bot.store.models import AuditEvent, Consent

HOTLINE_ORG = seed_org("national_hotline")
NCMEC_ORG = seed_org("ncmec")


@pytest.fixture
def case_and_episode(session, episode, advocate):
    ep = episode()
    case = cases.open_case(session, ep.request)
    cases.update_case(session, case, advocate, receiving_org=HOTLINE_ORG)
    return case, ep


def test_consent_records_what_whom_when_and_which_message(session, case_and_episode, advocate):
    case, ep = case_and_episode
    msg = ep.message("yes you can share my state and language")
    consent = record_consent(session, case, fields=["ext_Language", "vic_LocationOfExploitation"],
                             receiving_org=HOTLINE_ORG, inbound_message_id=msg.id,
                             advocate=advocate)
    assert consent.fields == ["vic_LocationOfExploitation", "ext_Language"]  # standard order
    assert consent.given_at == msg.received_at
    assert (consent.inbound_message_id, consent.recorded_by) == (msg.id, advocate.id)
    assert shareable_fields(session, case) == {"vic_LocationOfExploitation", "ext_Language"}
    assert shareable_fields(session, case, NCMEC_ORG) == frozenset()
    event = session.execute(select(AuditEvent).where(AuditEvent.action == "consent_record")
                            ).scalar_one()
    assert event.case_id == case.id and event.actor == advocate.username
    assert event.details["inbound_message_id"] == msg.id
    assert "share my state" not in str(event.details)  # no message text in the audit log


def test_message_of_another_conversation_is_refused(session, case_and_episode, episode,
                                                    advocate):
    case, _ = case_and_episode
    other = episode().message("yes share everything")
    with pytest.raises(ConsentError, match="this case's texter"):
        record_consent(session, case, fields=["cas_Status"], receiving_org=HOTLINE_ORG,
                       inbound_message_id=other.id, advocate=advocate)
    with pytest.raises(ConsentError):
        record_consent(session, case, fields=["cas_Status"], receiving_org=HOTLINE_ORG,
                       inbound_message_id=999_999, advocate=advocate)
    assert session.execute(select(Consent)).scalars().all() == []


def test_channel_commands_and_earlier_episodes_are_not_consent(session, case_and_episode,
                                                               advocate):
    case, ep = case_and_episode
    stop = ep.message("STOP", fixed_reply="silent")
    with pytest.raises(ConsentError, match="not consent"):
        record_consent(session, case, fields=["cas_Status"], receiving_org=HOTLINE_ORG,
                       inbound_message_id=stop.id, advocate=advocate)
    old = ep.message("yes", received_at=datetime.now(timezone.utc) - timedelta(days=3))
    with pytest.raises(ConsentError, match="before this case's episode"):
        record_consent(session, case, fields=["cas_Status"], receiving_org=HOTLINE_ORG,
                       inbound_message_id=old.id, advocate=advocate)


def test_unknown_fields_and_organisations_are_refused(session, case_and_episode, advocate):
    case, ep = case_and_episode
    msg = ep.message()
    for fields, org in ((["prs_MobilePhone"], HOTLINE_ORG), ([], HOTLINE_ORG),
                        (["cas_Status"], "acme_shelter")):
        with pytest.raises(ConsentError):
            record_consent(session, case, fields=fields, receiving_org=org,
                           inbound_message_id=msg.id, advocate=advocate)


def test_withdrawn_consent_no_longer_counts(session, case_and_episode, advocate):
    case, ep = case_and_episode
    keep = record_consent(session, case, fields=["cas_Status"], receiving_org=HOTLINE_ORG,
                          inbound_message_id=ep.message().id, advocate=advocate)
    gone = record_consent(session, case, fields=["ext_Language"],
                          receiving_org=HOTLINE_ORG,
                          inbound_message_id=ep.message().id, advocate=advocate)
    withdraw_consent(session, gone, advocate)
    withdraw_consent(session, gone, advocate)  # idempotent, audited once
    assert gone.withdrawn_at is not None and gone.withdrawn_by == advocate.id
    assert active_consents(session, case) == [keep]
    assert shareable_fields(session, case) == {"cas_Status"}
    actions = session.execute(select(AuditEvent.action).where(AuditEvent.case_id == case.id)
                              ).scalars().all()
    assert actions.count("consent_withdraw") == 1
