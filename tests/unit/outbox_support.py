"""Shared helpers for the outbox tests: a worker whose sender is the real twilio
Client talking to tests/fakes/twilio_api.FakeTwilioApi (fixtures: tests/unit/conftest.py)."""

from __future__ import annotations

from bot.channels.twilio_sms import TwilioSender
from bot.config import Settings
from bot.messaging.outbox_worker import OutboxPolicy, OutboxWorker
from tests.fakes.twilio_api import FakeTwilioApi

SECRET = b"unit-test-secret"
FROM = "+15005550006"


def settings_for(fake: FakeTwilioApi, db_url: str) -> Settings:
    return Settings.from_env({
        "HOTLINE_DATABASE_URL": db_url, "TWILIO_ACCOUNT_SID": fake.account_sid,
        "TWILIO_AUTH_TOKEN": fake.auth_token, "TWILIO_FROM_NUMBER": FROM,
        "TWILIO_API_BASE_URL": fake.url, "HOTLINE_PROVIDER_TIMEOUT_SECONDS": "1",
    })


def worker(fake: FakeTwilioApi, db_url: str, **policy) -> OutboxWorker:  # type: ignore[no-untyped-def]
    defaults = {"rate_per_second": 0, "backoff_base": 0.05, "backoff_max": 0.1,
                "lease_seconds": 1.0}
    return OutboxWorker(db_url, {"twilio": TwilioSender(settings_for(fake, db_url))},
                        OutboxPolicy(**{**defaults, **policy}))
