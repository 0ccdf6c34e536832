"""Storage on SQLite and PostgreSQL alike: migrations, several outbox workers, tracker erasure.

Every test takes its database from the `db_url` fixture (tests/unit/conftest.py):
a SQLite file on the first pass of `make test`, a fresh PostgreSQL database on
the second (HOTLINE_TEST_DATABASE, scripts/test-services).
"""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from rasa.core.lock_store import LockStore, RedisLockStore
from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import read_endpoint_config

from bot.config import Settings
from bot.endpoints import redis_lock_store, runtime_endpoints, write_runtime_endpoints
from bot.messaging import inbox
from bot.privacy import delete_tracker_events, purge_tracker_events
from bot.store.crypto import set_keyring
from bot.store.db import get_engine, session_scope
from bot.store.migrate import alembic_config, current_revision, head_revision, upgrade
from bot.store.models import Base, OutboundMessage
from bot.store.tracker_store import EncryptedSQLTrackerStore
from tests.conftest import TEST_DATA_KEY
from tests.databases import on_postgresql, redis_url
from tests.unit.outbox_support import SECRET, worker
from tests.unit.test_outbox_worker import queue

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def data_key(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    from bot.config import get_settings

    monkeypatch.setenv("HOTLINE_DATA_KEYS", TEST_DATA_KEY)
    get_settings.cache_clear()
    set_keyring(None)
    yield
    set_keyring(None)
    get_settings.cache_clear()


# ---- migrations ---------------------------------------------------------------
def test_migrations_reach_head_and_match_the_models(db_url: str) -> None:
    assert current_revision(db_url) == head_revision()
    with get_engine(db_url).connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_migrations_go_down_to_nothing_and_up_again(db_url: str) -> None:
    command.downgrade(alembic_config(db_url), "base")
    get_engine.cache_clear()
    tables = set(sa.inspect(get_engine(db_url)).get_table_names())
    assert tables <= {"alembic_version"}
    upgrade(db_url)
    assert current_revision(db_url) == head_revision()
    assert {"conversations", "outbound_messages", "advocates"} <= set(
        sa.inspect(get_engine(db_url)).get_table_names())


# ---- outbox workers on several replicas ------------------------------------------
async def test_three_workers_send_every_row_once_in_conversation_order(fake, db_url) -> None:
    numbers = [f"+1555777{n:04d}" for n in range(8)]
    for i, number in enumerate(numbers):
        queue(db_url, number, [f"{number} reply {k}" for k in range(4)], f"SMW{i}")
    workers = [worker(fake, db_url) for _ in range(3)]  # three replicas' workers

    async def run(w) -> None:  # type: ignore[no-untyped-def]
        for _ in range(30):
            await w.drain_once()
            await asyncio.sleep(0.02)

    await asyncio.gather(*(run(w) for w in workers))
    for number in numbers:
        assert [m["body"] for m in fake.messages_to(number)] == [
            f"{number} reply {k}" for k in range(4)]
    with session_scope(db_url) as s:
        rows = s.execute(sa.select(OutboundMessage.status, OutboundMessage.attempts)).all()
    assert rows and all(r == ("sent", 1) for r in rows)


@pytest.mark.skipif(not on_postgresql(), reason="SKIP LOCKED is PostgreSQL's (SQLite has "
                    "one writer at a time)")
async def test_a_row_another_worker_holds_is_skipped_not_waited_for(fake, db_url) -> None:
    queue(db_url, "+15557770100", ["held"], "SMH1")
    queue(db_url, "+15557770101", ["free"], "SMH2")
    engine = sa.create_engine(db_url, future=True)
    with engine.connect() as other:  # another replica, mid-claim on the first row
        trans = other.begin()
        other.execute(sa.text("select id from outbound_messages where body is not null "
                              "order by id limit 1 for update"))
        w = worker(fake, db_url)
        claimed = await asyncio.wait_for(asyncio.to_thread(w._claim_next), 20)
        assert claimed is not None and claimed.body == "free"
        trans.rollback()
    engine.dispose()
    await w.drain_once()
    assert [m["body"] for m in fake.messages_to("+15557770100")] == ["held"]


# ---- inbox recovery on several replicas -------------------------------------------
def test_two_replicas_recovering_at_once_never_take_the_same_message(db_url: str) -> None:
    first = inbox.accept(db_url, SECRET, channel="twilio", provider_message_id="SMR1",
                         address="+15557770200", body="hi")
    # Both replicas read the row as unprocessed (attempts 0) at the same moment.
    assert inbox.claim_for_recovery(db_url, first.inbound_id, 0) is True
    assert inbox.claim_for_recovery(db_url, first.inbound_id, 0) is False
    # A later start-up finds it still unprocessed and takes it again.
    assert inbox.unprocessed(db_url, "twilio") == [(first.inbound_id, first.conversation_id)]


def test_earlier_unprocessed_counts_only_recent_earlier_rows_of_the_conversation(
        db_url: str) -> None:
    from datetime import timedelta

    from bot.store.models import InboundMessage, utcnow

    rows = [inbox.accept(db_url, SECRET, channel="twilio", provider_message_id=f"SME{i}",
                         address="+15557770300", body=f"m{i}") for i in range(3)]
    other = inbox.accept(db_url, SECRET, channel="twilio", provider_message_id="SME-other",
                         address="+15557770301", body="x")
    cid = rows[0].conversation_id

    def earlier(conversation_id: str, inbound_id: int) -> list[int]:
        with session_scope(db_url) as s:
            return inbox.earlier_unprocessed(s, conversation_id, inbound_id)

    assert [len(earlier(cid, r.inbound_id)) for r in rows] == [0, 1, 2]
    assert earlier(cid, rows[2].inbound_id) == [rows[0].inbound_id, rows[1].inbound_id]
    assert earlier(other.conversation_id, other.inbound_id) == []
    with session_scope(db_url) as s:
        s.get(InboundMessage, rows[0].inbound_id).status = "processed"
        # A row left by a replica that died long ago waits for recovery, not for us.
        s.get(InboundMessage, rows[1].inbound_id).received_at = utcnow() - timedelta(hours=1)
    assert earlier(cid, rows[2].inbound_id) == []


# ---- Rasa's tracker store by URL, and erasing from it ----------------------------------
@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "domain"))


