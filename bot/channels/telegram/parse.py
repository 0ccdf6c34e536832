"""Telegram updates in: a pure mapping from one Bot API update (a JSON dict) to an `Action`.

Shared by polling and webhook mode. No network, no database: what to do with
the update (process text, a fixed reply, leave a group, ...) and nothing else.
Only private chats are served; anything from a group or channel means "leave".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.content.loader import Content
from bot.content.locations import state_for_location

CHANNEL = "telegram"
MAX_MESSAGE_CHARS = 4096  # Telegram's limit per message (UTF-16 code units)

# Action kinds.
PROCESS = "process"      # text for the assistant
REPLY = "reply"          # a fixed reply that skips the assistant
LEAVE = "leave"          # a group/supergroup/channel: leave, never answer there
BLOCKED = "blocked"      # the texter blocked the bot: stop sending
UNBLOCKED = "unblocked"  # ... and unblocked it again
IGNORE = "ignore"

# Fixed-reply templates (data/content/resources.yml).
EMPTY = "empty_message"
MEDIA = "media_not_supported"
UNSUPPORTED = "unsupported_content"
EDITED = "edited_message"
TOO_LONG = "too_long"
LOCATION_UNKNOWN = "location_unknown"
# Used only while resources.yml lacks a template of that name.
# Pictures and files (media_not_supported) vs. everything else we cannot read.
MEDIA_KEYS = ("photo", "document", "video")
OTHER_CONTENT_KEYS = ("voice", "audio", "sticker", "animation", "video_note", "contact", "poll",
                      "dice", "game", "story", "paid_media", "invoice")
PRIVATE = "private"
MESSAGE_KEYS = ("message", "edited_message", "channel_post", "edited_channel_post")


@dataclass(frozen=True)
class Action:
    """What to do with one update. Safe to log: `kind`, `update_type`, `update_id`, `reason`."""

    kind: str
    update_type: str
    update_id: int | None = None
    chat_id: int | None = None
    text: str | None = None            # PROCESS: what the assistant reads
    state_code: str | None = None      # PROCESS from a shared location: send the state's name
    template: str | None = None        # REPLY: content template key
    callback_query_id: str | None = None
    reason: str = ""

    @property
    def provider_message_id(self) -> str:
        return str(self.update_id)

    @property
    def address(self) -> str:
        return str(self.chat_id)

    def body(self, content: Content, lang: str) -> str:
        """The inbox body: the text, a shared location as a state name, "" for fixed replies.

        Fixed-reply rows store "" (never the edited text or a caption), like Twilio's
        picture messages, so nothing the assistant did not read is kept.
        """
        if self.kind != PROCESS:
            return ""
        if self.state_code:
            state = content.state_by_code(self.state_code)
            if state is not None:
                return state.name(lang)
        return self.text or ""


def parse_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?\d{1,20}", value.strip()):
        return int(value)
    return None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def clean_text(text: str, language_code: str | None = None) -> str:
    """What the assistant reads for a typed message or button press.

    "/start" (any payload, any "@botname") becomes a greeting: "hola" when the
    deep-link payload or the Telegram app language says Spanish, else "hi".
    "/help" (Telegram's usual command to see what a bot does) becomes "menu":
    the word "help" alone reads as a possible call for help, which gets the
    danger check (bot/safety/). Other commands lose the slash ("/stop" ->
    "stop"), so Rasa's "/intent" syntax can never be triggered by a texter.
    """
    s = text.strip()
    if s.startswith("/"):
        head, _, tail = s.partition(" ")
        command = head.lstrip("/").split("@", 1)[0].lower()
        tail = tail.strip()
        if command == "start":
            payload = tail.lower()
            if payload.startswith("es"):
                return "hola"
            if payload.startswith("en"):
                return "hi"
            return "hola" if (language_code or "").lower().startswith("es") else "hi"
        if command == "help" and not tail:
            return "menu"
        s = f"{command} {tail}".strip()
    while s.startswith("/"):
        s = s.lstrip("/").lstrip()
    return s


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def parse_update(update: Any, content: Content | None = None) -> Action:
    """Map one Bot API update (a JSON dict) to an `Action`. Pure; never raises."""
    try:
        return _parse(update, content)
    except Exception:  # a malformed update must never stop the poller
        update_id = parse_int(update.get("update_id")) if isinstance(update, dict) else None
        return Action(IGNORE, "malformed", update_id, reason="could not parse")


def _parse(update: Any, content: Content | None) -> Action:
    if not isinstance(update, dict):
        return Action(IGNORE, "malformed", reason="not an object")
    update_id = parse_int(update.get("update_id"))
    if update_id is None:
        return Action(IGNORE, "malformed", reason="no update_id")
    for key in MESSAGE_KEYS:
        if isinstance(update.get(key), dict):
            return _parse_message(update_id, key, update[key], content)
    if isinstance(update.get("callback_query"), dict):
        return _parse_callback(update_id, update["callback_query"])
    if isinstance(update.get("my_chat_member"), dict):
        return _parse_membership(update_id, update["my_chat_member"])
    kinds = [k for k in update if k != "update_id"]
    update_type = kinds[0] if len(kinds) == 1 and len(kinds[0]) <= 40 else "unknown"
    return Action(IGNORE, update_type, update_id, reason="unsupported update type")


def _parse_message(update_id: int, key: str, message: dict[str, Any],
                   content: Content | None) -> Action:
    chat = _dict(message.get("chat"))
    chat_id = parse_int(chat.get("id"))
    if chat_id is None:
        return Action(IGNORE, key, update_id, reason="no chat")
    if chat.get("type") != PRIVATE or key in ("channel_post", "edited_channel_post"):
        return Action(LEAVE, key, update_id, chat_id, reason="not a private chat")
    if key == "edited_message":
        # Edits are not re-processed: the assistant already answered the original,
        # and replaying a changed answer mid-screening would corrupt the flow.
        return Action(REPLY, key, update_id, chat_id, template=EDITED, reason="edited")
    language_code = _dict(message.get("from")).get("language_code")
    language_code = language_code if isinstance(language_code, str) else None
    text = message.get("text")
    if isinstance(text, str):
        return _text_action(update_id, key, chat_id, text, language_code)
    location = message.get("location") or _dict(message.get("venue")).get("location")
    if isinstance(location, dict):
        return _location_action(update_id, key, chat_id, location, content)
    caption = message.get("caption")
    has_media = any(message.get(k) for k in MEDIA_KEYS)
    has_other = any(message.get(k) for k in OTHER_CONTENT_KEYS)
    if (has_media or has_other) and isinstance(caption, str) and caption.strip():
        # Words sent with a picture are read like a text (as on SMS).
        return _text_action(update_id, key, chat_id, caption, language_code)
    if has_media:
        return Action(REPLY, key, update_id, chat_id, template=MEDIA, reason="media")
    if has_other:
        return Action(REPLY, key, update_id, chat_id, template=UNSUPPORTED, reason="unsupported")
    # Service messages (pinned, auto-delete timer, ...) need no answer.
    return Action(IGNORE, key, update_id, chat_id, reason="no readable content")


def _text_action(update_id: int, key: str, chat_id: int, text: str,
                 language_code: str | None, callback_query_id: str | None = None) -> Action:
    if utf16_len(text) > MAX_MESSAGE_CHARS:
        return Action(REPLY, key, update_id, chat_id, template=TOO_LONG,
                      callback_query_id=callback_query_id, reason="too long")
    cleaned = clean_text(text, language_code)
    if not cleaned:
        return Action(REPLY, key, update_id, chat_id, template=EMPTY,
                      callback_query_id=callback_query_id, reason="empty")
    return Action(PROCESS, key, update_id, chat_id, text=cleaned,
                  callback_query_id=callback_query_id, reason="text")


def _location_action(update_id: int, key: str, chat_id: int, location: dict[str, Any],
                     content: Content | None) -> Action:
    lat, lon = location.get("latitude"), location.get("longitude")
    code = None
    if isinstance(lat, (int, float)) and isinstance(lon, (int, float)):
        code = state_for_location(float(lat), float(lon))
    if code is not None and content is not None and content.state_by_code(code) is None:
        code = None
    if code is None:
        return Action(REPLY, key, update_id, chat_id, template=LOCATION_UNKNOWN,
                      reason="location outside the US")
    state = content.state_by_code(code) if content is not None else None
    return Action(PROCESS, key, update_id, chat_id,
                  text=state.names["en"] if state is not None else code,
                  state_code=code, reason="location")


def _parse_callback(update_id: int, query: dict[str, Any]) -> Action:
    query_id = query.get("id")
    query_id = str(query_id) if isinstance(query_id, (str, int)) and query_id != "" else None
    message = _dict(query.get("message"))
    chat = _dict(message.get("chat"))
    chat_id = parse_int(chat.get("id"))
    data = query.get("data")
    if chat_id is None or chat.get("type") != PRIVATE:
        return Action(IGNORE, "callback_query", update_id, callback_query_id=query_id,
                      reason="no private chat")
    if not isinstance(data, str) or not data.strip():
        return Action(IGNORE, "callback_query", update_id, chat_id,
                      callback_query_id=query_id, reason="no data")
    language_code = _dict(query.get("from")).get("language_code")
    return _text_action(update_id, "callback_query", chat_id, data,
                        language_code if isinstance(language_code, str) else None,
                        callback_query_id=query_id)


def _parse_membership(update_id: int, member: dict[str, Any]) -> Action:
    chat = _dict(member.get("chat"))
    chat_id = parse_int(chat.get("id"))
    status = _dict(member.get("new_chat_member")).get("status")
    if chat_id is None:
        return Action(IGNORE, "my_chat_member", update_id, reason="no chat")
    if chat.get("type") == PRIVATE:
        if status == "kicked":
            return Action(BLOCKED, "my_chat_member", update_id, chat_id, reason="blocked")
        if status == "member":
            return Action(UNBLOCKED, "my_chat_member", update_id, chat_id, reason="unblocked")
        return Action(IGNORE, "my_chat_member", update_id, chat_id, reason="status")
    if status in ("member", "administrator", "restricted"):
        return Action(LEAVE, "my_chat_member", update_id, chat_id, reason="added to a group")
    return Action(IGNORE, "my_chat_member", update_id, chat_id, reason="status")

