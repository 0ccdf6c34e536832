"""`hotline demo seed`: realistic synthetic traffic written through the real models.

Why: the reports page and the statistics export need months of traffic to be
shown, tested and benchmarked, and no real texter's data may ever be used for
that. Every row is made up (fictional 555-01xx numbers, stock sentences), is
written with the real ORM and the real encryption, and is marked: demo
conversations have a `contact_key` starting with "demo-" and demo accounts a
username starting with "demo-". The seeder refuses a database holding any
other conversation, so it can never mix invented rows into a real hotline's
figures. The same --seed and --end give the same rows.
"""

from __future__ import annotations

import random
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from bot.handoff.queue import DISPOSITIONS
from bot.screening.questions import QUESTIONS
from bot.screening.rules import evaluate, to_record
from bot.store.models import (
    Advocate,
    Consent,
    Conversation,
    DirOrganization,
    HandoffRequest,
    InboundMessage,
    OutboundMessage,
    ReferralCase,
    ScreeningRecord,
    Tip,
)
from bot.store.statuses import (
    ConversationStatus,
    HandoffStatus,
    InboundStatus,
    OutboundStatus,
)

DEMO_PREFIX = "demo-"
# Not an argon2 hash, so no password ever verifies against it (and the accounts are inactive).
NO_LOGIN_HASH = "!demo-account-no-login"  # noqa: S105
CHANNELS = (("twilio", 0.55), ("webchat", 0.25), ("telegram", 0.20))
LANGUAGES = (("en", 0.62), ("es", 0.38))
# Busier in the evening and at the start of the week (a plausible shape, not data).
HOUR_WEIGHTS = (2, 1, 1, 1, 1, 1, 2, 3, 4, 5, 6, 6, 6, 6, 6, 6, 7, 8, 9, 9, 8, 6, 4, 3)
WEEKDAY_WEIGHTS = (1.15, 1.1, 1.0, 1.0, 0.95, 0.85, 0.9)  # Monday first
REASONS = (("screening", 0.40), ("asked", 0.30), ("tip", 0.12), ("misunderstood", 0.10),
           ("emergency", 0.08))
STATES = ("CA", "TX", "FL", "NY", "GA", "IL", "WA", "NC", "AZ", "OH", "NV", "NJ", "PA", "MI")
INBOUND_TEXTS = ("hi", "I need help", "can I talk to someone", "what are my rights",
                 "hola", "necesito ayuda", "no me pagan", "is this confidential")
OUTBOUND_TEXTS = ("Thanks for writing. You can stop any time.", "Here is some information.",
                  "Gracias por escribir.", "A person from the hotline will read this.")
ANSWER_CHOICES = ("yes", "no", "no", "not_sure", "skip")


class RealDataPresent(RuntimeError):
    """The database holds conversations that are not demo rows."""


@dataclass
class SeedSummary:
    """What was written (for the CLI's message and for tests)."""

    counts: Counter[str] = field(default_factory=Counter)


def real_conversations(session: Session) -> int:
    """How many conversations are not demo rows."""
    return session.execute(
        select(func.count()).select_from(Conversation)
        .where(Conversation.contact_key.notlike(f"{DEMO_PREFIX}%"))
    ).scalar_one()


