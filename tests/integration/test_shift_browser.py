"""A real shift in headless Chromium: nothing urgent slips away, nobody is left waiting.

Against a real running hotline (Rasa, action server, console) with a 3-second
unclaimed window:
- a web chat emergency nobody claims escalates (alert strip on every console
  page, the texter told the team was alerted) and never closes; a supervisor
  claims it from the alert;
- the web chat's Leave button ends the conversation on the server (request
  left, on the missed list as "texter left"), clears the page and goes to the
  operator's neutral page; EXIT clears the page too;
- deactivating an advocate returns their conversation to the queue.
Screenshots of the pages land in the test's tmp folder (and HOTLINE_SHOTS, if set).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from tests.conftest import (
    ROOT,
    TEST_DATA_KEY,
    RunningHotline,
    free_port,
    start_hotline,
    stop_hotline,
    twilio_env,
    wait_for,
)
from tests.integration.test_console_browser import CHROMIUM, CHROMIUM_ARGS, screenshot_on_failure

# The pages, not the backend: the PostgreSQL pass leaves these out (tests/conftest.py).
pytestmark = [pytest.mark.rasa, pytest.mark.one_backend]

PASSWORD = "a long test passphrase"
NEUTRAL_PAGE = "<!doctype html><title>Weather</title><h1>Weather today</h1>"


class _Neutral(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        body = NEUTRAL_PAGE.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def neutral_url() -> Iterator[str]:
    """The operator's neutral page (a local stand-in for a weather site: no internet)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Neutral)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/weather"
    server.shutdown()


@pytest.fixture(scope="module")
def console_port() -> int:
    return free_port()


@pytest.fixture(scope="module")
def hotline(tmp_path_factory, fake_twilio, console_port, neutral_url):  # type: ignore[no-untyped-def]
    tmp = tmp_path_factory.mktemp("shift-browser")
    running = start_hotline(tmp, {**twilio_env(fake_twilio),
                                  "HOTLINE_CONSOLE_PORT": str(console_port),
                                  "HOTLINE_HANDOFF_UNCLAIMED_MINUTES": "0.05",
                                  "HOTLINE_WEBCHAT_LEAVE_URL": neutral_url})
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
    for name, role in (("sam", "supervisor"), ("ana", "advocate"), ("root", "admin")):
        add_account(hotline, name, role)
    return url


def add_account(hotline: RunningHotline, username: str, role: str) -> None:
    env = {**os.environ, "HOTLINE_DATABASE_URL": hotline.database_url,
           "HOTLINE_SECRET_KEY": "integration-test-key", "HOTLINE_DATA_KEYS": TEST_DATA_KEY}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "advocate", "add", username, "--display-name",
         username.capitalize(), "--role", role, "--password-stdin"], cwd=ROOT, env=env,
        input=PASSWORD + "\n", capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


@pytest.fixture
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


def tab(browser, width: int = 1280, height: int = 900):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": width, "height": height})
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda m: page.console_errors.append(m.text)
            if m.type == "error" else None)
    return page


def log_in(page, console_url: str, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{console_url}/")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{console_url}/queue")


