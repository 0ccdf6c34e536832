"""Telegram end to end: the real hotline polls a local fake Bot API with the real PTB Bot.

The hotline starts while the fake is down (start-up must not need Telegram);
the fake is brought up before the first test.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator

import pytest

from tests.conftest import RunningHotline, start_hotline, stop_hotline, wait_for

pytestmark = pytest.mark.rasa

_chats = itertools.count(7_312_845_901)


def new_chat() -> int:
    return next(_chats)


def telegram_key(chat_id: int) -> str:
    """The conversation's contact_key (HOTLINE_SECRET_KEY as set by start_hotline)."""
    from bot.store.contacts import contact_key

    return contact_key(b"integration-test-key", "telegram", str(chat_id))


@pytest.fixture(scope="module")
def tg_hotline(tmp_path_factory: pytest.TempPathFactory, fake_tg) -> Iterator[RunningHotline]:
    fake_tg.set_mode("down")
    running = start_hotline(tmp_path_factory.mktemp("telegram"), {
        "TELEGRAM_BOT_TOKEN": fake_tg.token,
        "TELEGRAM_API_BASE_URL": fake_tg.url,
        "TELEGRAM_MODE": "polling",
        "HOTLINE_OUTBOX_RATE_PER_SECOND": "50",
        "HOTLINE_OUTBOX_BACKOFF_BASE_SECONDS": "0.2",
        "HOTLINE_OUTBOX_BACKOFF_MAX_SECONDS": "1",
        "HOTLINE_PROVIDER_TIMEOUT_SECONDS": "3",
    })
    # It is up and answering web chat although Telegram was unreachable all along.
    assert running.texts("tg-readiness", "hi")
    fake_tg.set_mode("ok")
    yield running
    stop_hotline(running)



def wait_sent(fake, chat_id: int, count: int, timeout: float = 90) -> list[str]:  # type: ignore[no-untyped-def]
    def texts() -> list[str] | None:
        sent = [m["text"] for m in fake.sent_to(chat_id)]
        return sent if len(sent) >= count else None

    return wait_for(texts, timeout, f"{count} messages to the chat")




def test_started_while_telegram_was_down_and_answers_once_it_is_back(tg_hotline, fake_tg) -> None:
    chat = new_chat()
    fake_tg.push_update(fake_tg.text_update(chat, "hi"))
    (reply,) = wait_sent(fake_tg, chat, 1)
    assert reply.startswith("Hi, thanks for writing.")
    log = tg_hotline.log_path.read_text(errors="replace")
    assert "telegram polling failed" in log  # it did start without Telegram
    assert fake_tg.calls_to("deleteWebhook")


def test_english_and_spanish_text_round_trip(tg_hotline, fake_tg) -> None:
    en, es = new_chat(), new_chat()
    fake_tg.push_update(fake_tg.text_update(en, "hi"))
    fake_tg.push_update(fake_tg.text_update(es, "hola"))
    assert wait_sent(fake_tg, en, 1)[0].startswith("Hi, thanks for writing.")
    spanish = wait_sent(fake_tg, es, 1)[0]
    assert spanish.startswith("Hola, gracias por escribir.")
    fake_tg.push_update(fake_tg.text_update(es, "sí"))
    menu = "\n".join(wait_sent(fake_tg, es, 2)[1:])
    assert "¿" in menu or "á" in menu or "í" in menu or "ó" in menu
    assert "@" not in menu  # no "¡" -> "@" rewriting anywhere


def test_start_command_opens_the_conversation(tg_hotline, fake_tg) -> None:
    chat = new_chat()
    fake_tg.push_update(fake_tg.text_update(chat, "/start"))  # the fake's texter speaks es
    (reply,) = wait_sent(fake_tg, chat, 1)
    assert reply.startswith(("Hola, gracias por escribir.", "Hi, thanks for writing."))


def test_callback_is_answered_and_processed(tg_hotline, fake_tg) -> None:
    chat = new_chat()
    update = fake_tg.push_update(fake_tg.callback_update(chat, "hi"))
    query_id = update["callback_query"]["id"]
    wait_for(lambda: [a for a in fake_tg.callback_answers if a["callback_query_id"] == query_id],
             what="answerCallbackQuery")
    assert wait_sent(fake_tg, chat, 1)[0].startswith("Hi, thanks for writing.")


def test_photo_gets_a_polite_reply(tg_hotline, fake_tg) -> None:
    chat = new_chat()
    fake_tg.push_update(fake_tg.photo_update(chat))
    (reply,) = wait_sent(fake_tg, chat, 1)
    assert "pictures" in reply and "words" in reply