def _tracker(sender: str, texts: list[str], at: float) -> DialogueStateTracker:
    events = [ActionExecuted("action_session_start", timestamp=at),
              SessionStarted(timestamp=at), ActionExecuted("action_listen", timestamp=at)]
    events += [UserUttered(t, timestamp=at + i) for i, t in enumerate(texts)]
    return DialogueStateTracker.from_events(sender, events)


def _events(url: str) -> list[tuple[str, str]]:
    with get_engine(url).connect() as conn:
        return [tuple(r) for r in conn.execute(sa.text(
            "select sender_id, type_name from events where type_name = 'user' order by id"))]


def test_tracker_store_by_url_is_encrypted_and_erasable(db_url: str, domain: Domain,
                                                        tmp_path: Path) -> None:
    settings = Settings.from_env({"HOTLINE_DATABASE_URL": db_url,
                                  "HOTLINE_TRACKER_DB": str(tmp_path / "tracker.db")})
    url = settings.tracker_url if not on_postgresql() else db_url
    store = EncryptedSQLTrackerStore(domain=domain, host=url)
    old = time.time() - 90 * 86400
    asyncio.run(store.save(_tracker("conv-old", ["my boss has my passport"], old)))
    asyncio.run(store.save(_tracker("conv-a", ["help me"], time.time())))
    asyncio.run(store.save(_tracker("conv-b", ["a tip"], time.time())))
    store.engine.dispose()
    assert [s for s, _ in _events(url)] == ["conv-old", "conv-a", "conv-b"]
    with get_engine(url).connect() as conn:
        stored = " ".join(r[0] for r in conn.execute(sa.text("select data from events")))
    assert "passport" not in stored and "help me" not in stored

    # Four events each: session start (3 events) and the user's message.
    assert delete_tracker_events(url, "conv-a", dry_run=True) == 4
    assert [s for s, _ in _events(url)] == ["conv-old", "conv-a", "conv-b"]
    assert delete_tracker_events(url, "conv-a") == 4
    assert [s for s, _ in _events(url)] == ["conv-old", "conv-b"]
    assert purge_tracker_events(url, time.time() - 30 * 86400) == 4
    assert [s for s, _ in _events(url)] == ["conv-b"]


