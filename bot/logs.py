"""Logging that never carries message text, phone numbers, chat ids, SQL or secrets.

Our own code logs only ids that mean nothing outside the database. Library
loggers are the risk: SQLAlchemy at INFO logs every statement with its
parameters (password hashes, usernames, audit reasons), the twilio client logs
request query strings (phone numbers), httpx logs URLs (the Telegram bot token),
Rasa and Sanic log message text at DEBUG. So libraries are held at WARNING
(Rasa and Sanic at INFO, which carries no user input), whatever
HOTLINE_LOG_LEVEL says, and every line passes `Redact` on its way out:
exception messages (which can quote SQL, parameters or input) are dropped from
tracebacks, and URL query strings, bot tokens and phone numbers are masked.

The Rasa server process configures logging itself (and Sanic again when its app
is made), so our channel adapters call `quiet_libraries` once the server has
started (bot/channels/base.py).
"""

from __future__ import annotations

import logging
import re
import traceback

# Loggers whose INFO lines are only lifecycle notes ("server is up", workers started).
LIFECYCLE = ("rasa", "rasa_sdk", "sanic", "sanic.root", "waitress")
# Loggers that emit statements, parameters, URLs or payloads at INFO or DEBUG.
CHATTY = ("sanic.access", "sanic.error", "apscheduler", "telegram", "twilio", "httpx",
          "httpcore", "urllib3", "sqlalchemy", "aiohttp", "asyncio", "werkzeug",
          "alembic", "hpack", "multipart", "filelock", "matplotlib", "tensorflow",
          "absl", "h5py", "kafka", "pika", "socketio", "engineio")
THIRD_PARTY = LIFECYCLE + CHATTY

_PATTERNS = (
    (re.compile(r"(https?://[^\s'\"?]*)\?[^\s'\"]*"), r"\1?<query>"),
    (re.compile(r"/bot\d+:[A-Za-z0-9_-]+"), "/bot<token>"),
    (re.compile(r"\[SQL:.*?\]|\[parameters:.*?\]", re.S), "[sql withheld]"),
    (re.compile(r"\+\d{7,15}\b"), "<number>"),
)


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def safe_traceback(exc_info: tuple) -> str:  # type: ignore[type-arg]
    """Where it failed (frames, exception types), never what the exception says.

    Messages of our own exceptions (module `bot.`/`actions.`) are kept: by
    convention they hold no personal data. Others may quote SQL, parameters or input.
    """
    _type, exc, tb = exc_info
    lines = ["Traceback (most recent call last):"]
    lines += [f'  File "{f.filename}", line {f.lineno}, in {f.name}'
              for f in traceback.extract_tb(tb)]
    chain = []
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        kind = type(exc)
        name = f"{kind.__module__}.{kind.__qualname__}"
        own = kind.__module__.split(".")[0] in ("bot", "actions")
        chain.append(f"{name}: {redact(str(exc))}" if own else f"{name} (message withheld)")
        exc = exc.__cause__ or exc.__context__
    lines.append(chain[0])
    lines += [f"  caused by {c}" for c in chain[1:]]
    return "\n".join(lines)


class Redact(logging.Filter):
    """Rewrites each record into its safe form before any handler formats it."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: keep the template, drop the arguments
            message = str(record.msg)
        record.msg, record.args = redact(message), ()
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = safe_traceback(record.exc_info)
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = "(traceback withheld)"
        record.stack_info = None
        return True


def quiet_libraries(level: str = "INFO") -> None:
    """Cap library loggers (see the module docstring) and redact every root handler."""
    asked = logging.getLevelName(level)
    floor = max(asked if isinstance(asked, int) else logging.INFO, logging.INFO)
    for name in LIFECYCLE:
        logging.getLogger(name).setLevel(floor)
    for name in CHATTY:
        logging.getLogger(name).setLevel(max(floor, logging.WARNING))
    loggers = [logging.getLogger(), *(lg for lg in logging.root.manager.loggerDict.values()
                                      if isinstance(lg, logging.Logger))]
    for logger in loggers:  # Sanic, for one, gives its loggers handlers of their own
        for handler in logger.handlers:
            if not any(isinstance(f, Redact) for f in handler.filters):
                handler.addFilter(Redact())


def configure_logging(level: str = "INFO") -> None:
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        force=True,
    )
    quiet_libraries(level)
