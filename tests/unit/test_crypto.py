"""Encryption at rest: column types, key storage, migration 0004 and key rotation."""

from __future__ import annotations

import argparse
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select

from bot.config import Settings, get_settings
from bot.store import crypto, keys
from bot.store.crypto import (
    DecryptionError,
    EncryptedText,
    KeyConfigError,
    Keyring,
    keyring_from_settings,
    set_keyring,
)
from bot.store.db import session_scope
from bot.store.migrate import alembic_config, upgrade
from bot.store.models import (
    Conversation,
    HandoffRequest,
    InboundMessage,
    OutboundMessage,
    ScreeningRecord,
    Tip,
)

ADDRESS = "+15557770123"
BODY = "my boss keeps my passport 555-0100"
REPLY = "You can keep your own passport. Señor, ¿estás a salvo? 🙏"
TIP = ("girls locked in the back of the nail salon", "4th and Main, Springfield",
       "every night after 10")
ANSWERS = {"q_documents": "yes", "q_safe_leave": "no"}
DETAILS = {"active_loop": "screening_form", "note": "texter said 555-0100"}
SECRETS = [ADDRESS, BODY, REPLY, *TIP, "555-0100", "passport", "Springfield", "nail salon"]


@pytest.fixture(autouse=True)
def _reset_keyring() -> Iterator[None]:
    yield
    set_keyring(None)
    get_settings.cache_clear()


@pytest.fixture
def key() -> str:
    return Fernet.generate_key().decode()


@pytest.fixture
def db(tmp_path: Path, key: str) -> str:
    set_keyring(Keyring([key]))
    url = f"sqlite:///{tmp_path / 'h.db'}"
    upgrade(url)
    return url


def fill(url: str) -> str:
    """One row in every table with an encrypted column; returns the conversation id."""
    with session_scope(url) as s:
        conv = Conversation(channel="twilio", contact_key="k" * 64, contact_address=ADDRESS)
        s.add(conv)
        s.flush()
        inbound = InboundMessage(channel="twilio", provider_message_id="SM1",
                                 conversation_id=conv.id, body=BODY)
        s.add(inbound)
        s.flush()
        s.add(OutboundMessage(conversation_id=conv.id, inbound_id=inbound.id, seq=0,
                              channel="twilio", body=REPLY))
        s.add(Tip(conversation_id=conv.id, what=TIP[0], location=TIP[1], when_seen=TIP[2]))
        s.add(ScreeningRecord(conversation_id=conv.id, answers=ANSWERS, indicators=["x"],
                              exploitation_type="labor", triage="high",
                              result={"triage": "high"}))
        s.add(HandoffRequest(conversation_id=conv.id, reason="asked", priority="normal",
                             details=DETAILS))
        return conv.id


def read_back(url: str) -> dict:
    with session_scope(url) as s:
        return {
            "address": s.execute(select(Conversation.contact_address)).scalar_one(),
            "body": s.execute(select(InboundMessage.body)).scalar_one(),
            "reply": s.execute(select(OutboundMessage.body)).scalar_one(),
            "tip": tuple(s.execute(select(Tip.what, Tip.location, Tip.when_seen)).one()),
            "answers": s.execute(select(ScreeningRecord.answers)).scalar_one(),
            "details": s.execute(select(HandoffRequest.details)).scalar_one(),
        }


EXPECTED = {"address": ADDRESS, "body": BODY, "reply": REPLY, "tip": TIP, "answers": ANSWERS,
            "details": DETAILS}

RAW_COLUMNS = [("conversations", "contact_address"), ("inbound_messages", "body"),
               ("outbound_messages", "body"), ("tips", "what"), ("tips", "location"),
               ("tips", "when_seen"), ("screening_results", "answers"),
               ("handoff_requests", "details")]


def raw_values(url: str) -> dict[str, str]:
    conn = sqlite3.connect(url[len("sqlite:///"):])
    try:
        return {f"{t}.{c}": conn.execute(f"select {c} from {t}").fetchone()[0]  # noqa: S608
                for t, c in RAW_COLUMNS}
    finally:
        conn.close()


def db_bytes(url: str) -> bytes:
    path = Path(url[len("sqlite:///"):])
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


# -- column types ----------------------------------------------------------------------------

