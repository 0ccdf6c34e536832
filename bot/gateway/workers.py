"""Several Rasa workers on one machine: each conversation always goes to the same one.

One Rasa server runs its NLU and policies on one event loop, so it uses one
core. `hotline run` with HOTLINE_RASA_WORKERS=N starts N Rasa servers (one
supervisord program each, each on its own loopback port) and the gateway
sends every turn of a conversation to worker `hash(conversation id) mod N`.
Why a stable hash and not round robin: Rasa's default in-memory lock store
only serialises the turns of a conversation inside one process, so two
workers must never run turns of the same conversation (the tracker store
itself is shared). The gateway already runs a conversation's turns one at a
time and in order (bot/messaging/turn_order.py); the hash keeps them on one
worker, so the in-memory lock store stays right without Redis.

While a worker is down or restarting, only its conversations wait (in
order, as with one worker); the others go on. Changing N takes effect at the
next `hotline run` and moves conversations between workers, which is safe
because each turn reads the conversation's tracker from the shared store.
"""

from __future__ import annotations

import asyncio
import hashlib

from bot.gateway.rasa_client import RasaClient
from bot.messaging.turn import UserMessage


def worker_index(conversation_id: str, workers: int) -> int:
    """The worker of a conversation: the same for every process and every run (not `hash()`)."""
    if workers < 1:
        raise ValueError("at least one worker")
    digest = hashlib.blake2b(conversation_id.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % workers


class RasaWorkers:
    """The gateway's view of its Rasa workers: `handle` routes a turn to its worker."""

    def __init__(self, clients: list[RasaClient]) -> None:
        if not clients:
            raise ValueError("at least one Rasa worker")
        self.clients = clients

    @classmethod
    def for_urls(cls, urls: list[str], secret: str) -> RasaWorkers:
        return cls([RasaClient(url, secret) for url in urls])

    def client_for(self, conversation_id: str) -> RasaClient:
        return self.clients[worker_index(conversation_id, len(self.clients))]

    async def handle(self, message: UserMessage) -> None:
        """Rasa's `on_new_message`: run the turn on the conversation's worker."""
        await self.client_for(message.sender_id).handle(message)

    @property
    def available(self) -> bool:
        """False while any worker could not be reached (the router's emergency path)."""
        return all(c.available for c in self.clients)

    async def ready(self) -> list[bool]:
        """Each worker: up with its model loaded."""
        return list(await asyncio.gather(*(c.ready() for c in self.clients)))

    async def close(self) -> None:
        for client in self.clients:
            await client.close()
