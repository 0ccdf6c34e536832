"""Fixtures for directory tests: a migrated store (SQLite or PostgreSQL) and staff."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta

import pytest
from sqlalchemy.orm import Session

from bot.directory.edit import ServiceForm, add_service, verify_service
from bot.store.db import session_factory
from bot.store.models import Advocate, DirService


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
def supervisor(session: Session) -> Advocate:
    return _advocate(session, "sam", "supervisor")


@pytest.fixture
def advocate(session: Session) -> Advocate:
    return _advocate(session, "ana", "advocate")


@pytest.fixture
def listed(session: Session, supervisor: Advocate) -> Callable[..., DirService]:
    """Add a service through the staff path; verified `verified_days_ago` ago unless None."""

    def make(name: str, need: str, areas: list[tuple[str, str]], *,
             phones: list[tuple[str, str]] | None = None, languages: list[str] | None = None,
             verified_days_ago: int | None = 0, org: str | None = None) -> DirService:
        form = ServiceForm(organization_name=org or f"{name} Inc.", name=name, need=need,
                           phones=phones or [("voice", "713-555-0100")], areas=areas,
                           languages=languages or [], source="test")
        service = add_service(session, form, supervisor)
        if verified_days_ago is not None:
            verify_service(session, service, supervisor, assurer_email="sam@example.org",
                           on=date.today() - timedelta(days=verified_days_ago))
        session.flush()
        return service

    return make