def test_every_sensitive_column_round_trips(db: str) -> None:
    fill(db)
    assert read_back(db) == EXPECTED


def test_raw_rows_and_file_bytes_hold_no_plaintext(db: str) -> None:
    fill(db)
    for name, value in raw_values(db).items():
        assert value.startswith("f2:gAAAAA"), name
        for secret in SECRETS:
            assert secret not in value, name
    data = db_bytes(db)
    for secret in SECRETS:
        assert secret.encode() not in data, secret
    # the reporting columns stay plaintext on purpose
    conn = sqlite3.connect(db[len("sqlite:///"):])
    assert conn.execute("select triage, indicators from screening_results").fetchone() == (
        "high", '["x"]')
    conn.close()


def test_same_plaintext_encrypts_differently_each_time(db: str) -> None:
    ring = crypto.get_keyring()
    assert ring.encrypt(BODY) != ring.encrypt(BODY)


def test_wrong_key_fails_loudly(db: str) -> None:
    fill(db)
    set_keyring(Keyring([Fernet.generate_key().decode()]))
    with pytest.raises(DecryptionError) as exc, session_scope(db) as s:
        s.execute(select(InboundMessage.body)).scalar_one()
    assert BODY not in str(exc.value)
    with pytest.raises(DecryptionError), session_scope(db) as s:
        s.execute(select(ScreeningRecord.answers)).scalar_one()


def test_tampered_value_fails_loudly(db: str) -> None:
    fill(db)
    conn = sqlite3.connect(db[len("sqlite:///"):])
    value = conn.execute("select body from inbound_messages").fetchone()[0]
    tampered = value[:-5] + ("A" if value[-5] != "A" else "B") + value[-4:]
    conn.execute("update inbound_messages set body = ?", (tampered,))
    conn.commit()
    conn.close()
    with pytest.raises(DecryptionError), session_scope(db) as s:
        s.execute(select(InboundMessage.body)).scalar_one()


def test_legacy_plaintext_rows_are_read_only_by_the_migration(db: str) -> None:
    """Issue 13.5: plaintext (and unbound "f1:" values) no longer pass as data; migration
    0008 re-encrypts them bound to their rows, after which they read as before."""
    from alembic import command

    conv = fill(db)
    command.downgrade(alembic_config(db), "0007")  # back to unbound "f1:" values
    conn = sqlite3.connect(db[len("sqlite:///"):])
    conn.execute("update inbound_messages set body = 'legacy hello'")
    conn.execute("update screening_results set answers = '{\"q_threats\": \"yes\"}'")
    conn.execute("update handoff_requests set details = 'null'")
    conn.commit()
    conn.close()
    with pytest.raises(DecryptionError, match="not bound"), session_scope(db) as s:
        s.execute(select(InboundMessage.body)).scalar_one()
    with pytest.raises(DecryptionError, match="not bound"), session_scope(db) as s:
        s.get(Conversation, conv).contact_address  # noqa: B018 - an "f1:" value
    upgrade(db)
    with session_scope(db) as s:
        assert s.execute(select(InboundMessage.body)).scalar_one() == "legacy hello"
        assert s.execute(select(ScreeningRecord.answers)).scalar_one() == {"q_threats": "yes"}
        assert s.execute(select(HandoffRequest.details)).scalar_one() is None
        assert s.get(Conversation, conv).contact_address == ADDRESS