def _pick(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _demo_advocates(session: Session) -> list[int]:
    """Five inactive demo accounts (nobody can log in as them) who claim and close."""
    ids = []
    for n in range(1, 6):
        name = f"{DEMO_PREFIX}advocate-{n}"
        existing = session.execute(select(Advocate.id).where(Advocate.username == name)
                                   ).scalar_one_or_none()
        if existing is None:
            row = Advocate(username=name, display_name=f"Demo Advocate {n}",
                           password_hash=NO_LOGIN_HASH, role="advocate",
                           active=False)
            session.add(row)
            session.flush()
            existing = row.id
        ids.append(existing)
    return ids


def seed(session: Session, days: int, *, end: date, seed: int = 1,
         per_day: float = 30.0) -> SeedSummary:
    """Write `days` days of traffic ending on `end` (UTC); the caller commits.

    Raises RealDataPresent when the database holds any non-demo conversation.
    """
    if days < 1:
        raise ValueError("days must be at least 1")
    if real_conversations(session):
        raise RealDataPresent("this database holds real conversations; "
                              "demo data goes only into an empty or demo database")
    rng = random.Random(seed)
    advocates = _demo_advocates(session)
    orgs = list(session.scalars(select(DirOrganization.id).order_by(DirOrganization.id)))
    summary = SeedSummary()
    start = end - timedelta(days=days - 1)
    for offset in range(days):
        day = start + timedelta(days=offset)
        _seed_day(session, rng, day, per_day, advocates, orgs, summary,
                  last_day=offset == days - 1)
        session.flush()
    return summary


def analyze(session: Session) -> None:
    """Refresh the planner's statistics after a bulk load (run after the seed commits):
    without them PostgreSQL plans the reports' filtered joins as if the tables were empty."""
    session.execute(text("ANALYZE"))


def _seed_day(session: Session, rng: random.Random, day: date, per_day: float,
              advocates: list[int], orgs: list[str], summary: SeedSummary, *,
              last_day: bool) -> None:
    mean = per_day * WEEKDAY_WEIGHTS[day.weekday()]
    n = max(0, int(rng.gauss(mean, mean ** 0.5)))
    conversations, inbound, outbound = [], [], []
    for _ in range(n):
        hour = rng.choices(range(24), HOUR_WEIGHTS)[0]
        t0 = datetime.combine(day, time(hour, rng.randrange(60), rng.randrange(60)),
                              tzinfo=timezone.utc)
        conv_id = _uuid(rng)
        channel, language = _pick(rng, CHANNELS), _pick(rng, LANGUAGES)
        unreachable = rng.random() < 0.03
        conv = {"id": conv_id, "channel": channel, "contact_key": DEMO_PREFIX + uuid.UUID(
                    int=rng.getrandbits(128)).hex, "language": language,
                "contact_address": f"+1555010{rng.randrange(10000):04d}"
                if channel == "twilio" else str(rng.randrange(10**9, 10**10)),
                "urgent": False, "status": ConversationStatus.BOT, "created_at": t0,
                "last_inbound_at": t0,
                "unreachable": unreachable}
        conversations.append(conv)
        summary.counts["conversations"] += 1
        t = t0
        for i in range(rng.randint(1, 7)):
            inbound.append({"channel": channel, "provider_message_id": f"demo-{conv_id}-{i}",
                            "conversation_id": conv_id, "body": rng.choice(INBOUND_TEXTS),
                            "status": InboundStatus.PROCESSED, "handled_by": "bot", "attempts": 1,
                            "received_at": t, "processed_at": t + timedelta(seconds=2)})
            for _seq in range(rng.randint(1, 2)):
                outbound.append(_outbound(rng, conv_id, channel, t + timedelta(seconds=2)))
            conv["last_inbound_at"] = t
            t += timedelta(seconds=rng.randint(20, 600))
    # Through the ORM, not Core insert(): encrypted values are sealed to their row
    # by an ORM event after the INSERT (bot/store/crypto.py), which Core skips.
    session.add_all([Conversation(**row) for row in conversations])
    session.flush()
    session.add_all([InboundMessage(**row) for row in inbound])
    session.add_all([OutboundMessage(**row) for row in outbound])
    session.flush()
    summary.counts["inbound"] += len(inbound)
    summary.counts["outbound"] += len(outbound)
    for conv in conversations:
        _episode(session, rng, conv, advocates, orgs, summary, last_day=last_day)


def _outbound(rng: random.Random, conv_id: str, channel: str, at: datetime) -> dict:  # type: ignore[type-arg]
    roll = rng.random()
    status, error, delivery = OutboundStatus.SENT, None, "delivered"
    if roll < 0.04:
        status, error, delivery = OutboundStatus.FAILED, "provider error 30003", None
    elif roll < 0.06:
        status, error, delivery = OutboundStatus.EXPIRED, None, None
    elif roll < 0.07:
        status, error, delivery = OutboundStatus.CANCELLED, "quick exit", None
    attempts = 1 + (rng.random() < 0.08) + (rng.random() < 0.02)
    return {"conversation_id": conv_id, "inbound_id": None, "seq": 0, "channel": channel,
            "author": "bot", "body": rng.choice(OUTBOUND_TEXTS), "status": status,
            "attempts": attempts, "last_error": error, "created_at": at,
            "sent_at": at + timedelta(seconds=1) if status == OutboundStatus.SENT else None,
            "delivery_status": delivery if channel == "twilio" else None}


def _episode(session: Session, rng: random.Random, conv: dict, advocates: list[int],  # type: ignore[type-arg]
             orgs: list[str], summary: SeedSummary, *, last_day: bool) -> None:
    """Screening, tip, escalation, claim, case and consent for one conversation."""
    t0: datetime = conv["created_at"]
    result = None
    if rng.random() < 0.45:
        answers = {q.id: rng.choice(ANSWER_CHOICES) for q in QUESTIONS}
        answers["q_under18"] = "yes" if rng.random() < 0.08 else rng.choice(("no", "skip"))
        result = to_record(evaluate(answers, emergency=rng.random() < 0.03))
        session.add(ScreeningRecord(
            conversation_id=conv["id"], created_at=t0 + timedelta(minutes=3), answers=answers,
            indicators=list(result["indicators"]), exploitation_type=result["exploitation_type"],
            minor=bool(result["minor"]), triage=result["triage"], result=result,
            complete=rng.random() < 0.9))
        summary.counts["screenings"] += 1
    state = rng.choice(STATES) if rng.random() < 0.9 else None
    if rng.random() < 0.12:
        session.add(Tip(conversation_id=conv["id"], created_at=t0 + timedelta(minutes=4),
                        what="(demo) a made-up tip", location="(demo) somewhere",
                        state_code=state, when_seen="(demo) recently",
                        minor_involved=rng.choice(("yes", "no", "not_sure")),
                        danger=rng.choice(("yes", "no")), contact_ok=rng.random() < 0.4,
                        urgent=rng.random() < 0.2))
        summary.counts["tips"] += 1
    if rng.random() >= 0.35:
        return
    reason = _pick(rng, REASONS)
    minor = bool(result and result["minor"])
    priority = ("emergency" if reason == "emergency" or (result and result["triage"] ==
                                                         "emergency")
                else "minor" if minor else rng.choice(("high", "normal", "normal")))
    created = t0 + timedelta(minutes=5)
    request = HandoffRequest(conversation_id=conv["id"], created_at=created, reason=reason,
                             priority=priority, minor=minor, details={"demo": True},
                             contact_back=rng.random() < 0.5)
    summary.counts["escalations"] += 1
    roll = rng.random()
    wait = timedelta(seconds=int(rng.lognormvariate(5.5, 1.0)))  # median ~4 minutes
    off_hours = created.hour < 8 or created.hour >= 22
    if off_hours or wait > timedelta(minutes=10):
        request.unclaimed_notice_at = created + (timedelta(seconds=5) if off_hours
                                                 else timedelta(minutes=10))
    if last_day and roll < 0.3:
        request.status = HandoffStatus.OPEN
    elif roll < 0.08:
        request.status, request.closed_at = HandoffStatus.LEFT, created + wait / 2
    elif roll < 0.16 and request.unclaimed_notice_at is not None and not request.contact_back:
        request.status, request.closed_at = HandoffStatus.EXPIRED, request.unclaimed_notice_at
        request.disposition = "no_advocate"
    else:
        who = rng.choice(advocates)
        request.claimed_by, request.claimed_at = who, created + wait
        if rng.random() < 0.1:
            request.status, request.closed_at = HandoffStatus.HANDED_BACK, created + wait * 3
        else:
            request.status, request.closed_at, request.closed_by = (
                HandoffStatus.CLOSED, created + wait + timedelta(minutes=rng.randint(5, 90)), who)
            request.disposition = rng.choice(DISPOSITIONS)
    session.add(request)
    session.flush()
    if request.disposition not in ("referred", "safety_planned", "tip_recorded") \
            and rng.random() > 0.1:
        return
    _case(session, rng, conv, request, result, state, orgs, advocates, summary)


def _case(session: Session, rng: random.Random, conv: dict, request: HandoffRequest,  # type: ignore[type-arg]
          result: dict | None, state: str | None, orgs: list[str],  # type: ignore[type-arg]
          advocates: list[int], summary: SeedSummary) -> None:
    opened = request.created_at + timedelta(minutes=1)
    types = list(result["htcds_type_of_exploitation"]) if result else []
    case = ReferralCase(conversation_id=conv["id"], handoff_request_id=request.id,
                        methods_of_control=list(result["indicators"]) if result else [],
                        types_of_exploitation=types, state=state, language=conv["language"],
                        minor=request.minor, opened_at=opened, updated_at=opened,
                        referral_reason="(demo) made-up referral reason")
    who = request.claimed_by or advocates[0]
    if request.disposition == "referred" or rng.random() < 0.3:
        case.status, case.receiving_org = "Referred", rng.choice(orgs)
        case.referred_at, case.referred_by = opened + timedelta(minutes=20), who
    if rng.random() < 0.3:
        case.status = "Closed"
        case.closed_at, case.closed_by = opened + timedelta(days=rng.randint(1, 20)), who
    session.add(case)
    session.flush()
    summary.counts["cases"] += 1
    if case.receiving_org and rng.random() < 0.6:
        given = opened + timedelta(minutes=15)
        withdrawn = ({"withdrawn_at": given + timedelta(days=3), "withdrawn_by": who}
                     if rng.random() < 0.1 else {})
        session.add(Consent(case_id=case.id, fields=["vic_LocationOfExploitation"],
                            receiving_org=case.receiving_org, given_at=given,
                            inbound_message_id=0, recorded_by=who, recorded_at=given,
                            **withdrawn))
        summary.counts["consents"] += 1
