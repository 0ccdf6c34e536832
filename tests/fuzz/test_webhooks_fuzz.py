"""Fuzz the real webhook endpoints over HTTP: whatever arrives, the answer is < 500 and the
server keeps serving.

The web chat, Twilio (messages and delivery status) and Telegram blueprints run in one
real Sanic server in this process (tests/fuzz/inprocess.py). Bodies are random bytes
(invalid UTF-8 included), huge, deeply nested JSON, wrong JSON types, random form fields,
random headers and content types. Some requests carry a VALID Twilio signature or the
right Telegram secret, so the code behind the authentication is fuzzed too.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fakes.twilio_api import sign_inbound
from tests.fuzz.inprocess import TELEGRAM_SECRET, InProcessHotline, running_channels

# database=None: no .hypothesis/ folder in the project; found bugs become plain tests.
FUZZ = settings(max_examples=200, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])
WEBHOOKS = ["/webhooks/webchat/webhook", "/webhooks/twilio/webhook",
            "/webhooks/twilio/status", "/webhooks/telegram/webhook"]
CONTENT_TYPES = ["application/json", "application/x-www-form-urlencoded",
                 "application/x-www-form-urlencoded; charset=latin-1", "text/plain",
                 "multipart/form-data; boundary=xyz", "application/octet-stream",
                 "application/json; charset=utf-16", "", "}{", "x" * 300]

# Header values an HTTP client can send at all (h11 refuses control characters and
# surrounding whitespace before anything reaches the server).
header_text = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E),
                      max_size=80).map(str.strip)
json_scalars = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True)
                | st.text(max_size=60))
json_values = st.recursive(
    json_scalars,
    lambda c: st.lists(c, max_size=5) | st.dictionaries(st.text(max_size=12), c, max_size=5),
    max_leaves=30,
)
loose = json_values | st.text(max_size=200) | st.just("\ud800")  # a lone surrogate (JSON "\ud800")
raw_bytes = (
    st.binary(max_size=600)
    | st.builds(lambda chunk, n: chunk * n, st.binary(min_size=1, max_size=4),
                st.integers(1, 5_000))
    # Around the limits: 64 KiB (web chat, Twilio) and 256 KiB (Telegram), and far above.
    | st.builds(lambda chunk, n: (chunk * n)[:n], st.binary(min_size=1, max_size=4),
                st.sampled_from([64 * 1024, 64 * 1024 + 1, 256 * 1024, 256 * 1024 + 1,
                                 1024 * 1024]))
    | st.sampled_from([b"\xff\xfe", b"\xc3\x28", b"\xed\xa0\x80", b"%ff%fe=%c3%28",
                       b"[" * 5000 + b"]" * 5000, b'{"a":' * 3000 + b"1" + b"}" * 3000,
                       b"NaN", b"1e999999", b'"\\ud800"', b"\x00" * 100])
)
webchat_json = st.fixed_dictionaries({}, optional={
    "sender": loose | st.sampled_from(["fuzz-1", "fuzz-2", " ", "x" * 129]),
    "message": loose | st.sampled_from(["hi", "", "   ", "y" * 2001, "SALIR", "help now"]),
    "message_id": loose | st.sampled_from(["m-1", "", "z" * 129]),
}) | json_values
form_text = st.text(max_size=40) | st.sampled_from(["", "0", "-1", "1e5", "²", "٣", "9" * 5000])
twilio_form = st.fixed_dictionaries({}, optional={
    "MessageSid": form_text | st.sampled_from(["SM" + "1" * 32, "SM" + "2" * 32]),
    "SmsSid": form_text,
    "From": form_text | st.sampled_from(["+15551234567", "+15557654321"]),
    "Body": form_text | st.sampled_from(["STOP", "start", "hola", "x" * 1601]),
    "NumMedia": form_text,
    "MessageStatus": form_text | st.sampled_from(["failed", "undelivered", "delivered"]),
    "ErrorCode": form_text | st.sampled_from(["21610", "30003", "²", "٣"]),
})


@pytest.fixture(scope="module")
def hotline(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    with running_channels(tmp_path_factory.mktemp("fuzz"), flood_max_per_minute=5) as running:
        with httpx.Client(timeout=30) as client:
            # Real outbound rows with Twilio SIDs, so status callbacks can hit existing rows.
            for n in range(2):
                params = {"MessageSid": f"SM{n:032d}", "From": f"+1555000000{n}", "Body": "hi"}
                url = running.url("/webhooks/twilio/webhook")
                r = client.post(url, data=params,
                                headers=sign_inbound(url, running.settings.twilio_auth_token,
                                                     params))
                assert r.status_code == 200
            # A fixed list: a strategy must draw from the same choices on every run.
            running.sent_sids = tuple(m["sid"] for m in running.twilio.wait_for(2, timeout=10))
        yield running


@pytest.fixture(scope="module")
def client():  # type: ignore[no-untyped-def]
    with httpx.Client(timeout=30) as c:
        yield c


def _alive(hotline: InProcessHotline, client: httpx.Client) -> None:
    assert client.get(hotline.url("/webhooks/webchat/health")).status_code == 200


def _check(hotline: InProcessHotline, response: httpx.Response) -> None:
    assert response.status_code < 500, (response.status_code, response.text[:300])


@FUZZ
@given(path=st.sampled_from(WEBHOOKS), body=raw_bytes, content_type=st.sampled_from(CONTENT_TYPES),
       headers=st.dictionaries(st.sampled_from(["X-Twilio-Signature",
                                                "X-Telegram-Bot-Api-Secret-Token",
                                                "Content-Encoding", "X-Forwarded-Proto",
                                                "Accept", "X-Anything"]),
                               header_text, max_size=3),
       right_secret=st.booleans())
def test_raw_bodies_and_headers(hotline, client, path, body, content_type, headers,  # type: ignore[no-untyped-def]
                                right_secret) -> None:
    headers = {**headers, "Content-Type": content_type}
    if right_secret:
        headers["X-Telegram-Bot-Api-Secret-Token"] = TELEGRAM_SECRET
    _check(hotline, client.post(hotline.url(path), content=body, headers=headers))


@FUZZ
@given(payload=webchat_json)
def test_webchat_json(hotline, client, payload) -> None:  # type: ignore[no-untyped-def]
    body = json.dumps(payload).encode()  # "\ud800" becomes the JSON escape, as a browser may send
    response = client.post(hotline.url("/webhooks/webchat/webhook"), content=body,
                           headers={"Content-Type": "application/json"})
    _check(hotline, response)
    if response.status_code == 200:
        replies = response.json()
        assert isinstance(replies, list) and all(isinstance(r["text"], str) for r in replies)


@FUZZ
@given(path=st.sampled_from(["/webhooks/twilio/webhook", "/webhooks/twilio/status"]),
       form=twilio_form, signed=st.booleans(), query=st.sampled_from(["", "?a=1", "?x=%ff"]),
       data=st.data())
def test_twilio_forms(hotline, client, path, form, signed, query, data) -> None:  # type: ignore[no-untyped-def]
    if path.endswith("/status") and data.draw(st.booleans()):
        # The SID of a message the outbox really sent, so the callback finds its row.
        form["MessageSid"] = data.draw(st.sampled_from(hotline.sent_sids))
    url = hotline.url(path + query)
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if signed:
        headers.update(sign_inbound(url, hotline.settings.twilio_auth_token, form))
    response = client.post(url, content=urlencode(form).encode(), headers=headers)
    _check(hotline, response)
    if not signed:
        assert response.status_code == 403


@FUZZ
@given(status=st.sampled_from(["failed", "undelivered", "delivered", "sent"]) | form_text,
       error_code=form_text | st.sampled_from(["21610", "30003", "²", "٣", "¹²"])
       | st.text(alphabet="0123456789²³¹٣໒", min_size=1, max_size=6),
       data=st.data())
def test_twilio_status_callbacks_for_real_rows(hotline, client, status, error_code,  # type: ignore[no-untyped-def]
                                               data) -> None:
    """Signed delivery callbacks about messages the outbox really sent."""
    sid = data.draw(st.sampled_from(hotline.sent_sids))
    form = {"MessageSid": sid, "MessageStatus": status, "ErrorCode": error_code}
    url = hotline.url("/webhooks/twilio/status")
    headers = sign_inbound(url, hotline.settings.twilio_auth_token, form)
    _check(hotline, client.post(url, content=urlencode(form).encode(), headers=headers))


telegram_update = json_values | st.fixed_dictionaries(
    {"update_id": st.integers(0, 2**62) | loose},
    optional={
        "message": st.fixed_dictionaries(
            {"chat": st.fixed_dictionaries({"id": st.integers() | loose,
                                            "type": st.sampled_from(["private", "group"])
                                            | loose})},
            optional={"text": loose, "caption": loose, "photo": loose,
                      "location": st.fixed_dictionaries({"latitude": loose,
                                                         "longitude": loose})}),
        "callback_query": json_values, "my_chat_member": json_values,
        "edited_message": json_values,
    })


@FUZZ
@given(update=telegram_update)
def test_telegram_updates(hotline, client, update) -> None:  # type: ignore[no-untyped-def]
    response = client.post(hotline.url("/webhooks/telegram/webhook"),
                           content=json.dumps(update).encode(),
                           headers={"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET,
                                    "Content-Type": "application/json"})
    _check(hotline, response)


# ---------------------------------------------------------------- crashes the fuzzing found
def test_lone_surrogate_in_webchat_json_is_a_400_not_a_500(hotline, client) -> None:  # type: ignore[no-untyped-def]
    for payload in (b'{"sender": "\\ud800", "message": "hi"}',
                    b'{"sender": "s", "message": "a\\udfffb"}',
                    b'{"sender": "s", "message": "hi", "message_id": "\\ud83d"}'):
        response = client.post(hotline.url("/webhooks/webchat/webhook"), content=payload,
                               headers={"Content-Type": "application/json"})
        assert response.status_code == 400, payload


@pytest.mark.parametrize("path", ["/webhooks/webchat/webhook", "/webhooks/telegram/webhook"])
def test_deeply_nested_json_is_a_400_not_a_500(hotline, client, path) -> None:  # type: ignore[no-untyped-def]
    headers = {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET}
    for body in (b"[" * 20_000 + b"]" * 20_000, b'{"a":' * 10_000 + b"1" + b"}" * 10_000):
        assert client.post(hotline.url(path), content=body, headers=headers).status_code == 400


def test_status_callback_with_a_non_ascii_digit_error_code(hotline, client) -> None:  # type: ignore[no-untyped-def]
    for code in ("²", "٣", "2" * 400):
        form = {"MessageSid": hotline.sent_sids[0], "MessageStatus": "failed", "ErrorCode": code}
        url = hotline.url("/webhooks/twilio/status")
        response = client.post(url, content=urlencode(form).encode(),
                               headers=sign_inbound(url, hotline.settings.twilio_auth_token, form))
        assert response.status_code == 204, code


@pytest.mark.parametrize(("path", "limit"), [("/webhooks/webchat/webhook", 64 * 1024),
                                             ("/webhooks/twilio/webhook", 64 * 1024),
                                             ("/webhooks/twilio/status", 64 * 1024),
                                             ("/webhooks/telegram/webhook", 256 * 1024)])
def test_every_webhook_has_a_body_limit(hotline, client, path, limit) -> None:  # type: ignore[no-untyped-def]
    headers = {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET}
    over = client.post(hotline.url(path), content=b" " * (limit + 1), headers=headers)
    assert over.status_code == 413
    at = client.post(hotline.url(path), content=b" " * limit, headers=headers)
    assert at.status_code != 413


def test_server_is_still_up_and_answering(hotline, client) -> None:  # type: ignore[no-untyped-def]
    _alive(hotline, client)
    response = hotline.webchat(client, "after-the-fuzz", "hello")
    assert response.status_code == 200
    # A new conversation: the safety line (bot/safety/session_check.py), then the answer.
    safety, answer = response.json()
    assert "not safe to text" in safety["text"] and answer == {"text": "echo:hello"}
