"""Engine and session factory shared by the server, the action server and the CLI."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    # WAL lets the Rasa server and the action server write concurrently;
    # busy_timeout makes a writer wait instead of failing with "database is locked".
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def make_engine(url: str) -> Engine:
    """Create an engine; for SQLite, make sure the folder exists and set pragmas."""
    if url.startswith("sqlite:///"):
        from pathlib import Path

        db_path = url[len("sqlite:///"):]
        if db_path and db_path != ":memory:":
            Path(db_path).parent.mkdir(parents=True, exist_ok=True)
        # A pool of connections (SQLAlchemy 1.4 opens a new one per transaction for
        # a SQLite file): the profile in docs/performance.md showed connect + PRAGMAs
        # as the largest single cost per message. Pooled connections move between
        # threads (asyncio.to_thread), one thread at a time, hence check_same_thread.
        # hide_parameters: an error's message never quotes the values (bot/logs.py).
        engine = create_engine(url, future=True, hide_parameters=True,
                               poolclass=QueuePool, pool_size=5,
                               max_overflow=10,
                               connect_args={"timeout": 10, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, future=True, pool_pre_ping=True, hide_parameters=True)


@lru_cache(maxsize=8)
def get_engine(url: str) -> Engine:
    return make_engine(url)


@lru_cache(maxsize=8)
def session_factory(url: str) -> sessionmaker:
    return sessionmaker(bind=get_engine(url), future=True, expire_on_commit=False)


@contextmanager
def session_scope(url: str) -> Iterator[Session]:
    """A transaction: commit on success, roll back on error."""
    session: Session = session_factory(url)()
    try:
        yield session
        session.commit()
    except Exception:
        session.rollback()
        raise
    finally:
        session.close()
