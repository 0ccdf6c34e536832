"""Telegram update -> action mapping, the reply splitter, locations and the sender's errors.

Update shapes are checked against python-telegram-bot's own parser
(`telegram.Update.de_json`), so they are what the Bot API really sends.
"""

from __future__ import annotations

import asyncio
import itertools
import re
import time
from pathlib import Path
from typing import Any

import pytest
import telegram

from bot.channels import telegram as tg
from bot.config import Settings
from bot.content.loader import load_content
from bot.messaging.sending import ContactUnreachable, PermanentSendError, TransientSendError

CHAT = 4242
_ids = itertools.count(900_000_001)


def user(uid: int = CHAT, language_code: str | None = "en") -> dict[str, Any]:
    u: dict[str, Any] = {"id": uid, "is_bot": False, "first_name": "Ana"}
    if language_code:
        u["language_code"] = language_code
    return u


def chat(chat_id: int = CHAT, kind: str = "private") -> dict[str, Any]:
    if kind == "private":
        return {"id": chat_id, "type": "private", "first_name": "Ana"}
    return {"id": chat_id, "type": kind, "title": "Some group"}


def message(chat_id: int = CHAT, kind: str = "private", language_code: str | None = "en",
            **content: Any) -> dict[str, Any]:
    return {"message_id": next(_ids) % 10_000, "from": user(abs(chat_id), language_code),
            "chat": chat(chat_id, kind), "date": int(time.time()), **content}


def update(key: str = "message", **body: Any) -> dict[str, Any]:
    u = {"update_id": next(_ids), key: body}
    # Every shape used here must be one the real library accepts.
    assert telegram.Update.de_json(u, None) is not None
    return u


def text_update(text: str, **kw: Any) -> dict[str, Any]:
    return update("message", **message(text=text, **kw))


def parse(u: Any) -> tg.Action:
    return tg.parse_update(u, load_content())


# ---------------------------------------------------------------- text and commands
def test_plain_text_is_processed_with_update_id_and_chat_id() -> None:
    u = text_update("I need help")
    action = parse(u)
    assert action.kind == tg.PROCESS
    assert action.text == "I need help"
    assert action.provider_message_id == str(u["update_id"])
    assert action.address == str(CHAT)
    assert action.update_type == "message"


def test_spanish_text_is_kept_intact() -> None:
    action = parse(text_update("¡Ayuda! Necesito información, señor 🙏"))
    assert action.kind == tg.PROCESS and action.text == "¡Ayuda! Necesito información, señor 🙏"


@pytest.mark.parametrize(("text", "language_code", "expected"), [
    ("/start", "en", "hi"),
    ("/start", None, "hi"),
    ("/start", "es", "hola"),
    ("/start", "es-MX", "hola"),
    ("/start poster42", "en", "hi"),
    ("/start es", "en", "hola"),
    ("/start en", "es", "hi"),
    ("/start@hotline_test_bot", "en", "hi"),
    ("/START", "en", "hi"),
])
def test_start_becomes_a_greeting(text: str, language_code: str | None, expected: str) -> None:
    action = parse(text_update(text, language_code=language_code))
    assert action.kind == tg.PROCESS and action.text == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("/help", "menu"),
    ("/help@hotline_test_bot", "menu"),
    ("/stop", "stop"),
    ("/menu please", "menu please"),
    ("/greet", "greet"),  # never Rasa's "/intent" syntax
    ('/inform{"location_state": "TX"}', 'inform{"location_state": "TX"}'),
    ("//start", "hi"),
    ("/ /help", "help"),
])
def test_other_commands_lose_the_slash(text: str, expected: str) -> None:
    action = parse(text_update(text))
    assert action.kind == tg.PROCESS
    assert action.text == expected
    assert not action.text.startswith("/")


@pytest.mark.parametrize("text", ["", "   ", "/", " / "])
def test_empty_text_gets_the_empty_message_reply(text: str) -> None:
    action = parse(text_update(text))
    assert action.kind == tg.REPLY and action.template == "empty_message"


