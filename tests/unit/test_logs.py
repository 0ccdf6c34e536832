"""Library loggers never emit statements, parameters, URLs or input (issue 13.2)."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from bot.logs import configure_logging, redact

SECRET_HASH = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$ZmFrZWhhc2g"


@pytest.fixture()
def captured() -> Iterator[io.StringIO]:
    """Everything the root logger's handler writes, configured as every process does."""
    configure_logging("DEBUG")  # even the most verbose setting stays quiet
    stream = io.StringIO()
    handler = logging.getLogger().handlers[0]
    old = handler.setStream(stream)  # type: ignore[attr-defined]
    yield stream
    handler.setStream(old)  # type: ignore[attr-defined]
    configure_logging("INFO")


def test_sqlalchemy_statements_and_parameters_stay_out(captured: io.StringIO) -> None:
    engine = sa.create_engine("sqlite://", future=True)
    with engine.begin() as conn:
        conn.execute(sa.text("create table advocates (username text, password_hash text)"))
        conn.execute(sa.text("insert into advocates values (:u, :h)"),
                     {"u": "ana.secret", "h": SECRET_HASH})
    engine.dispose()
    log = captured.getvalue()
    assert "ana.secret" not in log and SECRET_HASH not in log
    assert "insert into" not in log.lower() and "create table" not in log.lower()


def test_twilio_and_httpx_request_lines_stay_out(captured: io.StringIO) -> None:
    logging.getLogger("twilio.http_client").info("GET Request: https://api.twilio.com/x"
                                                  "?To=%2B15551234567")
    logging.getLogger("httpx").info("HTTP Request: POST https://api.telegram.org/"
                                    "bot123:ABC/sendMessage")
    logging.getLogger("sqlalchemy.engine.Engine").info("[generated] %r", ("+15551234567",))
    assert captured.getvalue() == ""


def test_exception_messages_are_withheld_but_the_place_is_kept(captured: io.StringIO) -> None:
    engine = sa.create_engine("sqlite://", future=True)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("select * from no_such_table where who = :w"),
                         {"w": "+15559876543"})
    except sa.exc.OperationalError:
        logging.getLogger("bot.test").exception("lookup failed for conversation=%s", "c-1")
    engine.dispose()
    log = captured.getvalue()
    assert "lookup failed for conversation=c-1" in log
    assert "sqlalchemy.exc.OperationalError (message withheld)" in log
    assert "test_logs.py" in log  # where it happened
    assert "no_such_table" not in log and "+15559876543" not in log
    assert "select" not in log.lower()


def test_our_own_lines_are_redacted_too() -> None:
    assert redact("sent to +15551234567 via https://h/x?To=%2B1555&Body=hi") == \
        "sent to <number> via https://h/x?<query>"
    assert redact("POST https://api.telegram.org/bot42:abc-DEF/getUpdates") == \
        "POST https://api.telegram.org/bot<token>/getUpdates"