def test_a_ciphertext_moved_to_another_row_is_refused(db: str) -> None:
    """Issue 13.5: a valid value copied over another row's (or column's) is not its data."""
    conv = fill(db)
    with session_scope(db) as s:
        s.add(InboundMessage(channel="twilio", provider_message_id="SM-2",
                             conversation_id=conv, body="the second message"))
    conn = sqlite3.connect(db[len("sqlite:///"):])
    first, second = (v for (v,) in conn.execute(
        "select body from inbound_messages order by id").fetchall())
    conn.execute("update inbound_messages set body = ? where provider_message_id = 'SM-2'",
                 (first,))
    conn.execute("update tips set what = ?", (first,))  # another table and column
    conn.commit()
    with session_scope(db) as s, pytest.raises(DecryptionError, match="another row"):
        s.execute(select(InboundMessage.body).order_by(InboundMessage.id)).scalars().all()
    with session_scope(db) as s, pytest.raises(DecryptionError, match="another row"):
        s.execute(select(Tip.what)).scalars().all()
    # `hotline keys rotate` does not launder it into a valid value either.
    conn.execute("update tips set what = NULL")
    conn.commit()
    conn.close()
    stores = keys.Stores(db, None)
    try:
        keys.rotate(crypto.get_keyring(), stores)
    finally:
        stores.close()
    with session_scope(db) as s, pytest.raises(DecryptionError, match="another row"):
        s.execute(select(InboundMessage.body).order_by(InboundMessage.id)).scalars().all()
    conn = sqlite3.connect(db[len("sqlite:///"):])
    conn.execute("update inbound_messages set body = ? where provider_message_id = 'SM-2'",
                 (second,))
    conn.commit()
    conn.close()
    with session_scope(db) as s:  # put back where it belongs, it reads again
        assert s.execute(select(InboundMessage.body).order_by(InboundMessage.id)
                         ).scalars().all() == [BODY, "the second message"]


def test_none_stays_null(db: str) -> None:
    conv = fill(db)
    with session_scope(db) as s:
        s.add(Tip(conversation_id=conv, what=None))
        s.add(HandoffRequest(conversation_id=conv, reason="asked", priority="normal",
                             details=None))
    conn = sqlite3.connect(db[len("sqlite:///"):])
    assert conn.execute("select what from tips order by id desc").fetchone() == (None,)
    assert conn.execute("select details from handoff_requests order by id desc").fetchone() == (
        None,)
    conn.close()


def test_sql_comparison_on_an_encrypted_column_is_refused(db: str) -> None:
    with pytest.raises(TypeError, match="encrypted column"):
        select(Conversation).where(Conversation.contact_address == ADDRESS)
    with pytest.raises(TypeError, match="encrypted column"):
        select(InboundMessage).where(InboundMessage.body.like("%passport%"))
    select(Tip).where(Tip.what.is_(None))  # NULL checks are fine


def test_only_strings_are_accepted() -> None:
    set_keyring(Keyring([Fernet.generate_key().decode()]))
    with pytest.raises(TypeError):
        EncryptedText().process_bind_param(123, None)


# -- key storage ------------------------------------------------------------------------------

def test_key_file_is_created_once_with_mode_600(tmp_path: Path) -> None:
    path = tmp_path / "var" / "data.keys"
    settings = Settings.from_env({"HOTLINE_DATA_KEY_FILE": str(path)})
    first = keyring_from_settings(settings)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert keyring_from_settings(settings).keys == first.keys
    assert len(first.keys) == 1
    assert first.keys[0] not in repr(first) and first.keys[0] not in repr(settings)


def test_env_keys_win_over_the_file_and_first_key_encrypts(tmp_path: Path) -> None:
    k1, k2 = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings = Settings.from_env({"HOTLINE_DATA_KEYS": f"{k1}, {k2}",
                                  "HOTLINE_DATA_KEY_FILE": str(tmp_path / "unused.keys")})
    ring = keyring_from_settings(settings)
    assert ring.keys == (k1, k2) and ring.source == "HOTLINE_DATA_KEYS"
    assert not (tmp_path / "unused.keys").exists()
    token = ring.encrypt("x")
    assert ring.key_index(token) == 0
    assert Keyring([k2, k1]).decrypt(token) == "x"  # every key decrypts
    assert Keyring([k2, k1]).key_index(token) == 1


def test_malformed_key_is_refused(tmp_path: Path) -> None:
    with pytest.raises(KeyConfigError):
        keyring_from_settings(Settings.from_env({"HOTLINE_DATA_KEYS": "not-a-key"}))
    with pytest.raises(KeyConfigError):
        Keyring([])


def test_settings_are_read_per_process_from_the_environment(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, key: str) -> None:
    monkeypatch.setenv("HOTLINE_DATA_KEYS", key)
    get_settings.cache_clear()
    set_keyring(None)
    assert crypto.get_keyring().keys == (key,)


# -- migration 0004 ---------------------------------------------------------------------------