def test_huge_text_gets_the_too_long_reply() -> None:
    action = parse(text_update("a" * 5000))
    assert action.kind == tg.REPLY and action.template == "too_long"
    assert action.text is None  # the text is never carried further
    emoji = "🙏" * 2049  # 4098 UTF-16 units: over Telegram's limit
    assert parse(text_update(emoji)).kind == tg.REPLY
    assert parse(text_update("a" * 4096)).kind == tg.PROCESS


def test_action_body_for_fixed_replies_is_empty() -> None:
    content = load_content()
    assert parse(text_update("a" * 5000)).body(content, "en") == ""
    assert parse(text_update("hello")).body(content, "en") == "hello"


# ---------------------------------------------------------------- callback queries
def callback(data: str | None, kind: str = "private", with_message: bool = True,
             language_code: str = "en") -> dict[str, Any]:
    query: dict[str, Any] = {"id": "4000000000001", "from": user(CHAT, language_code),
                             "chat_instance": "-123"}
    if data is not None:
        query["data"] = data
    if with_message:
        query["message"] = {"message_id": 7, "from": {"id": 1, "is_bot": True,
                                                      "first_name": "Bot"},
                            "chat": chat(CHAT if kind == "private" else -100, kind),
                            "date": int(time.time()), "text": "…"}
    return update("callback_query", **query)


def test_callback_is_answered_and_its_data_processed_in_its_chat() -> None:
    action = parse(callback("2"))
    assert action.kind == tg.PROCESS and action.text == "2"
    assert action.callback_query_id == "4000000000001"
    assert action.chat_id == CHAT
    assert action.update_type == "callback_query"


def test_callback_data_that_looks_like_an_intent_loses_the_slash() -> None:
    assert parse(callback("/restart")).text == "restart"


def test_callback_without_data_or_chat_is_answered_but_ignored() -> None:
    for u in (callback(None), callback("x", with_message=False), callback("x", kind="group")):
        action = parse(u)
        assert action.kind == tg.IGNORE
        assert action.callback_query_id == "4000000000001"


# ---------------------------------------------------------------- locations
@pytest.mark.parametrize(("lat", "lon", "code"), [
    (29.760, -95.370, "TX"),    # Houston
    (41.878, -87.630, "IL"),    # Chicago (inside Michigan's box too)
    (40.710, -74.000, "NY"),    # Lower Manhattan
    (40.720, -74.070, "NJ"),    # Jersey City, across the Hudson
    (39.950, -75.170, "PA"),    # Philadelphia
    (39.930, -75.110, "NJ"),    # Camden
    (38.900, -77.040, "DC"),
    (39.100, -94.580, "MO"),    # Kansas City, Missouri
    (34.050, -118.240, "CA"),
    (25.760, -80.190, "FL"),
    (45.520, -122.680, "OR"),   # Portland, not Vancouver WA
    (18.466, -66.106, "PR"),
    (21.307, -157.858, "HI"),
    (61.218, -149.900, "AK"),
    (38.000, -100.000, "KS"),   # countryside: the state's centroid decides
])
def test_state_for_location(lat: float, lon: float, code: str) -> None:
    assert tg.state_for_location(lat, lon) == code


@pytest.mark.parametrize(("lat", "lon"), [
    (51.5, -0.12),         # London
    (19.43, -99.13),       # Mexico City
    (43.65, -79.38),       # Toronto: inside New York's box
    (32.52, -117.03),      # Tijuana: inside California's box
    (31.69, -106.42),      # Ciudad Juárez: inside Texas' box
    (0.0, 0.0),
    (float("nan"), 1.0),
])
def test_no_state_outside_the_us(lat: float, lon: float) -> None:
    assert tg.state_for_location(lat, lon) is None


def test_location_table_covers_known_states_only() -> None:
    """data/content/state_locations.yml names only states that states.yml knows."""
    from bot.content.locations import load_locations

    table, content = load_locations(), load_content()
    codes = {box.code for box in table.boxes}
    assert len(codes) == len(table.boxes) >= 50
    assert all(content.state_by_code(code) is not None for code in codes)
    assert {code for code, _, _ in table.cities} <= codes
    assert table.foreign and all(code == "" for code, _, _ in table.foreign)


