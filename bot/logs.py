"""Logging that never carries message text, phone numbers or chat ids.

Our own code logs only ids that mean nothing outside the database. Rasa and
Sanic log message text at DEBUG level, so third-party loggers are capped at
INFO whatever HOTLINE_LOG_LEVEL says.
"""

from __future__ import annotations

import logging

THIRD_PARTY = ("rasa", "rasa_sdk", "sanic", "sanic.access", "apscheduler", "telegram",
               "twilio", "httpx", "urllib3", "sqlalchemy", "aiohttp")
# SQLAlchemy writes every statement and its parameters at INFO: never below WARNING.
QUIET = ("sqlalchemy",)


def configure_logging(level: str = "INFO") -> None:
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        force=True,
    )
    floor = max(logging.getLevelName(level) if isinstance(logging.getLevelName(level), int)
                else logging.INFO, logging.INFO)
    for name in THIRD_PARTY:
        logging.getLogger(name).setLevel(floor)
    for name in QUIET:
        logging.getLogger(name).setLevel(max(floor, logging.WARNING))
