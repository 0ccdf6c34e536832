"""Helpers shared by the actions: language, settings, content and the store."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rasa_sdk import Tracker
from sqlalchemy.orm import Session

from bot.config import Settings, get_settings
from bot.content.loader import Content, load_content
from bot.store.db import session_scope


def settings() -> Settings:
    return get_settings()


def content() -> Content:
    return load_content()


def language(tracker: Tracker) -> str:
    """The texter's language: the `language` slot, else the configured default."""
    lang = tracker.get_slot("language")
    return lang if lang in ("en", "es") else settings().default_language


def latest_text(tracker: Tracker) -> str:
    return (tracker.latest_message or {}).get("text") or ""


def latest_intent(tracker: Tracker) -> str | None:
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")


def retrieval_key(tracker: Tracker, intent: str, min_confidence: float = 0.3) -> str | None:
    """The ResponseSelector's pick for a retrieval intent ("ask_rights/t_visa" -> "t_visa").

    None when the message was not that intent, or the selector was unsure. The key
    names an entry of data/content/ (a rights topic or a line), never a response.
    """
    message = tracker.latest_message or {}
    if (message.get("intent") or {}).get("name") != intent:
        return None
    selector = message.get("response_selector") or {}
    entry = selector.get(intent) or selector.get("default") or {}
    response = entry.get("response") or {}
    key = str(response.get("intent_response_key") or "")
    prefix = f"{intent}/"
    if not key.startswith(prefix) or float(response.get("confidence") or 0) < min_confidence:
        return None
    return key[len(prefix):]


@contextmanager
def store() -> Iterator[Session]:
    """A transaction on the project's database (same URL as the Rasa server)."""
    with session_scope(settings().database_url) as session:
        yield session
