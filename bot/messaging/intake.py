"""The one inbound path: every channel hands its parsed message here.

Channel adapters (bot/channels/) only verify the request and parse the
provider's payload into an `Incoming`. Everything after that is the same for
SMS, Telegram and the web chat, in this order:

1. dedup by (channel, provider message id): a redelivery finds the earlier row;
2. flood control (bot/messaging/flood.py), after dedup, so a provider's retry
   never counts against the texter;
3. the durable inbox write (bot/messaging/inbox.py), in the same transaction;
4. routing: the router processes the row after the webhook has answered.

A failure to store raises: each adapter answers that its own way (TwiML with
the 24/7 numbers, a 503, a 500 that Telegram retries).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.messaging import inbox
from bot.messaging.flood import limiter_for
from bot.messaging.router import SILENT
from bot.store.contacts import contact_key

if TYPE_CHECKING:
    from bot.messaging.service import MessagingService


@dataclass(frozen=True)
class Incoming:
    """One parsed inbound message, the same shape for every channel."""

    channel: str
    provider_message_id: str
    address: str
    # What the inbox stores; a callable gets the texter's known language (or None).
    body: str | Callable[[str | None], str]
    # What flood control reads to exempt an emergency or the exit word (default: body).
    text: str | None = None
    # A reply decided by the channel (a template key, or "silent"), skipping the assistant.
    fixed_reply: str | None = None
    # An opt-in (True) or opt-out / block (False) the channel saw; None: no change.
    reachable: bool | None = None

    def flood_text(self) -> str | None:
        if self.text is not None:
            return self.text
        return self.body if isinstance(self.body, str) else None


@dataclass(frozen=True)
class Received:
    accepted: inbox.Accepted
    # The router's work on this row (its replies), or None when there is nothing to do.
    turn: asyncio.Task[list[dict[str, Any]]] | None


async def receive(service: MessagingService, incoming: Incoming) -> Received:
    """Dedup, flood control, the inbox write and routing for one message."""
    settings = service.settings
    router = service.routers[incoming.channel]
    flood = limiter_for(settings)
    key = contact_key(service.secret, incoming.channel, incoming.address)

    def throttle() -> str | None:
        # An opt-out ("silent") stays silent; otherwise over the per-sender limit the
        # message is stored, answered once ("slow_down"), then silently.
        if incoming.fixed_reply == SILENT:
            return None
        return flood.fixed_reply(key, incoming.flood_text())

    accepted = await asyncio.to_thread(
        inbox.accept, settings.database_url, service.secret, channel=incoming.channel,
        provider_message_id=incoming.provider_message_id, address=incoming.address,
        body=incoming.body, fixed_reply=incoming.fixed_reply, throttle=throttle,
        reachable=incoming.reachable)
    turn = None
    if not accepted.duplicate or (router.delivered_inline and accepted.same_sender):
        # Channels that answer in the HTTP response (web chat) get a retry's stored
        # replies back; the others answered the first delivery already.
        turn = service.spawn(router.process(accepted.inbound_id, accepted.conversation_id))
    return Received(accepted, turn)
