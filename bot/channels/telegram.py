"""Telegram: long polling (default) or a secret-checked webhook in, python-telegram-bot out.

POST /webhooks/telegram/webhook  updates pushed by Telegram (webhook mode only)

Polling (TELEGRAM_MODE=polling, the default) needs no public URL: a background
task deletes any webhook once, then loops getUpdates with backoff, so the
server starts and keeps answering web chat while Telegram is unreachable.
The update offset is stored in `channel_state` only after the update is in
the inbox, so a crash can replay an update (the inbox dedupes on update_id)
but never lose one. In webhook mode setWebhook is retried in the background.

Every update goes through `parse_update`, a pure mapping from the update
dict to an `Action` (process text, fixed reply, leave a group, ...), shared
by both modes. Only private chats are served; the bot leaves groups and
channels at once, without writing there (a hotline message in a group could
expose someone). Logs carry update ids and conversation ids, never text,
chat ids or user ids.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import math
import random
import re
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import telegram
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy import select
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
from telegram.warnings import PTBUserWarning

from bot import safe_json
from bot.channels.base import SettingsInputChannel
from bot.config import Settings
from bot.content.loader import Content, load_content
from bot.messaging import intake
from bot.messaging.intake import Incoming
from bot.messaging.router import Router
from bot.messaging.sending import ContactUnreachable, PermanentSendError, TransientSendError
from bot.messaging.service import MessagingService
from bot.messaging.turn import UserMessage
from bot.store.contacts import contact_key
from bot.store.db import session_scope
from bot.store.models import ChannelState, Conversation

logger = logging.getLogger(__name__)

CHANNEL = "telegram"
MAX_BODY_BYTES = 256 * 1024
MAX_MESSAGE_CHARS = 4096  # Telegram's limit per message (UTF-16 code units)
OFFSET_KEY = "telegram.offset"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name
POLL_TIMEOUT_SECONDS = 25
BACKOFF_START_SECONDS = 1.0
BACKOFF_MAX_SECONDS = 60.0
# my_chat_member tells us when someone blocks/unblocks the bot, or adds it to a group.
ALLOWED_UPDATES = ["message", "edited_message", "channel_post", "edited_channel_post",
                   "callback_query", "my_chat_member"]
LANGS = ("en", "es")

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

# PTB warns that Bot.get_updates exists; we call getUpdates raw on purpose, so an
# update PTB cannot parse can never wedge the poller.
warnings.filterwarnings("ignore", message=r"Please use 'Bot\.getUpdates'",
                        category=PTBUserWarning)


# --------------------------------------------------------------------------- locations
# (code, lat min, lat max, lon min, lon max, centroid lat, centroid lon). Approximate
# bounding boxes decide which states are possible; the nearest reference point
# (centroids and the larger cities below) picks one. Most people live in cities, so
# border metros (New York / Jersey City, Philadelphia / Camden, Kansas City, ...)
# get points on both sides. Approximate by design: the assistant's reply names the
# state it looked up, so a texter near a border sees it and can correct it.
_STATE_BOXES: tuple[tuple[str, float, float, float, float, float, float], ...] = (
    ("AL", 30.14, 35.01, -88.47, -84.89, 32.79, -86.83),
    ("AK", 51.20, 71.50, -179.15, -129.98, 63.59, -154.49),
    ("AZ", 31.33, 37.00, -114.82, -109.05, 34.27, -111.66),
    ("AR", 33.00, 36.50, -94.62, -89.64, 34.89, -92.44),
    ("CA", 32.53, 42.01, -124.41, -114.13, 37.18, -119.47),
    ("CO", 36.99, 41.00, -109.06, -102.04, 39.00, -105.55),
    ("CT", 40.98, 42.05, -73.73, -71.79, 41.62, -72.73),
    ("DE", 38.45, 39.84, -75.79, -75.05, 38.99, -75.51),
    ("DC", 38.79, 39.00, -77.12, -76.91, 38.90, -77.03),
    ("FL", 24.40, 31.00, -87.63, -80.03, 28.63, -82.45),
    ("GA", 30.36, 35.00, -85.61, -80.84, 32.64, -83.44),
    ("HI", 18.91, 22.24, -160.25, -154.81, 20.29, -156.37),
    ("ID", 41.99, 49.00, -117.24, -111.04, 44.35, -114.61),
    ("IL", 36.97, 42.51, -91.51, -87.49, 40.04, -89.20),
    ("IN", 37.77, 41.76, -88.10, -84.78, 39.89, -86.28),
    ("IA", 40.38, 43.50, -96.64, -90.14, 42.08, -93.50),
    ("KS", 36.99, 40.00, -102.05, -94.59, 38.49, -98.38),
    ("KY", 36.50, 39.15, -89.57, -81.96, 37.53, -85.30),
    ("LA", 28.93, 33.02, -94.04, -88.82, 31.07, -91.99),
    ("ME", 43.06, 47.46, -71.08, -66.95, 45.37, -69.24),
    ("MD", 37.91, 39.72, -79.49, -75.05, 39.06, -76.80),
    ("MA", 41.24, 42.89, -73.51, -69.93, 42.26, -71.81),
    ("MI", 41.70, 48.31, -90.42, -82.41, 44.35, -85.41),
    ("MN", 43.50, 49.38, -97.24, -89.49, 46.28, -94.31),
    ("MS", 30.17, 35.00, -91.66, -88.10, 32.74, -89.67),
    ("MO", 35.99, 40.61, -95.77, -89.10, 38.36, -92.46),
    ("MT", 44.36, 49.00, -116.05, -104.04, 47.05, -109.63),
    ("NE", 40.00, 43.00, -104.05, -95.31, 41.54, -99.80),
    ("NV", 35.00, 42.00, -120.01, -114.04, 39.33, -116.63),
    ("NH", 42.70, 45.31, -72.56, -70.61, 43.68, -71.58),
    ("NJ", 38.93, 41.36, -75.56, -73.89, 40.19, -74.67),
    ("NM", 31.33, 37.00, -109.05, -103.00, 34.41, -106.11),
    ("NY", 40.50, 45.02, -79.76, -71.86, 42.95, -75.53),
    ("NC", 33.84, 36.59, -84.32, -75.46, 35.56, -79.39),
    ("ND", 45.94, 49.00, -104.05, -96.55, 47.45, -100.47),
    ("OH", 38.40, 41.98, -84.82, -80.52, 40.29, -82.79),
    ("OK", 33.62, 37.00, -103.00, -94.43, 35.59, -97.49),
    ("OR", 41.99, 46.29, -124.57, -116.46, 43.93, -120.56),
    ("PA", 39.72, 42.27, -80.52, -74.69, 40.88, -77.80),
    ("RI", 41.15, 42.02, -71.86, -71.12, 41.68, -71.56),
    ("SC", 32.03, 35.22, -83.35, -78.54, 33.92, -80.90),
    ("SD", 42.48, 45.95, -104.06, -96.44, 44.44, -100.23),
    ("TN", 34.98, 36.68, -90.31, -81.65, 35.86, -86.35),
    ("TX", 25.84, 36.50, -106.65, -93.51, 31.48, -99.33),
    ("UT", 37.00, 42.00, -114.05, -109.04, 39.31, -111.67),
    ("VT", 42.73, 45.02, -73.44, -71.46, 44.07, -72.67),
    ("VA", 36.54, 39.47, -83.68, -75.24, 37.52, -78.85),
    ("WA", 45.54, 49.00, -124.76, -116.92, 47.38, -120.45),
    ("WV", 37.20, 40.64, -82.64, -77.72, 38.64, -80.62),
    ("WI", 42.49, 47.08, -92.89, -86.81, 44.62, -89.99),
    ("WY", 40.99, 45.01, -111.06, -104.05, 42.99, -107.55),
    ("PR", 17.88, 18.52, -67.95, -65.22, 18.22, -66.59),
    ("VI", 17.67, 18.42, -65.09, -64.56, 18.07, -64.83),
    ("GU", 13.23, 13.66, 144.61, 144.96, 13.44, 144.79),
)
# Larger cities (code, lat, lon); code "" marks a city outside the US inside a US box.
_CITIES: tuple[tuple[str, float, float], ...] = (
    ("NY", 40.758, -73.985), ("NY", 40.708, -74.011), ("NY", 40.650, -73.950),
    ("NY", 40.728, -73.795), ("NY", 40.845, -73.865), ("NY", 40.580, -74.150),
    ("NY", 40.931, -73.899), ("NY", 42.886, -78.878), ("NY", 43.157, -77.615),
    ("NY", 42.653, -73.757), ("NY", 43.049, -76.147),
    ("NJ", 40.728, -74.078), ("NJ", 40.744, -74.032), ("NJ", 40.736, -74.172),
    ("NJ", 40.917, -74.172), ("NJ", 40.664, -74.211), ("NJ", 40.217, -74.743),
    ("NJ", 39.926, -75.120), ("NJ", 39.364, -74.423),
    ("PA", 39.952, -75.165), ("PA", 40.441, -79.996), ("PA", 40.608, -75.490),
    ("PA", 40.264, -76.884), ("PA", 42.129, -80.085), ("PA", 41.409, -75.662),
    ("DE", 39.739, -75.540), ("DE", 39.158, -75.524),
    ("MD", 39.290, -76.612), ("MD", 38.991, -77.026), ("MD", 38.984, -77.094),
    ("MD", 38.978, -76.492), ("MD", 38.956, -76.945),
    ("DC", 38.895, -77.036), ("DC", 38.920, -77.000),
    ("VA", 38.880, -77.106), ("VA", 38.805, -77.047), ("VA", 37.541, -77.436),
    ("VA", 36.853, -75.978), ("VA", 36.851, -76.286), ("VA", 38.846, -77.306),
    ("MA", 42.360, -71.058), ("MA", 42.262, -71.802), ("MA", 42.101, -72.590),
    ("MA", 42.633, -71.316), ("RI", 41.824, -71.413),
    ("CT", 41.764, -72.685), ("CT", 41.308, -72.928), ("CT", 41.187, -73.195),
    ("CT", 41.053, -73.539), ("NH", 42.996, -71.455), ("NH", 42.765, -71.468),
    ("VT", 44.476, -73.212), ("ME", 43.661, -70.255),
    ("OH", 39.961, -82.999), ("OH", 41.499, -81.694), ("OH", 39.103, -84.512),
    ("OH", 41.654, -83.537), ("OH", 41.081, -81.519), ("OH", 39.758, -84.191),
    ("KY", 38.253, -85.759), ("KY", 38.040, -84.503), ("KY", 39.084, -84.509),
    ("IN", 39.768, -86.158), ("IN", 41.079, -85.139), ("IN", 41.593, -87.346),
    ("IN", 41.583, -87.500), ("IN", 37.971, -87.571), ("IN", 38.278, -85.737),
    ("IL", 41.878, -87.630), ("IL", 41.950, -87.680), ("IL", 41.750, -87.620),
    ("IL", 41.761, -88.320), ("IL", 42.271, -89.094), ("IL", 39.798, -89.644),
    ("IL", 40.694, -89.589), ("IL", 38.625, -90.151), ("IL", 41.509, -90.515),
    ("MO", 38.627, -90.199), ("MO", 39.100, -94.579), ("MO", 37.209, -93.292),
    ("MO", 38.952, -92.334),
    ("KS", 37.688, -97.336), ("KS", 39.114, -94.627), ("KS", 38.982, -94.671),
    ("KS", 39.056, -95.690), ("NE", 41.257, -95.935), ("NE", 40.814, -96.703),
    ("IA", 41.587, -93.625), ("IA", 41.262, -95.861), ("IA", 41.978, -91.666),
    ("IA", 41.524, -90.578),
    ("MN", 44.978, -93.265), ("MN", 44.954, -93.090), ("MN", 46.787, -92.101),
    ("MN", 44.012, -92.480), ("MN", 46.874, -96.767),
    ("WI", 43.039, -87.906), ("WI", 43.073, -89.401), ("WI", 44.519, -88.020),
    ("WI", 46.721, -92.104),
    ("MI", 42.331, -83.046), ("MI", 42.963, -85.668), ("MI", 42.733, -84.555),
    ("MI", 42.281, -83.743),
    ("TN", 36.163, -86.781), ("TN", 35.150, -90.049), ("TN", 35.961, -83.921),
    ("TN", 35.046, -85.310),
    ("AR", 34.746, -92.290), ("AR", 35.146, -90.185), ("AR", 36.063, -94.157),
    ("AR", 35.386, -94.398),
    ("MS", 32.299, -90.185), ("MS", 30.367, -89.093), ("MS", 34.989, -90.013),
    ("AL", 33.519, -86.810), ("AL", 32.377, -86.300), ("AL", 30.695, -88.040),
    ("AL", 34.730, -86.586),
    ("GA", 33.749, -84.388), ("GA", 32.081, -81.091), ("GA", 33.471, -81.975),
    ("GA", 32.461, -84.988),
    ("SC", 34.001, -81.035), ("SC", 32.777, -79.931), ("SC", 34.853, -82.394),
    ("SC", 33.502, -81.965), ("SC", 34.925, -81.025),
    ("NC", 35.227, -80.843), ("NC", 35.780, -78.639), ("NC", 36.073, -79.792),
    ("NC", 35.994, -78.899), ("NC", 35.595, -82.551),
    ("FL", 25.762, -80.192), ("FL", 27.951, -82.457), ("FL", 28.538, -81.379),
    ("FL", 30.332, -81.656), ("FL", 30.438, -84.281), ("FL", 30.421, -87.217),
    ("FL", 26.640, -81.872),
    ("LA", 29.951, -90.072), ("LA", 30.451, -91.187), ("LA", 32.525, -93.750),
    ("LA", 30.224, -92.020),
    ("TX", 29.760, -95.370), ("TX", 32.777, -96.797), ("TX", 29.424, -98.494),
    ("TX", 30.267, -97.743), ("TX", 32.755, -97.331), ("TX", 31.762, -106.485),
    ("TX", 27.506, -99.507), ("TX", 25.901, -97.497), ("TX", 26.203, -98.230),
    ("TX", 33.577, -101.855), ("TX", 35.222, -101.831), ("TX", 27.800, -97.396),
    ("TX", 29.362, -100.897), ("TX", 28.709, -100.499),
    ("OK", 35.468, -97.516), ("OK", 36.154, -95.993),
    ("NM", 35.084, -106.651), ("NM", 32.312, -106.778), ("NM", 35.687, -105.938),
    ("NM", 31.796, -106.580),
    ("CO", 39.739, -104.990), ("CO", 38.834, -104.821), ("UT", 40.761, -111.891),
    ("AZ", 33.448, -112.074), ("AZ", 32.222, -110.975), ("AZ", 31.340, -110.934),
    ("NV", 36.170, -115.140), ("NV", 39.530, -119.814), ("NV", 36.040, -114.982),
    ("CA", 34.052, -118.244), ("CA", 32.716, -117.161), ("CA", 37.775, -122.419),
    ("CA", 37.339, -121.895), ("CA", 38.582, -121.494), ("CA", 36.738, -119.787),
    ("CA", 37.804, -122.271), ("CA", 32.556, -117.050), ("CA", 32.679, -115.499),
    ("OR", 45.515, -122.679), ("OR", 45.585, -122.680), ("OR", 44.052, -123.087),
    ("OR", 44.943, -123.035),
    ("WA", 47.606, -122.332), ("WA", 47.659, -117.426), ("WA", 45.639, -122.661),
    ("WA", 47.253, -122.444),
    ("ID", 43.615, -116.202), ("ID", 47.677, -116.780), ("MT", 45.783, -108.500),
    ("MT", 46.872, -113.994), ("WY", 41.140, -104.820), ("ND", 46.877, -96.790),
    ("ND", 46.808, -100.784), ("SD", 43.546, -96.731), ("SD", 44.081, -103.231),
    ("WV", 38.350, -81.633), ("WV", 38.420, -82.445), ("WV", 39.630, -79.956),
    ("HI", 21.307, -157.858), ("HI", 19.707, -155.082), ("AK", 61.218, -149.900),
    ("AK", 64.838, -147.716), ("AK", 58.302, -134.420), ("PR", 18.466, -66.106),
    ("VI", 18.342, -64.931), ("GU", 13.476, 144.748),
    # Outside the US, but inside a US bounding box.
    ("", 43.653, -79.383), ("", 48.428, -123.365), ("", 32.515, -117.038),
    ("", 32.624, -115.452), ("", 31.690, -106.424), ("", 31.308, -110.942),
    ("", 27.476, -99.516), ("", 26.092, -98.278), ("", 25.869, -97.504),
)
_BOX_MARGIN = 0.05  # degrees (~5 km): coastlines and river borders are not straight
_FOREIGN_RADIUS = 0.5  # a foreign city wins only when it is this close (degrees)


def _distance(lat: float, lon: float, plat: float, plon: float) -> float:
    """Squared equirectangular distance in degrees of latitude (fine at city scale)."""
    dlon = (lon - plon) * math.cos(math.radians((lat + plat) / 2))
    return (lat - plat) ** 2 + dlon ** 2


def state_for_location(lat: float, lon: float) -> str | None:
    """The 2-letter code of the US state/territory at (lat, lon), or None if none fits."""
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return None
    codes = {row[0] for row in _STATE_BOXES
             if row[1] - _BOX_MARGIN <= lat <= row[2] + _BOX_MARGIN
             and row[3] - _BOX_MARGIN <= lon <= row[4] + _BOX_MARGIN}
    if not codes:
        return None
    points = [(code, clat, clon) for code, *_, clat, clon in _STATE_BOXES if code in codes]
    points += [city for city in _CITIES if city[0] in codes]
    best = min(points, key=lambda p: _distance(lat, lon, p[1], p[2]))
    foreign = [city for city in _CITIES if not city[0]
               and _distance(lat, lon, city[1], city[2]) < _FOREIGN_RADIUS ** 2]
    if foreign and min(_distance(lat, lon, c[1], c[2]) for c in foreign) < _distance(
            lat, lon, best[1], best[2]):
        return None
    return best[0]


# --------------------------------------------------------------------------- update -> action
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


def _int(value: Any) -> int | None:
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


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def parse_update(update: Any, content: Content | None = None) -> Action:
    """Map one Bot API update (a JSON dict) to an `Action`. Pure; never raises."""
    try:
        return _parse(update, content)
    except Exception:  # a malformed update must never stop the poller
        update_id = _int(update.get("update_id")) if isinstance(update, dict) else None
        return Action(IGNORE, "malformed", update_id, reason="could not parse")


def _parse(update: Any, content: Content | None) -> Action:
    if not isinstance(update, dict):
        return Action(IGNORE, "malformed", reason="not an object")
    update_id = _int(update.get("update_id"))
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
    chat_id = _int(chat.get("id"))
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
    if _utf16_len(text) > MAX_MESSAGE_CHARS:
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
    chat_id = _int(chat.get("id"))
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
    chat_id = _int(chat.get("id"))
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


# --------------------------------------------------------------------------- splitting
_SENTENCE_END = re.compile(r"(?:[.!?…]+[\"')\]»]*\s+|\n+)")


def split_telegram(text: str, limit: int = MAX_MESSAGE_CHARS) -> list[str]:
    """Cut a reply into messages of at most `limit` UTF-16 units (Telegram's limit).

    Cuts prefer a sentence end or line break in the second half, then a space,
    then a hard cut; whitespace at a cut is dropped.
    """
    rest = text.strip()
    parts: list[str] = []
    while rest:
        if _utf16_len(rest) <= limit:
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


# --------------------------------------------------------------------------- database
def _conversation(session: Any, secret: bytes, address: str) -> Conversation | None:
    key = contact_key(secret, CHANNEL, address)
    return session.execute(select(Conversation).where(
        Conversation.channel == CHANNEL, Conversation.contact_key == key)).scalar_one_or_none()


def _set_reachable(db_url: str, secret: bytes, address: str, reachable: bool) -> str | None:
    """Mark a known texter (un)reachable; returns the conversation id, if any."""
    with session_scope(db_url) as session:
        conversation = _conversation(session, secret, address)
        if conversation is None:
            return None
        conversation.unreachable = not reachable
        return conversation.id


def load_offset(db_url: str) -> int | None:
    with session_scope(db_url) as session:
        row = session.get(ChannelState, OFFSET_KEY)
        return _int(row.value) if row is not None else None


def save_offset(db_url: str, offset: int) -> None:
    with session_scope(db_url) as session:
        row = session.get(ChannelState, OFFSET_KEY)
        if row is None:
            session.add(ChannelState(key=OFFSET_KEY, value=str(offset)))
        else:
            row.value = str(offset)


class _RedactToken(logging.Filter):
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


# --------------------------------------------------------------------------- channel
class TelegramInput(SettingsInputChannel):
    """The project's own Telegram channel (registered in credentials.yml)."""

    @classmethod
    def name(cls) -> str:
        return CHANNEL

    def __init__(self, settings: Settings | None = None,
                 poll_timeout: int = POLL_TIMEOUT_SECONDS) -> None:
        super().__init__(settings)
        self.poll_timeout = poll_timeout
        self.sender: TelegramSender | None = None
        self.service: MessagingService | None = None
        self.router: Router | None = None
        self._left: set[int] = set()
        self._tasks: list[asyncio.Task[Any]] = []

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        settings = self.settings
        service = self.service = MessagingService.for_settings(settings)
        enabled = settings.telegram_enabled
        if enabled:
            self.sender = TelegramSender(settings, self.poll_timeout)
            logging.getLogger("httpx").addFilter(_RedactToken(settings.telegram_bot_token))
        self.router = service.register(CHANNEL, on_new_message, delivered_inline=False,
                                       sender=self.sender, splitter=split_telegram)
        webhook_mode = settings.telegram_mode == "webhook"
        secret = settings.telegram_webhook_secret
        bp = Blueprint("telegram_webhook", __name__)

        @bp.listener("after_server_start")
        async def start(app, loop) -> None:  # type: ignore[no-untyped-def]
            await service.start()
            if not enabled:
                logger.info("telegram channel off: TELEGRAM_BOT_TOKEN is not set")
                return
            if webhook_mode:
                if not secret:
                    logger.error("TELEGRAM_MODE=webhook needs TELEGRAM_WEBHOOK_SECRET; "
                                 "all webhook requests will be refused")
                elif not settings.public_url:
                    logger.error("TELEGRAM_MODE=webhook needs HOTLINE_PUBLIC_URL; "
                                 "the webhook is not registered with Telegram")
                else:
                    self._tasks.append(asyncio.create_task(self.register_webhook(),
                                                           name="telegram-webhook"))
            elif not settings.telegram_polling:  # another replica polls (docs/deploy.md)
                logger.info("telegram polling off on this replica (TELEGRAM_POLLING=0)")
            else:
                self._tasks.append(asyncio.create_task(self.poll(), name="telegram-poll"))

        @bp.listener("before_server_stop")
        async def stop(app, loop) -> None:  # type: ignore[no-untyped-def]
            await self.stop()

        @bp.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not enabled:
                return response.json({"error": "Telegram channel is not configured"},
                                     status=503)
            if not webhook_mode:
                return response.json({"error": "Telegram webhook mode is off"}, status=404)
            given = request.headers.get(SECRET_HEADER, "")
            if not secret or not given or not hmac.compare_digest(given.encode(),
                                                                  secret.encode()):
                if not secret:
                    logger.error("refused a Telegram webhook: TELEGRAM_WEBHOOK_SECRET is unset")
                else:
                    logger.warning("refused a Telegram webhook with a missing or wrong secret")
                return response.json({"error": "forbidden"}, status=403)
            if len(request.body or b"") > MAX_BODY_BYTES:
                return response.json({"error": "request body too large"}, status=413)
            try:
                update = safe_json.loads(request.body or b"")
            except safe_json.BadJson as exc:  # bad UTF-8, huge numbers, absurd nesting
                return response.json({"error": f"malformed JSON: {exc}"}, status=400)
            if not isinstance(update, dict):
                return response.json({"error": "an update must be a JSON object"}, status=400)
            try:
                await self.handle(update)
            except Exception:
                logger.exception("could not store telegram update=%s",
                                 _int(update.get("update_id")))
                return response.json({"error": "try again"}, status=500)  # Telegram retries
            return response.json({"ok": True})

        return self.quiet_logs(bp, self.settings)

    # ------------------------------------------------------------------ handling
    async def handle(self, update: Any) -> Action:
        """Act on one update; returns once it is safely in the inbox (or needs nothing)."""
        assert self.service is not None and self.router is not None
        content = load_content()
        action = parse_update(update, content)
        logger.info("telegram update=%s type=%s action=%s (%s)", action.update_id,
                    action.update_type, action.kind, action.reason)
        if action.callback_query_id and self.sender is not None:
            self._background(self.sender.bot.answer_callback_query(action.callback_query_id),
                             "answerCallbackQuery", action)
        if action.kind == LEAVE and action.chat_id is not None:
            if action.chat_id not in self._left and self.sender is not None:
                self._left.add(action.chat_id)
                self._background(self.sender.bot.leave_chat(action.chat_id), "leaveChat", action)
        elif action.kind in (BLOCKED, UNBLOCKED):
            conversation_id = await asyncio.to_thread(
                _set_reachable, self.settings.database_url, self.service.secret,
                action.address, action.kind == UNBLOCKED)
            if conversation_id:
                logger.info("conversation=%s %s the bot", conversation_id, action.kind)
        elif action.kind in (PROCESS, REPLY):
            default = self.settings.default_language

            def body(lang: str | None) -> str:
                return action.body(content, lang if lang in LANGS else default)

            await intake.receive(self.service, Incoming(
                CHANNEL, action.provider_message_id, action.address, body, text=action.text,
                fixed_reply=action.template if action.kind == REPLY else None,
                # Someone who blocked the bot cannot write to it: a message means they unblocked.
                reachable=True))
        return action

    def _background(self, call: Awaitable[Any], what: str, action: Action) -> None:
        """Fire-and-forget Bot API calls: a failure must not hold up the inbox."""
        assert self.service is not None

        async def run() -> None:
            try:
                await call
            except Exception as exc:
                logger.warning("telegram %s failed for update=%s: %s", what,
                               action.update_id, type(exc).__name__)

        self.service.spawn(run())

    # ------------------------------------------------------------------ polling
    async def poll(self) -> None:
        """deleteWebhook once, then getUpdates forever, backing off while Telegram is away."""
        assert self.sender is not None
        bot, db_url = self.sender.bot, self.settings.database_url
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
                params: dict[str, Any] = {"timeout": self.poll_timeout,
                                          "allowed_updates": ALLOWED_UPDATES}
                if offset is not None:
                    params["offset"] = offset
                updates = await bot.do_api_request(
                    "getUpdates", api_kwargs=params,
                    read_timeout=self.poll_timeout + self.settings.provider_timeout_seconds)
                for update in updates if isinstance(updates, list) else []:
                    await self.handle(update)
                    update_id = _int(update.get("update_id")) if isinstance(update, dict) else None
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

    async def register_webhook(self) -> None:
        """setWebhook in the background, retrying until Telegram accepts it."""
        assert self.sender is not None
        url = f"{self.settings.public_url}/webhooks/telegram/webhook"
        backoff = BACKOFF_START_SECONDS
        while True:
            try:
                await self.sender.bot.set_webhook(
                    url=url, secret_token=self.settings.telegram_webhook_secret,
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

    async def stop(self) -> None:
        """Cancel polling / webhook registration (before the server stops)."""
        tasks, self._tasks = self._tasks, []
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task


__all__ = ["Action", "TelegramInput", "TelegramSender", "clean_text",
           "parse_update", "split_telegram", "state_for_location"]
