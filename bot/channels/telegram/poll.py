"""Telegram in without a public URL: long polling, and webhook registration in webhook mode.

Polling (TELEGRAM_MODE=polling, the default): a background task deletes any
webhook once, then loops getUpdates with backoff, so the server starts and keeps
answering web chat while Telegram is unreachable. The update offset is stored
in `channel_state` only after the update is in the inbox, so a crash can replay
an update (the inbox dedupes on update_id) but never lose one. In webhook mode
setWebhook is retried in the background the same way.
"""

from __future__ import annotations

import asyncio
import logging
import random
import warnings
from collections.abc import Awaitable, Callable
from typing import Any

import telegram
from telegram.warnings import PTBUserWarning

from bot.channels.telegram.parse import parse_int
from bot.store.db import session_scope
from bot.store.models import ChannelState

logger = logging.getLogger(__name__)

OFFSET_KEY = "telegram.offset"
BACKOFF_START_SECONDS = 1.0
BACKOFF_MAX_SECONDS = 60.0
# my_chat_member tells us when someone blocks/unblocks the bot, or adds it to a group.
ALLOWED_UPDATES = ["message", "edited_message", "channel_post", "edited_channel_post",
                   "callback_query", "my_chat_member"]

# PTB warns that Bot.get_updates exists; we call getUpdates raw on purpose, so an
# update PTB cannot parse can never wedge the poller.
warnings.filterwarnings("ignore", message=r"Please use 'Bot\.getUpdates'",
                        category=PTBUserWarning)


def load_offset(db_url: str) -> int | None:
    with session_scope(db_url) as session:
        row = session.get(ChannelState, OFFSET_KEY)
        return parse_int(row.value) if row is not None else None


def save_offset(db_url: str, offset: int) -> None:
    with session_scope(db_url) as session:
        row = session.get(ChannelState, OFFSET_KEY)
        if row is None:
            session.add(ChannelState(key=OFFSET_KEY, value=str(offset)))
        else:
            row.value = str(offset)


async def poll(bot: telegram.Bot, db_url: str, handle: Callable[[Any], Awaitable[Any]], *,
               poll_timeout: int, request_timeout: float) -> None:
    """deleteWebhook once, then getUpdates forever, backing off while Telegram is away.

    `handle` returns once the update is safely in the inbox (or needs nothing).
    """
    backoff = BACKOFF_START_SECONDS
    webhook_deleted = False
    offset: int | None = None
    loaded = False
    logger.info("telegram polling started")
    while True:
        try:
            if not loaded:
                offset = await asyncio.to_thread(load_offset, db_url)
                loaded = True
            if not webhook_deleted:
                await bot.delete_webhook()
                webhook_deleted = True
            params: dict[str, Any] = {"timeout": poll_timeout,
                                      "allowed_updates": ALLOWED_UPDATES}
            if offset is not None:
                params["offset"] = offset
            updates = await bot.do_api_request(
                "getUpdates", api_kwargs=params, read_timeout=poll_timeout + request_timeout)
            for update in updates if isinstance(updates, list) else []:
                await handle(update)
                update_id = parse_int(update.get("update_id")) if isinstance(update, dict) \
                    else None
                if update_id is not None and (offset is None or update_id >= offset):
                    offset = update_id + 1
                    # Only now: a crash before this line replays the update (deduped).
                    await asyncio.to_thread(save_offset, db_url, offset)
            backoff = BACKOFF_START_SECONDS
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            logger.warning("telegram polling failed (%s); retrying in %.0fs",
                           type(exc).__name__, backoff)
            await asyncio.sleep(backoff * (0.75 + random.random() / 2))
            backoff = min(BACKOFF_MAX_SECONDS, backoff * 2)


async def register_webhook(bot: telegram.Bot, url: str, secret_token: str) -> None:
    """setWebhook in the background, retrying until Telegram accepts it."""
    backoff = BACKOFF_START_SECONDS
    while True:
        try:
            await bot.set_webhook(url=url, secret_token=secret_token,
                                  allowed_updates=ALLOWED_UPDATES)
            logger.info("telegram webhook registered")
            return
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            logger.warning("telegram setWebhook failed (%s); retrying in %.0fs",
                           type(exc).__name__, backoff)
            await asyncio.sleep(backoff * (0.75 + random.random() / 2))
            backoff = min(BACKOFF_MAX_SECONDS, backoff * 2)
