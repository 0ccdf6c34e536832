"""A fresh session starts with the safety check, whatever the first message is.

Rasa closes a conversation's session after `session_expiration_time` minutes
of silence (domain/core.yml). A greeting in the new session gets the opening
(utter_opening: "is it safe to text right now?"), but a texter who comes back
with "what are my rights" would get the answer alone. The router adds a short
safety line to the first turn of every session whose replies lack the opening.
It is a statement, not a question, so the assistant's dialogue state stays true.

Both the expiry and the opening texts are read from the domain, so they can't
drift from what Rasa does.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache

import yaml

from bot.paths import DOMAIN_PATH
from bot.store.models import as_utc


@lru_cache(maxsize=1)
def session_expiry() -> timedelta:
    """Rasa's session expiry, from domain/core.yml (0 means sessions never expire)."""
    core = yaml.safe_load((DOMAIN_PATH / "core.yml").read_text(encoding="utf-8"))
    minutes = float((core.get("session_config") or {}).get("session_expiration_time", 60))
    return timedelta(minutes=minutes)


@lru_cache(maxsize=1)
def opening_texts() -> frozenset[str]:
    """Every variation of utter_opening, in every language."""
    texts: set[str] = set()
    for path in sorted(DOMAIN_PATH.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for variation in (data.get("responses") or {}).get("utter_opening", []):
            if variation.get("text"):
                texts.add(variation["text"].strip())
    return frozenset(texts)


def starts_new_session(previous_inbound_at: datetime | None, now: datetime,
                       expiry: timedelta | None = None) -> bool:
    """True for a conversation's first message, or the first after the session expired."""
    if previous_inbound_at is None:
        return True
    expiry = session_expiry() if expiry is None else expiry
    if expiry <= timedelta(0):
        return False
    return as_utc(now) - as_utc(previous_inbound_at) >= expiry



def has_opening(texts: list[str]) -> bool:
    openings = opening_texts()
    return any(t.strip() in openings for t in texts)