def test_location_answers_with_that_states_resources(tg_hotline, fake_tg) -> None:
    chat = new_chat()
    fake_tg.push_update(fake_tg.text_update(chat, "hi"))
    wait_sent(fake_tg, chat, 1)
    fake_tg.push_update(fake_tg.location_update(chat, 29.76, -95.37))  # Houston
    replies = wait_sent(fake_tg, chat, 2)
    assert "Texas" in "\n".join(replies[1:]) or "888" in "\n".join(replies[1:])


def test_group_is_left_without_a_reply(tg_hotline, fake_tg) -> None:
    group = -(new_chat())
    fake_tg.push_update(fake_tg.group_text_update(group, "hi"))
    wait_for(lambda: group in fake_tg.left_chats, what="leaveChat")
    time.sleep(2)
    assert fake_tg.sent_to(group) == []
    # contact_address is encrypted: find the conversation by its keyed hash.
    assert tg_hotline.rows("select count(*) from conversations where contact_key = :k",
                k=telegram_key(group)) == [(0,)]


def test_blocked_chat_gets_no_further_sends(tg_hotline, fake_tg) -> None:
    chat = new_chat()
    fake_tg.push_update(fake_tg.text_update(chat, "hi"))
    wait_sent(fake_tg, chat, 1)
    fake_tg.block_chat(chat)
    update = fake_tg.push_update(fake_tg.text_update(chat, "y"))  # several replies

    def suppressed():  # type: ignore[no-untyped-def]
        found = tg_hotline.rows("select o.status from outbound_messages o "
                                 "join inbound_messages i on i.id = o.inbound_id "
                                 "where i.channel = 'telegram' and i.provider_message_id = :u",
                     u=str(update["update_id"]))
        return found if found and all(r[0] == "suppressed" for r in found) else None

    replies = wait_for(suppressed, what="suppressed outbox rows")
    assert len(replies) >= 1
    attempts = [c for c in fake_tg.calls_to("sendMessage") if c["params"].get("chat_id") == chat
                and c["status"] == 403]
    assert len(attempts) == 1  # one 403, then everything else stopped without a call
    assert tg_hotline.rows("select unreachable from conversations where contact_key = :k",
                k=telegram_key(chat)) == [(1,)]
    assert len(fake_tg.sent_to(chat)) == 1


def test_replayed_update_is_answered_once(tg_hotline, fake_tg) -> None:
    chat = new_chat()
    update = fake_tg.text_update(chat, "hi")
    fake_tg.set_mode("down")  # queue both copies so they arrive in one batch
    try:
        fake_tg.push_update(dict(update))
        fake_tg.push_update(dict(update))
    finally:
        fake_tg.set_mode("ok")
    wait_sent(fake_tg, chat, 1)
    wait_for(lambda: len([u for u in fake_tg.delivered_updates
                          if u["update_id"] == update["update_id"]]) >= 2,
             what="both copies delivered")
    time.sleep(3)
    assert len(fake_tg.sent_to(chat)) == 1
    assert tg_hotline.rows("select count(*) from inbound_messages where channel = 'telegram' "
                            "and provider_message_id = :u", u=str(update["update_id"])) == [(1,)]


def test_outage_mid_run_loses_nothing(tg_hotline, fake_tg) -> None:
    chat = new_chat()
    fake_tg.set_mode("down")
    try:
        fake_tg.push_update(fake_tg.text_update(chat, "hi"))
        time.sleep(3)
    finally:
        fake_tg.set_mode("ok")
    assert wait_sent(fake_tg, chat, 1)[0].startswith("Hi, thanks for writing.")


def test_offset_is_stored_and_logs_hold_no_chat_ids_text_or_token(tg_hotline, fake_tg) -> None:
    chat = new_chat()
    update = fake_tg.push_update(fake_tg.text_update(chat, "zebra-canary-words"))
    wait_sent(fake_tg, chat, 1)
    wait_for(lambda: tg_hotline.rows("select value from channel_state "
                                      "where key = 'telegram.offset'")
             and int(tg_hotline.rows("select value from channel_state "
                                      "where key = 'telegram.offset'")[0][0])
             > update["update_id"], what="stored offset")
    log = tg_hotline.log_path.read_text(errors="replace")
    assert str(chat) not in log
    assert "zebra-canary-words" not in log
    assert fake_tg.token.split(":", 1)[1] not in log
