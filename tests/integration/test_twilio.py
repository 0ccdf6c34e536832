"""SMS end to end: signed webhooks in, replies out through the real twilio Client.

The provider is tests/fakes/twilio_api.py, a local server that behaves like
Twilio's Messages API (and can fail, hang or go down).
"""

from __future__ import annotations

import itertools
import time
import uuid

import pytest

from tests.conftest import TWILIO_FROM, RunningHotline, plain, wait_for
from tests.fakes.twilio_api import inbound_sms_params, post_inbound, send_status_callback

pytestmark = pytest.mark.rasa

_numbers = itertools.count(1000)


def new_number() -> str:
    return f"+1555{next(_numbers):07d}"


def webhook(hotline: RunningHotline) -> str:
    return f"{hotline.base_url}/webhooks/twilio/webhook"


def sms(hotline: RunningHotline, fake, number: str, body: str, **extra):  # type: ignore[no-untyped-def]
    params = inbound_sms_params(number, body, to=TWILIO_FROM, account_sid=fake.account_sid,
                                **extra)
    result = post_inbound(webhook(hotline), fake.auth_token, params)
    assert result.status == 200, result.body
    assert "<Response/>" in result.body
    return params["MessageSid"]


def wait_replies(fake, number: str, count: int, timeout: float = 60) -> list[str]:  # type: ignore[no-untyped-def]
    def bodies() -> list[str] | None:
        sent = [m["body"] for m in fake.messages_to(number)]
        return sent if len(sent) >= count else None

    return wait_for(bodies, timeout, f"{count} replies to {number}")



def test_english_sms_round_trip(hotline, fake_twilio) -> None:
    number = new_number()
    sms(hotline, fake_twilio, number, "hi")
    (reply,) = wait_replies(fake_twilio, number, 1)
    assert reply.startswith("Hi, thanks for writing.")
    message = fake_twilio.messages_to(number)[0]
    assert message["from"] == TWILIO_FROM


def test_spanish_text_round_trips_intact(hotline, fake_twilio) -> None:
    number = new_number()
    body = "¡Ayuda! Necesito información, señor 🙏"
    sid = sms(hotline, fake_twilio, number, body)
    assert [plain(r[0]) for r in hotline.rows(
        "select body from inbound_messages where provider_message_id = :s", s=sid)] == [body]
    # Not a greeting: the safety line of a new session first (bot/safety/session_check.py).
    safety, reply = wait_replies(fake_twilio, number, 2)
    assert safety.startswith("Hola, gracias por escribir.") and "teléfono" in safety
    assert "@" not in reply  # Rasa's own channel turned "¡" into "@"
    assert any(ch in reply for ch in "ñáéíóúÁÉÍÓÚ¿¡")  # answered in Spanish, accents intact


def test_forged_or_missing_signature_is_refused(hotline, fake_twilio) -> None:
    number = new_number()
    params = inbound_sms_params(number, "hi", to=TWILIO_FROM, account_sid=fake_twilio.account_sid)
    forged = post_inbound(webhook(hotline), "not-the-auth-token", params)
    assert forged.status == 403
    import httpx

    unsigned = httpx.post(webhook(hotline), data=params, timeout=10)
    assert unsigned.status_code == 403
    assert hotline.rows("select count(*) from inbound_messages where provider_message_id = :s",
                s=params["MessageSid"]) == [(0,)]


def test_replayed_webhook_is_answered_once(hotline, fake_twilio) -> None:
    number = new_number()
    params = inbound_sms_params(number, "hi", to=TWILIO_FROM, account_sid=fake_twilio.account_sid)
    for _ in range(3):
        assert post_inbound(webhook(hotline), fake_twilio.auth_token, params).status == 200
    wait_replies(fake_twilio, number, 1)
    time.sleep(2)
    assert len(fake_twilio.messages_to(number)) == 1


def test_picture_and_empty_messages_get_a_polite_reply(hotline, fake_twilio) -> None:
    number = new_number()
    sms(hotline, fake_twilio, number, "", NumMedia="1",
        MediaUrl0="https://example.invalid/photo.jpg", MediaContentType0="image/jpeg")
    (reply,) = wait_replies(fake_twilio, number, 1)
    assert "pictures" in reply and "words" in reply
    other = new_number()
    sms(hotline, fake_twilio, other, "   ")
    assert wait_replies(fake_twilio, other, 1)[0].startswith("Please type a message")


