"""The reports page in real headless Chromium, against the standalone console.

A year of synthetic traffic (`hotline demo seed`), the console started as
`python -m bot.console` (no Rasa needed). A supervisor opens the reports page:
every chart draws (Chart.js from the console itself, under the strict CSP,
no console errors, no CSP violations), the filters change the figures, a
chart's CSV download matches its table; an advocate is refused. A screenshot
is saved in the test's tmp folder (and its path printed).
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest

from bot.console import accounts, passwords
from bot.demo.seed import seed
from bot.store.crypto import Keyring, set_keyring
from bot.store.db import session_scope
from tests.conftest import ROOT, TEST_DATA_KEY, free_port, wait_for
from tests.databases import migrated_database
from tests.unit.console.conftest import CHEAP_HASHER

# The pages, not the backend: the PostgreSQL pass leaves these out (tests/conftest.py).
pytestmark = pytest.mark.one_backend

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PASSWORD = "a long test passphrase"
END = date(2026, 11, 30)


@pytest.fixture(scope="module")
def console(tmp_path_factory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("reports-browser")
    with migrated_database(folder) as url:
        set_keyring(Keyring([TEST_DATA_KEY]))
        original = passwords.hasher
        passwords.hasher = CHEAP_HASHER  # the console verifies with the hash's own parameters
        try:
            with session_scope(url) as s:
                seed(s, 365, end=END, seed=2, per_day=12)
                for name, role in (("sofia", "supervisor"), ("ana", "advocate")):
                    accounts.create(s, name, PASSWORD, role=role, display_name=name.title(),
                                    by=accounts.Actor(name="test"))
        finally:
            passwords.hasher = original
            set_keyring(None)
        port = free_port()
        env = {**os.environ, "HOTLINE_DATABASE_URL": url,
               "HOTLINE_SECRET_KEY": "reports-browser-key-0001",
               "HOTLINE_DATA_KEYS": TEST_DATA_KEY, "HOTLINE_CONSOLE_PORT": str(port),
               "HOTLINE_CONSOLE_HOST": "127.0.0.1"}
        log = (folder / "console.log").open("w")
        process = subprocess.Popen([sys.executable, "-m", "bot.console"], cwd=ROOT, env=env,
                                   stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"

        def ready() -> bool:
            try:
                return httpx.get(f"{base}/healthz", timeout=5).status_code == 200
            except httpx.HTTPError:
                return False

        try:
            wait_for(ready, 60, "the console to answer")
            yield base
        finally:
            process.terminate()
            process.wait(timeout=20)
            log.close()


@pytest.fixture
def tab(tmp_path: Path):  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000},
                                      accept_downloads=True)
        context.set_default_timeout(30_000)
        # Record CSP violations the page itself sees (the init script runs outside the CSP).
        context.add_init_script(
            "window.__csp = []; document.addEventListener('securitypolicyviolation',"
            " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));")
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.console_errors = errors
        failed: list[str] = []
        page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
        page.failed_urls = failed
        try:
            yield page
        finally:
            browser.close()


def log_in(page, base: str, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def table_of(page, chart_id: str) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return page.eval_on_selector_all(
        f"table[data-chart='{chart_id}'] tr",
        "rows => rows.map(r => Array.from(r.children).map(c => c.textContent))")


def test_supervisor_reads_the_reports_and_an_advocate_cannot(console, tab, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    page = tab
    log_in(page, console, "sofia")
    # The log-in page has no icon: Chromium's /favicon.ico 404 is not the reports page's.
    page.console_errors.clear()
    page.goto(f"{console}/reports/?from=2025-12-01&to=2026-11-30")
    expect(page.locator("#reports")).to_have_attribute("data-loaded", "true")
    sections = page.locator("#reports section.report")
    assert sections.count() == 15
    # Every chart drew on its canvas (Chart.js registers each one).
    drawn = page.evaluate("Array.from(document.querySelectorAll('#reports canvas'))"
                          ".filter(c => Chart.getChart(c) && c.width > 0).length")
    assert drawn == 15
    year = table_of(page, "escalations")
    assert year[0][0] == "reason" and len(year) > 3
    year_total = sum(int(v) for row in year[1:] for v in row[1:])
    assert year_total > 500

    # The CSV download of a chart is its table.
    with page.expect_download() as download:
        page.click("#chart-escalations a.csv")
    path = download.value.path()
    assert list(csv.reader(io.StringIO(Path(path).read_text()))) == year

    # Filters change the figures: one channel, one month.
    page.select_option("select[name=channel]", "telegram")
    page.fill("input[name=from]", "2026-11-01")
    page.click("#report-filters button[type=submit]")
    expect(page.locator("#reports")).to_have_attribute("data-loaded", "true")
    expect(page.locator("#report-status")).to_contain_text("telegram")
    month = table_of(page, "escalations")
    month_total = sum(int(v) for row in month[1:] for v in row[1:])
    assert 0 < month_total < year_total / 5
    per_day = table_of(page, "conversations_per_day")
    assert len(per_day) == 1 + 30 and per_day[0] == ["day", "twilio", "telegram", "webchat"]
    assert all(row[1] == "0" and row[3] == "0" for row in per_day[1:])  # telegram only

    shot = tmp_path / "reports.png"
    page.screenshot(path=str(shot), full_page=True)
    print(f"screenshot: {shot}")
    assert page.evaluate("window.__csp") == []
    assert not page.console_errors, (page.console_errors, page.failed_urls)

    # The de-identified statistics from the page: counts only, no small cell published.
    page.check("#stats-form input[value=channel]")
    with page.expect_download() as download:
        page.click("#stats-form button[type=submit]")
    stats = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text())))
    assert list(stats[0]) == ["month", "channel", "count"] and len(stats) > 12
    assert not [r for r in stats if r["count"].isdigit() and 0 < int(r["count"]) < 10]

    # An advocate is refused, page and data alike.
    page.click("text=Log out")
    log_in(page, console, "ana")
    response = page.goto(f"{console}/reports/")
    assert response is not None and response.status == 403
    assert page.request.get(f"{console}/reports/data.json",
                            headers={"Accept": "application/json"}).status == 403
    assert "Reports" not in page.locator("nav").inner_text()
