"""Fixtures for referral tests: a migrated store, advocates and a texter episode."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from cryptography.fernet import Fernet
from sqlalchemy.orm import Session

from bot.screening.rules import evaluate, to_record
from bot.store.crypto import Keyring, set_keyring
from bot.store.db import session_factory
from bot.store.models import Advocate, Conversation, HandoffRequest, InboundMessage
from bot.store.records import record_screening, record_tip


@pytest.fixture(autouse=True)
def keyring() -> Iterator[Keyring]:
    ring = Keyring([Fernet.generate_key().decode()])
    set_keyring(ring)
    yield ring
    set_keyring(None)


@pytest.fixture
def session(db_url: str) -> Iterator[Session]:
    s: Session = session_factory(db_url)()
    try:
        yield s
    finally:
        s.rollback()
        s.close()


def _advocate(session: Session, username: str, role: str) -> Advocate:
    row = Advocate(username=username, display_name=username.title(),
                   password_hash="not-a-real-hash", role=role)
    session.add(row)
    session.flush()
    return row


@pytest.fixture
def advocate(session: Session) -> Advocate:
    return _advocate(session, "ana", "advocate")


@pytest.fixture
def supervisor(session: Session) -> Advocate:
    return _advocate(session, "sam", "supervisor")


class Episode:
    """A texter's conversation with a queued handoff request and their messages."""

    def __init__(self, session: Session, *, language: str = "es", priority: str = "normal",
                 minor: bool = False) -> None:
        self.session = session
        self.conversation = Conversation(channel="sms", contact_key=f"k-{id(self)}",
                                         language=language)
        session.add(self.conversation)
        session.flush()
        self.request = HandoffRequest(conversation_id=self.conversation.id,
                                      reason="asked_for_person", priority=priority,
                                      minor=minor)
        session.add(self.request)
        session.flush()
        self._n = 0

    @property
    def id(self) -> str:
        return self.conversation.id

    def message(self, body: str = "si, pueden compartirlo", *,
                received_at: datetime | None = None, fixed_reply: str | None = None
                ) -> InboundMessage:
        self._n += 1
        row = InboundMessage(channel="sms", provider_message_id=f"{self.id}-{self._n}",
                             conversation_id=self.id, body=body, fixed_reply=fixed_reply,
                             status="processed",
                             received_at=received_at or datetime.now(timezone.utc)
                             + timedelta(seconds=self._n))
        self.session.add(row)
        self.session.flush()
        return row

    def screening(self, answers: dict[str, str], *, emergency: bool = False) -> dict[str, Any]:
        result = to_record(evaluate(answers, emergency=emergency))
        record_screening(self.session, self.id, answers, result, complete=True)
        return result

    def tip(self, **fields: Any) -> None:
        record_tip(self.session, self.id, **fields)


@pytest.fixture
def episode(session: Session) -> Callable[..., Episode]:
    return lambda **kw: Episode(session, **kw)
