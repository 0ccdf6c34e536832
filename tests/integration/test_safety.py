"""Safety end to end (issue 10): the real Rasa server and action server, through the
web chat and a signed Twilio webhook (real twilio client against the local fake)."""

from __future__ import annotations

import itertools
import time
import uuid

import pytest

from bot.content.loader import load_content
from bot.safety.lines import safety_lines
from tests.conftest import TWILIO_FROM, RunningHotline
from tests.fakes.twilio_api import inbound_sms_params, post_inbound
from tests.integration.test_twilio import wait_replies, webhook

pytestmark = pytest.mark.rasa

EMERGENCY_ES = load_content().template("emergency", "es")
EMERGENCY_EN = load_content().template("emergency", "en")
_numbers = itertools.count(5000)


def sender() -> str:
    return f"web-{uuid.uuid4()}"


def new_number() -> str:
    return f"+1555{next(_numbers):07d}"


def sms(hotline: RunningHotline, fake, number: str, body: str) -> None:  # type: ignore[no-untyped-def]
    params = inbound_sms_params(number, body, to=TWILIO_FROM, account_sid=fake.account_sid)
    result = post_inbound(webhook(hotline), fake.auth_token, params)
    assert result.status == 200, result.body


@pytest.mark.parametrize("first", ["me van a matar", "ayuda me tienen locked en un cuarto",
                                   "mi amiga no respira le dieron algo"])
def test_a_first_spanish_emergency_is_answered_in_spanish(hotline: RunningHotline,
                                                          first: str) -> None:
    replies = hotline.texts(sender(), first)
    assert replies[0] == EMERGENCY_ES
    assert EMERGENCY_EN not in replies
    assert all("Here is" not in r and "thanks for writing" not in r for r in replies)


def test_an_emergency_inside_the_screening_is_escalated(hotline: RunningHotline) -> None:
    s = sender()
    hotline.texts(s, "i need help")
    hotline.texts(s, "y")  # starts the screening
    replies = hotline.texts(s, "he just punched me and locked the door")
    assert EMERGENCY_EN in replies


def test_must_stop_gets_one_short_neutral_line(hotline: RunningHotline) -> None:
    s = sender()
    hotline.texts(s, "hola")
    assert hotline.texts(s, "ya llego el, luego te escribo") == [
        safety_lines().template("must_stop", "es")]
    # The texter writes again: the conversation goes on.
    assert hotline.texts(s, "hola") != []


def test_possible_danger_asks_and_yes_is_an_emergency(hotline: RunningHotline) -> None:
    s = sender()
    assert hotline.texts(s, "mi jefe me pega") == [safety_lines().template("danger_check", "es")]
    assert hotline.texts(s, "s")[0] == EMERGENCY_ES


def test_another_language_gets_the_interpreter_line(hotline: RunningHotline) -> None:
    replies = hotline.texts(sender(), "Bonjour, j'ai besoin d'aide, mon patron garde mon passeport")
    assert replies == safety_lines().other_language("fr")


def test_sms_first_spanish_emergency_in_spanish(hotline: RunningHotline, fake_twilio) -> None:
    number = new_number()
    sms(hotline, fake_twilio, number, "me estan golpeando ayudenme")
    first = wait_replies(fake_twilio, number, 1)[0]
    assert first == EMERGENCY_ES


def test_sms_must_stop_pauses_until_the_texter_writes(hotline: RunningHotline,
                                                      fake_twilio) -> None:
    number = new_number()
    sms(hotline, fake_twilio, number, "hi")
    wait_replies(fake_twilio, number, 1)
    sms(hotline, fake_twilio, number, "hes back gotta go")
    replies = wait_replies(fake_twilio, number, 2)
    assert replies[1] == safety_lines().template("must_stop", "en")
    time.sleep(2)
    assert len(fake_twilio.messages_to(number)) == 2  # nothing more
    paused = hotline.rows("select c.paused_after_id from conversations c join inbound_messages i "
                          "on i.conversation_id = c.id where i.id = (select max(id) from "
                          "inbound_messages)")
    assert paused and paused[0][0] is not None
    sms(hotline, fake_twilio, number, "what are my rights")
    assert len(wait_replies(fake_twilio, number, 3)) >= 3