def test_migration_encrypts_existing_plaintext_rows_and_downgrade_restores_them(
        tmp_path: Path, key: str) -> None:
    from alembic import command

    set_keyring(Keyring([key]))
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0003")
    conn = sqlite3.connect(tmp_path / "old.db")
    now = "2024-01-01 00:00:00.000000"
    conn.execute("insert into conversations (id, channel, contact_key, contact_address, urgent,"
                 " status, created_at, unreachable) values ('c1', 'twilio', 'k', ?, 0, 'bot', ?,"
                 " 0)", (ADDRESS, now))
    conn.execute("insert into inbound_messages (channel, provider_message_id, conversation_id,"
                 " body, status, attempts, received_at) values ('twilio', 'SM1', 'c1', ?,"
                 " 'processed', 0, ?)", (BODY, now))
    conn.execute("insert into outbound_messages (conversation_id, inbound_id, seq, channel,"
                 " author, body, status, attempts, created_at) values ('c1', 1, 0, 'twilio',"
                 " 'bot', ?, 'sent', 0, ?)", (REPLY, now))
    conn.execute("insert into tips (conversation_id, created_at, complete, what, location,"
                 " when_seen, contact_ok, urgent) values ('c1', ?, 1, ?, ?, ?, 0, 0)",
                 (now, *TIP))
    conn.execute("insert into screening_results (conversation_id, created_at, complete, answers,"
                 " indicators, exploitation_type, minor, triage, result) values ('c1', ?, 1, ?,"
                 " '[\"x\"]', 'labor', 0, 'high', '{\"triage\": \"high\"}')",
                 (now, '{"q_documents": "yes", "q_safe_leave": "no"}'))
    conn.execute("insert into handoff_requests (conversation_id, created_at, reason, priority,"
                 " status, details) values ('c1', ?, 'asked', 'normal', 'open', ?)",
                 (now, '{"active_loop": "screening_form", "note": "texter said 555-0100"}'))
    conn.commit()
    conn.close()

    upgrade(url)
    for name, value in raw_values(url).items():
        assert value.startswith("f2:"), name
    assert read_back(url) == EXPECTED
    encrypted = raw_values(url)
    upgrade(url)  # idempotent: already encrypted values are left alone
    assert raw_values(url) == encrypted

    command.downgrade(alembic_config(url), "0003")
    plain = raw_values(url)
    assert plain["inbound_messages.body"] == BODY
    assert plain["conversations.contact_address"] == ADDRESS
    assert plain["tips.location"] == TIP[1]
    upgrade(url)
    assert read_back(url) == EXPECTED


# -- key rotation -----------------------------------------------------------------------------

def key_env(tmp_path: Path, db: str) -> dict[str, str]:
    return {"HOTLINE_DATABASE_URL": db, "HOTLINE_DATA_KEY_FILE": str(tmp_path / "data.keys"),
            "HOTLINE_TRACKER_DB": str(tmp_path / "no-tracker.db")}


def use(settings: Settings) -> Keyring:
    ring = keyring_from_settings(settings)
    set_keyring(ring)
    return ring


def test_add_rotate_retire_keeps_every_row_readable(tmp_path: Path) -> None:
    settings = Settings.from_env(key_env(tmp_path, f"sqlite:///{tmp_path / 'h.db'}"))
    old = use(settings)
    upgrade(settings.database_url)
    fill(settings.database_url)
    stores = keys.Stores(settings.database_url, str(tmp_path / "no-tracker.db"))
    try:
        assert keys.census(old, stores).total[0] == len(RAW_COLUMNS)

        new, new_id = keys.add_key(settings)
        assert new.keys[1:] == old.keys and new.ids[0] == new_id
        set_keyring(new)
        assert read_back(settings.database_url) == EXPECTED  # old key still decrypts
        assert keys.census(new, stores).needing_old_keys() == len(RAW_COLUMNS)

        with pytest.raises(keys.KeyCommandError, match="rotate"):
            keys.retire_keys(settings, stores, no_tracker_store=True)
        assert keyring_from_settings(settings).keys == new.keys  # nothing retired

        totals = keys.rotate(new, stores)
        assert totals["rotated"] == len(RAW_COLUMNS) and totals["unreadable"] == 0
        assert keys.census(new, stores).total[0] == len(RAW_COLUMNS)
        assert read_back(settings.database_url) == EXPECTED
        assert keys.rotate(new, stores)["rotated"] == 0  # nothing left to do

        ring, retired = keys.retire_keys(settings, stores, no_tracker_store=True)
        assert retired == [old.ids[0]] and ring.keys == (new.keys[0],)
        set_keyring(ring)
        assert read_back(settings.database_url) == EXPECTED
        assert stat.S_IMODE(Path(settings.data_key_file).stat().st_mode) == 0o600
        set_keyring(old)  # the retired key alone can no longer read anything
        with pytest.raises(DecryptionError):
            read_back(settings.database_url)
    finally:
        stores.close()


