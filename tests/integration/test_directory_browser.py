"""The resource directory in real headless Chromium, against the standalone console.

A supervisor adds a shelter (unverified: texters never see it) and verifies it
on the stale/unverified page; an advocate talking to a texter (an escalated SMS
conversation) claims it, opens the referral case, finds the shelter in the
directory by need, city and language, makes it the receiving organisation,
records the texter's consent and the referral, and opens the printable
summary. No console errors, no CSP violations. Screenshots in tmp_path.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from bot.console import accounts, passwords
from bot.store.crypto import Keyring, set_keyring
from bot.store.db import session_scope
from bot.store.models import AuditEvent, DirService, ReferralCase
from tests.conftest import ROOT, TEST_DATA_KEY, free_port, wait_for
from tests.databases import migrated_database
from tests.unit.console.conftest import CHEAP_HASHER
from tests.unit.console.seed import escalated_conversation

# The pages, not the backend: the PostgreSQL pass leaves these out (tests/conftest.py).
pytestmark = pytest.mark.one_backend

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PASSWORD = "a long test passphrase"
SHELTER = "Casa Segura emergency shelter"


@pytest.fixture(scope="module")
def console(tmp_path_factory) -> Iterator[tuple[str, str, object]]:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("directory-browser")
    with migrated_database(folder) as url:
        set_keyring(Keyring([TEST_DATA_KEY]))
        original = passwords.hasher
        passwords.hasher = CHEAP_HASHER
        try:
            with session_scope(url) as s:
                for name, role in (("sofia", "supervisor"), ("ana", "advocate")):
                    accounts.create(s, name, PASSWORD, role=role, display_name=name.title(),
                                    by=accounts.Actor(name="test"))
            seeded = escalated_conversation(url)
        finally:
            passwords.hasher = original
            set_keyring(None)
        port = free_port()
        env = {**os.environ, "HOTLINE_DATABASE_URL": url,
               "HOTLINE_SECRET_KEY": "directory-browser-key-01",
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
            yield base, url, seeded
        finally:
            process.terminate()
            process.wait(timeout=20)
            log.close()


@pytest.fixture
def browser():  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def new_tab(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(30_000)
    context.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation',"
        " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400
            else None)
    page.console_errors = errors
    return page


def log_in(page, base: str, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    # The log-in page has no icon: Chromium's /favicon.ico 404 is not the directory's.
    page.console_errors.clear()


def clean(page) -> None:  # type: ignore[no-untyped-def]
    assert page.console_errors == []
    assert page.evaluate("window.__csp") == []


def test_supervisor_adds_and_verifies_a_shelter_advocate_refers_to_it(
        console, browser, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    base, url, seeded = console
    sup = new_tab(browser)
    try:
        log_in(sup, base, "sofia")
        sup.click("nav >> text=Directory")
        sup.click("#add-entry")
        sup.fill("input[name=organization_name]", "Casa Segura Houston")
        sup.fill("input[name=name]", SHELTER)
        sup.select_option("select[name=need]", "shelter")
        sup.fill("input[name=phone_voice]", "713-555-0142")
        sup.fill("textarea[name=areas]", "city TX/Houston\nzip 770")
        sup.check("input[name=languages][value=es]")
        sup.fill("input[name=source]", "called them on 2026-12-01")
        sup.click("#save-entry")
        expect(sup.locator("#service-name")).to_have_text(SHELTER)
        expect(sup.locator("#freshness")).to_have_text("unverified")
        sup.goto(f"{base}/directory/review")
        row = sup.locator("#review-unverified tr", has_text=SHELTER)
        row.locator("input[name=assurer_email]").fill("sofia@example.org")
        row.locator("button", has_text="Verify").click()
        expect(sup.locator("#review-unverified")).not_to_contain_text(SHELTER)
        sup.screenshot(path=str(tmp_path / "review.png"), full_page=True)
        clean(sup)
    except Exception:
        sup.screenshot(path=str(tmp_path / "supervisor-failure.png"), full_page=True)
        raise
    with session_scope(url) as s:
        shelter = s.scalars(select(DirService).where(DirService.name == SHELTER)).one()
        assert shelter.assurer_email == "sofia@example.org" and shelter.assured_date
        org_id = shelter.organization_id

    adv = new_tab(browser)
    try:
        log_in(adv, base, "ana")
        adv.goto(f"{base}/conversations/{seeded.conversation_id}")
        adv.click("#claim")
        expect(adv.locator("#request-status")).to_have_text("claimed")
        adv.click("#open-case")
        adv.click("#find-org")
        expect(adv.locator("#picking")).to_be_visible()
        adv.select_option("select[name=need]", "shelter")
        adv.fill("input[name=place]", "Houston")
        adv.select_option("select[name=lang]", "es")
        adv.click("#directory-search button[type=submit]")
        result = adv.locator("#directory-results tr", has_text=SHELTER)
        expect(result).to_contain_text("verified")
        result.locator(".pick-org").click()
        expect(adv.locator("#case")).to_contain_text("Casa Segura Houston")
        consent = adv.locator("#consent-form")
        consent.locator("select[name=inbound_message_id]").select_option(
            str(seeded.inbound_ids[1]))
        consent.locator("select[name=receiving_org]").select_option(org_id)
        consent.locator("input[name=fields][value=vic_LocationOfExploitation]").check()
        consent.locator("button[type=submit]").click()
        adv.click("#refer")
        expect(adv.locator("#case")).to_contain_text("referred to Casa Segura Houston")
        summary_url = adv.locator("#referral-summary").get_attribute("href")
        adv.goto(f"{base}{summary_url}")
        expect(adv.locator("h1")).to_have_text("Referral to Casa Segura Houston")
        expect(adv.locator("#consent-basis")).to_be_visible()
        adv.screenshot(path=str(tmp_path / "summary.png"), full_page=True)
        clean(adv)
    except Exception:
        adv.screenshot(path=str(tmp_path / "advocate-failure.png"), full_page=True)
        raise
    with session_scope(url) as s:
        case = s.scalars(select(ReferralCase)).one()
        assert case.receiving_org == org_id and case.referred_at is not None
        actions = [e.action for e in s.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    for action in ("directory_add", "directory_verify", "directory_search", "case_update",
                   "consent_record", "case_refer", "case_summary"):
        assert action in actions, action
