"""Telegram: long polling (default) or a secret-checked webhook in, python-telegram-bot out.

POST /webhooks/telegram/webhook  updates pushed by Telegram (webhook mode only)

- parse.py: every update goes through `parse_update`, a pure mapping from the
  update dict to an `Action` (process text, fixed reply, leave a group, ...),
  shared by both modes. Only private chats are served; the bot leaves groups and
  channels at once, without writing there (a hotline message in a group could
  expose someone). A shared location becomes a state's name
  (bot/content/locations.py, data/content/state_locations.yml).
- send.py: the outbox worker's `Sender` and reply splitting.
- poll.py: long polling (no public URL needed) and webhook registration.
- channel.py: the webhook route and the handling of one update; the message
  itself then takes the one inbound path (bot/messaging/intake.py).
"""

from bot.channels.telegram.channel import TelegramInput
from bot.channels.telegram.parse import (
    BLOCKED,
    IGNORE,
    LEAVE,
    LOCATION_UNKNOWN,
    PROCESS,
    REPLY,
    UNBLOCKED,
    Action,
    clean_text,
    parse_update,
)
from bot.channels.telegram.send import TelegramSender, split_telegram
from bot.content.locations import state_for_location

__all__ = ["BLOCKED", "IGNORE", "LEAVE", "LOCATION_UNKNOWN", "PROCESS", "REPLY", "UNBLOCKED",
           "Action", "TelegramInput", "TelegramSender", "clean_text", "parse_update",
           "split_telegram", "state_for_location"]
