"""Lock-screen safety: the notification preview must not give the texter away.

Why: phones show the start of a message on the lock screen, and the person
holding the phone may be the one controlling the texter (BRIEF §5). The first
line of every bot message must read as an ordinary text.
"""

from __future__ import annotations

import re

from bot.content.loader import Content, normalize

_SENTENCE_END = re.compile(r"[.!?…](?=\s|$)")


def first_line(text: str) -> str:
    """The part a preview shows first: up to the first newline, else the first sentence."""
    text = text.lstrip()
    if "\n" in text:
        return text.split("\n", 1)[0].strip()
    m = _SENTENCE_END.search(text)
    return text[: m.end()].strip() if m else text.strip()


def alarming_hits(text: str, content: Content) -> list[str]:
    """Blocklist entries (either language) found in text; "word*" matches prefixes."""
    words = normalize(text).split()
    padded = f" {' '.join(words)} "
    hits: list[str] = []
    for lang_words in content.alarming_words.values():
        for entry in lang_words:
            if entry.endswith("*"):
                stem = normalize(entry[:-1])
                if stem and any(w.startswith(stem) for w in words):
                    hits.append(entry)
            else:
                phrase = normalize(entry)
                if phrase and f" {phrase} " in padded:
                    hits.append(entry)
    return hits


def first_line_is_safe(text: str, content: Content) -> bool:
    """True when the first line contains no alarming word in English or Spanish."""
    return not alarming_hits(first_line(text), content)
