"""Per-sender flood control: the limiter itself, then all three channels in a real server."""

from __future__ import annotations

import itertools
import time
from types import SimpleNamespace

import httpx
import pytest

from bot.config import Settings
from bot.content.loader import load_content
from bot.content.lockscreen import first_line_is_safe
from bot.content.sms import segment_count
from bot.messaging.flood import ALLOW, NOTIFY, SILENT, FloodLimiter, limiter_for


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def limiter(n: int = 3, **kw) -> tuple[FloodLimiter, Clock]:  # type: ignore[no-untyped-def]
    clock = Clock()
    return FloodLimiter(n, clock=clock, **kw), clock


# ---------------------------------------------------------------- the limiter
def test_over_the_limit_one_notice_then_silence() -> None:
    flood, _ = limiter(3)
    verdicts = [flood.check("a", "hello") for _ in range(7)]
    assert verdicts == [ALLOW, ALLOW, ALLOW, NOTIFY, SILENT, SILENT, SILENT]
    assert flood.fixed_reply("a", "hello") == "silent"


def test_one_sender_does_not_use_up_anyone_elses_window() -> None:
    flood, _ = limiter(3)
    for _ in range(50):
        flood.check("flooder", "spam")
    assert [flood.check("other", "hi") for _ in range(3)] == [ALLOW] * 3


def test_the_window_slides() -> None:
    flood, clock = limiter(3)
    for _ in range(3):
        assert flood.check("a") == ALLOW
        clock.now += 10
    assert flood.check("a") == NOTIFY          # 3 in the last 60 s
    clock.now = 1000.0 + 60.5                   # the first one left the window
    assert flood.check("a") == ALLOW
    assert flood.check("a") == SILENT           # same flood: no second notice


def test_a_sustained_flood_gets_exactly_one_notice() -> None:
    flood, clock = limiter(5)
    notices = 0
    for _ in range(600):                        # 10 minutes at one message a second
        notices += flood.check("a", "spam") == NOTIFY
        clock.now += 1
    assert notices == 1


def test_after_a_quiet_minute_the_next_flood_gets_its_notice() -> None:
    flood, clock = limiter(2)
    assert [flood.check("a") for _ in range(4)] == [ALLOW, ALLOW, NOTIFY, SILENT]
    clock.now += 61
    assert [flood.check("a") for _ in range(4)] == [ALLOW, ALLOW, NOTIFY, SILENT]


@pytest.mark.parametrize("text", [
    "they are going to kill me", "me van a matar", "help now", "911", "I'm locked in",
    "EXIT", "salir", "exit please",
])
def test_emergencies_and_quick_exit_are_never_throttled(text: str) -> None:
    flood, _ = limiter(2)
    for _ in range(10):
        flood.check("a", "spam")
    assert flood.check("a", text) == ALLOW
    assert flood.fixed_reply("a", text) is None
    assert flood.check("a", "spam") == SILENT   # exempt messages do not end the flood


def test_zero_turns_it_off() -> None:
    flood, _ = limiter(0)
    assert all(flood.check("a", "x") == ALLOW for _ in range(1000))


def test_memory_is_bounded() -> None:
    flood, clock = limiter(2, max_contacts=100)
    for i in range(5000):
        flood.check(f"k{i}")
        clock.now += 0.001
    assert flood.tracked() <= 100


def test_idle_contacts_are_forgotten() -> None:
    flood, clock = limiter(2)
    for i in range(3000):
        flood.check(f"k{i}")
    clock.now += 3600
    for i in range(3000, 6000):
        flood.check(f"k{i}")
    assert flood.tracked() < 6000


def test_setting_from_env() -> None:
    assert Settings.from_env({}).flood_max_per_minute == 20
    assert Settings.from_env({"HOTLINE_FLOOD_MAX_PER_MINUTE": "5"}).flood_max_per_minute == 5
    assert Settings.from_env({"HOTLINE_FLOOD_MAX_PER_MINUTE": "-3"}).flood_max_per_minute == 0
    with pytest.raises(ValueError):
        Settings.from_env({"HOTLINE_FLOOD_MAX_PER_MINUTE": "lots"})


def test_one_limiter_per_process_and_database() -> None:
    a = Settings(database_url="sqlite:///x.db", flood_max_per_minute=4)
    assert limiter_for(a) is limiter_for(a)
    assert limiter_for(a).max_per_window == 4
    assert limiter_for(Settings(database_url="sqlite:///y.db")) is not limiter_for(a)


def test_slow_down_template_is_short_and_lock_screen_safe() -> None:
    content = load_content()
    for lang in ("en", "es"):
        text = content.template("slow_down", lang)
        assert segment_count(text) <= 3, lang
        assert first_line_is_safe(text, content), lang
    assert content.template("slow_down", "en") != content.template("slow_down", "es")


# ---------------------------------------------------------------- the channels, in a real server
@pytest.fixture()
def server(tmp_path):  # type: ignore[no-untyped-def]
    from tests.fuzz.inprocess import running_channels

    with running_channels(tmp_path, flood_max_per_minute=3) as hotline:
        yield hotline


