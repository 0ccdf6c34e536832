"""Test databases: a SQLite file by default, a fresh PostgreSQL database on request.

`make test` runs the suite twice: first on SQLite, then (the storage-relevant
part, see the Makefile) with HOTLINE_TEST_DATABASE set to a PostgreSQL admin URL
by scripts/test-services. Every fixture that hands out a database asks here:
with PostgreSQL each gets its own database (CREATE DATABASE), dropped after
use, so no test sees another's rows.

HOTLINE_TEST_REDIS_URL (also set by scripts/test-services) is the Redis server
the multi-replica test shares between its replicas.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

ENV_DATABASE = "HOTLINE_TEST_DATABASE"
ENV_REDIS = "HOTLINE_TEST_REDIS_URL"


def admin_url() -> str:
    """The PostgreSQL URL tests create databases from; empty when testing on SQLite."""
    return os.environ.get(ENV_DATABASE, "").strip()


def redis_url() -> str:
    return os.environ.get(ENV_REDIS, "").strip()


def on_postgresql() -> bool:
    return bool(admin_url())


def _admin_engine() -> sa.engine.Engine:
    return sa.create_engine(admin_url(), future=True, isolation_level="AUTOCOMMIT")


def create_database(name: str | None = None, *, exist_ok: bool = False,
                    template: str | None = None) -> str:
    """Create a PostgreSQL database (a random name unless given); returns its URL.

    With `template`, the new database is a copy of that one (PostgreSQL copies
    the files: far faster than running the migrations again).
    """
    name = name or f"hotline_test_{uuid.uuid4().hex[:12]}"
    engine = _admin_engine()
    try:
        with engine.connect() as conn:
            exists = conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                  {"n": name}).first()
            if exists is None:
                copy = f' TEMPLATE "{template}"' if template else ""
                conn.execute(sa.text(f'CREATE DATABASE "{name}"{copy}'))
            elif not exist_ok:
                raise RuntimeError(f"test database {name} already exists")
    finally:
        engine.dispose()
    return make_url(admin_url()).set(database=name).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    """Drop a database made by create_database, closing whatever still uses it."""
    from bot.store.db import get_engine

    get_engine.cache_clear()  # pooled connections of the code under test
    name = make_url(url).database
    engine = _admin_engine()
    try:
        with engine.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        engine.dispose()


def database_for(folder: Path) -> str:
    """The database of a test hotline living in `folder`, the same on every call.

    SQLite: `folder/hotline.db`. PostgreSQL: a database named after the folder,
    created on first use (a restarted hotline finds its data again); drop it with
    drop_database.
    """
    if not on_postgresql():
        return f"sqlite:///{folder / 'hotline.db'}"
    name = "hotline_" + uuid.uuid5(uuid.NAMESPACE_URL, str(folder.resolve())).hex[:16]
    return create_database(name, exist_ok=True)


_migrated_template: str | None = None


def _template_database() -> str:
    """A database migrated to head once per test process, copied for each test."""
    global _migrated_template
    if _migrated_template is None:
        from bot.store.migrate import upgrade

        name = f"hotline_template_{os.getpid()}"
        upgrade(create_database(name, exist_ok=True))
        _migrated_template = name
    return _migrated_template


@contextmanager
def migrated_database(folder: Path, filename: str = "hotline.db") -> Iterator[str]:
    """A database at the latest schema for one test (SQLite file, or a PostgreSQL copy)."""
    if not on_postgresql():
        from bot.store.migrate import upgrade

        url = f"sqlite:///{folder / filename}"
        upgrade(url)
        yield url
        return
    url = create_database(template=_template_database())
    try:
        yield url
    finally:
        drop_database(url)


@contextmanager
def fresh_database(folder: Path, filename: str = "hotline.db") -> Iterator[str]:
    """An empty database for one test: SQLite in `folder`, or a new PostgreSQL database."""
    if not on_postgresql():
        yield f"sqlite:///{folder / filename}"
        return
    url = create_database()
    try:
        yield url
    finally:
        drop_database(url)
