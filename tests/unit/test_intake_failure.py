"""When the inbox cannot store a message, the texter still gets the 24/7 numbers.

The channels run in-process (tests/fuzz/inprocess.py) on real Sanic and a real
SQLite database that becomes unreachable: the database URL points into a folder
that does not exist, so every write fails as it would with the disk gone.
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET

import httpx
import pytest

from bot.channels.intake_failure import intake_unavailable_texts, twiml_messages
from bot.content.loader import load_content
from bot.content.lockscreen import first_line_is_safe
from bot.content.sms import segment_count
from tests.fakes.twilio_api import inbound_sms_params
from tests.fuzz.inprocess import running_channels

HOTLINE = "1-888-373-7888"


@pytest.fixture
def broken(tmp_path):  # type: ignore[no-untyped-def]
    with running_channels(tmp_path,
                          database_url=f"sqlite:///{tmp_path}/missing-dir/hotline.db") as h:
        yield h


def _sms(hotline, body: str) -> httpx.Response:  # type: ignore[no-untyped-def]
    with httpx.Client(timeout=20) as client:
        return hotline.twilio_signed(client, "/webhooks/twilio/webhook",
                                     inbound_sms_params("+15551239001", body))


def _messages(twiml: str) -> list[str]:
    root = ET.fromstring(twiml)  # noqa: S314 - our own server's answer in a test
    assert root.tag == "Response"
    return [m.text or "" for m in root.findall("Message")]


def test_sms_gets_twiml_with_the_numbers_in_its_language(broken, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    spanish = _sms(broken, "hola necesito ayuda por favor")
    assert spanish.status_code == 200
    assert spanish.headers["content-type"].startswith("text/xml")
    (text,) = _messages(spanish.text)
    assert text == load_content().template("intake_unavailable", "es")
    assert HOTLINE in text and "911" in text
    english = _messages(_sms(broken, "hi i need help with my job").text)
    assert english == [load_content().template("intake_unavailable", "en")]
    assert "INTAKE FAILURE on twilio" in caplog.text
    assert "necesito" not in caplog.text and "+1555" not in caplog.text


def test_sms_in_an_unknown_language_gets_both(broken) -> None:
    texts = _messages(_sms(broken, "ok").text)
    assert texts == [load_content().template("intake_unavailable", lang) for lang in ("en", "es")]


def test_opt_out_stays_silent_even_when_the_inbox_is_down(broken) -> None:
    response = _sms(broken, "STOP")
    assert response.status_code == 200 and _messages(response.text) == []


def test_web_chat_gets_a_polite_503_with_the_numbers(broken) -> None:
    with httpx.Client(timeout=20) as client:
        response = broken.webchat(client, "page-1", "hola, me pueden ayudar")
    assert response.status_code == 503
    assert response.headers["retry-after"] == "60"
    replies = response.json()
    assert [r["text"] for r in replies] == [load_content().template("intake_unavailable", "es")]


def test_the_apology_is_short_and_lock_screen_safe() -> None:
    for lang in ("en", "es"):
        text = load_content().template("intake_unavailable", lang)
        assert segment_count(text) <= 3
        assert first_line_is_safe(text, load_content())
    doc = twiml_messages(intake_unavailable_texts("a <b> & c"))
    assert len(_messages(doc)) == 2  # escaped, still well-formed XML