@pytest.mark.parametrize(("text", "error"), [
    ("states: []\ncities: [[NY, 1, 2]]\nforeign_cities: [[1, 2]]\n", "'states'"),
    ("states: [{code: NY, lat: [45, 40], lon: [-79, -71], centroid: [42, -75]}]\n"
     "cities: [[NY, 40, -74]]\nforeign_cities: [[43, -79]]\n", "[min, max]"),
    ("states: [{code: NY, lat: [40, 45], lon: [-79, -71], centroid: [42, -75]}]\n"
     "cities: [[NJ, 40, -74]]\nforeign_cities: [[43, -79]]\n", "no entry under states"),
    ("states: [{code: NY, lat: [40, 45], lon: [-79, -71], centroid: [42, -75]}]\n"
     "cities: [[NY, 40, -274]]\nforeign_cities: [[43, -79]]\n", "not a place on Earth"),
    ("states: [{code: ny, lat: [40, 45], lon: [-79, -71], centroid: [42, -75]}]\n"
     "cities: [[NY, 40, -74]]\nforeign_cities: [[43, -79]]\n", "two capital letters"),
])
def test_a_broken_location_table_is_refused_with_where(tmp_path, text: str,  # type: ignore[no-untyped-def]
                                                       error: str) -> None:
    from bot.content.loader import ContentError
    from bot.content.locations import FILE_NAME, load_locations

    (tmp_path / FILE_NAME).write_text(text, encoding="utf-8")
    with pytest.raises(ContentError, match=re.escape(error)):
        load_locations(tmp_path)


def test_shared_location_is_processed_as_the_state_name() -> None:
    content = load_content()
    action = parse(update("message", **message(location={"latitude": 29.76,
                                                         "longitude": -95.37})))
    assert action.kind == tg.PROCESS and action.state_code == "TX"
    assert action.body(content, "en") == "Texas"
    assert content.lookup_state(action.body(content, "es")).code == "TX"
    ny = parse(update("message", **message(location={"latitude": 40.758,
                                                     "longitude": -73.985})))
    assert ny.body(content, "en") == "New York"
    assert content.lookup_state(ny.body(content, "es")).code == "NY"


def test_venue_location_counts_too() -> None:
    venue = {"location": {"latitude": 25.76, "longitude": -80.19}, "title": "Clinic",
             "address": "1 Main St"}
    action = parse(update("message", **message(venue=venue,
                                               location=venue["location"])))
    assert action.kind == tg.PROCESS and action.state_code == "FL"


def test_location_outside_the_us_asks_for_a_state_or_zip() -> None:
    content = load_content()
    action = parse(update("message", **message(location={"latitude": 51.5,
                                                         "longitude": -0.12})))
    assert action.kind == tg.REPLY and action.template == tg.LOCATION_UNKNOWN
    for lang in ("en", "es"):
        reply = content.template(action.template, lang)
        assert "ZIP" in reply or "postal" in reply


# ---------------------------------------------------------------- edits and media
def test_edited_message_gets_a_fixed_reply_and_is_not_reprocessed() -> None:
    msg = message(text="actually I am in Texas")
    msg["edit_date"] = msg["date"] + 5
    action = parse(update("edited_message", **msg))
    assert action.kind == tg.REPLY and action.template == "edited_message"
    assert action.body(load_content(), "en") == ""  # the edited text is not stored


def _file(kind: str) -> dict[str, str]:
    return {"file_id": f"{kind}-1", "file_unique_id": f"u{kind}1"}


PHOTO = [{**_file("p"), "width": 90, "height": 67}, {**_file("q"), "width": 1280, "height": 960}]


@pytest.mark.parametrize(("content", "template"), [
    ({"photo": PHOTO}, "media_not_supported"),
    ({"document": {**_file("d"), "file_name": "passport.pdf"}}, "media_not_supported"),
    ({"video": {**_file("v"), "width": 1, "height": 1, "duration": 1}}, "media_not_supported"),
    ({"voice": {**_file("o"), "duration": 3}}, "unsupported_content"),
    ({"audio": {**_file("a"), "duration": 3}}, "unsupported_content"),
    ({"sticker": {**_file("s"), "type": "regular", "width": 512, "height": 512,
                  "is_animated": False, "is_video": False}}, "unsupported_content"),
    ({"video_note": {**_file("n"), "length": 1, "duration": 1}}, "unsupported_content"),
    ({"animation": {**_file("g"), "width": 1, "height": 1, "duration": 1},
      "document": {**_file("g"), "file_name": "a.mp4"}}, "media_not_supported"),
    ({"contact": {"phone_number": "+15555550100", "first_name": "X"}}, "unsupported_content"),
])
def test_media_and_other_content_get_a_polite_fixed_reply(content: dict, template: str) -> None:
    action = parse(update("message", **message(**content)))
    assert action.kind == tg.REPLY and action.template == template
    for lang in ("en", "es"):
        assert load_content().template(template, lang)


