"""SMS encoding and segmentation (GSM 03.38 / UCS-2).

Why: every reply is billed and delivered per segment, and one non-GSM
character (e.g. "á") silently switches the whole message to UCS-2, cutting
capacity from 160 to 70 characters. Content checks and the SMS sender both
need the exact same arithmetic, so it lives here, with no dependencies.
"""

from __future__ import annotations

import re

# GSM 03.38 default alphabet (basic table), one septet each. "\x1b" (the escape
# code) is deliberately absent: it is not a printable character.
GSM7_BASIC: frozenset[str] = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅå"
    "Δ_ΦΓΛΩΠΨΣΘΞÆæßÉ"
    " !\"#¤%&'()*+,-./"
    "0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNO"
    "PQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmno"
    "pqrstuvwxyzäöñüà"
)

# GSM 03.38 extension table: sent as ESC + char, so each costs two septets.
GSM7_EXTENSION: frozenset[str] = frozenset("\f^{}\\[~]|€")

GSM7_SINGLE = 160  # septets in a single-part message
GSM7_MULTI = 153  # septets per part once a User Data Header is needed
UCS2_SINGLE = 70  # UTF-16 code units in a single-part message
UCS2_MULTI = 67  # UTF-16 code units per part of a multi-part message

TWILIO_MAX_CHARS = 1600  # Twilio rejects longer bodies
TWILIO_MAX_SEGMENTS = 10  # Twilio's recommended ceiling per message


def is_gsm7(text: str) -> bool:
    """True when every character is in the GSM 03.38 basic or extension table."""
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text)


def _units(ch: str, gsm: bool) -> int:
    """Cost of one character: septets for GSM-7, UTF-16 code units for UCS-2."""
    if gsm:
        return 2 if ch in GSM7_EXTENSION else 1
    return 2 if ord(ch) > 0xFFFF else 1


def encoded_length(text: str) -> int:
    """Length in septets (GSM-7) or UTF-16 code units (UCS-2), whichever applies."""
    gsm = is_gsm7(text)
    return sum(_units(ch, gsm) for ch in text)


def segment_count(text: str) -> int:
    """Number of SMS segments the text is delivered as (0 for empty text).

    Multi-part packing is done character by character so an escape pair or a
    surrogate pair is never split across parts, which is what handsets and
    carriers do; this can cost one more segment than a plain division.
    """
    if not text:
        return 0
    gsm = is_gsm7(text)
    units = [_units(ch, gsm) for ch in text]
    if sum(units) <= (GSM7_SINGLE if gsm else UCS2_SINGLE):
        return 1
    per_part = GSM7_MULTI if gsm else UCS2_MULTI
    segments, used = 1, 0
    for u in units:
        if used + u > per_part:
            segments += 1
            used = 0
        used += u
    return segments


def fits(text: str, max_segments: int, max_chars: int = TWILIO_MAX_CHARS) -> bool:
    """True when text is within both the segment and the character limit."""
    return len(text) <= max_chars and segment_count(text) <= max_segments


_SENTENCE_END = re.compile(r"(?:[.!?…]+[\"')\]»]*\s+|\n+)")
_SPACE = re.compile(r"\s+")


def _longest_fitting_prefix(text: str, max_segments: int, max_chars: int) -> int:
    """Largest n such that text[:n] fits; segment_count is monotone in n."""
    lo, hi = 1, min(len(text), max_chars)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if fits(text[:mid], max_segments, max_chars):
            lo = mid
        else:
            hi = mid - 1
    return lo


def _cut_candidates(text: str, limit: int) -> list[int]:
    """Cut positions to try, best first: last sentence end, last space, hard cut."""
    window = text[: limit + 1]  # +1 so a boundary right after the limit counts
    out: list[int] = []
    sentence_ends = [m.end() for m in _SENTENCE_END.finditer(window) if m.start() < limit]
    # A sentence break in the first half would waste most of a message.
    if sentence_ends and sentence_ends[-1] > limit // 2:
        out.append(sentence_ends[-1])
    spaces = [m.start() for m in _SPACE.finditer(window) if 0 < m.start() <= limit]
    if spaces:
        out.append(spaces[-1])
    out.append(limit)
    return out


def split_sms(text: str, max_segments_per_message: int = TWILIO_MAX_SEGMENTS) -> list[str]:
    """Split text into messages that each fit the provider's limits.

    Why: Twilio refuses bodies over 1600 characters, and very long concatenated
    messages arrive out of order on some handsets. Breaks prefer sentence ends,
    then spaces; whitespace at a break is dropped, every other character is
    kept in order.
    """
    if max_segments_per_message < 1:
        raise ValueError("max_segments_per_message must be at least 1")
    rest = text.strip()
    parts: list[str] = []
    while rest:
        if fits(rest, max_segments_per_message):
            parts.append(rest)
            break
        limit = _longest_fitting_prefix(rest, max_segments_per_message, TWILIO_MAX_CHARS)
        for cut in _cut_candidates(rest, limit):
            head = rest[:cut].rstrip()
            if head and fits(head, max_segments_per_message):
                break
        else:  # unreachable in practice: the hard cut at `limit` always fits
            cut, head = limit, rest[:limit]
        parts.append(head)
        rest = rest[cut:].lstrip()
    return parts
