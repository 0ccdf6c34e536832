"""Report figures computed by the database, against rows with known counts and a seeded year.

Runs on SQLite and (scripts/test-services) PostgreSQL: the dialect-specific
expressions (days, hour of week, seconds between, JSON arrays) are exercised on both.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from bot.demo.seed import seed
from bot.reports.queries import Filters, ReportFilterError, Reports
from bot.store.crypto import Keyring, set_keyring
from bot.store.db import session_scope
from bot.store.models import (
    Conversation,
    HandoffRequest,
    InboundMessage,
    OutboundMessage,
    ScreeningRecord,
    Tip,
    as_utc,
)
from tests.conftest import TEST_DATA_KEY

# Sunday 2026-11-29 is in the range; Monday 2026-11-30 the last day.
T = datetime(2026, 11, 29, 21, 30, tzinfo=timezone.utc)
NOV = Filters(date(2026, 11, 23), date(2026, 11, 30))


@pytest.fixture(autouse=True)
def keyring():  # type: ignore[no-untyped-def]
    set_keyring(Keyring([TEST_DATA_KEY]))
    yield
    set_keyring(None)


def _conv(s, n: int, channel: str, language: str, at: datetime) -> str:  # type: ignore[no-untyped-def]
    c = Conversation(channel=channel, contact_key=f"k{n}", contact_address=f"+1555010{n:04d}",
                     language=language, created_at=at)
    s.add(c)
    s.flush()
    return c.id


def _known(db_url: str) -> None:
    """Three conversations in range (2 SMS en, 1 web es) and one before it."""
    with session_scope(db_url) as s:
        a = _conv(s, 1, "twilio", "en", T)
        b = _conv(s, 2, "twilio", "en", T + timedelta(hours=3))  # Monday 00:30
        c = _conv(s, 3, "webchat", "es", T)
        old = _conv(s, 4, "twilio", "en", T - timedelta(days=30))
        for i, conv in enumerate((a, a, b, c, old)):
            s.add(InboundMessage(channel="webchat" if conv == c else "twilio",
                                 provider_message_id=f"m{i}", conversation_id=conv,
                                 body="secret words", received_at=T + timedelta(minutes=i)
                                 if conv != old else T - timedelta(days=30)))
        s.add(OutboundMessage(conversation_id=a, channel="twilio", body="hi", status="sent",
                              attempts=3, created_at=T))
        s.add(OutboundMessage(conversation_id=b, channel="twilio", body="hi", status="failed",
                              attempts=2, last_error="30003", created_at=T))
        s.add(OutboundMessage(conversation_id=c, channel="webchat", body="hi", status="expired",
                              attempts=1, created_at=T))
        # Waits 60 s, 120 s, 600 s (claimed); one left, one off-hours notice.
        for conv, wait in ((a, 60), (b, 120), (c, 600)):
            s.add(HandoffRequest(conversation_id=conv, reason="asked", priority="normal",
                                 status="closed", created_at=T, claimed_at=T + timedelta(
                                     seconds=wait), closed_at=T + timedelta(hours=1),
                                 disposition="referred"))
        s.add(HandoffRequest(conversation_id=b, reason="screening", priority="high",
                             status="left", created_at=T,
                             unclaimed_notice_at=T + timedelta(seconds=5)))
        s.add(HandoffRequest(conversation_id=old, reason="asked", priority="normal",
                             status="closed", created_at=T - timedelta(days=30)))
        s.add(ScreeningRecord(conversation_id=a, answers={}, indicators=[
            "MethodsOfControlThreats", "MethodsOfControlDebtBondage"], exploitation_type="labor",
            minor=True, triage="high", result={}, created_at=T))
        s.add(ScreeningRecord(conversation_id=c, answers={}, indicators=["MethodsOfControlThreats"],
                              exploitation_type="sex", minor=False, triage="medium", result={},
                              created_at=T))
        s.add(Tip(conversation_id=c, state_code="TX", urgent=True, created_at=T))
        s.add(Tip(conversation_id=a, state_code="TX", urgent=False, created_at=T))


def _series(chart, name: str) -> dict:  # type: ignore[no-untyped-def]
    return dict(zip(chart.labels, chart.series[name], strict=True))


def test_known_rows_give_known_figures(db_url: str) -> None:
    _known(db_url)
    with session_scope(db_url) as s:
        r = Reports(s, NOV)
        per_day = r.conversations_per_day()
        assert _series(per_day, "twilio")["2026-11-29"] == 1
        assert _series(per_day, "twilio")["2026-11-30"] == 1
        assert _series(per_day, "webchat")["2026-11-29"] == 1
        assert sum(sum(v) for v in per_day.series.values()) == 3  # the old one is out of range
        assert len(per_day.labels) == 8
        msgs = r.messages_per_day()
        assert sum(msgs.series["twilio in"]) == 3 and sum(msgs.series["webchat in"]) == 1
        assert sum(msgs.series["twilio out"]) == 2 and sum(msgs.series["webchat out"]) == 1
        how = r.hour_of_week()
        assert _series(how, "twilio")["Sun 21h"] == 1 and _series(how, "twilio")["Mon 00h"] == 1
        assert _series(how, "webchat")["Sun 21h"] == 1
        esc = r.escalations()
        assert _series(esc, "normal")["asked"] == 3 and _series(esc, "high")["screening"] == 1
        figures = _series(r.queue_figures(), "value")
        assert figures["escalations"] == 4 and figures["claimed"] == 3
        assert figures["wait to claim, median (minutes)"] == 2.0
        assert figures["wait to claim, 90th percentile (minutes)"] == 10.0
        assert figures["told nobody was free"] == 1 and figures["of which off hours"] == 1
        assert figures["texter left the queue"] == 1
        assert _series(r.dispositions(), "count") == {"referred": 3}
        assert _series(r.triage(), "minor flagged")["high"] == 1
        assert _series(r.triage(), "not flagged")["medium"] == 1
        assert _series(r.methods_of_control(), "count") == {"DebtBondage": 1, "Threats": 2}
        assert _series(r.exploitation_types(), "count") == {"labor": 1, "sex": 1, "both": 0,
                                                            "unclear": 0}
        assert _series(r.tips(), "urgent") == {"TX": 1} and _series(r.tips(), "not urgent") == {
            "TX": 1}
        assert _series(r.delivery(), "count") == {"sent": 1, "failed": 1, "expired": 1,
                                                  "cancelled": 0}
        assert _series(r.delivery_figures(), "count") == {
            "retries": 3, "provider errors": 1, "opted out or blocked": 0}
        # Filters: web chat in Spanish only.
        web = Reports(s, Filters(NOV.start, NOV.end, channel="webchat", language="es"))
        assert sum(sum(v) for v in web.conversations_per_day().series.values()) == 1
        assert _series(web.methods_of_control(), "count") == {"Threats": 1}
        assert _series(web.queue_figures(), "value")[
            "wait to claim, median (minutes)"] == 10.0
        assert _series(Reports(s, Filters(NOV.start, NOV.end, language="en")).tips(),
                       "urgent") == {"TX": 0}


def test_seeded_year_matches_counts_taken_row_by_row(db_url: str) -> None:
    with session_scope(db_url) as s:
        seed(s, 60, end=date(2026, 11, 30), seed=11, per_day=10)
    f = Filters(date(2026, 10, 15), date(2026, 11, 20), channel="twilio")
    with session_scope(db_url) as s:
        convs = s.execute(sa.select(Conversation.id, Conversation.channel,
                                    Conversation.created_at)).all()
        twilio = {c.id for c in convs if c.channel == "twilio"}
        in_range = {c.id for c in convs if c.id in twilio and f.since <= as_utc(c.created_at)
                    < f.until}
        requests = s.execute(sa.select(HandoffRequest)).scalars().all()
        expect_reasons = Counter(r.reason for r in requests if r.conversation_id in twilio
                                 and f.since <= as_utc(r.created_at) < f.until)
        waits = sorted((as_utc(r.claimed_at) - as_utc(r.created_at)).total_seconds()
                       for r in requests if r.claimed_at is not None
                       and r.conversation_id in twilio and f.since <= as_utc(r.created_at)
                       < f.until)
        screenings = s.execute(sa.select(ScreeningRecord)).scalars().all()
        expect_methods = Counter(m.removeprefix("MethodsOfControl") for r in screenings
                                 if r.conversation_id in twilio
                                 and f.since <= as_utc(r.created_at) < f.until
                                 for m in r.indicators)
        r = Reports(s, f)
        assert sum(sum(v) for v in r.conversations_per_day().series.values()) == len(in_range)
        esc = r.escalations()
        assert {label: sum(v[i] for v in esc.series.values())
                for i, label in enumerate(esc.labels)} == dict(expect_reasons)
        assert {k: v for k, v in _series(r.methods_of_control(), "count").items()} == dict(
            expect_methods)
        import math

        median = waits[math.ceil(len(waits) * 0.5) - 1]
        p90 = waits[math.ceil(len(waits) * 0.9) - 1]
        figures = _series(r.queue_figures(), "value")
        assert figures["wait to claim, median (minutes)"] == round(median / 60, 1)
        assert figures["wait to claim, 90th percentile (minutes)"] == round(p90 / 60, 1)


def test_bad_filters_are_refused() -> None:
    with pytest.raises(ReportFilterError):
        Filters(date(2026, 2, 1), date(2026, 1, 1))
    with pytest.raises(ReportFilterError):
        Filters(date(2026, 1, 1), date(2026, 2, 1), channel="fax")
    with pytest.raises(ReportFilterError):
        Filters(date(2026, 1, 1), date(2026, 2, 1), language="fr")
