"""No phone number, chat id or message text in plaintext on disk.

One real hotline (supervisor, Rasa with the encrypted tracker store, action
server) with the web chat, SMS (fake Twilio, signed webhooks) and Telegram
(fake Bot API, long polling). Full conversations with known, distinctive
numbers and texts go through all three; then the raw bytes of every file the
hotline wrote — hotline.db, tracker.db, their -wal / -shm / -journal files, the
log — are searched for each of them, as UTF-8, as UTF-16 and as the JSON
escapes Rasa writes for non-ASCII text.

On the PostgreSQL pass of `make test` the hotline's database (tracker store
included) is a PostgreSQL database: a `pg_dump` of it is written beside the log
and searched the same way.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import (
    TWILIO_FROM,
    RunningHotline,
    start_hotline,
    stop_hotline,
    twilio_env,
    wait_for,
)
from tests.databases import on_postgresql
from tests.fakes.twilio_api import inbound_sms_params, post_inbound

pytestmark = pytest.mark.rasa

SMS_NUMBER = "+14155550173"
TELEGRAM_CHAT = 918_273_645_546
WEB_SENDER = "webtexter-5f3c9a71d2e4"

WEB_TEXTS = [
    "hi",
    "I want to report something",
    "a van drops workers at 1234 Zephyrine Lane every night",
    "can I talk to a real person about Quillfeather Farms",
]
SMS_TEXTS = [
    "hola",
    "¿Me ayudas? Mi patrón Xochiquetzal guarda mi pasaporte, llámame al 555-0199",
    "no puedo salir de la casa de Tlalnepantla",
]
TELEGRAM_TEXTS = [
    "hello",
    "my boss keeps my passport 555-0100, ask for Marigoldsworth",
    "they watch my phone at Brackenridge Motel",
]

# What must never be found. Short greetings are left out: they are also template words.
NEEDLES = [
    SMS_NUMBER, SMS_NUMBER[1:], SMS_NUMBER[2:], str(TELEGRAM_CHAT), WEB_SENDER,
    *WEB_TEXTS[2:], *SMS_TEXTS[1:], *TELEGRAM_TEXTS[1:],
    "Zephyrine", "Quillfeather", "Xochiquetzal", "Tlalnepantla", "Marigoldsworth",
    "Brackenridge", "555-0100", "555-0199", "pasaporte",
]


def encodings(needle: str) -> set[bytes]:
    """The byte patterns a plaintext copy of `needle` could take on disk."""
    return {
        needle.encode("utf-8"),
        needle.encode("utf-16-le"),
        json.dumps(needle)[1:-1].encode("ascii"),  # json.dumps escapes non-ASCII (Rasa does)
        json.dumps(needle, ensure_ascii=False)[1:-1].encode("utf-8"),
    }


@pytest.fixture(scope="module")
def tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("no-plaintext")


@pytest.fixture(scope="module")
def running(tmp: Path, fake_twilio, fake_tg) -> Iterator[RunningHotline]:  # type: ignore[no-untyped-def]
    hotline = start_hotline(tmp, {
        **twilio_env(fake_twilio),
        "TELEGRAM_BOT_TOKEN": fake_tg.token,
        "TELEGRAM_API_BASE_URL": fake_tg.url,
        "TELEGRAM_MODE": "polling",
        "HOTLINE_DATA_KEYS": "",  # empty = unset: the key file below is used
        "HOTLINE_DATA_KEY_FILE": str(tmp / "keys" / "data.keys"),
    })
    yield hotline
    stop_hotline(hotline)




def settled(hotline: RunningHotline) -> bool:
    """Every inbound message processed and every reply out of the outbox."""
    (pending,) = hotline.rows(
        "select (select count(*) from inbound_messages where status != 'processed') + "
        "(select count(*) from outbound_messages where status in ('queued', 'sending'))")
    return pending[0] == 0


def converse(hotline: RunningHotline, fake_twilio, fake_tg) -> None:  # type: ignore[no-untyped-def]
    for text in WEB_TEXTS:
        assert hotline.texts(WEB_SENDER, text)

    url = f"{hotline.base_url}/webhooks/twilio/webhook"
    for n, text in enumerate(SMS_TEXTS, start=1):
        params = inbound_sms_params(SMS_NUMBER, text, to=TWILIO_FROM,
                                    account_sid=fake_twilio.account_sid)
        assert post_inbound(url, fake_twilio.auth_token, params).status == 200
        wait_for(lambda n=n: len(fake_twilio.messages_to(SMS_NUMBER)) >= n, 90, what="SMS replies")
        wait_for(lambda: settled(hotline), 90, what="SMS processed")

    for n, text in enumerate(TELEGRAM_TEXTS, start=1):
        fake_tg.push_update(fake_tg.text_update(TELEGRAM_CHAT, text))
        wait_for(lambda n=n: len(fake_tg.sent_to(TELEGRAM_CHAT)) >= n, 90, what="Telegram replies")
        wait_for(lambda: settled(hotline), 90, what="Telegram processed")


def files_written(tmp: Path) -> list[Path]:
    return sorted(p for p in tmp.rglob("*") if p.is_file() and p.parent.name != "keys")


def plaintext_found(tmp: Path) -> list[str]:
    found = []
    for path in files_written(tmp):
        data = path.read_bytes()
        for needle in NEEDLES:
            if any(pattern in data for pattern in encodings(needle)):
                found.append(f"{needle!r} in {path.name}")
    return found


def pg_dump(database_url: str, out: Path) -> None:
    """Dump a PostgreSQL database as plain SQL (the pg_dump of the installed server)."""
    from sqlalchemy.engine import make_url

    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_dump"))
    binary = str(candidates[-1]) if candidates else shutil.which("pg_dump")
    assert binary, "pg_dump not found (apt-get install postgresql)"
    url = make_url(database_url).set(drivername="postgresql")
    subprocess.run([binary, "--no-owner", "--file", str(out),
                    url.render_as_string(hide_password=False)], check=True, timeout=120)


def test_nothing_sensitive_is_on_disk_in_plaintext(running: RunningHotline, tmp: Path,
                                                   fake_twilio, fake_tg) -> None:  # type: ignore[no-untyped-def]
    converse(running, fake_twilio, fake_tg)

    # The conversations did reach every store (an empty database proves nothing).
    channels = {r[0] for r in running.rows("select distinct channel from inbound_messages")}
    assert {"webchat", "twilio", "telegram"} <= channels
    (tips,) = running.rows("select count(*) from tips")
    assert tips[0] >= 1
    # The tracker store is the encrypted one (Rasa falls back to memory silently).
    tracker = tracker_rows(running, tmp)
    assert len(tracker) > 20
    assert all(r.startswith("f2:") for r in tracker)
    bodies = [b[0] for b in running.rows(
        "select body from inbound_messages union all select body from outbound_messages "
        "union all select contact_address from conversations where contact_address is not null")]
    assert bodies and all(b.startswith("f2:") for b in bodies)

    dump = tmp / "pg_dump.sql"
    if on_postgresql():
        pg_dump(running.database_url, dump)
        expected_files = {"pg_dump.sql", "hotline.log"}
    else:
        expected_files = {"hotline.db", "tracker.db", "hotline.log"}
    assert expected_files <= {p.name for p in files_written(tmp)}

    while_running = plaintext_found(tmp)  # WAL and journal files included
    time.sleep(1)
    stop_hotline(running)
    if on_postgresql():
        pg_dump(running.database_url, dump)  # again, after everything was flushed
    after_stop = plaintext_found(tmp)
    assert while_running == [] and after_stop == [], while_running + after_stop

    # Positive control: decrypted with the key file, the texts are there, so the
    # search above would have found a plaintext copy.
    from bot.store.crypto import Keyring, read_key_file

    ring = Keyring(read_key_file(tmp / "keys" / "data.keys", create=False))
    stored = [ring.decrypt(b) for b in bodies]
    events = "\n".join(ring.decrypt(r) for r in tracker)
    for text in (WEB_TEXTS[2], SMS_TEXTS[1], TELEGRAM_TEXTS[1]):
        assert text in stored
        assert json.dumps(text)[1:-1] in events
    assert {SMS_NUMBER, str(TELEGRAM_CHAT)} <= set(stored)
    # A web chat address is the page's sender id and a digest of its session token.
    assert any(v.startswith(f"{WEB_SENDER}#") for v in stored)
    if on_postgresql():  # the dump holds the ciphertext, so it is a real copy of the data
        assert bodies[0].encode() in dump.read_bytes()


def tracker_rows(hotline: RunningHotline, tmp: Path) -> list[str]:
    """The `data` column of Rasa's events table, wherever the tracker store is."""
    if on_postgresql():
        return [r[0] for r in hotline.rows("select data from events")]
    import sqlite3

    conn = sqlite3.connect(tmp / "tracker.db")
    rows = [r[0] for r in conn.execute("select data from events").fetchall()]
    conn.close()
    return rows
