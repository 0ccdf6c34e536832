"""JSON from the outside world, with limits a well-meaning client never reaches.

`json.loads` accepts integers of thousands of digits (Python raises a bare
ValueError past 4,300, and a 4,000-digit id still breaks the database later)
and nesting until the interpreter's stack gives out. Every JSON endpoint (web
chat, Telegram webhook, console) parses through `loads`, which refuses both
with `BadJson`, a ValueError whose message is safe to show the client.
"""

from __future__ import annotations

import json
from typing import Any

MAX_INT_DIGITS = 20  # an int64 (Telegram ids, update ids) has at most 19 digits and a sign
MAX_DEPTH = 32  # a Telegram update with a quoted reply is about 8 levels deep


class BadJson(ValueError):
    """The body is not JSON we accept; `str()` says why, without quoting it."""


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise BadJson(f"numbers must have at most {MAX_INT_DIGITS} digits")
    return int(text)


def _parse_constant(name: str) -> float:
    raise BadJson(f"{name} is not a JSON number")


def _depth(value: Any) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, level)
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, level + 1) for child in children)
    return deepest


def loads(body: bytes | str) -> Any:
    """Parse a request body; raises BadJson (a ValueError) for anything refused."""
    try:
        text = body.decode("utf-8") if isinstance(body, bytes) else body
        value = json.loads(text, parse_int=_parse_int, parse_constant=_parse_constant)
    except BadJson:
        raise
    except UnicodeDecodeError as exc:
        raise BadJson("body must be JSON encoded as UTF-8") from exc
    except RecursionError as exc:  # "[[[[...": deeper than the parser's stack
        raise BadJson("JSON nested too deeply") from exc
    except ValueError as exc:  # JSONDecodeError, and any other parse failure
        raise BadJson("body must be valid JSON") from exc
    if _depth(value) > MAX_DEPTH:
        raise BadJson(f"JSON nested too deeply (max {MAX_DEPTH} levels)")
    return value