def test_caption_on_a_photo_is_read_like_a_text() -> None:
    action = parse(update("message", **message(photo=PHOTO, caption="they took my passport")))
    assert action.kind == tg.PROCESS and action.text == "they took my passport"


def test_service_message_is_ignored() -> None:
    action = parse(update("message", **message(pinned_message={
        "message_id": 1, "chat": chat(), "date": 0})))
    assert action.kind == tg.IGNORE


# ---------------------------------------------------------------- groups and channels
@pytest.mark.parametrize("kind", ["group", "supergroup"])
def test_group_message_means_leave_and_no_processing(kind: str) -> None:
    action = parse(update("message", **message(chat_id=-1001234, kind=kind, text="hi")))
    assert action.kind == tg.LEAVE and action.chat_id == -1001234
    assert action.text is None


def test_edited_group_message_also_leaves() -> None:
    msg = message(chat_id=-55, kind="group", text="hi")
    msg["edit_date"] = msg["date"]
    assert parse(update("edited_message", **msg)).kind == tg.LEAVE


def test_channel_post_means_leave() -> None:
    post = {"message_id": 1, "chat": chat(-100777, "channel"), "date": int(time.time()),
            "text": "news"}
    assert parse(update("channel_post", **post)).kind == tg.LEAVE
    assert parse(update("edited_channel_post", **{**post, "edit_date": 1})).kind == tg.LEAVE


def member_update(chat_kind: str, old: str, new: str) -> dict[str, Any]:
    bot = {"id": 123456789, "is_bot": True, "first_name": "Bot"}

    def member(status: str) -> dict[str, Any]:
        extra = {"until_date": int(time.time()) + 3600} if status == "kicked" else {}
        return {"status": status, "user": bot, **extra}

    return update("my_chat_member", **{
        "chat": chat(CHAT if chat_kind == "private" else -42, chat_kind),
        "from": user(), "date": int(time.time()),
        "old_chat_member": member(old), "new_chat_member": member(new),
    })


def test_membership_changes() -> None:
    assert parse(member_update("private", "member", "kicked")).kind == tg.BLOCKED
    assert parse(member_update("private", "kicked", "member")).kind == tg.UNBLOCKED
    assert parse(member_update("group", "left", "member")).kind == tg.LEAVE
    assert parse(member_update("group", "member", "left")).kind == tg.IGNORE


# ---------------------------------------------------------------- unknown and malformed
def test_unknown_update_type_is_ignored_and_logged_by_type_only() -> None:
    u = {"update_id": 5, "poll": {"id": "1", "question": "secret question?", "options": [],
                                  "total_voter_count": 0, "is_closed": False,
                                  "is_anonymous": True, "type": "regular",
                                  "allows_multiple_answers": False}}
    action = parse(u)
    assert action.kind == tg.IGNORE and action.update_type == "poll"
    assert action.update_id == 5


@pytest.mark.parametrize("u", [
    None, [], "text", {}, {"update_id": "x", "message": {}},
    {"update_id": 1}, {"update_id": 1, "message": {"text": "hi"}},
    {"update_id": 1, "message": {"chat": {"type": "private"}, "text": "hi"}},
    {"update_id": 1, "message": {"chat": {"id": "abc", "type": "private"}, "text": "hi"}},
    {"update_id": 1, "message": {"chat": {"id": 5, "type": "private"}, "text": 42}},
    {"update_id": 1, "message": {"chat": {"id": 5, "type": "private"},
                                 "location": {"latitude": "x"}}},
    {"update_id": 1, "callback_query": {"id": "1"}},
    {"update_id": 1, "message": "not an object"},
])
def test_missing_or_malformed_fields_never_raise(u: Any) -> None:
    action = parse(u)
    assert action.kind in (tg.IGNORE, tg.REPLY)