def test_erasing_from_a_database_without_tracker_table_finds_nothing(db_url: str) -> None:
    assert delete_tracker_events(db_url, "nobody") == 0
    assert purge_tracker_events(db_url, time.time()) == 0


def test_tracker_url_follows_the_settings(tmp_path: Path) -> None:
    pg = "postgresql://hotline:secret@db.internal:5432/hotline"
    assert Settings.from_env({}).tracker_url == f"sqlite:///{ROOT / 'var' / 'rasa_tracker.db'}"
    assert Settings.from_env({"HOTLINE_TRACKER_DB": "var/t.db"}).tracker_url \
        == f"sqlite:///{ROOT / 'var' / 't.db'}"
    # PostgreSQL: the tracker store shares the project database unless told otherwise.
    assert Settings.from_env({"HOTLINE_DATABASE_URL": pg}).tracker_url == pg
    assert Settings.from_env({"HOTLINE_DATABASE_URL": pg,
                              "HOTLINE_TRACKER_DB": str(tmp_path / "t.db")}).tracker_url \
        == f"sqlite:///{tmp_path / 't.db'}"
    other = "postgresql://rasa@db2/tracker"
    assert Settings.from_env({"HOTLINE_DATABASE_URL": pg,
                              "HOTLINE_TRACKER_URL": other}).tracker_url == other


# ---- the runtime endpoints file ------------------------------------------------------
def test_runtime_endpoints_keep_the_template_and_set_the_stores() -> None:
    config, env = runtime_endpoints(Settings.from_env(
        {"HOTLINE_DATABASE_URL": "postgresql://h:pw@db/hotline",
         "HOTLINE_REDIS_URL": "redis://:s3cret@cache.internal:6380/2"}))
    assert config["action_endpoint"]["url"] == "http://127.0.0.1:${HOTLINE_ACTIONS_PORT}/webhook"
    assert config["tracker_store"] == {"type": "bot.store.tracker_store.EncryptedSQLTrackerStore",
                                       "url": "${HOTLINE_TRACKER_URL}"}
    assert config["lock_store"] == {"type": "redis", "url": "cache.internal", "port": 6380,
                                    "db": 2, "key_prefix": "hotline",
                                    "password": "${HOTLINE_REDIS_PASSWORD}"}
    assert env == {"HOTLINE_TRACKER_URL": "postgresql://h:pw@db/hotline",
                   "HOTLINE_REDIS_PASSWORD": "s3cret"}
    # One server process: no lock store section, Rasa's in-memory one.
    config, env = runtime_endpoints(Settings.from_env({}))
    assert "lock_store" not in config and set(env) == {"HOTLINE_TRACKER_URL"}
    assert redis_lock_store("rediss://u@r")[0]["use_ssl"] is True
    with pytest.raises(ValueError):
        redis_lock_store("http://not-redis")