def test_too_long_message_gets_a_polite_reply(hotline, fake_twilio) -> None:
    number = new_number()
    sms(hotline, fake_twilio, number, "a" * 10_000)
    assert "too long" in wait_replies(fake_twilio, number, 1)[0]


def test_stop_silences_the_number_until_start(hotline, fake_twilio) -> None:
    number = new_number()
    sms(hotline, fake_twilio, number, "hi")
    wait_replies(fake_twilio, number, 1)
    sms(hotline, fake_twilio, number, "STOP")
    time.sleep(1)
    sms(hotline, fake_twilio, number, "what are my rights")
    time.sleep(3)
    assert len(fake_twilio.messages_to(number)) == 1  # nothing after STOP
    suppressed = hotline.rows("select count(*) from outbound_messages o join conversations c "
                               "on c.id = o.conversation_id where o.status = 'suppressed' "
                               "and c.unreachable")
    assert suppressed[0][0] >= 1
    sms(hotline, fake_twilio, number, "START")
    wait_replies(fake_twilio, number, 2)


def test_invalid_number_fails_without_retry(hotline, fake_twilio) -> None:
    number = new_number()
    fake_twilio.add_invalid_number(number)
    sid = sms(hotline, fake_twilio, number, "hi")
    deadline = time.monotonic() + 30
    status = None
    while time.monotonic() < deadline:
        status = hotline.rows("select o.status, o.attempts, o.last_error from outbound_messages o "
                               "join inbound_messages i on i.id = o.inbound_id "
                               "where i.provider_message_id = :s", s=sid)
        if status and status[0][0] == "failed":
            break
        time.sleep(0.3)
    assert status and status[0][0] == "failed" and status[0][1] == 1
    assert "21211" in status[0][2]


def test_delivery_status_callbacks_are_recorded(hotline, fake_twilio) -> None:
    number = new_number()
    sms(hotline, fake_twilio, number, "hi")
    wait_replies(fake_twilio, number, 1)
    message_sid = fake_twilio.messages_to(number)[0]["sid"]
    url = f"{hotline.base_url}/webhooks/twilio/status"
    unsigned = send_status_callback(url, "wrong-token", message_sid, "delivered",
                                    account_sid=fake_twilio.account_sid)
    assert unsigned.status == 403
    ok = send_status_callback(url, fake_twilio.auth_token, message_sid, "delivered",
                              account_sid=fake_twilio.account_sid)
    assert ok.status in (200, 204)
    assert hotline.rows("select delivery_status from outbound_messages "
                         "where provider_message_id = :s", s=message_sid) == [("delivered",)]
    failed = send_status_callback(url, fake_twilio.auth_token, message_sid, "undelivered", 21610,
                                  account_sid=fake_twilio.account_sid)
    assert failed.status in (200, 204)
    assert hotline.rows("select c.unreachable from conversations c join outbound_messages o "
                         "on o.conversation_id = c.id where o.provider_message_id = :s",
                s=message_sid) == [(1,)]


def test_provider_down_then_back_delivers_everything_once_in_order(hotline, fake_twilio) -> None:
    number = new_number()
    fake_twilio.set_mode("down")
    try:
        started = time.monotonic()
        for body in ("hi", "y", "2"):
            sms(hotline, fake_twilio, number, body)  # acknowledged while Twilio is down
        assert time.monotonic() - started < 20
        time.sleep(4)  # several failed attempts with backoff
        waiting = hotline.rows("select count(*), max(o.attempts) from outbound_messages o "
                                "join conversations c on c.id = o.conversation_id "
                                "where o.status = 'queued' and o.channel = 'twilio' "
                                "and o.last_error is not null")
        assert waiting[0][0] >= 1 and waiting[0][1] >= 1
    finally:
        fake_twilio.set_mode("ok")
    replies = wait_replies(fake_twilio, number, 4)
    time.sleep(2)
    replies = [m["body"] for m in fake_twilio.messages_to(number)]
    assert replies[0].startswith("Hi, thanks for writing.")
    assert replies[1].startswith("OK, thanks.")  # confidentiality
    assert replies[2].startswith("Here are your options.")
    assert replies[3].startswith("Here is some info.")  # rights menu
    assert len(replies) == len(set(replies)) == 4