def test_rotate_encrypts_legacy_plaintext_and_leaves_concurrent_writes(tmp_path: Path) -> None:
    settings = Settings.from_env(key_env(tmp_path, f"sqlite:///{tmp_path / 'h.db'}"))
    ring = use(settings)
    upgrade(settings.database_url)
    fill(settings.database_url)
    conn = sqlite3.connect(tmp_path / "h.db")
    conn.execute("update inbound_messages set body = 'legacy text'")
    conn.commit()
    conn.close()
    stores = keys.Stores(settings.database_url, str(tmp_path / "no-tracker.db"))
    try:
        assert keys.census(ring, stores).total[keys.PLAINTEXT] == 1
        target = next(t for t in stores.targets if t.table == "inbound_messages")
        # a row rewritten by the server between read and write is not overwritten
        assert stores.compare_and_set(target, [(1, "something else", "f1:x")]) == 0
        assert keys.rotate(ring, stores)["rotated"] == 1
        assert keys.census(ring, stores).total[keys.PLAINTEXT] == 0
    finally:
        stores.close()
    with session_scope(settings.database_url) as s:
        assert s.execute(select(InboundMessage.body)).scalar_one() == "legacy text"


def test_retire_refused_while_a_value_is_unreadable(tmp_path: Path) -> None:
    settings = Settings.from_env(key_env(tmp_path, f"sqlite:///{tmp_path / 'h.db'}"))
    use(settings)
    upgrade(settings.database_url)
    fill(settings.database_url)
    keys.add_key(settings)
    set_keyring(Keyring([Fernet.generate_key().decode()]))  # a stranger's key
    with session_scope(settings.database_url) as s:
        s.add(Tip(conversation_id=s.execute(select(Conversation.id)).scalar_one(), what="x"))
    stores = keys.Stores(settings.database_url, str(tmp_path / "no-tracker.db"))
    try:
        with pytest.raises(keys.KeyCommandError, match="cannot be decrypted"):
            keys.retire_keys(settings, stores, no_tracker_store=True)
    finally:
        stores.close()


def test_env_keys_cannot_be_changed_by_add(tmp_path: Path, key: str) -> None:
    settings = Settings.from_env({"HOTLINE_DATA_KEYS": key})
    with pytest.raises(keys.KeyCommandError, match="HOTLINE_DATA_KEYS"):
        keys.add_key(settings)


def test_cli_never_prints_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str]) -> None:
    env = key_env(tmp_path, f"sqlite:///{tmp_path / 'h.db'}")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("HOTLINE_DATA_KEYS", raising=False)
    get_settings.cache_clear()
    use(get_settings())
    upgrade(env["HOTLINE_DATABASE_URL"])
    fill(env["HOTLINE_DATABASE_URL"])
    parser = argparse.ArgumentParser(prog="hotline")
    keys.register(parser.add_subparsers(dest="command", required=True))

    def run(*argv: str) -> int:
        args = parser.parse_args(list(argv))
        return args.func(args)

    assert run("keys", "add") == 0
    assert run("keys", "status") == 0
    assert "use an older key" in capsys.readouterr().out
    assert run("keys", "retire") == 1
    assert run("keys", "rotate") == 0
    assert run("keys", "retire") == 1  # no tracker store where the server keeps it
    assert run("keys", "retire", "--no-tracker-store") == 0
    assert run("keys", "status") == 0
    out = capsys.readouterr()
    for k in crypto.parse_keys(Path(env["HOTLINE_DATA_KEY_FILE"]).read_text()):
        assert k not in out.out + out.err
    set_keyring(None)
    get_settings.cache_clear()
    assert read_back(env["HOTLINE_DATABASE_URL"]) == EXPECTED