# ---------------------------------------------------------------- splitting
def test_split_keeps_short_replies_whole() -> None:
    assert tg.split_telegram("Hello there.") == ["Hello there."]
    assert tg.split_telegram("") == []


def test_split_long_reply_at_sentence_ends_under_the_limit() -> None:
    sentence = "This is one sentence about your rights at work. "
    text = sentence * 200  # ~9800 characters
    parts = tg.split_telegram(text)
    assert len(parts) == 3
    assert all(len(p) <= 4096 for p in parts)
    assert all(p.endswith(".") for p in parts)
    assert " ".join(parts) == text.strip()


def test_split_without_spaces_is_a_hard_cut_and_counts_utf16() -> None:
    parts = tg.split_telegram("x" * 9000)
    assert [len(p) for p in parts] == [4096, 4096, 808]
    emoji = tg.split_telegram("🙏" * 3000)  # 2 UTF-16 units each
    assert all(len(p.encode("utf-16-le")) // 2 <= 4096 for p in emoji)
    assert "".join(emoji) == "🙏" * 3000


# ---------------------------------------------------------------- the sender, over real HTTP
@pytest.fixture()
def fake_telegram():  # type: ignore[no-untyped-def]
    fakes = pytest.importorskip("tests.fakes.telegram_api")
    fake = fakes.FakeTelegramApi(timeout_sleep=3.0)
    fake.start()
    yield fake
    fake.stop()


def sender_for(fake) -> tg.TelegramSender:  # type: ignore[no-untyped-def]
    settings = Settings(telegram_bot_token=fake.token, telegram_api_base_url=fake.url,
                        provider_timeout_seconds=1.0)
    return tg.TelegramSender(settings)


def test_sender_sends_and_returns_the_message_id(fake_telegram) -> None:  # type: ignore[no-untyped-def]
    sender = sender_for(fake_telegram)
    assert sender.rate_key() == "telegram"
    message_id = asyncio.run(sender.send(str(CHAT), "¡Hola! ¿Cómo estás?"))
    (sent,) = fake_telegram.sent
    assert sent["chat_id"] == CHAT and sent["text"] == "¡Hola! ¿Cómo estás?"
    assert message_id == str(sent["message_id"])
    assert asyncio.run(sender.find_sent(str(CHAT), "x", None)) is None  # type: ignore[arg-type]
    assert not fake_telegram.calls_to("getMe")  # never initialised, never blocked on getMe


@pytest.mark.parametrize(("setup", "error"), [
    (lambda f: f.block_chat(CHAT), ContactUnreachable),
    (lambda f: f.fail_next(1, 400, "Bad Request: chat not found"), PermanentSendError),
    (lambda f: f.fail_next(1, 429, retry_after=3), TransientSendError),
    (lambda f: f.fail_next(1, 500), TransientSendError),
    (lambda f: f.fail_next(1, 502), TransientSendError),
    (lambda f: f.fail_next(1, 0), TransientSendError),  # connection dropped
    (lambda f: f.set_mode("down"), TransientSendError),
    (lambda f: f.set_mode("timeout"), TransientSendError),
])
def test_sender_maps_errors(fake_telegram, setup, error) -> None:  # type: ignore[no-untyped-def]
    setup(fake_telegram)
    sender = sender_for(fake_telegram)
    with pytest.raises(error) as info:
        asyncio.run(sender.send(str(CHAT), "hi"))
    if error is ContactUnreachable:
        assert info.value.code == "403"
    if error is not TransientSendError:
        assert not isinstance(info.value, TransientSendError)


def test_sender_rejects_a_non_numeric_address(fake_telegram) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermanentSendError):
        asyncio.run(sender_for(fake_telegram).send("not-a-chat", "hi"))


