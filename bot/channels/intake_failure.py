"""What a channel answers when the inbox cannot store a message (disk full, database down).

Twilio does not retry a webhook that fails, so an SMS met by an HTTP 500 is lost
and the texter hears nothing. Instead the webhook answers with TwiML carrying
the 24/7 numbers and a request to send again; the web chat gets a polite 503
with the same words. The texter's language is not known without the database,
so it is guessed from the message itself; when that is unsure, SMS gets both
languages (two messages) and the web chat both lines.
"""

from __future__ import annotations

import logging
from xml.sax.saxutils import escape

from bot.content.loader import load_content
from bot.language.detect import detect_language

logger = logging.getLogger(__name__)

TEMPLATE = "intake_unavailable"


def intake_unavailable_texts(body: str | None, default_language: str = "en") -> list[str]:
    """The apology with the 24/7 numbers, in the message's language or in both."""
    content = load_content()
    try:
        lang = detect_language(body)
    except Exception:  # never let the fallback itself fail
        lang = None
    if lang in ("en", "es"):
        return [content.template(TEMPLATE, lang)]
    first = default_language if default_language in ("en", "es") else "en"
    second = "es" if first == "en" else "en"
    return [content.template(TEMPLATE, first), content.template(TEMPLATE, second)]


def twiml_messages(texts: list[str]) -> str:
    """A TwiML document that answers the SMS with these messages, in order."""
    inner = "".join(f"<Message>{escape(t)}</Message>" for t in texts)
    return f'<?xml version="1.0" encoding="UTF-8"?><Response>{inner}</Response>'


def log_intake_failure(channel: str, exc: BaseException) -> None:
    """Raise the alarm without a word of the message: only the channel and error type."""
    logger.error("INTAKE FAILURE on %s: the inbox could not store a message (%s); the "
                 "texter was given the 24/7 numbers. Check disk space and the database.",
                 channel, type(exc).__name__)
