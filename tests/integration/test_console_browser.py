"""The advocate console in real headless Chromium, against a real running hotline.

An advocate created with the CLI logs in; a texter writes over a signed Twilio
webhook and asks for a person; the request appears in the queue without a
reload; the advocate claims it and replies; the reply reaches the texter at the
fake Twilio API; the advocate hands back; the texter asks again and the
advocate closes with a disposition. On failure a screenshot is saved in the
test's tmp folder.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.conftest import (
    ROOT,
    TEST_DATA_KEY,
    TWILIO_FROM,
    RunningHotline,
    free_port,
    plain,
    start_hotline,
    stop_hotline,
    twilio_env,
    wait_for,
)
from tests.fakes.twilio_api import inbound_sms_params, post_inbound

# The pages, not the backend: the PostgreSQL pass leaves these out (tests/conftest.py).
pytestmark = [pytest.mark.rasa, pytest.mark.one_backend]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
USERNAME, PASSWORD = "maria", "a long test passphrase"
NUMBER = "+15557770001"
# A neutral first line: the console refuses one that gives the texter away on a lock
# screen ("…from the hotline" would be refused).
REPLY = "Hi, it's Maria.\nAre you somewhere safe to text right now?"
_sids = itertools.count(1)


@pytest.fixture(scope="module")
def console_port() -> int:
    return free_port()


@pytest.fixture(scope="module")
def hotline(tmp_path_factory, fake_twilio, console_port) -> Iterator[RunningHotline]:  # type: ignore[no-untyped-def]
    tmp = tmp_path_factory.mktemp("console-browser")
    running = start_hotline(tmp, {**twilio_env(fake_twilio),
                                  "HOTLINE_CONSOLE_PORT": str(console_port)})
    yield running
    stop_hotline(running)


@pytest.fixture(scope="module")
def console_url(hotline: RunningHotline, console_port: int) -> str:
    url = f"http://127.0.0.1:{console_port}"

    def ready() -> bool:
        try:
            return httpx.get(f"{url}/healthz", timeout=5).status_code == 200
        except httpx.HTTPError:
            return False

    wait_for(ready, 60, "the console to answer")
    return url


def add_advocate_with_cli(hotline: RunningHotline) -> None:
    env = {**os.environ, "HOTLINE_DATABASE_URL": hotline.database_url,
           "HOTLINE_SECRET_KEY": "integration-test-key", "HOTLINE_DATA_KEYS": TEST_DATA_KEY}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "advocate", "add", USERNAME, "--display-name", "Maria",
         "--password-stdin"], cwd=ROOT, env=env, input=PASSWORD + "\n", capture_output=True,
        text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def text(hotline: RunningHotline, fake, body: str) -> None:  # type: ignore[no-untyped-def]
    params = inbound_sms_params(NUMBER, body, to=TWILIO_FROM, account_sid=fake.account_sid,
                                MessageSid=f"SMbrowser{next(_sids):024d}")
    result = post_inbound(f"{hotline.base_url}/webhooks/twilio/webhook", fake.auth_token, params)
    assert result.status == 200, result.body


def replies(fake, count: int) -> list[str]:  # type: ignore[no-untyped-def]
    def enough() -> list[str] | None:
        bodies = [m["body"] for m in fake.messages_to(NUMBER)]
        return bodies if len(bodies) >= count else None

    return wait_for(enough, 90, f"{count} replies to the texter")


def open_requests(hotline: RunningHotline) -> list:
    return hotline.rows("select id, status, disposition from handoff_requests "
                        "where status in ('open', 'claimed') order by id")


def ask_for_a_person(hotline: RunningHotline, fake) -> int:  # type: ignore[no-untyped-def]
    """Text until the assistant has queued a handoff request; return its id."""
    before = len(fake.messages_to(NUMBER))
    text(hotline, fake, "I want to talk to a person")
    replies(fake, before + 1)
    (row,) = wait_for(lambda: open_requests(hotline), 30, "a handoff request")
    return row[0]


@pytest.fixture
def page(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A Chromium tab (Debian's chromium, never a downloaded one); screenshot on failure."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context()
        context.set_default_timeout(30_000)
        tab = context.new_page()
        errors: list[str] = []
        tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        tab.console_errors = errors
        try:
            yield tab
        finally:
            browser.close()


@contextmanager
def screenshot_on_failure(tab, folder: Path) -> Iterator[None]:  # type: ignore[no-untyped-def]
    try:
        yield
    except BaseException:
        shot = folder / "console-failure.png"
        tab.screenshot(path=str(shot), full_page=True)
        print(f"screenshot of the failing page: {shot}")
        raise


def test_advocate_takes_a_conversation_end_to_end(hotline, console_url, fake_twilio, page,
                                                  tmp_path) -> None:
    with screenshot_on_failure(page, tmp_path):
        run_the_shift(hotline, console_url, fake_twilio, page)


def run_the_shift(hotline, console_url, fake_twilio, page) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    fake_twilio.reset()
    add_advocate_with_cli(hotline)

    # Log in.
    page.goto(f"{console_url}/")
    assert "/login" in page.url
    page.fill("#username", USERNAME)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{console_url}/queue")
    expect(page.locator("#queue-body")).to_contain_text("Nobody is waiting")

    # The texter writes, then asks for a person; the queue updates by itself.
    text(hotline, fake_twilio, "hi")
    replies(fake_twilio, 1)
    text(hotline, fake_twilio, "yes")
    replies(fake_twilio, 2)
    request_id = ask_for_a_person(hotline, fake_twilio)
    row = page.locator(f'#queue-body tr[data-request="{request_id}"]')
    expect(row).to_be_visible()  # no reload: queue.js polled it in
    expect(row).to_contain_text("SMS")

    # Claim and reply.
    row.get_by_role("link", name="Open").click()
    page.wait_for_url("**/conversations/*")
    expect(page.locator("#transcript")).to_contain_text("I want to talk to a person")
    assert NUMBER not in page.content()  # the number stays hidden
    page.click("#claim")
    expect(page.locator("#request-status")).to_have_text("claimed")
    sent_before = len(fake_twilio.messages_to(NUMBER))
    page.fill("#reply-text", REPLY)
    page.click("#send")
    assert replies(fake_twilio, sent_before + 1)[-1] == REPLY
    outbound = hotline.rows("select author, body from outbound_messages "
                            "where author = 'advocate'")
    assert [(a, plain(b)) for a, b in outbound] == [("advocate", REPLY)]

    # The texter answers: held for the advocate (the assistant stays silent) and shown live.
    text(hotline, fake_twilio, "I can talk for a few minutes")
    expect(page.locator("#transcript")).to_contain_text("I can talk for a few minutes")
    held = hotline.rows("select handled_by from inbound_messages order by id desc limit 1")
    assert held == [("advocate",)]

    # Hand back: the assistant resumes with a short line.
    page.click("#hand-back")
    page.wait_for_url(f"{console_url}/queue")
    resumed = replies(fake_twilio, sent_before + 2)[-1]
    assert resumed and resumed != REPLY
    assert hotline.rows("select status from handoff_requests where id = :i",
                        i=request_id) == [("handed_back",)]

    # The texter asks again; the advocate claims and closes with a disposition.
    second = ask_for_a_person(hotline, fake_twilio)
    assert second != request_id
    row = page.locator(f'#queue-body tr[data-request="{second}"]')
    expect(row).to_be_visible()
    row.get_by_role("link", name="Open").click()
    page.click("#claim")
    expect(page.locator("#request-status")).to_have_text("claimed")
    page.click("#close-box summary")
    page.select_option("#disposition", "information_given")
    page.click("#close")
    page.wait_for_url(f"{console_url}/queue")
    assert hotline.rows("select status, disposition from handoff_requests where id = :i",
                        i=second) == [("closed", "information_given")]
    expect(page.locator(f'#queue-body tr[data-request="{second}"]')).to_have_count(0)

    # Everything the advocate did is in the audit log.
    actions = {a for (a,) in hotline.rows("select action from audit_events")}
    assert {"account_created", "login", "view", "claim", "reply", "hand_back",
            "close"} <= actions, actions
    # The strict CSP did not block any of the console's own scripts.
    assert not [e for e in page.console_errors if "Content Security Policy" in e]
