"""Migration 0006: creates the referral tables as the models declare them, and reverts."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from bot.store.db import get_engine
from bot.store.migrate import alembic_config, upgrade
from bot.store.models import Base

TABLES = {"referral_cases", "referral_consents"}


def _diff_for_our_tables(url: str) -> list:
    with get_engine(url).connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    flat = [d for group in diff for d in (group if isinstance(group, list) else [group])]
    return [d for d in flat if any(t in repr(d) for t in TABLES)]


def test_schema_matches_models_and_downgrade_reverts(db_url):
    assert _diff_for_our_tables(db_url) == []
    inspector = inspect(get_engine(db_url))
    fks = {fk["name"] for t in TABLES for fk in inspector.get_foreign_keys(t)}
    assert None not in fks and "fk_consent_case" in fks
    command.downgrade(alembic_config(db_url), "0005")
    assert not TABLES & set(inspect(get_engine(db_url)).get_table_names())
    upgrade(db_url)
    assert set(inspect(get_engine(db_url)).get_table_names()) >= TABLES
