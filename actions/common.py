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


@contextmanager
def store() -> Iterator[Session]:
    """A transaction on the project's database (same URL as the Rasa server)."""
    with session_scope(settings().database_url) as session:
        yield session
