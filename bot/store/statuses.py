"""The statuses of stored rows, as enums whose values are the strings in the database.

Why str-valued enums (`class X(StrEnum)`, Python 3.11's `enum.StrEnum` on
3.10): a typo is an AttributeError instead of a query that silently matches
nothing, and a member is still the same string to the database, to JSON and
to a comparison with a value read back (`row.status == OutboundStatus.SENT`
holds for the plain "sent" a query returns), so no data migration is needed.
"""

from __future__ import annotations

import enum


class StrEnum(str, enum.Enum):
    """A str whose members print as their value (enum.StrEnum arrives in Python 3.11)."""

    def __str__(self) -> str:
        return str(self.value)


class InboundStatus(StrEnum):
    """inbound_messages.status: in the inbox, then answered (bot/messaging/)."""

    ACCEPTED = "accepted"    # stored, not yet processed (recovery picks it up after a crash)
    PROCESSED = "processed"  # its replies are stored (or it was held for an advocate)


class OutboundStatus(StrEnum):
    """outbound_messages.status: the outbox row's life (bot/messaging/outbox_worker.py)."""

    QUEUED = "queued"          # waiting to be sent (also between retries)
    SENDING = "sending"        # claimed by a worker
    SENT = "sent"              # the provider accepted it (web chat: handed to the page)
    FAILED = "failed"          # a permanent error, or every attempt spent
    SUPPRESSED = "suppressed"  # the contact opted out or blocked the bot
    EXPIRED = "expired"        # outside the reply window: never texts first
    CANCELLED = "cancelled"    # quick exit / must stop before it went out


# Not yet handed to the provider for good: a retry waits as QUEUED too.
OUTBOUND_PENDING = (OutboundStatus.QUEUED, OutboundStatus.SENDING)


class ConversationStatus(StrEnum):
    """conversations.status: who answers the texter (follows the handoff request)."""

    BOT = "bot"            # the assistant
    QUEUED = "queued"      # waiting for an advocate; the assistant still answers
    ADVOCATE = "advocate"  # claimed by an advocate


class HandoffStatus(StrEnum):
    """handoff_requests.status: one queue entry from escalation to its end (bot/handoff/)."""

    OPEN = "open"                # in the queue
    CLAIMED = "claimed"          # an advocate owns it
    CLOSED = "closed"            # closed by an advocate, with a disposition
    HANDED_BACK = "handed_back"  # back to the assistant
    LEFT = "left"                # the texter said never mind / quick exit / Leave
    EXPIRED = "expired"          # nobody claimed it and no consent to text back


# A request that still holds the conversation, and the ones that ended.
HANDOFF_ACTIVE = (HandoffStatus.OPEN, HandoffStatus.CLAIMED)
HANDOFF_ENDED = (HandoffStatus.CLOSED, HandoffStatus.HANDED_BACK, HandoffStatus.LEFT,
                 HandoffStatus.EXPIRED)


class Triage(StrEnum):
    """screening_results.triage, lowest first (bot/screening/rules.py decides it)."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    EMERGENCY = "emergency"
