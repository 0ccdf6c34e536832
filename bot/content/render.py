"""Pure functions that turn content into reply text.

Why pure: the same strings are checked by tests (segment budget, lock-screen
first line) and sent by actions, so there is one place that builds them and
no hidden I/O. Every reply starts with a neutral line and fits in 3 SMS
segments in both languages.
"""

from __future__ import annotations

from datetime import date

from bot.content.loader import LANGS, Content, Resource, RightsTopic, State
from bot.content.lockscreen import first_line, first_line_is_safe
from bot.content.sms import segment_count

MAX_REPLY_SEGMENTS = 3

__all__ = [
    "MAX_REPLY_SEGMENTS",
    "disclosure_reply",
    "emergency_message",
    "first_line",
    "first_line_is_safe",
    "handoff_message",
    "line_message",
    "line_offer",
    "minor_resources",
    "national_resources",
    "rights_menu",
    "rights_part",
    "state_resources",
    "template_message",
    "wages_resources",
]


def _lang(lang: str | None) -> str:
    """Unknown or missing language falls back to English rather than failing a reply."""
    return lang if lang in LANGS else "en"


def _fill(text: str, **values: str) -> str:
    """Fill {name} slots by plain replacement (content text may contain other braces)."""
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


def template_message(content: Content, key: str, lang: str) -> str:
    """Any message template from resources.yml, in the texter's language."""
    return content.template(key, _lang(lang))


def rights_menu(content: Content, lang: str) -> str:
    """List of rights topics; each title is also a word the texter can reply with."""
    lang = _lang(lang)
    topics = ", ".join(t.title[lang] for t in content.rights)
    return _fill(content.template("rights_menu", lang), topics=topics)


def rights_part(topic: RightsTopic, lang: str, index: int) -> tuple[str, bool]:
    """Part `index` (0-based) of a topic, and whether more parts follow.

    A neutral opener goes first (lock screen); a "reply MORE" hint goes last
    when there is more to read, so the texter controls the pace.
    """
    lang = _lang(lang)
    parts = topic.parts[lang]
    if not 0 <= index < len(parts):
        raise IndexError(f"{topic.id} has {len(parts)} {lang} parts, asked for index {index}")
    has_more = index + 1 < len(parts)
    lines = [topic.opener[lang], parts[index]]
    if has_more:
        lines.append(topic.more_hint[lang])
    return "\n".join(lines), has_more


def emergency_message(content: Content, lang: str) -> str:
    """Immediate danger: 911 if safe, the 24/7 numbers, a person is being alerted."""
    return content.template("emergency", _lang(lang))


def handoff_message(content: Content, lang: str, urgent: bool = False) -> str:
    """A person has been asked to join; honest about waiting; 24/7 numbers."""
    return content.template("handoff_urgent" if urgent else "handoff", _lang(lang))


def line_message(content: Content, line_id: str, lang: str) -> str:
    """The direct answer to a request for a number (lines.yml); unknown ids get the hotline."""
    line = content.lines.get(line_id) or content.line("hotline")
    return line.text[_lang(lang)]


_FIRST_KINDS = frozenset({"minor"})


def disclosure_reply(content: Content, kinds: list[str], lang: str) -> str | None:
    """What we say back to a texter's own account: the header and up to two lines
    for what they told us (first ones first), within 3 SMS segments; None if nothing fits."""
    lang = _lang(lang)
    # Round 9: an age under 18 first: it changes what applies (safe harbor, a child's
    # lines), and with two lines over 3 segments only the first is kept.
    kinds = sorted(kinds, key=lambda k: k not in _FIRST_KINDS)
    texts = [content.disclosures[k].text[lang] for k in kinds if k in content.disclosures]
    while texts:
        message = "\n".join([content.disclosure_header[lang], " ".join(texts[:2])])
        if segment_count(message) <= MAX_REPLY_SEGMENTS:
            return message
        texts = texts[:1] if len(texts) > 1 else []
    return None


def line_offer(content: Content, lang: str) -> str:
    """The short follow-up after a direct answer: state look-up, a question, a person."""
    return content.line_offer[_lang(lang)]


def national_resources(content: Content, lang: str) -> str:
    """Short national list: 24/7 hotline, 911, 988."""
    return content.template("national", _lang(lang))


def minor_resources(content: Content, lang: str) -> str:
    """Resources for someone under 18 (hotline, NCMEC), with the reporting caveat."""
    return content.template("minor_resources", _lang(lang))


def wages_resources(content: Content, lang: str) -> str:
    """Unpaid wages: Labor Dept Wage and Hour, EEOC."""
    return content.template("wages_resources", _lang(lang))


def _contact_text(content: Content, res: Resource, lang: str) -> str:
    """'call X or text Y' in the texter's language, from the resource's contact fields."""
    pieces = []
    for fld in ("call", "text", "tty", "web"):
        value = res.contact.get(fld)
        if value:
            pieces.append(_fill(content.template(f"contact_{fld}", lang), value=value))
    return content.template("contact_join", lang).join(pieces)


def _resource_line(content: Content, res: Resource, lang: str, with_use: bool) -> str:
    line = f"{res.name[lang]}: {_contact_text(content, res, lang)}."
    return f"{line} {res.use[lang]}" if with_use else line


def _fallback(content: Content, place: str, lang: str) -> str:
    return _fill(content.template("state_fallback", lang), place=place)


def state_resources(
    content: Content,
    state: State | None,
    lang: str,
    today: date,
    max_age_days: int = 365,
) -> str:
    """Local resources for a state, always with the national 24/7 line.

    Falls back to the national hotline when the state is unknown, has no
    listing, or the listing is older than `max_age_days` (stale local numbers
    are worse than a national one that connects locally). Resources are
    trimmed, never truncated mid-text, to stay within 3 SMS segments.
    """
    lang = _lang(lang)
    if state is None:
        return _fallback(content, content.template("place_unknown", lang), lang)
    place = state.name(lang)
    if not state.resources or state.is_stale(today, max_age_days):
        return _fallback(content, place, lang)
    header = _fill(content.template("state_header", lang), place=place)
    footer = content.template("state_footer", lang)
    for with_use in (True, False):
        for count in range(len(state.resources), 0, -1):
            lines = [_resource_line(content, r, lang, with_use) for r in state.resources[:count]]
            text = "\n".join([header, *lines, footer])
            if segment_count(text) <= MAX_REPLY_SEGMENTS:
                return text
    return _fallback(content, place, lang)
