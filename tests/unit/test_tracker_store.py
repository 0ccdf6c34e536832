"""EncryptedSQLTrackerStore: Rasa's event data is encrypted in the tracker database."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig, read_endpoint_config

from bot.store import keys
from bot.store.crypto import DecryptionError, Keyring, set_keyring
from bot.store.tracker_store import EncryptedSQLTrackerStore

ROOT = Path(__file__).resolve().parents[2]
USER_TEXT = "my boss keeps my passport 555-0100"
BOT_TEXT = "Your passport is yours. Call 555-0100 if you want."
SLOT_VALUE = "Calle Falsa 123, Springfield"
SECRETS = [USER_TEXT, BOT_TEXT, SLOT_VALUE, "passport", "555-0100", "Springfield"]
SENDER = "0f8a3c5e-1111-4222-8333-944455556666"


@pytest.fixture(autouse=True)
def keyring() -> Iterator[Keyring]:
    ring = Keyring([Fernet.generate_key().decode()])
    set_keyring(ring)
    yield ring
    set_keyring(None)


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "domain"))


def make_store(path: Path, domain: Domain) -> EncryptedSQLTrackerStore:
    return EncryptedSQLTrackerStore(domain=domain, dialect="sqlite", db=str(path))


def conversation(domain: Domain, text: str = USER_TEXT, intent: str = "greet"
                 ) -> DialogueStateTracker:
    slot = next(s.name for s in domain.slots if s.type_name == "text")
    return DialogueStateTracker.from_events(SENDER, [
        ActionExecuted("action_listen"),
        UserUttered(text, intent={"name": intent, "confidence": 0.9},
                    parse_data={"intent": {"name": intent, "confidence": 0.9},
                                "entities": [], "text": text}),
        SlotSet(slot, SLOT_VALUE),
        BotUttered(BOT_TEXT, metadata={"utter_action": "utter_greet"}),
        ActionExecuted("action_listen"),
    ], domain.slots)


def file_bytes(path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


def test_saved_text_is_absent_from_the_file_and_comes_back_on_retrieve(
        tmp_path: Path, domain: Domain) -> None:
    path = tmp_path / "tracker.db"
    store = make_store(path, domain)
    tracker = conversation(domain)
    asyncio.run(store.save(tracker))
    store.engine.dispose()

    data = file_bytes(path)
    assert data  # the store did write the file
    for secret in SECRETS:
        assert secret.encode() not in data, secret
        assert secret.encode("utf-16-le") not in data, secret

    conn = sqlite3.connect(path)
    rows = conn.execute("select type_name, intent_name, action_name, data from events "
                        "order by id").fetchall()
    conn.close()
    assert len(rows) == len(tracker.events)
    assert all(r[3].startswith("f2:") for r in rows)
    assert rows[1][:3] == ("user", "greet", None)  # the plaintext columns Rasa queries

    again = asyncio.run(make_store(path, domain).retrieve(SENDER))
    assert again is not None
    assert [e.as_dict() for e in again.events] == [e.as_dict() for e in tracker.events]
    assert again.latest_message.text == USER_TEXT
    full = asyncio.run(make_store(path, domain).retrieve_full_tracker(SENDER))
    assert list(full.events) == list(tracker.events)


def test_only_new_events_are_appended(tmp_path: Path, domain: Domain) -> None:
    store = make_store(tmp_path / "tracker.db", domain)
    tracker = conversation(domain)
    asyncio.run(store.save(tracker))
    tracker.update(UserUttered("second message", intent={"name": "greet", "confidence": 1.0}))
    asyncio.run(store.save(tracker))
    again = asyncio.run(store.retrieve(SENDER))
    assert [e.as_dict() for e in again.events] == [e.as_dict() for e in tracker.events]


def test_text_typed_as_an_intent_never_lands_in_intent_name(tmp_path: Path,
                                                             domain: Domain) -> None:
    path = tmp_path / "tracker.db"
    store = make_store(path, domain)
    asyncio.run(store.save(conversation(domain, "/passport_555_0100",
                                        intent="passport_555_0100")))
    store.engine.dispose()
    assert b"555_0100" not in file_bytes(path)


def test_wrong_key_fails_loudly(tmp_path: Path, domain: Domain) -> None:
    store = make_store(tmp_path / "tracker.db", domain)
    asyncio.run(store.save(conversation(domain)))
    set_keyring(Keyring([Fernet.generate_key().decode()]))
    with pytest.raises(DecryptionError):
        asyncio.run(store.retrieve(SENDER))


def test_events_written_before_encryption_are_read_only_once_rotate_seals_them(
        tmp_path: Path, domain: Domain, keyring: Keyring) -> None:
    """Plaintext events pass only through `hotline keys rotate` / `hotline run`'s
    bind_tracker_store, which seal them to their rows (issue 13.5)."""
    from bot.store.crypto import DecryptionError

    path = tmp_path / "tracker.db"
    plain = SQLTrackerStore(domain=domain, dialect="sqlite", db=str(path))
    tracker = conversation(domain)
    asyncio.run(plain.save(tracker))
    plain.engine.dispose()
    assert USER_TEXT.encode() in file_bytes(path)  # the legacy store kept it in clear

    store = make_store(path, domain)
    with pytest.raises(DecryptionError, match="not bound"):
        asyncio.run(store.retrieve(SENDER))
    store.engine.dispose()

    from bot.store.migrate import upgrade

    upgrade(f"sqlite:///{tmp_path / 'hotline.db'}")
    stores = keys.Stores(f"sqlite:///{tmp_path / 'hotline.db'}", str(path))
    try:
        assert stores.engines.keys() == {"hotline", "tracker"}
        assert keys.census(keyring, stores).per_target["tracker:events.data"][keys.PLAINTEXT] \
            == len(tracker.events)
        assert keys.rotate(keyring, stores)["rotated"] == len(tracker.events)
    finally:
        stores.close()
    conn = sqlite3.connect(path)
    conn.execute("VACUUM")  # drop the freed pages that still held the old plaintext
    conn.close()
    assert USER_TEXT.encode() not in file_bytes(path)
    again = asyncio.run(make_store(path, domain).retrieve(SENDER))
    assert [e.as_dict() for e in again.events] == [e.as_dict() for e in tracker.events]


def test_rasa_builds_it_from_endpoints_yml(tmp_path: Path, domain: Domain,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """endpoints.yml names this class, and Rasa's factory passes kwargs and domain through.

    (Rasa silently falls back to an in-memory store when a custom class cannot be
    loaded, so this checks the real factory, not just the class.)
    """
    monkeypatch.setenv("HOTLINE_TRACKER_DB", str(tmp_path / "from-endpoints.db"))
    monkeypatch.setenv("HOTLINE_ACTIONS_PORT", "5055")
    config = read_endpoint_config(str(ROOT / "endpoints.yml"), "tracker_store")
    assert config.type == "bot.store.tracker_store.EncryptedSQLTrackerStore"
    store = TrackerStore.create(config, domain=domain)
    assert isinstance(store, EncryptedSQLTrackerStore)
    assert store.domain is domain
    assert str(store.engine.url).endswith("from-endpoints.db")
    asyncio.run(store.save(conversation(domain)))
    assert (tmp_path / "from-endpoints.db").exists()

    custom = TrackerStore.create(
        EndpointConfig(type="bot.store.tracker_store.EncryptedSQLTrackerStore",
                       dialect="sqlite", db=str(tmp_path / "other.db")), domain=domain)
    assert isinstance(custom, EncryptedSQLTrackerStore)


def test_no_usable_key_stops_the_store_instead_of_writing_plaintext(
        tmp_path: Path, domain: Domain, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.config import get_settings
    from bot.store.crypto import KeyConfigError

    set_keyring(None)
    monkeypatch.setenv("HOTLINE_DATA_KEYS", "not-a-fernet-key")
    get_settings.cache_clear()
    try:
        with pytest.raises(KeyConfigError):
            make_store(tmp_path / "tracker.db", domain)
    finally:
        get_settings.cache_clear()
