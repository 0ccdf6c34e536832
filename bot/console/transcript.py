"""What an advocate reads about a conversation, built from the store.

Why a module of its own: the conversation page, its JSON poll and the referral
case form all need the same transcript and summaries, and tests can check them
without a web server. Every function only reads; decryption happens in the ORM
(EncryptedText / EncryptedJSON). Nothing here ever returns the texter's phone
number or chat id (`Conversation.contact_address`): the only way to see it is
the supervisor's audited reveal in the conversation view.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.screening.questions import QUESTIONS
from bot.store.models import (
    Advocate,
    AdvocateNote,
    Conversation,
    InboundMessage,
    OutboundMessage,
    ScreeningRecord,
    Tip,
    as_utc,
)

TEXTER, ASSISTANT, ADVOCATE = "texter", "assistant", "advocate"

# HTCDS "Methods of Control" field names -> words an advocate reads at a glance
# (definitions: docs/reference/htcds/Field Definitions.md).
INDICATOR_LABELS: dict[str, str] = {
    "MethodsOfControlDebtBondage": "Debt bondage",
    "MethodsOfControlTakesEarnings": "Takes earnings",
    "MethodsOfControlRestrictsFinancialAccess": "Restricts access to money",
    "MethodsOfControlThreats": "Threats",
    "MethodsOfControlPsychologicalAbuse": "Psychological abuse",
    "MethodsOfControlPhysicalAbuse": "Physical abuse",
    "MethodsOfControlSexualAbuse": "Sexual abuse",
    "MethodsOfControlFalsePromises": "False promises",
    "MethodsOfControlPsychoactiveSubstances": "Psychoactive substances",
    "MethodsOfControlRestrictsMovement": "Restricts movement",
    "MethodsOfControlRestrictsMedicalCare": "Restricts medical care",
    "MethodsOfControlExcessiveWorkingHours": "Excessive working hours",
    "MethodsOfControlUsesChildren": "Uses children",
    "MethodsOfControlThreatOfLawEnforcement": "Threat of police / immigration",
    "MethodsOfControlWithholdsNecessities": "Withholds necessities",
    "MethodsOfControlWithholdsDocuments": "Withholds documents",
    "MethodsOfControlOther": "Other control (e.g. employer-controlled housing)",
}
EXPLOITATION_LABELS: dict[str, str] = {
    "labor": "Labour", "sex": "Sex", "both": "Labour and sex (to confirm)",
    "unclear": "Unclear",
}
ANSWER_LABELS: dict[str, str] = {"yes": "yes", "no": "no", "not_sure": "not sure",
                                 "skip": "skipped"}
_THEMES: dict[str, str] = {q.id: q.theme for q in QUESTIONS}


def indicator_label(name: str) -> str:
    """A readable label for an HTCDS value name; unknown names are split at capitals."""
    if name in INDICATOR_LABELS:
        return INDICATOR_LABELS[name]
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name.removeprefix("MethodsOfControl")).strip()
    return words.capitalize() if words else name


# --------------------------------------------------------------------------- transcript


@dataclass(frozen=True)
class TranscriptEntry:
    """One message as the advocate sees it.

    `key` is unique within a conversation ("in-12", "out-34"); `status` is the
    outbox state with the provider's delivery report when there is one
    (None for texter messages). `held` marks texter messages kept for a person.
    """

    key: str
    message_id: int
    author: str  # texter | assistant | advocate
    author_name: str
    at: datetime
    text: str
    status: str | None = None
    held: bool = False

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["at"] = self.at.isoformat()
        return data


def delivery_label(status: str, delivery_status: str | None) -> str:
    """One word for the advocate: the provider's report wins once the message left."""
    if status == "sent" and delivery_status:
        return delivery_status
    return status


def transcript(session: Session, conversation_id: str) -> list[TranscriptEntry]:
    """Texter, assistant and advocate messages merged in time order (ties: texter first)."""
    inbound = session.execute(
        select(InboundMessage).where(InboundMessage.conversation_id == conversation_id)
    ).scalars().all()
    outbound = session.execute(
        select(OutboundMessage).where(OutboundMessage.conversation_id == conversation_id)
    ).scalars().all()
    names = advocate_names(session, {o.advocate_id for o in outbound if o.advocate_id})
    entries: list[tuple[tuple[datetime, int, int], TranscriptEntry]] = []
    for m in inbound:
        at = as_utc(m.received_at)
        entries.append(((at, 0, m.id), TranscriptEntry(
            key=f"in-{m.id}", message_id=m.id, author=TEXTER, author_name="Texter", at=at,
            text=m.body, held=m.handled_by == "advocate")))
    for o in outbound:
        at = as_utc(o.created_at)
        is_advocate = o.author == "advocate"
        name = names.get(o.advocate_id, "Advocate") if is_advocate else "Assistant"
        entries.append(((at, 1, o.id), TranscriptEntry(
            key=f"out-{o.id}", message_id=o.id, author=ADVOCATE if is_advocate else ASSISTANT,
            author_name=name, at=at, text=o.body,
            status=delivery_label(o.status, o.delivery_status))))
    return [entry for _, entry in sorted(entries, key=lambda pair: pair[0])]


def texter_messages(session: Session, conversation_id: str) -> list[TranscriptEntry]:
    """Only the texter's own messages (what consent can point at), in order."""
    return [e for e in transcript(session, conversation_id) if e.author == TEXTER]


