"""Local fake provider APIs (Twilio REST, Telegram Bot API) for tests with the real clients."""

from .telegram_api import DEFAULT_TOKEN as DEFAULT_TELEGRAM_TOKEN
from .telegram_api import FakeTelegramApi
from .twilio_api import (
    DEFAULT_ACCOUNT_SID,
    DEFAULT_AUTH_TOKEN,
    CallbackResult,
    FakeTwilioApi,
    inbound_sms_params,
    num_segments,
    post_inbound,
    send_status_callback,
    sign_inbound,
)

__all__ = [
    "DEFAULT_ACCOUNT_SID",
    "DEFAULT_AUTH_TOKEN",
    "DEFAULT_TELEGRAM_TOKEN",
    "CallbackResult",
    "FakeTelegramApi",
    "FakeTwilioApi",
    "inbound_sms_params",
    "num_segments",
    "post_inbound",
    "send_status_callback",
    "sign_inbound",
]