def _inbound(server, channel: str) -> list:  # type: ignore[no-untyped-def]
    """Through the ORM, so encrypted columns read back as text."""
    from sqlalchemy import select

    from bot.store.db import session_scope
    from bot.store.models import InboundMessage

    with session_scope(server.settings.database_url) as session:
        rows = session.execute(select(InboundMessage).where(InboundMessage.channel == channel)
                               .order_by(InboundMessage.id)).scalars()
        return [SimpleNamespace(body=r.body, fixed_reply=r.fixed_reply,
                                conversation_id=r.conversation_id) for r in rows]


def _wait_processed(server, channel: str, count: int) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        done = server.rows("SELECT count(*) FROM inbound_messages WHERE channel = :c "
                           "AND status = 'processed'", c=channel)[0][0]
        if done >= count:
            return
        time.sleep(0.05)
    raise AssertionError(f"{channel}: not all {count} messages processed")


def test_webchat_flood_is_stored_answered_once_then_silent(server) -> None:  # type: ignore[no-untyped-def]
    slow_down = load_content().template("slow_down", "en")
    with httpx.Client(timeout=20) as client:
        replies = [server.webchat(client, "flooder", f"message {i}").json() for i in range(6)]
        other = server.webchat(client, "someone-else", "hello").json()
        emergency = server.webchat(client, "flooder", "he is going to kill me").json()
    # (the first reply of a new conversation is led by the safety line: session_check.py)
    assert [r[-1]["text"] for r in replies[:3]] == [f"echo:message {i}" for i in range(3)]
    assert replies[3] == [{"text": slow_down}]
    assert replies[4] == [] and replies[5] == []
    assert other[-1] == {"text": "echo:hello"} and len(other) == 2
    assert emergency == [{"text": "echo:he is going to kill me"}]
    rows = _inbound(server, "webchat")
    flooder = [r for r in rows if r.conversation_id == rows[0].conversation_id]
    assert [r.body for r in flooder] == [*(f"message {i}" for i in range(6)),
                                         "he is going to kill me"]  # nothing lost
    assert [r.fixed_reply for r in flooder] == [None, None, None, "slow_down", "silent",
                                                "silent", None]
    assert "message 4" not in server.seen and "message 5" not in server.seen


def test_twilio_flood_is_stored_answered_once_then_silent(server) -> None:  # type: ignore[no-untyped-def]
    from tests.fakes.twilio_api import inbound_sms_params

    sids = (f"SM{n:032d}" for n in itertools.count(1))
    with httpx.Client(timeout=20) as client:
        for i in range(5):
            params = inbound_sms_params("+15551230001", f"text {i}", message_sid=next(sids))
            assert server.twilio_signed(client, "/webhooks/twilio/webhook",
                                        params).status_code == 200
        params = inbound_sms_params("+15551230001", "SOS", message_sid=next(sids))
        assert server.twilio_signed(client, "/webhooks/twilio/webhook", params).status_code == 200
    _wait_processed(server, "twilio", 6)
    rows = _inbound(server, "twilio")
    assert [r.body for r in rows] == [*(f"text {i}" for i in range(5)), "SOS"]
    assert [r.fixed_reply for r in rows] == [None, None, None, "slow_down", "silent", None]
    sent = server.twilio.wait_for(6, timeout=10)  # safety line + 3 echoes + slow down + SOS
    bodies = [m["body"] for m in sent]
    assert bodies.count(load_content().template("slow_down", "en")) == 1
    assert "echo:SOS" in bodies and "echo:text 4" not in bodies


def test_telegram_flood_is_stored_answered_once_then_silent(server) -> None:  # type: ignore[no-untyped-def]
    with httpx.Client(timeout=20) as client:
        for i in range(5):
            update = server.telegram.text_update(777, f"tg {i}")
            assert server.telegram_update(client, update).status_code == 200
        assert server.telegram_update(client, server.telegram.text_update(777, "EXIT")
                                      ).status_code == 200
    _wait_processed(server, "telegram", 6)
    rows = _inbound(server, "telegram")
    assert [r.body for r in rows] == [*(f"tg {i}" for i in range(5)), "EXIT"]
    assert [r.fixed_reply for r in rows] == [None, None, None, "slow_down", "silent", None]
    assert "EXIT" in server.seen and "tg 4" not in server.seen


def test_redeliveries_do_not_count_against_the_sender(server) -> None:  # type: ignore[no-untyped-def]
    """Dedup comes before flood control: a provider retrying one SMS four times
    (limit 3 a minute) leaves the texter's window as if it came once."""
    from tests.fakes.twilio_api import inbound_sms_params

    with httpx.Client(timeout=20) as client:
        first = inbound_sms_params("+15551230002", "retried", message_sid=f"SM{1:032d}")
        for _ in range(4):
            assert server.twilio_signed(client, "/webhooks/twilio/webhook",
                                        first).status_code == 200
        for n in (2, 3):
            params = inbound_sms_params("+15551230002", f"new {n}", message_sid=f"SM{n:032d}")
            assert server.twilio_signed(client, "/webhooks/twilio/webhook",
                                        params).status_code == 200
    _wait_processed(server, "twilio", 3)
    rows = _inbound(server, "twilio")
    assert [r.body for r in rows] == ["retried", "new 2", "new 3"]
    assert [r.fixed_reply for r in rows] == [None, None, None]
    assert {"retried", "new 2", "new 3"} <= set(server.seen)
