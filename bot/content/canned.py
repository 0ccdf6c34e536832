"""Canned replies for advocates (data/content/canned_replies.yml).

Why validated like the bot's own content: an advocate inserts these into a
message to someone who may be in danger, often in a hurry. Loading refuses a
reply without both languages, with an alarming first line (lock-screen rule),
longer than 3 SMS segments, or pointing at an unknown resource, so a bad edit
fails at start-up instead of on a texter's phone.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bot.content.loader import (
    DEFAULT_ROOT,
    LANGS,
    MAX_PART_SEGMENTS,
    Content,
    ContentError,
    _bilingual,
    _date,
    _fill_refs,
    _read_yaml,
    _req,
    _str,
    load_content,
)
from bot.content.lockscreen import alarming_hits, first_line
from bot.content.sms import segment_count

FILE_NAME = "canned_replies.yml"
# "[NAME]", "[ORGANIZACIÓN]": text the advocate must replace before sending.
PLACEHOLDER = re.compile(r"\[[A-ZÁÉÍÓÚÑÜ][A-ZÁÉÍÓÚÑÜ _/-]*\]")


@dataclass(frozen=True)
class CannedReply:
    id: str
    title: Mapping[str, str]
    text: Mapping[str, str]


@dataclass(frozen=True)
class CannedReplies:
    replies: tuple[CannedReply, ...]
    source: str
    last_reviewed: date

    def for_language(self, lang: str | None) -> list[dict[str, str]]:
        """id, title and text in one language (English when unknown), for the reply box."""
        lang = lang if lang in LANGS else "en"
        return [{"id": r.id, "title": r.title[lang], "text": r.text[lang]}
                for r in self.replies]


def unfilled_placeholders(text: str) -> list[str]:
    """Placeholders like "[NAME]" still in a reply; the console refuses to send those."""
    return PLACEHOLDER.findall(text)


def _check(reply: CannedReply, content: Content) -> None:
    for lang in LANGS:
        text = reply.text[lang]
        hits = alarming_hits(first_line(text), content)
        if hits:
            raise ContentError(f"{FILE_NAME} {reply.id}.{lang}: first line is not "
                               f"lock-screen safe ({', '.join(hits)})")
        segments = segment_count(text)
        if segments > MAX_PART_SEGMENTS:
            raise ContentError(f"{FILE_NAME} {reply.id}.{lang}: {segments} SMS segments "
                               f"(max {MAX_PART_SEGMENTS})")


def _load(root: Path) -> CannedReplies:
    content = load_content(None if root == DEFAULT_ROOT else root)
    data = _read_yaml(root / FILE_NAME)
    entries = _req(data, "replies", FILE_NAME)
    if not isinstance(entries, list):
        raise ContentError(f"{FILE_NAME}: 'replies' must be a list")
    replies: list[CannedReply] = []
    for i, entry in enumerate(entries):
        where = f"{FILE_NAME} reply #{i + 1}"
        if not isinstance(entry, Mapping):
            raise ContentError(f"{where}: must be a mapping")
        rid = _str(entry, "id", where)
        where = f"{FILE_NAME} {rid}"
        if any(r.id == rid for r in replies):
            raise ContentError(f"{FILE_NAME}: duplicate id {rid!r}")
        text = {lang: _fill_refs(t, content.resources, f"{where}.{lang}")
                for lang, t in _bilingual(entry, "text", where).items()}
        reply = CannedReply(rid, _bilingual(entry, "title", where), text)
        _check(reply, content)
        replies.append(reply)
    return CannedReplies(tuple(replies), _str(data, "source", FILE_NAME),
                         _date(_req(data, "last_reviewed", FILE_NAME), FILE_NAME))


@functools.lru_cache(maxsize=1)
def _load_default() -> CannedReplies:
    return _load(DEFAULT_ROOT)


def load_canned_replies(root: Path | None = None) -> CannedReplies:
    """Load and validate the canned replies; the default location is cached (restart to reload)."""
    return _load_default() if root is None else _load(Path(root))