@pytest.mark.one_backend  # timing in the worker, not storage
def test_rate_limit_spaces_sends_per_number(tmp_path, fake_twilio) -> None:
    from tests.conftest import start_hotline, stop_hotline, twilio_env

    env = {**twilio_env(fake_twilio), "HOTLINE_OUTBOX_RATE_PER_SECOND": "2"}
    hotline = start_hotline(tmp_path, env)
    try:
        numbers = [new_number() for _ in range(5)]
        for number in numbers:
            sms(hotline, fake_twilio, number, f"hello {uuid.uuid4().hex[:4]}")
        for number in numbers:
            wait_replies(fake_twilio, number, 1)
        stamps = sorted(r.received_at for r in fake_twilio.requests
                        if r.method == "POST" and r.form.get("To", [""])[0] in numbers)
        # 2 per second from one sending number: 5 sends span about 2 s (without the
        # limit they take well under 0.5 s). Checked on the span, not on each gap,
        # because each HTTP request's own latency jitters.
        assert len(stamps) == 5
        assert stamps[-1] - stamps[0] >= 1.6
    finally:
        stop_hotline(hotline)


def test_full_length_sms_is_processed(hotline, fake_twilio) -> None:
    number = new_number()
    body = ("I need help with my job. " * 64)[:1600]
    sms(hotline, fake_twilio, number, body)
    (reply,) = wait_replies(fake_twilio, number, 1)[:1]
    assert "too long" not in reply


@pytest.mark.parametrize(
    ("mutate", "status"),
    [
        (lambda p: p.pop("From"), 400),
        (lambda p: (p.pop("MessageSid"), p.pop("SmsSid")), 400),
    ],
)
def test_signed_but_incomplete_webhooks_get_400(hotline, fake_twilio, mutate, status) -> None:
    params = inbound_sms_params(new_number(), "hi", to=TWILIO_FROM,
                                account_sid=fake_twilio.account_sid)
    mutate(params)
    assert post_inbound(webhook(hotline), fake_twilio.auth_token, params).status == status


def test_invalid_utf8_and_huge_bodies_are_refused(hotline, fake_twilio) -> None:
    import httpx

    bad = httpx.post(webhook(hotline), content=b"Body=\xff\xfe&From=%2B1555",
                     headers={"Content-Type": "application/x-www-form-urlencoded",
                              "X-Twilio-Signature": "x"}, timeout=10)
    assert bad.status_code == 400
    huge = httpx.post(webhook(hotline), content=b"Body=" + b"a" * 70_000,
                      headers={"Content-Type": "application/x-www-form-urlencoded",
                               "X-Twilio-Signature": "x"}, timeout=10)
    assert huge.status_code == 413


def test_provider_errors_then_recovery(hotline, fake_twilio) -> None:
    number = new_number()
    fake_twilio.fail_next(2, status=500)
    sms(hotline, fake_twilio, number, "hola")
    (reply,) = wait_replies(fake_twilio, number, 1)
    assert reply.startswith("Hola")


def test_provider_records_then_times_out_and_the_reply_goes_out_once(hotline,
                                                                      fake_twilio) -> None:
    """Twilio keeps the message but its answer is lost (client timeout, 2 s < 5 s hang).

    The outbox worker must ask Twilio whether the message exists before it tries
    again, so the texter gets the reply once, not twice.
    """
    number = new_number()
    fake_twilio.record_then_hang_next(1)
    sid = sms(hotline, fake_twilio, number, "hi")

    def settled() -> list | None:
        rows = hotline.rows(
            "select o.status, o.provider_message_id, o.attempts, o.last_error from "
            "outbound_messages o join inbound_messages i on i.id = o.inbound_id "
            "where i.provider_message_id = :sid order by o.seq", sid=sid)
        return rows if rows and all(r[0] == "sent" for r in rows) else None

    rows = wait_for(settled, timeout=60, what="every reply marked sent")
    sent = fake_twilio.messages_to(number)
    assert len(sent) == len(rows), "a reply reached the provider twice (or not at all)"
    assert [m["sid"] for m in sent] == [r[1] for r in rows]
    assert sent[0]["body"].startswith("Hi, thanks for writing.")
    # The first reply's answer was lost: it was looked up at the provider, not resent.
    assert rows[0][2] == 1
    lookups = [r for r in fake_twilio.requests if r.method == "GET"
               and r.query.get("To", [""])[0] == number]
    assert lookups, "the worker did not ask the provider before deciding"
    creates = [r for r in fake_twilio.requests if r.method == "POST"
               and r.form.get("To", [""])[0] == number]
    assert len(creates) == len(rows)

