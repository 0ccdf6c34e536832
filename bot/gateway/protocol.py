"""The internal channel between the gateway and Rasa: one turn per request.

POST {rasa}/webhooks/internal/turn
  headers: X-Hotline-Internal: <HOTLINE_INTERNAL_SECRET>
  body:    {"sender": conversation id, "message": text, "message_id": id,
            "input_channel": "twilio" | "telegram" | "webchat", "attempt": 1, 2, ...,
            "metadata": {...}}   (e.g. the answer to the danger check, bot/nlu/overrides.py)
  answer:  {"messages": [{"text": ...}, ...], "replayed": bool}

`message_id` is the inbox row (e.g. "twilio-42"): Rasa does not deduplicate
by message id, so the channel does. A retried turn (`attempt` > 1) is
answered from the tracker when Rasa already applied it.
"""

from __future__ import annotations

import hmac

PATH = "/webhooks/internal/turn"
HEALTH_PATH = "/webhooks/internal/health"
SECRET_HEADER = "X-Hotline-Internal"  # noqa: S105 - a header name
MIN_SECRET_CHARS = 32


def secret_matches(expected: str, given: str | None) -> bool:
    """Constant-time comparison; an unset or short expected secret never matches."""
    if not expected or len(expected) < MIN_SECRET_CHARS or not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())
