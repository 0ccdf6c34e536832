"""One full run of every channel and the console; its whole log must hold nothing personal.

Issue 13.2: library loggers used to log SQL with parameters (password hashes,
usernames, display names, audit reasons) and Twilio query strings (numbers).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pytest

from tests.conftest import (
    ROOT,
    TEST_DATA_KEY,
    TWILIO_FROM,
    RunningHotline,
    free_port,
    start_hotline,
    stop_hotline,
    twilio_env,
    wait_for,
)
from tests.fakes.twilio_api import inbound_sms_params, post_inbound

pytestmark = pytest.mark.rasa

NUMBER = "+15557771234"
SMS_BODY = "quokka-sms my boss took my passport"
WEB_SENDER = "web-lemur-5c1d0e"
WEB_BODY = "lemur-web they lock the door at night"
CHAT_ID = 7_390_112_233
TG_BODY = "okapi-tg i owe them money"
ADMIN, ADMIN_PASSWORD = "admin.narwhal", "narwhal admin passphrase 1"
NEW_USER, NEW_NAME, NEW_PASSWORD = "new.axolotl", "Axolotl Display", "axolotl passphrase 22"
TYPO_PASSWORD = "pangolin-password-typed-as-username"
REASON = "tapir-reason the texter is 15 and asked for a call"
SQL = re.compile(r"\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM|CREATE TABLE)\b|\[SQL",
                 re.I)


@pytest.fixture(scope="module")
def console_port() -> int:
    return free_port()


@pytest.fixture(scope="module")
def full(tmp_path_factory, fake_twilio, fake_tg, console_port) -> Iterator[RunningHotline]:  # type: ignore[no-untyped-def]
    running = start_hotline(tmp_path_factory.mktemp("quiet-logs"), {
        **twilio_env(fake_twilio), "HOTLINE_CONSOLE_PORT": str(console_port),
        "TELEGRAM_BOT_TOKEN": fake_tg.token, "TELEGRAM_API_BASE_URL": fake_tg.url,
        "TELEGRAM_MODE": "polling", "HOTLINE_LOG_LEVEL": "DEBUG"})
    yield running
    stop_hotline(running)


def _csrf(page: httpx.Response) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match, page.text[:500]
    return match.group(1)


def _console(full: RunningHotline, port: int) -> None:
    env = {**os.environ, "HOTLINE_DATABASE_URL": full.database_url,
           "HOTLINE_SECRET_KEY": "integration-test-key", "HOTLINE_DATA_KEYS": TEST_DATA_KEY}
    made = subprocess.run(
        [sys.executable, "-m", "bot", "advocate", "add", ADMIN, "--role", "admin",
         "--password-stdin"], cwd=ROOT, env=env, input=ADMIN_PASSWORD + "\n",
        capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    url = f"http://127.0.0.1:{port}"

    def ready() -> bool:
        try:
            return httpx.get(f"{url}/healthz", timeout=5).status_code == 200
        except httpx.HTTPError:
            return False

    wait_for(ready, 60, "the console")
    with httpx.Client(base_url=url, timeout=30) as browser:
        token = _csrf(browser.get("/login"))
        failed = browser.post("/login", data={"csrf_token": token, "username": TYPO_PASSWORD,
                                              "password": ADMIN_PASSWORD})
        assert failed.status_code == 401
        done = browser.post("/login", data={"csrf_token": token, "username": ADMIN,
                                            "password": ADMIN_PASSWORD})
        assert done.status_code == 302
        token = _csrf(browser.get("/admin/accounts"))
        created = browser.post("/admin/accounts", data={
            "csrf_token": token, "username": NEW_USER, "display_name": NEW_NAME,
            "password": NEW_PASSWORD, "password2": NEW_PASSWORD, "role": "advocate"})
        assert created.status_code == 302
        (conversation,) = full.rows("select id from conversations where channel = 'twilio'")[0]
        revealed = browser.post(f"/conversations/{conversation}/reveal",
                                data={"csrf_token": token, "reason": REASON})
        assert revealed.status_code == 200 and NUMBER in revealed.text


def test_the_log_of_a_full_run_holds_nothing_personal(full, fake_twilio, fake_tg,
                                                       console_port) -> None:  # type: ignore[no-untyped-def]
    # Web chat.
    assert full.texts(WEB_SENDER, WEB_BODY)
    assert full.updates(WEB_SENDER).status_code == 200
    # SMS: a signed webhook in, a reply out through the real twilio client.
    params = inbound_sms_params(NUMBER, SMS_BODY, to=TWILIO_FROM,
                                account_sid=fake_twilio.account_sid)
    assert post_inbound(f"{full.base_url}/webhooks/twilio/webhook", fake_twilio.auth_token,
                        params).status == 200
    wait_for(lambda: fake_twilio.messages_to(NUMBER), 90, "an SMS reply")
    # Telegram through the real PTB bot against the fake Bot API.
    fake_tg.push_update(fake_tg.text_update(CHAT_ID, TG_BODY))
    wait_for(lambda: fake_tg.sent_to(CHAT_ID), 90, "a Telegram reply")
    # The console: a mistyped log-in, a log-in, a new account, an audited reveal.
    _console(full, console_port)
    hashes = [h for (h,) in full.rows("select password_hash from advocates")]
    assert len(hashes) == 2

    log = full.log_path.read_text(errors="replace")
    assert "Rasa server is up" in log and "advocate console on" in log  # really captured
    secrets = [NUMBER, quote(NUMBER), NUMBER[1:], SMS_BODY, WEB_SENDER, WEB_BODY,
               str(CHAT_ID), TG_BODY, fake_tg.token, fake_twilio.auth_token, ADMIN,
               ADMIN_PASSWORD, NEW_USER, NEW_NAME, NEW_PASSWORD, TYPO_PASSWORD, REASON,
               "integration-test-key", TEST_DATA_KEY, *hashes]
    leaked = [s for s in secrets if s in log]
    assert leaked == [], f"in the log: {leaked}"
    statements = SQL.findall(log)
    assert not statements, f"SQL in the log: {statements[:5]}"