# ---------------------------------------------------------------- webhook mode, in-process
async def test_webhook_mode_end_to_end_without_rasa(tmp_path, fake_telegram, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """setWebhook in the background; secret, size and JSON checks; replies via the outbox."""
    import uuid

    import httpx
    from sanic import Sanic

    from bot.messaging.service import MessagingService
    from bot.store.migrate import upgrade
    from tests.conftest import free_port

    db = f"sqlite:///{tmp_path / 'hotline.db'}"
    upgrade(db)
    port = free_port()
    settings = Settings(database_url=db, secret_key="tg-secret-key-0000",
                        tracker_db=Path(db[10:]).with_name("t.db"),
                        telegram_bot_token=fake_telegram.token,
                        telegram_api_base_url=fake_telegram.url, telegram_mode="webhook",
                        telegram_webhook_secret="s3cret-token",
                        public_url=f"http://127.0.0.1:{port}", outbox_rate_per_second=50,
                        provider_timeout_seconds=2)

    async def assistant(message) -> None:  # type: ignore[no-untyped-def]
        await message.output_channel.send_text_message(message.sender_id, f"echo:{message.text}")

    monkeypatch.setattr(Sanic, "test_mode", True)  # several apps in one process
    app = Sanic(f"tg{uuid.uuid4().hex}")
    channel = tg.TelegramInput(settings)
    app.blueprint(channel.blueprint(assistant), url_prefix="/webhooks/telegram")
    server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True)
    await server.startup()
    await server.after_start()
    url = f"http://127.0.0.1:{port}/webhooks/telegram/webhook"
    try:
        for _ in range(100):
            if fake_telegram.webhook:
                break
            await asyncio.sleep(0.05)
        hook = fake_telegram.webhook
        assert hook["url"] == url and hook["secret_token"] == "s3cret-token"
        assert "callback_query" in hook["allowed_updates"]

        update = fake_telegram.text_update(CHAT, "/help")
        secret = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-token"}
        async with httpx.AsyncClient(timeout=10) as client:
            assert (await client.post(url, json=update)).status_code == 403
            wrong = {"X-Telegram-Bot-Api-Secret-Token": "nope"}
            assert (await client.post(url, json=update, headers=wrong)).status_code == 403
            assert (await client.post(url, content=b"{bad", headers=secret)).status_code == 400
            assert (await client.post(url, content=b"[1]", headers=secret)).status_code == 400
            big = b" " * (300 * 1024)
            assert (await client.post(url, content=big, headers=secret)).status_code == 413
            for _ in range(2):  # a retried delivery is answered once
                assert (await client.post(url, json=update, headers=secret)).status_code == 200
            group = fake_telegram.group_text_update(-987, "hi")
            assert (await client.post(url, json=group, headers=secret)).status_code == 200
        # A new conversation: the safety line (session_check.py), then the answer.
        sent = await fake_telegram.async_wait_for_sent(2, timeout=10)
        assert sent[1]["chat_id"] == CHAT and sent[1]["text"] == "echo:menu"
        assert "not safe to text" in sent[0]["text"]
        await asyncio.sleep(0.5)
        assert len(fake_telegram.sent) == 2
        assert -987 in fake_telegram.left_chats
    finally:
        await server.before_stop()
        server.close()
        await server.wait_closed()
        await MessagingService.for_settings(settings).worker.stop()


async def test_webhook_without_a_secret_refuses_all(tmp_path, fake_telegram, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import uuid

    import httpx
    from sanic import Sanic

    from tests.conftest import free_port

    port = free_port()
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'h.db'}",
                        secret_key="tg-secret-key-0000",
                        tracker_db=tmp_path / "t.db", telegram_bot_token=fake_telegram.token,
                        telegram_api_base_url=fake_telegram.url, telegram_mode="webhook")
    monkeypatch.setattr(Sanic, "test_mode", True)  # several apps in one process
    app = Sanic(f"tg{uuid.uuid4().hex}")

    async def assistant(message) -> None:  # type: ignore[no-untyped-def]
        raise AssertionError("must not be called")

    app.blueprint(tg.TelegramInput(settings).blueprint(assistant), url_prefix="/webhooks/telegram")
    server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True)
    await server.startup()
    try:
        async with httpx.AsyncClient(timeout=10) as client:
            response = await client.post(
                f"http://127.0.0.1:{port}/webhooks/telegram/webhook",
                json=fake_telegram.text_update(CHAT, "hi"),
                headers={"X-Telegram-Bot-Api-Secret-Token": ""})
        assert response.status_code == 403
    finally:
        server.close()
        await server.wait_closed()
