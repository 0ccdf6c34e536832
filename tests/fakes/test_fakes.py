"""The fakes, exercised with the REAL twilio Client and the REAL python-telegram-bot Bot."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
import pytest_asyncio
import requests
import telegram
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, NetworkError, RetryAfter
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from tests.fakes import (
    FakeTelegramApi,
    FakeTwilioApi,
    inbound_sms_params,
    num_segments,
    post_inbound,
    send_status_callback,
    sign_inbound,
)

TO = "+15005550006"
FROM = "+15005550001"
UNICODE = "¡Ayuda! ñ 😀"


# ----------------------------------------------------------------------------- twilio
@pytest.fixture
def twilio_fake():
    with FakeTwilioApi(invalid_numbers={"+15005550001999"}, opted_out={"+15005550009"}) as fake:
        yield fake


def make_client(fake: FakeTwilioApi, timeout: float = 5) -> Client:
    client = Client(
        fake.account_sid, fake.auth_token, http_client=TwilioHttpClient(timeout=timeout)
    )
    client.api.base_url = fake.url
    return client


def test_twilio_create_parses_and_records(twilio_fake):
    client = make_client(twilio_fake)
    msg = client.messages.create(to=TO, from_=FROM, body=UNICODE, status_callback="http://x/cb")
    assert msg.sid.startswith("SM") and len(msg.sid) == 34
    assert msg.status == "queued"
    assert msg.body == UNICODE and msg.to == TO and msg.from_ == FROM
    assert msg.account_sid == twilio_fake.account_sid
    assert isinstance(msg.date_created, datetime)
    assert msg.num_segments == "1" and msg.error_code is None
    [rec] = twilio_fake.messages
    assert rec["sid"] == msg.sid and rec["body"] == UNICODE and rec["to"] == TO
    assert rec["from"] == FROM and rec["status_callback"] == "http://x/cb"
    assert twilio_fake.messages_to(TO) == [rec] and twilio_fake.messages_to(FROM) == []
    assert client.messages(msg.sid).fetch().body == UNICODE


def test_twilio_messaging_service_and_segments(twilio_fake):
    client = make_client(twilio_fake)
    msg = client.messages.create(to=TO, messaging_service_sid="MG" + "a" * 32, body="x" * 161)
    assert msg.status == "accepted" and msg.from_ is None and msg.num_segments == "2"
    assert num_segments("ñ" * 70) == 1 and num_segments("😀" * 36) == 2


def test_twilio_list_filters_and_pages(twilio_fake):
    client = make_client(twilio_fake)
    for i in range(5):
        client.messages.create(to=TO, from_=FROM, body=f"m{i}")
    client.messages.create(to="+15005550007", from_=FROM, body="other")
    since = datetime.now(timezone.utc) - timedelta(minutes=1)
    listed = client.messages.list(to=TO, date_sent_after=since)
    assert [m.body for m in listed] == ["m4", "m3", "m2", "m1", "m0"]  # newest first
    paged = client.messages.list(to=TO, page_size=2)  # follows next_page_uri
    assert len(paged) == 5
    future = datetime.now(timezone.utc) + timedelta(days=1)
    assert client.messages.list(to=TO, date_sent_after=future) == []
    assert len(client.messages.list(date_sent_before=future)) == 6
    query = twilio_fake.requests[-1].query
    assert "DateSent<" in query


@pytest.mark.parametrize(
    ("kwargs", "code", "status"),
    [
        ({"to": "+15005550001999", "body": "hi"}, 21211, 400),
        ({"to": "not-a-number", "body": "hi"}, 21211, 400),
        ({"to": "+15005550009", "body": "hi"}, 21610, 400),
        ({"to": TO, "body": ""}, 21602, 400),
    ],
)
def test_twilio_validation_errors(twilio_fake, kwargs, code, status):
    client = make_client(twilio_fake)
    with pytest.raises(TwilioRestException) as info:
        client.messages.create(from_=FROM, **kwargs)
    assert info.value.code == code and info.value.status == status
    if code == 21610:
        assert "unsubscribed" in info.value.msg
    assert twilio_fake.messages == []


def test_twilio_bad_credentials(twilio_fake):
    client = Client(twilio_fake.account_sid, "wrong-token")
    client.api.base_url = twilio_fake.url
    with pytest.raises(TwilioRestException) as info:
        client.messages.create(to=TO, from_=FROM, body="hi")
    assert info.value.status == 401 and info.value.code == 20003


def test_twilio_fail_next_and_error_mode(twilio_fake):
    client = make_client(twilio_fake)
    twilio_fake.fail_next(2, status=503)
    for _ in range(2):
        with pytest.raises(TwilioRestException) as info:
            client.messages.create(to=TO, from_=FROM, body="hi")
        assert info.value.status == 503 and info.value.code == 20503
    client.messages.create(to=TO, from_=FROM, body="hi")
    twilio_fake.set_mode("error500")
    with pytest.raises(TwilioRestException) as info:
        client.messages.create(to=TO, from_=FROM, body="hi")
    assert info.value.status == 500
    twilio_fake.set_mode("ok")
    client.messages.create(to=TO, from_=FROM, body="again")
    assert [m["body"] for m in twilio_fake.messages] == ["hi", "again"]


def test_twilio_down_refuses_then_same_port(twilio_fake):
    client = make_client(twilio_fake)
    client.messages.create(to=TO, from_=FROM, body="before")  # keep-alive connection exists
    port = twilio_fake.port
    twilio_fake.set_mode("down")
    with pytest.raises(requests.exceptions.ConnectionError):
        client.messages.create(to=TO, from_=FROM, body="lost")
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(twilio_fake.url, timeout=1)
    twilio_fake.set_mode("ok")
    assert twilio_fake.port == port
    client.messages.create(to=TO, from_=FROM, body="after")
    assert [m["body"] for m in twilio_fake.messages] == ["before", "after"]


def test_twilio_timeout_mode(twilio_fake):
    client = make_client(twilio_fake, timeout=1)
    twilio_fake.set_mode("timeout")
    started = time.monotonic()
    with pytest.raises(requests.exceptions.Timeout):
        client.messages.create(to=TO, from_=FROM, body="slow")
    assert time.monotonic() - started < 5
    twilio_fake.set_mode("ok")
    client.messages.create(to=TO, from_=FROM, body="fast")
    assert [m["body"] for m in twilio_fake.messages] == ["fast"]


def test_twilio_stop_does_not_wait_for_hanging_requests():
    fake = FakeTwilioApi().start()
    fake.set_mode("timeout")
    client = make_client(fake, timeout=10)
    errors: list[Exception] = []

    def call():
        try:
            client.messages.create(to=TO, from_=FROM, body="x")
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    thread = threading.Thread(target=call)
    thread.start()
    time.sleep(0.3)
    started = time.monotonic()
    fake.stop()
    thread.join(5)
    assert time.monotonic() - started < 3 and errors


def test_twilio_wait_for_from_another_thread(twilio_fake):
    client = make_client(twilio_fake)
    threading.Timer(0.2, lambda: client.messages.create(to=TO, from_=FROM, body="t")).start()
    assert twilio_fake.wait_for(1, timeout=5)[0]["body"] == "t"
    with pytest.raises(TimeoutError):
        twilio_fake.wait_for(2, timeout=0.2)
    twilio_fake.reset()
    assert twilio_fake.messages == []


class _Receiver:
    """A tiny webhook receiver that validates X-Twilio-Signature with the real validator."""

    def __init__(self, token: str):
        received = self.received = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                params = {k: v[-1] for k, v in parse_qs(body, keep_blank_values=True).items()}
                url = f"http://127.0.0.1:{self.server.server_address[1]}{self.path}"
                ok = RequestValidator(token).validate(
                    url, params, self.headers.get("X-Twilio-Signature", "")
                )
                received.append((ok, params))
                self.send_response(204 if ok else 403)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sms/status"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def test_twilio_signed_callbacks(twilio_fake):
    receiver = _Receiver(twilio_fake.auth_token)
    try:
        client = make_client(twilio_fake)
        msg = client.messages.create(to=TO, from_=FROM, body="hi", status_callback=receiver.url)
        result = twilio_fake.send_status_callback(msg.sid, "undelivered", error_code=30003)
        assert result.status == 204
        ok, params = receiver.received[-1]
        assert ok and params["MessageStatus"] == "undelivered" and params["ErrorCode"] == "30003"
        assert params["To"] == TO and params["From"] == FROM and params["MessageSid"] == msg.sid
        assert client.messages(msg.sid).fetch().status == "undelivered"

        result = send_status_callback(receiver.url, "wrong-token", msg.sid, "delivered")
        assert result.status == 403 and receiver.received[-1][0] is False

        inbound = inbound_sms_params(from_=TO, body=UNICODE, to=FROM)
        assert post_inbound(receiver.url, twilio_fake.auth_token, inbound).status == 204
        ok, params = receiver.received[-1]
        assert ok and params["Body"] == UNICODE
        headers = sign_inbound(receiver.url, twilio_fake.auth_token, inbound)
        assert RequestValidator(twilio_fake.auth_token).validate(
            receiver.url, inbound, headers["X-Twilio-Signature"]
        )
    finally:
        receiver.close()


# ----------------------------------------------------------------------------- telegram
@pytest.fixture
def tg_fake():
    with FakeTelegramApi() as fake:
        yield fake


@pytest_asyncio.fixture(loop_scope="function")  # the project default is "session"
async def bot(tg_fake):
    async with telegram.Bot(tg_fake.token, base_url=f"{tg_fake.url}/bot") as bot:
        yield bot


async def test_telegram_get_me(tg_fake, bot):
    me = await bot.get_me()
    assert me.is_bot and me.username == "hotline_test_bot" and me.id == tg_fake.bot_id
    assert bot.username == "hotline_test_bot"  # initialize() already called getMe


async def test_telegram_long_poll_returns_pushed_update(tg_fake, bot):
    async def push_later():
        await asyncio.sleep(0.3)
        tg_fake.push_update(tg_fake.text_update(4242, UNICODE))

    pusher = asyncio.create_task(push_later())
    started = time.monotonic()
    updates = await bot.get_updates(timeout=5)
    await pusher
    assert 0.2 < time.monotonic() - started < 3
    [update] = updates
    assert update.message.text == UNICODE and update.effective_chat.id == 4242
    assert update.effective_user.id == 4242 and update.effective_chat.type == "private"
    # unconfirmed: returned again; confirmed by a higher offset: dropped
    assert [u.update_id for u in await bot.get_updates(timeout=0)] == [update.update_id]
    tg_fake.push_update(tg_fake.text_update(4242, "second"))
    again = await bot.get_updates(offset=update.update_id + 1, timeout=0)
    assert [u.message.text for u in again] == ["second"]
    assert len(tg_fake.pending_updates) == 1
    started = time.monotonic()
    assert await bot.get_updates(offset=again[0].update_id + 1, timeout=1) == ()
    assert time.monotonic() - started >= 0.9
    assert tg_fake.pending_updates == []


async def test_telegram_get_updates_limit(tg_fake, bot):
    for i in range(3):
        tg_fake.push_update(tg_fake.text_update(1, f"t{i}"))
    first = await bot.get_updates(limit=2)
    assert [u.message.text for u in first] == ["t0", "t1"]
    rest = await bot.get_updates(offset=first[-1].update_id + 1, limit=2)
    assert [u.message.text for u in rest] == ["t2"]


async def test_telegram_update_builders_parse(tg_fake, bot):
    f = tg_fake
    built = [
        f.text_update(10, "/start"),
        f.callback_update(10, "lang:es"),
        f.location_update(10, 19.43, -99.13),
        f.photo_update(10, caption="foto"),
        f.sticker_update(10),
        f.voice_update(10),
        f.document_update(10),
        f.edited_text_update(10, "edited"),
        f.group_text_update(-100, "hola grupo", user_id=55),
        f.text_update(-1001234567890, "super", chat_type="supergroup", user_id=56),
    ]
    ids = [u["update_id"] for u in built]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    ups = [Update.de_json(u, bot) for u in built]
    assert ups[0].message.text == "/start" and ups[0].message.entities[0].type == "bot_command"
    assert ups[1].callback_query.data == "lang:es" and ups[1].effective_chat.id == 10
    assert ups[2].message.location.latitude == pytest.approx(19.43)
    assert ups[3].message.photo[-1].width == 1280 and ups[3].message.caption == "foto"
    assert ups[4].message.sticker.emoji
    assert ups[5].message.voice.duration == 3
    assert ups[6].message.document.file_name.endswith(".pdf")
    assert ups[7].edited_message.text == "edited" and ups[7].edited_message.edit_date
    assert ups[8].effective_chat.type == "group" and ups[8].effective_user.id == 55
    assert ups[9].effective_chat.type == "supergroup"
    for u in built:
        f.push_update(u)
    assert len(await bot.get_updates()) == len(built)


async def test_telegram_send_message_recorded(tg_fake, bot):
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Sí", callback_data="yes")]])
    msg = await bot.send_message(4242, UNICODE, reply_markup=markup)
    assert msg.text == UNICODE and msg.chat.id == 4242 and msg.chat.type == "private"
    assert msg.message_id > 0 and msg.date and msg.reply_markup == markup
    [sent] = tg_fake.sent_to(4242)
    assert sent["text"] == UNICODE and sent["chat_id"] == 4242
    assert sent["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "yes"
    assert tg_fake.wait_for_sent(1, timeout=0.1) == tg_fake.sent
    assert (await tg_fake.async_wait_for_sent(1))[0]["message_id"] == msg.message_id
    with pytest.raises(BadRequest):
        await bot.send_message(4242, "x" * 4097)


async def test_telegram_blocked_chat_forbidden(tg_fake, bot):
    tg_fake.block_chat(99)
    with pytest.raises(Forbidden, match="blocked by the user"):
        await bot.send_message(99, "hola")
    assert tg_fake.sent == []
    tg_fake.unblock_chat(99)
    await bot.send_message(99, "hola")


async def test_telegram_answer_callback_and_leave_chat(tg_fake, bot):
    update = Update.de_json(tg_fake.callback_update(7, "help"), bot)
    assert await bot.answer_callback_query(update.callback_query.id, text="ok")
    [answer] = tg_fake.callback_answers
    assert answer["callback_query_id"] == update.callback_query.id and answer["text"] == "ok"
    assert await bot.leave_chat(-100)
    assert tg_fake.left_chats == [-100]
    with pytest.raises(Forbidden):
        await bot.send_message(-100, "still here?")


async def test_telegram_webhook(tg_fake, bot):
    assert await bot.set_webhook(
        "https://hotline.example/telegram", secret_token="s3cr3t-T0ken", allowed_updates=["message"]
    )
    hook = tg_fake.webhook
    assert hook["url"] == "https://hotline.example/telegram"
    assert hook["secret_token"] == "s3cr3t-T0ken" and hook["allowed_updates"] == ["message"]
    info = await bot.get_webhook_info()
    assert info.url == "https://hotline.example/telegram" and info.pending_update_count == 0
    with pytest.raises(Conflict):
        await bot.get_updates()
    with pytest.raises(BadRequest):
        await bot.set_webhook("https://hotline.example/t", secret_token="bad token!")
    assert await bot.delete_webhook()
    assert tg_fake.webhook is None and (await bot.get_webhook_info()).url == ""


async def test_telegram_down_and_back_same_port(tg_fake, bot):
    await bot.send_message(1, "before")
    port = tg_fake.port
    tg_fake.set_mode("down")
    with pytest.raises(NetworkError):
        await bot.send_message(1, "lost")
    tg_fake.set_mode("ok")
    assert tg_fake.port == port
    await bot.send_message(1, "after")
    assert [s["text"] for s in tg_fake.sent] == ["before", "after"]


async def test_telegram_faults(tg_fake, bot):
    tg_fake.fail_next(1, 429, retry_after=3)
    with pytest.raises(RetryAfter) as info:
        await bot.send_message(1, "x")
    assert info.value.retry_after in (3, timedelta(seconds=3))
    tg_fake.fail_next(1, 500)
    await bot.get_me()  # default: only sendMessage fails
    with pytest.raises(NetworkError):
        await bot.send_message(1, "x")
    tg_fake.set_mode("error500")
    with pytest.raises(NetworkError):
        await bot.get_me()
    tg_fake.set_mode("ok")
    await bot.send_message(1, "ok")
    assert [s["text"] for s in tg_fake.sent] == ["ok"]


async def test_telegram_wrong_token(tg_fake):
    bot = telegram.Bot("1:wrong", base_url=tg_fake.base_url)
    with pytest.raises(InvalidToken):
        await bot.initialize()


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # apscheduler/pkg_resources import
async def test_telegram_application_polling_end_to_end(tg_fake):
    from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

    builder = Application.builder().token(tg_fake.token).base_url(tg_fake.base_url)
    app = builder.job_queue(None).build()

    async def echo(update, context):
        await update.effective_message.reply_text("eco: " + update.effective_message.text)

    async def on_button(update, context):
        await update.callback_query.answer("ok")

    app.add_handler(MessageHandler(filters.TEXT, echo))
    app.add_handler(CallbackQueryHandler(on_button))
    async with app:
        await app.start()
        await app.updater.start_polling(timeout=2, poll_interval=0)
        tg_fake.push_update(tg_fake.text_update(5, UNICODE))
        tg_fake.push_update(tg_fake.callback_update(5, "x"))
        [sent] = await tg_fake.async_wait_for_sent(1, timeout=5)
        for _ in range(250):
            if tg_fake.callback_answers:
                break
            await asyncio.sleep(0.02)
        await app.updater.stop()
        await app.stop()
    assert sent["chat_id"] == 5 and sent["text"] == "eco: " + UNICODE
    assert tg_fake.callback_answers[0]["text"] == "ok"
    assert [c["method"] for c in tg_fake.calls][:3] == ["getMe", "deleteWebhook", "getUpdates"]


def test_telegram_post_update_to_webhook(tg_fake):
    got = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            got.append((self.headers.get("X-Telegram-Bot-Api-Secret-Token"), body))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/telegram"

        async def register():
            async with tg_fake.bot() as bot:
                await bot.set_webhook(url, secret_token="abc_123")

        asyncio.run(register())
        update = tg_fake.text_update(8, UNICODE)
        assert tg_fake.post_update_to_webhook(update)[0] == 200
        secret, body = got[0]
        assert secret == "abc_123" and json.loads(body) == update
    finally:
        server.shutdown()
        server.server_close()


def test_twilio_client_helper():
    with FakeTwilioApi() as fake:
        msg = fake.client(timeout=2).messages.create(to=TO, from_=FROM, body="hi")
        assert fake.wait_for(1)[0]["sid"] == msg.sid
