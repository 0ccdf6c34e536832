"""`hotline keys retire` and the tracker store (issue 13.5): never drop a key events need."""

from __future__ import annotations

import argparse
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.config import get_settings
from bot.paths import ROOT
from bot.store import keys
from bot.store.crypto import Keyring, keyring_from_settings, set_keyring
from bot.store.migrate import upgrade


@pytest.fixture()
def hotline_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    for name in list(os.environ):
        if name.startswith("HOTLINE_"):
            monkeypatch.delenv(name)
    env = {"HOTLINE_DATABASE_URL": f"sqlite:///{tmp_path / 'h.db'}",
           "HOTLINE_DATA_KEY_FILE": str(tmp_path / "data.keys"),
           "HOTLINE_SECRET_KEY": "retire-test-secret-key"}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    yield env
    set_keyring(None)
    get_settings.cache_clear()


def _tracker_with_event(path: Path, ring: Keyring) -> None:
    """A Rasa `events` table holding one event encrypted with `ring`'s current key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    conn.execute("create table events (id integer primary key, sender_id text, "
                 "type_name text, timestamp real, intent_name text, action_name text, "
                 "data text)")
    conn.execute("insert into events (sender_id, type_name, timestamp, data) "
                 "values ('c-1', 'user', 1.0, ?)", (ring.encrypt('{"text": "help"}'),))
    conn.commit()
    conn.close()


def _cli() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hotline")
    keys.register(parser.add_subparsers(dest="command", required=True))
    return parser


def _run(*argv: str) -> int:
    args = _cli().parse_args(list(argv))
    get_settings.cache_clear()
    return args.func(args)


def test_old_key_events_in_the_servers_tracker_store_block_retirement(
        hotline_env, monkeypatch, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    """A relative HOTLINE_TRACKER_DB is where the server has it (the project folder),
    whatever folder `hotline keys` runs in."""
    folder = Path(os.path.relpath(tmp_path, ROOT))
    monkeypatch.setenv("HOTLINE_TRACKER_DB", str(folder / "tracker.db"))
    monkeypatch.chdir(tmp_path / "..")  # anywhere but the project folder
    settings = get_settings()
    old = keyring_from_settings(settings)
    set_keyring(old)
    upgrade(settings.database_url)
    _tracker_with_event(tmp_path / "tracker.db", old)
    assert _run("keys", "add") == 0
    # The hotline database re-encrypted, the tracker store not (it still needs the old key).
    hotline_only = keys.Stores(settings.database_url, None)
    hotline_only.targets = [t for t in hotline_only.targets if t.database == "hotline"]
    set_keyring(keyring_from_settings(settings))
    keys.rotate(keyring_from_settings(settings), hotline_only)
    hotline_only.close()
    capsys.readouterr()
    assert _run("keys", "retire") == 1
    assert "older keys are still needed (1 with key" in capsys.readouterr().err
    assert len(keyring_from_settings(get_settings()).keys) == 2  # nothing retired
    assert _run("keys", "rotate") == 0
    assert _run("keys", "retire") == 0
    assert len(keyring_from_settings(get_settings()).keys) == 1


def test_a_missing_tracker_store_is_not_silently_skipped(hotline_env, monkeypatch, tmp_path,
                                                          capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("HOTLINE_TRACKER_DB", str(tmp_path / "moved" / "tracker.db"))
    settings = get_settings()
    set_keyring(keyring_from_settings(settings))
    upgrade(settings.database_url)
    assert _run("keys", "add") == 0
    assert _run("keys", "rotate") == 0
    capsys.readouterr()
    assert _run("keys", "retire") == 1
    err = capsys.readouterr().err
    assert "tracker store was not found at sqlite:///" in err and "moved/tracker.db" in err
    assert len(keyring_from_settings(get_settings()).keys) == 2
    # Pointing at the real store (with its events re-encrypted) or saying there is none works.
    _tracker_with_event(tmp_path / "elsewhere.db", keyring_from_settings(get_settings()))
    assert _run("keys", "retire", "--tracker-db", f"sqlite:///{tmp_path / 'elsewhere.db'}") == 0
    assert len(keyring_from_settings(get_settings()).keys) == 1


def test_no_tracker_store_flag_for_a_hotline_that_never_ran(hotline_env, monkeypatch,
                                                            tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("HOTLINE_TRACKER_DB", str(tmp_path / "never.db"))
    settings = get_settings()
    set_keyring(keyring_from_settings(settings))
    upgrade(settings.database_url)
    assert _run("keys", "add") == 0
    assert _run("keys", "retire", "--no-tracker-store") == 0
    assert not (tmp_path / "never.db").exists()


def test_tracker_location_is_the_servers(hotline_env, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from bot.endpoints import runtime_endpoints

    monkeypatch.setenv("HOTLINE_TRACKER_DB", "var/some-tracker.db")
    get_settings.cache_clear()
    settings = get_settings()
    assert keys.tracker_location(settings) == \
        runtime_endpoints(settings)[1]["HOTLINE_TRACKER_URL"] == \
        f"sqlite:///{ROOT / 'var' / 'some-tracker.db'}"
    assert keys.safe_location("postgresql://u:pw@db/h") == "postgresql://u:***@db/h"
