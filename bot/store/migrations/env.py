"""Alembic environment: the URL comes from the caller (bot.store.migrate) or settings."""

from alembic import context
from sqlalchemy import text

from bot.config import get_settings
from bot.store.db import make_engine
from bot.store.models import Base

config = context.config
url = config.get_main_option("sqlalchemy.url") or get_settings().database_url

# Tables in the same database that are not ours: Rasa's tracker store keeps its
# `events` table (and sequence) beside ours on PostgreSQL (docs/deploy.md).
FOREIGN_TABLES = {"events"}


def include_object(obj, name, type_, reflected, compare_to) -> bool:  # type: ignore[no-untyped-def]
    """Autogenerate ignores tables that belong to Rasa, never proposing to drop them."""
    return not (type_ == "table" and reflected and compare_to is None and name in FOREIGN_TABLES)


def run_migrations_offline() -> None:
    context.configure(url=url, target_metadata=Base.metadata, literal_binds=True,
                      render_as_batch=True, include_object=include_object)
    with context.begin_transaction():
        context.run_migrations()


# pg_advisory_xact_lock key: replicas starting together migrate one at a time.
MIGRATION_LOCK = 0x686F746C696E65  # "hotline"


def run_migrations_online() -> None:
    engine = make_engine(url)
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            # Batch mode rebuilds a table (copy, drop, rename); with foreign keys on,
            # dropping a table other rows point at fails. Alembic's documented fix.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()  # end the implicit transaction so Alembic's own one commits
        # batch mode lets ALTER TABLE migrations work on SQLite too.
        context.configure(connection=connection, target_metadata=Base.metadata,
                          render_as_batch=True, include_object=include_object)
        with context.begin_transaction():
            if connection.dialect.name == "postgresql":
                # Held until this transaction ends; a replica starting at the same
                # time waits, then reads the new version and finds nothing to do.
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                                   {"key": MIGRATION_LOCK})
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