def test_rasa_builds_both_stores_from_the_runtime_file(db_url: str, domain: Domain,
                                                       tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Rasa's own factories read the file `hotline run` writes (secrets from the env)."""
    redis = redis_url()
    settings = Settings.from_env({
        "HOTLINE_DATABASE_URL": db_url,
        **({} if on_postgresql() else {"HOTLINE_TRACKER_DB": str(tmp_path / "tracker.db")}),
        **({"HOTLINE_REDIS_URL": redis} if redis else {})})
    path, env = write_runtime_endpoints(settings)
    try:
        assert oct(path.stat().st_mode & 0o777) == "0o600"
        assert settings.tracker_url not in path.read_text()  # the URL may hold a password
        for key, value in {**env, "HOTLINE_ACTIONS_PORT": "5055"}.items():
            monkeypatch.setenv(key, value)
        tracker_store = TrackerStore.create(read_endpoint_config(str(path), "tracker_store"),
                                            domain=domain)
        lock_store = LockStore.create(read_endpoint_config(str(path), "lock_store"))
    finally:
        path.unlink()
    assert isinstance(tracker_store, EncryptedSQLTrackerStore)
    assert tracker_store.engine.url.render_as_string(hide_password=False) == settings.tracker_url
    asyncio.run(tracker_store.save(_tracker("conv-file", ["hello"], time.time())))
    assert asyncio.run(tracker_store.retrieve("conv-file")).latest_message.text == "hello"
    tracker_store.engine.dispose()
    if redis:
        assert isinstance(lock_store, RedisLockStore)
        assert lock_store.red.ping()
    else:
        assert type(lock_store).__name__ == "InMemoryLockStore"
    assert os.environ["HOTLINE_TRACKER_URL"] == settings.tracker_url


@pytest.mark.skipif(not on_postgresql(), reason="replicas need PostgreSQL; on SQLite one "
                    "`hotline run` owns the database file")
def test_replicas_migrating_at_once_apply_each_migration_once(tmp_path: Path) -> None:
    """Two processes (two replicas' `hotline run`) migrating one empty database at once."""
    import subprocess
    import sys

    from tests.databases import fresh_database

    with fresh_database(tmp_path, "concurrent.db") as url:
        code = "import sys; from bot.store.migrate import upgrade; upgrade(sys.argv[1])"
        env = {**os.environ, "HOTLINE_DATA_KEYS": TEST_DATA_KEY}
        procs = [subprocess.Popen([sys.executable, "-c", code, url], cwd=ROOT, env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
                 for _ in range(2)]
        outputs = [p.communicate(timeout=300)[0].decode(errors="replace") for p in procs]
        assert [p.returncode for p in procs] == [0, 0], outputs
        assert current_revision(url) == head_revision()


# ---- retention on the same database as the tracker store --------------------------------
def test_retention_purges_the_project_tables_and_the_shared_tracker_store(
        db_url: str, domain: Domain, tmp_path: Path) -> None:
    """On PostgreSQL the tracker store shares the project database; purge reaches both."""
    from datetime import datetime, timedelta, timezone

    from bot.retention import purge
    from bot.store.models import Conversation, InboundMessage

    tracker_env = {} if on_postgresql() else {"HOTLINE_TRACKER_DB": str(tmp_path / "t.db")}
    settings = Settings.from_env({"HOTLINE_DATABASE_URL": db_url, **tracker_env})
    assert (settings.tracker_url == db_url) == on_postgresql()
    now = datetime.now(timezone.utc)
    old = now - timedelta(days=45)
    with session_scope(db_url) as s:
        for cid, at in (("conv-old", old), ("conv-new", now)):
            s.add(Conversation(id=cid, channel="twilio", contact_key=f"k-{cid}",
                               contact_address="+15550000000", created_at=at,
                               last_inbound_at=at))
            s.flush()
            inbound = InboundMessage(channel="twilio", provider_message_id=f"SM-{cid}",
                                     conversation_id=cid, body="hi", status="processed",
                                     received_at=at, processed_at=at)
            s.add(inbound)
            s.flush()
            s.add(OutboundMessage(conversation_id=cid, inbound_id=inbound.id, seq=0,
                                  channel="twilio", body="hello", status="sent", created_at=at))
    store = EncryptedSQLTrackerStore(domain=domain, host=settings.tracker_url)
    asyncio.run(store.save(_tracker("conv-old", ["old"], old.timestamp())))
    asyncio.run(store.save(_tracker("conv-new", ["new"], now.timestamp())))
    store.engine.dispose()

    assert purge(settings, dry_run=True)["tracker_events"] == 4
    counts = purge(settings)
    assert (counts["outbound_messages"], counts["inbound_messages"], counts["conversations"],
            counts["tracker_events"]) == (1, 1, 1, 4)
    assert [s for s, _ in _events(settings.tracker_url)] == ["conv-new"]
    with session_scope(db_url) as s:
        assert s.execute(sa.select(Conversation.id)).scalars().all() == ["conv-new"]
