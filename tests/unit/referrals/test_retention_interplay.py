"""The retention purge still works with referral cases: a case goes with its conversation,
and a purged handoff request only unlinks its case."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import create_engine, select

from bot.config import Settings
from bot.directory.seed import seed_org
from bot.referrals import cases
from bot.referrals.consent import record_consent
from bot.retention import purge
from bot.store.db import session_scope
from bot.store.models import (
    Advocate,
    Consent,
    Conversation,
    HandoffRequest,
    InboundMessage,
    ReferralCase,
)

HOTLINE_ORG = seed_org("national_hotline")

LONG_AGO = datetime.now(timezone.utc) - timedelta(days=800)


def test_purge_removes_old_cases_with_their_conversation(db_url, tmp_path: Path, keyring):
    from rasa.core.tracker_store import SQLTrackerStore

    tracker = tmp_path / "tracker.db"
    engine = create_engine(f"sqlite:///{tracker}")
    SQLTrackerStore.Base.metadata.create_all(engine)
    engine.dispose()
    settings = Settings.from_env({"HOTLINE_DATABASE_URL": db_url,
                                  "HOTLINE_TRACKER_DB": str(tracker),
                                  "HOTLINE_SECRET_KEY": "retention-test-secret"})
    with session_scope(db_url) as s:
        conv = Conversation(id="c-old", channel="sms", contact_key="k-old",
                            created_at=LONG_AGO, last_inbound_at=LONG_AGO)
        s.add(conv)
        s.flush()
        request = HandoffRequest(conversation_id=conv.id, reason="asked_for_person",
                                 priority="normal", status="closed", created_at=LONG_AGO)
        s.add(request)
        s.flush()
        case = cases.open_case(s, request)
        case.opened_at = LONG_AGO
        adv = Advocate(username="ana", display_name="Ana", password_hash="x")
        s.add(adv)
        msg = InboundMessage(channel="sms", provider_message_id="p1", conversation_id=conv.id,
                             body="yes", received_at=LONG_AGO + timedelta(seconds=1))
        s.add(msg)
        s.flush()
        record_consent(s, case, fields=["cas_Status"], receiving_org=HOTLINE_ORG,
                       inbound_message_id=msg.id, advocate=adv)
        case.status, case.updated_at = "Closed", LONG_AGO  # only closed cases age out

    counts = purge(settings)
    assert counts["handoff_requests"] == 1 and counts["conversations"] == 1
    assert counts["referral_cases"] == 1 and counts["consents"] == 1
    with session_scope(db_url) as s:
        assert s.execute(select(ReferralCase)).scalars().all() == []
        assert s.execute(select(Consent)).scalars().all() == []