def shot(page, tmp_path: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    if os.environ.get("HOTLINE_SHOTS"):
        shutil.copy(path, Path(os.environ["HOTLINE_SHOTS"]) / path.name)


def chat(page, message: str, expect_reply: bool = True) -> None:  # type: ignore[no-untyped-def]
    before = page.locator("#log .msg.bot").count()
    page.fill("#text", message)
    page.press("#text", "Enter")
    if expect_reply:
        wait_for(lambda: page.locator("#log .msg.bot").count() > before, 60,
                 f"a reply to {message!r}")


def pick(page, starts: str) -> None:  # type: ignore[no-untyped-def]
    """Choose the transfer target whose label ("Sam (available, 0 of 3)") starts so."""
    labels = page.locator("#transfer-to option").all_inner_texts()
    (label,) = [x for x in labels if x.startswith(starts)]
    assert "available" in label and " of 3)" in label
    page.select_option("#transfer-to", label=label)


def request_rows(hotline: RunningHotline) -> list:
    return hotline.rows("select id, status, priority, escalated_at, missed_reason, claimed_by "
                        "from handoff_requests order by id")


def test_an_unclaimed_emergency_escalates_and_never_closes(hotline, console_url, browser,
                                                           tmp_path) -> None:
    from playwright.sync_api import expect

    texter = tab(browser, 360, 740)
    supervisor = tab(browser)
    with screenshot_on_failure(supervisor, tmp_path):
        log_in(supervisor, console_url, "sam")
        texter.goto(f"{hotline.base_url}/webhooks/webchat/")
        chat(texter, "hi")
        chat(texter, "yes")
        before = {r[0] for r in request_rows(hotline)}
        chat(texter, "he has a gun and says he will hurt me")
        new = wait_for(lambda: [r for r in request_rows(hotline) if r[0] not in before],
                       30, "the emergency request")
        request_id = new[0][0]
        assert new[0][2] == "emergency"

        # Past the 3-second window: escalated, not closed. The texter is told honestly.
        wait_for(lambda: [r for r in request_rows(hotline)
                          if r[0] == request_id and r[3] is not None], 30, "the escalation")
        expect(texter.locator("#log")).to_contain_text("Everyone on our team has been alerted",
                                                       timeout=30_000)
        assert "closed this request" not in texter.locator("#log").inner_text()
        alert = supervisor.locator("#escalation-alert")
        expect(alert).to_be_visible()
        expect(alert).to_contain_text("Unclaimed emergency")
        expect(supervisor.locator(f'#queue-body tr[data-request="{request_id}"]')).to_have_class(
            "prio-emergency escalated")
        assert supervisor.title().startswith("(")   # the tab title counts waiting requests
        shot(supervisor, tmp_path, "console-escalated")
        shot(texter, tmp_path, "webchat-escalated-320")
        # The alert follows the supervisor to every page.
        supervisor.goto(f"{console_url}/cases")
        expect(supervisor.locator("#escalation-alert")).to_be_visible()

        # Much later (many sweeps) it is still open: never closed by a timer.
        supervisor.wait_for_timeout(12_000)
        (row,) = [r for r in request_rows(hotline) if r[0] == request_id]
        assert row[1] == "open" and row[4] is None
        escalations = hotline.rows("select count(*) from audit_events where action = 'escalated'")
        assert escalations == [(1,)]

        # A supervisor claims it straight from the alert; the alert goes away.
        supervisor.click("#escalation-link")
        supervisor.wait_for_url("**/conversations/*")
        supervisor.click("#claim")
        expect(supervisor.locator("#request-status")).to_have_text("claimed")
        expect(supervisor.locator("#escalation-alert")).to_be_hidden(timeout=15_000)
        assert not [e for e in supervisor.console_errors if "Content Security Policy" in e]


def test_leave_ends_the_conversation_clears_the_page_and_goes_somewhere_neutral(
        hotline, console_url, browser, neutral_url, tmp_path) -> None:
    from playwright.sync_api import expect

    texter = tab(browser, 320, 640)
    supervisor = tab(browser)
    with screenshot_on_failure(texter, tmp_path):
        texter.goto(f"{hotline.base_url}/webhooks/webchat/")
        # 320 px: the Send button is fully on screen.
        box = texter.locator("#send").bounding_box()
        assert box and box["x"] + box["width"] <= 320
        chat(texter, "hi")
        chat(texter, "yes")
        before = {r[0] for r in request_rows(hotline)}
        chat(texter, "I want to talk to a person")
        # Web chat asks the same contact-back question as SMS.
        expect(texter.locator("#log")).to_contain_text("may a person from our team text you")
        chat(texter, "yes")
        (new,) = wait_for(lambda: [r for r in request_rows(hotline) if r[0] not in before],
                          30, "the request")
        shot(texter, tmp_path, "webchat-waiting-320")
        texter.click("#leave")
        texter.wait_for_url(neutral_url)
        expect(texter.locator("h1")).to_have_text("Weather today")
        assert texter.evaluate("sessionStorage.length") == 0
        texter.go_back()   # nothing of the chat is left behind
        expect(texter.locator("#log .msg")).to_have_count(0)
        (row,) = wait_for(lambda: [r for r in request_rows(hotline)
                                   if r[0] == new[0] and r[1] == "left"], 30, "the request left")
        assert row[4] == "texter_left"

        # On the missed list, for a supervisor, with its reason and the consent to text back.
        log_in(supervisor, console_url, "sam")
        supervisor.click("nav >> text=Missed")
        missed = supervisor.locator(f'#missed tr[data-request="{new[0]}"]')
        expect(missed).to_contain_text("Texter left")
        expect(missed).to_contain_text("yes")
        shot(supervisor, tmp_path, "console-missed")
        missed.locator("button.follow-up").click()
        expect(supervisor.locator(f'#missed tr[data-request="{new[0]}"]')).to_have_count(0)
        actions = {a for (a,) in hotline.rows("select action from audit_events")}
        assert {"missed", "missed_read", "missed_followed_up"} <= actions


def test_exit_clears_the_page(hotline, browser, tmp_path) -> None:
    from playwright.sync_api import expect

    texter = tab(browser, 360, 740)
    with screenshot_on_failure(texter, tmp_path):
        texter.goto(f"{hotline.base_url}/webhooks/webchat/")
        chat(texter, "hola")
        chat(texter, "sí")
        expect(texter.locator("html")).to_have_attribute("lang", "es")
        expect(texter.locator("#send")).to_have_text("Enviar")
        expect(texter.locator("#leave")).to_have_text("Salir")
        old_sender = texter.evaluate("sessionStorage.getItem('hotline-sender')")
        chat(texter, "SALIR", expect_reply=False)
        expect(texter.locator("#log .msg.me")).to_have_count(0)   # only the neutral goodbye
        expect(texter.locator("#log .msg.bot")).not_to_have_count(0)
        shot(texter, tmp_path, "webchat-after-exit")
        assert "hola" not in texter.locator("#log").inner_text()
        assert texter.evaluate("sessionStorage.getItem('hotline-sender')") != old_sender


def test_deactivating_an_advocate_returns_their_conversation(hotline, console_url, browser,
                                                             tmp_path) -> None:
    from playwright.sync_api import expect

    texter = tab(browser, 360, 740)
    advocate = tab(browser)
    admin = tab(browser)
    with screenshot_on_failure(admin, tmp_path):
        texter.goto(f"{hotline.base_url}/webhooks/webchat/")
        chat(texter, "hi")
        chat(texter, "yes")
        before = {r[0] for r in request_rows(hotline)}
        chat(texter, "I want to talk to a person")
        chat(texter, "yes")
        (new,) = wait_for(lambda: [r for r in request_rows(hotline) if r[0] not in before],
                          30, "the request")
        log_in(advocate, console_url, "ana")
        row = advocate.locator(f'#queue-body tr[data-request="{new[0]}"]')
        row.get_by_role("link", name="Open").click()
        advocate.click("#claim")
        expect(advocate.locator("#request-status")).to_have_text("claimed")

        log_in(admin, console_url, "root")
        admin.goto(f"{console_url}/admin/accounts")
        admin.locator('tr[data-username="ana"] button.danger').click()
        expect(admin.locator('tr[data-username="ana"]')).to_contain_text("deactivated")
        (back,) = [r for r in request_rows(hotline) if r[0] == new[0]]
        assert (back[1], back[5]) == ("open", None)
        admin.goto(f"{console_url}/queue")
        queued = admin.locator(f'#queue-body tr[data-request="{new[0]}"]')
        expect(queued).to_contain_text("offered to")   # claimed by nobody, offered again
        returned = hotline.rows("select actor from audit_events "
                                "where action = 'returned_to_queue'")
        assert returned == [("root",)]


def test_transfers_update_the_page_in_place_and_closing_is_guarded(
        hotline, console_url, browser, tmp_path) -> None:
    from playwright.sync_api import expect

    texter = tab(browser, 360, 740)
    ana = tab(browser)
    sam = tab(browser)
    with screenshot_on_failure(ana, tmp_path):
        texter.goto(f"{hotline.base_url}/webhooks/webchat/")
        chat(texter, "hi")
        chat(texter, "yes")
        before = {r[0] for r in request_rows(hotline)}
        chat(texter, "I want to talk to a person")
        chat(texter, "yes")
        (new,) = wait_for(lambda: [r for r in request_rows(hotline) if r[0] not in before],
                          30, "the request")
        add_account(hotline, "ana2", "advocate")
        log_in(ana, console_url, "ana2")
        # Claim straight from the queue row.
        ana.locator(f'#queue-body tr[data-request="{new[0]}"] button.claim-row').click()
        ana.wait_for_url("**/conversations/*")
        expect(ana.locator("#request-status")).to_have_text("claimed")
        expect(ana.locator("#reply-text")).to_be_focused()
        ana.fill("#reply-text", "Hi, it's Ana from the team.")
        ana.press("#reply-text", "Control+Enter")          # keyboard: send
        expect(texter.locator("#log .msg.person")).to_contain_text("Hi, it's Ana", timeout=30_000)
        expect(texter.locator("#log .msg.person .who")).to_have_text("A person from our team")
        shot(texter, tmp_path, "webchat-person-message")
        ana.fill("#reply-text", "a draft I am still writing")

        # A supervisor moves it to herself and back: Ana's page follows, the draft survives.
        log_in(sam, console_url, "sam")
        sam.goto(ana.url)
        pick(sam, "Sam (")
        sam.click("form[action$='/transfer'] button")
        expect(ana.locator("#request-owner")).to_contain_text("Sam", timeout=15_000)
        expect(ana.locator("#reply-text")).to_have_count(0)
        sam.goto(ana.url)
        pick(sam, "Ana2 (")
        sam.click("form[action$='/transfer'] button")
        expect(ana.locator("#reply-text")).to_have_value("a draft I am still writing",
                                                         timeout=15_000)

        # The texter writes again; closing warns, needs a disposition, checks the line.
        chat(texter, "are you still there?", expect_reply=False)
        ana.click("#close-box summary")
        expect(ana.locator("#unanswered-warning")).to_be_visible(timeout=15_000)
        assert ana.locator("#disposition").input_value() == ""
        shot(ana, tmp_path, "console-close-guarded")
        ana.select_option("#disposition", "information_given")
        ana.fill("#closing-line", "Take care.\nYou can write here again any time.")
        ana.click("#close")
        expect(ana.locator(".flash.error")).to_contain_text("no answer yet")
        assert hotline.rows("select status from handoff_requests where id = :i",
                            i=new[0]) == [("claimed",)]
        ana.click("#close-box summary")
        ana.select_option("#disposition", "information_given")
        ana.fill("#closing-line", "Take care.\nYou can write here again any time.")
        ana.check("#confirm-unanswered")
        ana.click("#close")
        ana.wait_for_url(f"{console_url}/queue")
        assert hotline.rows("select status, disposition from handoff_requests where id = :i",
                            i=new[0]) == [("closed", "information_given")]
        expect(texter.locator("#log")).to_contain_text("Take care.", timeout=30_000)

        # Narrow screens: the console at 320 px.
        narrow = tab(browser, 320, 700)
        log_in(narrow, console_url, "sam")
        shot(narrow, tmp_path, "console-queue-320")
        width = narrow.evaluate("document.documentElement.scrollWidth")
        assert width <= 330, width


NOTIFICATION_SPY = """
window.__notes = [];
(function () {
  var Real = window.Notification;
  if (!Real) { return; }
  function Spy(title, options) { window.__notes.push(title); return new Real(title, options); }
  Spy.requestPermission = function () { return Real.requestPermission(); };
  Object.defineProperty(Spy, "permission", { get: function () { return Real.permission; } });
  window.Notification = Spy;
}());
"""


def test_presence_routes_new_requests_and_notifications_are_shown(
        hotline, console_url, browser, tmp_path) -> None:
    from playwright.sync_api import expect

    for name in ("cleo", "dan"):
        add_account(hotline, name, "advocate")
    cleo, dan = tab(browser), tab(browser)
    dan.context.grant_permissions(["notifications"], origin=console_url)
    dan.add_init_script(NOTIFICATION_SPY)
    with screenshot_on_failure(cleo, tmp_path):
        log_in(cleo, console_url, "cleo")
        log_in(dan, console_url, "dan")
        # Everyone else from earlier tests goes away, so only Cleo and Dan take offers.
        for other in ("sam", "root", "ana2"):
            page = tab(browser)
            log_in(page, console_url, other)
            if page.locator("#presence-state").inner_text() == "Available":
                page.click("#presence-toggle")
                expect(page.locator("#presence-state")).to_have_text("Away")
            page.context.close()
        cleo.click("#presence-toggle")
        expect(cleo.locator("#presence-state")).to_have_text("Away")

        texter = tab(browser, 360, 740)
        texter.goto(f"{hotline.base_url}/webhooks/webchat/")
        chat(texter, "hi")
        chat(texter, "yes")
        before = {r[0] for r in request_rows(hotline)}
        chat(texter, "I want to talk to a person")
        (new,) = wait_for(lambda: [r for r in request_rows(hotline) if r[0] not in before],
                          30, "the request")
        # Offered to Dan (Cleo is away), shown to both; Dan is notified.
        for page in (cleo, dan):
            expect(page.locator(f'#queue-body tr[data-request="{new[0]}"]')).to_contain_text(
                "offered to Dan")
        wait_for(lambda: any("New request waiting" in t for t in dan.evaluate("window.__notes")),
                 20, "Dan's notification")
        assert any("offered to you" in t for t in dan.evaluate("window.__notes"))
        assert dan.title().startswith("(")
        shot(dan, tmp_path, "console-offered")

        # Dan claims it from the row; Cleo comes back; the next request goes to Cleo.
        dan.locator(f'#queue-body tr[data-request="{new[0]}"] button.claim-row').click()
        dan.wait_for_url("**/conversations/*")
        cleo.click("#presence-toggle")
        expect(cleo.locator("#presence-state")).to_have_text("Available")
        other = tab(browser, 360, 740)
        other.goto(f"{hotline.base_url}/webhooks/webchat/")
        chat(other, "hi")
        chat(other, "yes")
        before = {r[0] for r in request_rows(hotline)}
        chat(other, "I want to talk to a person")
        (second,) = wait_for(lambda: [r for r in request_rows(hotline) if r[0] not in before],
                             30, "the second request")
        expect(cleo.locator(f'#queue-body tr[data-request="{second[0]}"]')).to_contain_text(
            "offered to Cleo")
        # The texter writes again in Dan's conversation: Dan is told.
        chat(texter, "hello? are you there", expect_reply=False)
        wait_for(lambda: "A texter wrote again" in dan.evaluate("window.__notes"), 20,
                 "the 'wrote again' notification")
        presence = hotline.rows("select count(*) from audit_events where action = 'presence'")
        assert presence[0][0] >= 3


SMS_NUMBER = "+15557770099"


def sms(hotline: RunningHotline, fake, body: str, n: list[int] = [0]) -> None:  # type: ignore[no-untyped-def]  # noqa: B006
    from tests.conftest import TWILIO_FROM
    from tests.fakes.twilio_api import inbound_sms_params, post_inbound

    n[0] += 1
    params = inbound_sms_params(SMS_NUMBER, body, to=TWILIO_FROM,
                                account_sid=fake.account_sid,
                                MessageSid=f"SMshift{n[0]:026d}")
    result = post_inbound(f"{hotline.base_url}/webhooks/twilio/webhook", fake.auth_token,
                          params)
    assert result.status == 200, result.body


def test_history_finds_a_returning_texter_by_number_and_shows_episodes(
        hotline, console_url, browser, fake_twilio, tmp_path) -> None:
    from playwright.sync_api import expect

    sam = tab(browser)
    with screenshot_on_failure(sam, tmp_path):
        log_in(sam, console_url, "sam")
        first = None
        for round_ in range(2):
            before = {r[0] for r in request_rows(hotline)}
            if round_ == 0:
                sms(hotline, fake_twilio, "hi")
                wait_for(lambda: fake_twilio.messages_to(SMS_NUMBER), 60, "the greeting")
                sms(hotline, fake_twilio, "yes")
                wait_for(lambda: len(fake_twilio.messages_to(SMS_NUMBER)) >= 2, 60, "a reply")
            sms(hotline, fake_twilio, "I want to talk to a person")
            (new,) = wait_for(lambda seen=before: [r for r in request_rows(hotline)
                                                   if r[0] not in seen], 60, "the request")
            first = first or new[0]
            if round_ == 0:
                sam.goto(f"{console_url}/queue")
                sam.locator(f'#queue-body tr[data-request="{new[0]}"] button.claim-row').click()
                sam.wait_for_url("**/conversations/*")
                sam.click("#close-box summary")
                sam.select_option("#disposition", "safety_planned")
                if sam.locator("#confirm-unanswered").is_visible():
                    sam.check("#confirm-unanswered")
                sam.click("#close")
                sam.wait_for_url(f"{console_url}/queue")
        # The queue marks the returning texter.
        row = sam.locator(f'#queue-body tr[data-request="{new[0]}"]')
        expect(row.locator(".badge.returning")).to_be_visible()
        # Search by the number (typed as people type it); it is never put in a URL.
        sam.click("nav >> text=History")
        sam.fill("#history-number", "(555) 777-0099")
        sam.click("#history-search")
        results = sam.locator("#history tbody tr")
        expect(results).to_have_count(2)
        assert "5557770099" not in sam.url and "777-0099" not in sam.content()
        expect(sam.locator(f'#history tr[data-request="{first}"]')).to_contain_text(
            "safety planned")
        shot(sam, tmp_path, "console-history")
        sam.locator(f'#history tr[data-request="{new[0]}"]').get_by_role("link").click()
        episodes = sam.locator("#episodes")
        expect(episodes).to_contain_text("safety planned")
        expect(episodes.locator("li")).to_have_count(2)
        shot(sam, tmp_path, "console-episodes")
        assert hotline.rows("select count(*) from audit_events where action = 'history_search'"
                            )[0][0] >= 1
