"""Telegram out: python-telegram-bot's Bot as the outbox worker's `Sender`, and reply splitting.

Errors map onto the outbox's retry rules (bot/messaging/sending.py): a block
means stop sending, a bad request never helps to retry, the network comes back.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime

import telegram
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.request import HTTPXRequest

from bot.channels.telegram.parse import CHANNEL, MAX_MESSAGE_CHARS, utf16_len
from bot.config import Settings
from bot.messaging.sending import ContactUnreachable, PermanentSendError, TransientSendError

# How long one getUpdates waits for news; the sender's polling request is sized for it.
POLL_TIMEOUT_SECONDS = 25


_SENTENCE_END = re.compile(r"(?:[.!?…]+[\"')\]»]*\s+|\n+)")


def split_telegram(text: str, limit: int = MAX_MESSAGE_CHARS) -> list[str]:
    """Cut a reply into messages of at most `limit` UTF-16 units (Telegram's limit).

    Cuts prefer a sentence end or line break in the second half, then a space,
    then a hard cut; whitespace at a cut is dropped.
    """
    rest = text.strip()
    parts: list[str] = []
    while rest:
        if utf16_len(rest) <= limit:
            parts.append(rest)
            break
        fit = _fitting_chars(rest, limit)
        window = rest[:fit + 1]
        cut = fit
        ends = [m.end() for m in _SENTENCE_END.finditer(window) if m.start() < fit]
        spaces = [m.start() for m in re.finditer(r"\s", window) if 0 < m.start() <= fit]
        if ends and ends[-1] > fit // 2:
            cut = ends[-1]
        elif spaces:
            cut = spaces[-1]
        head = rest[:cut].rstrip()
        if not head:  # only whitespace before the cut: hard cut instead
            cut, head = fit, rest[:fit]
        parts.append(head)
        rest = rest[cut:].lstrip()
    return parts


def _fitting_chars(text: str, limit: int) -> int:
    """How many leading characters of text fit in `limit` UTF-16 units (at least 1)."""
    used = 0
    for i, ch in enumerate(text):
        used += 2 if ord(ch) > 0xFFFF else 1
        if used > limit:
            return max(1, i)
    return len(text)


# --------------------------------------------------------------------------- sending
def _describe(exc: TelegramError) -> str:
    return f"{type(exc).__name__}: {exc.message}"[:200]


class TelegramSender:
    """Sends with python-telegram-bot's Bot; no network until the first call."""

    channel = CHANNEL

    def __init__(self, settings: Settings, poll_timeout: int = POLL_TIMEOUT_SECONDS) -> None:
        self.settings = settings
        t = settings.provider_timeout_seconds
        # Never `await bot.initialize()`: it calls getMe, which would make start-up
        # depend on Telegram. send_message and friends work without it.
        self.bot = telegram.Bot(
            settings.telegram_bot_token,
            base_url=f"{settings.telegram_api_base_url}/bot",
            base_file_url=f"{settings.telegram_api_base_url}/file/bot",
            request=HTTPXRequest(connection_pool_size=8, connect_timeout=t, read_timeout=t,
                                 write_timeout=t, pool_timeout=t),
            get_updates_request=HTTPXRequest(connection_pool_size=1, connect_timeout=t,
                                             read_timeout=t + poll_timeout, write_timeout=t,
                                             pool_timeout=t),
        )

    def rate_key(self) -> str:
        return CHANNEL

    async def send(self, address: str, text: str) -> str:
        try:
            chat_id = int(address)
        except ValueError:
            raise PermanentSendError("not a Telegram chat id") from None
        try:
            message = await self.bot.send_message(chat_id=chat_id, text=text)
        except Forbidden as exc:  # blocked by the user, user deactivated, kicked
            raise ContactUnreachable(_describe(exc), "403") from None
        except RetryAfter as exc:
            raise TransientSendError(f"rate limited, retry after {exc.retry_after}",
                                     "429") from None
        except (BadRequest, ChatMigrated) as exc:  # chat not found, text too long, ...
            raise PermanentSendError(_describe(exc), "400") from None
        except (TimedOut, NetworkError) as exc:  # BadRequest is a NetworkError: caught above
            raise TransientSendError(_describe(exc)) from None
        except TelegramError as exc:  # 401 token, 409 conflict: may be fixed by an operator
            raise TransientSendError(_describe(exc)) from None
        except Exception as exc:
            raise TransientSendError(type(exc).__name__) from None
        return str(message.message_id)

    async def find_sent(self, address: str, text: str, since: datetime) -> str | None:
        return None  # the Bot API cannot look up sent messages



class RedactToken(logging.Filter):
    """httpx logs request URLs at INFO, and Bot API URLs contain the bot token."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.token:
            return True
        message = record.getMessage()
        if self.token not in message:
            return True
        if "/getUpdates" in message and record.levelno <= logging.INFO:
            return False  # one line per long poll is noise
        record.msg, record.args = message.replace(self.token, "<token>"), ()
        return True
