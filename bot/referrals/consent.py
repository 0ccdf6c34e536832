"""Consent: what the texter agreed may be shared, with whom, when, by which message.

Consent is recorded by an advocate and points at the texter's own inbound
message in the case's conversation (the evidence). It names export fields
(HTCDS names, htcds.SHAREABLE_FIELDS) and one receiving organisation.
Withdrawn consent stops counting from that moment. Recording and withdrawing
are audited.

The evidence message must be the texter's: an inbound message of the case's
conversation, received during this episode (not before its handoff request),
and not one the channel answered by itself (an SMS STOP or an unsupported
attachment is never consent).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.referrals import htcds
from bot.store.audit import record_event
from bot.store.models import (
    Advocate,
    Consent,
    HandoffRequest,
    InboundMessage,
    ReferralCase,
    as_utc,
    utcnow,
)


class ConsentError(ValueError):
    """Consent that cannot be recorded (unknown field or org, message not the texter's)."""


def _evidence(session: Session, case: ReferralCase, inbound_message_id: int) -> InboundMessage:
    message = session.get(InboundMessage, inbound_message_id)
    if message is None or message.conversation_id != case.conversation_id:
        raise ConsentError("consent must be given by a message of this case's texter")
    if message.fixed_reply is not None:
        raise ConsentError("that message was a channel command (e.g. STOP), not consent")
    request = session.get(HandoffRequest, case.handoff_request_id) \
        if case.handoff_request_id is not None else None
    episode_start = request.created_at if request is not None else case.opened_at
    if as_utc(message.received_at) < as_utc(episode_start):
        raise ConsentError("that message is from before this case's episode")
    return message


def record_consent(session: Session, case: ReferralCase, *, fields: Iterable[str],
                   receiving_org: str, inbound_message_id: int,
                   advocate: Advocate) -> Consent:
    """Record the texter's consent; given_at is the message's received time.

    Raises ConsentError when a field is not shareable, the org is not in the
    resource directory, the case is closed, or the message is not an inbound
    message of this case's conversation (see the module docstring). Audited
    ("consent_record").
    """
    from bot.referrals.cases import is_closed, receiving_organisations

    wanted = set(fields) if not isinstance(fields, str) else {fields}
    unknown = sorted(wanted - set(htcds.SHAREABLE_FIELDS))
    if unknown:
        raise ConsentError(f"not shareable fields: {', '.join(unknown)}")
    if not wanted:
        raise ConsentError("consent must name at least one field")
    if receiving_org not in receiving_organisations(session):
        raise ConsentError(f"unknown receiving organisation {receiving_org!r}")
    if is_closed(case):
        raise ConsentError("the case is closed")
    message = _evidence(session, case, inbound_message_id)
    consent = Consent(case_id=case.id, fields=[f for f in htcds.SHAREABLE_FIELDS if f in wanted],
                      receiving_org=receiving_org, given_at=message.received_at,
                      inbound_message_id=message.id, recorded_by=advocate.id)
    session.add(consent)
    session.flush()
    record_event(session, "consent_record", advocate=advocate,
                 conversation_id=case.conversation_id, case_id=case.id, consent_id=consent.id,
                 receiving_org=receiving_org, fields=list(consent.fields),
                 inbound_message_id=message.id)
    return consent


def withdraw_consent(session: Session, consent: Consent, advocate: Advocate) -> Consent:
    """Mark consent withdrawn now (idempotent); audited ("consent_withdraw")."""
    if consent.withdrawn_at is not None:
        return consent
    consent.withdrawn_at, consent.withdrawn_by = utcnow(), advocate.id
    case = session.get(ReferralCase, consent.case_id)
    record_event(session, "consent_withdraw", advocate=advocate,
                 conversation_id=case.conversation_id if case else None,
                 case_id=consent.case_id, consent_id=consent.id)
    return consent


def active_consents(session: Session, case: ReferralCase,
                    receiving_org: str | None = None) -> list[Consent]:
    """The case's consents not withdrawn, optionally for one organisation, oldest first."""
    query = select(Consent).where(Consent.case_id == case.id, Consent.withdrawn_at.is_(None))
    if receiving_org is not None:
        query = query.where(Consent.receiving_org == receiving_org)
    return list(session.execute(query.order_by(Consent.given_at, Consent.id)).scalars())


def shareable_fields(session: Session, case: ReferralCase,
                     receiving_org: str | None = None) -> frozenset[str]:
    """Export field names the texter agreed to share with the org (default: the case's org)."""
    org = receiving_org or case.receiving_org
    if org is None:
        return frozenset()
    return frozenset(f for c in active_consents(session, case, org) for f in c.fields)