def advocate_names(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    """Display names by advocate id (ids that are None or unknown are left out)."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(select(Advocate.id, Advocate.display_name)
                           .where(Advocate.id.in_(wanted))).all()
    return {row.id: row.display_name for row in rows}


# --------------------------------------------------------------------------- summaries


@dataclass(frozen=True)
class Indicator:
    name: str  # HTCDS value name
    label: str
    from_texter: bool = False  # stated in the texter's own words, not a Y/N answer


@dataclass(frozen=True)
class ScreeningAnswer:
    question_id: str
    theme: str
    answer: str
    from_texter: bool = False


@dataclass(frozen=True)
class ScreeningSummary:
    """The latest screening: indicators with labels, triage and why, answers per theme."""

    at: datetime
    complete: bool
    triage: str
    exploitation_type: str
    exploitation_label: str
    htcds_types: tuple[str, ...]
    minor: bool
    indicators: tuple[Indicator, ...]
    reasons: tuple[str, ...]
    answers: tuple[ScreeningAnswer, ...]
    # HTCDS names the texter stated in their own words (actions/disclosures.py).
    from_texters_words: tuple[str, ...] = ()


def summarize_screening(record: ScreeningRecord) -> ScreeningSummary:
    """Turn one stored screening into what the conversation page shows."""
    result: dict[str, Any] = dict(record.result or {})
    answers = dict(record.answers or {})
    heard = [h for h in result.get("from_texters_words") or () if isinstance(h, dict)]
    heard_names = {str(h["htcds"]) for h in heard if h.get("htcds")}
    heard_questions = {str(h.get("question")) for h in heard}
    return ScreeningSummary(
        at=as_utc(record.created_at),
        complete=bool(record.complete),
        triage=record.triage,
        exploitation_type=record.exploitation_type,
        exploitation_label=EXPLOITATION_LABELS.get(record.exploitation_type,
                                                   record.exploitation_type),
        htcds_types=tuple(result.get("htcds_type_of_exploitation") or ()),
        minor=bool(record.minor),
        indicators=tuple(Indicator(n, indicator_label(n), n in heard_names)
                         for n in (record.indicators or ())),
        reasons=tuple(str(r) for r in result.get("reasons") or ()),
        answers=tuple(
            ScreeningAnswer(q.id, q.theme, ANSWER_LABELS.get(str(answers[q.id]),
                                                             str(answers[q.id])),
                            q.id in heard_questions)
            for q in QUESTIONS if q.id in answers
        ),
        from_texters_words=tuple(sorted(heard_names)),
    )


def screening_summary(session: Session, conversation_id: str) -> ScreeningSummary | None:
    """The conversation's most recent screening, or None when it had none."""
    record = session.execute(
        select(ScreeningRecord).where(ScreeningRecord.conversation_id == conversation_id)
        .order_by(ScreeningRecord.created_at.desc(), ScreeningRecord.id.desc()).limit(1)
    ).scalar_one_or_none()
    return summarize_screening(record) if record else None


@dataclass(frozen=True)
class TipDetails:
    """A tip from a member of the public (free text decrypted by the ORM)."""

    id: int
    at: datetime
    complete: bool
    what: str | None
    location: str | None
    state_code: str | None
    when_seen: str | None
    minor_involved: str | None
    danger: str | None
    contact_ok: bool
    urgent: bool


def tips(session: Session, conversation_id: str) -> list[TipDetails]:
    """Every tip of the conversation, newest first."""
    rows = session.execute(
        select(Tip).where(Tip.conversation_id == conversation_id)
        .order_by(Tip.created_at.desc(), Tip.id.desc())
    ).scalars().all()
    return [TipDetails(t.id, as_utc(t.created_at), bool(t.complete), t.what, t.location,
                       t.state_code, t.when_seen, t.minor_involved, t.danger,
                       bool(t.contact_ok), bool(t.urgent)) for t in rows]


@dataclass(frozen=True)
class NoteView:
    id: int
    at: datetime
    author_name: str
    text: str


def notes(session: Session, conversation_id: str) -> list[NoteView]:
    """Internal notes (never sent to the texter), oldest first."""
    rows = session.execute(
        select(AdvocateNote).where(AdvocateNote.conversation_id == conversation_id)
        .order_by(AdvocateNote.created_at, AdvocateNote.id)
    ).scalars().all()
    names = advocate_names(session, {n.advocate_id for n in rows})
    return [NoteView(n.id, as_utc(n.created_at), names.get(n.advocate_id, "Advocate"), n.body)
            for n in rows]


@dataclass(frozen=True)
class ConversationFacts:
    """Channel, language and state of a conversation; deliberately no address."""

    id: str
    channel: str
    language: str | None
    status: str
    urgent: bool
    unreachable: bool
    created_at: datetime
    last_inbound_at: datetime | None


def conversation_facts(conversation: Conversation) -> ConversationFacts:
    return ConversationFacts(conversation.id, conversation.channel, conversation.language,
                             conversation.status, bool(conversation.urgent),
                             bool(conversation.unreachable), as_utc(conversation.created_at),
                             as_utc(conversation.last_inbound_at))


def wait_seconds(since: datetime, now: datetime | None = None) -> int:
    """Whole seconds since `since` (never negative)."""
    now = now or datetime.now(timezone.utc)
    return max(0, int((now - as_utc(since)).total_seconds()))


def format_wait(seconds: int) -> str:
    """"45s", "3m 05s", "2h 07m": short enough for a queue column."""
    if seconds < 60:
        return f"{seconds}s"
    minutes, secs = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m {secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m"
