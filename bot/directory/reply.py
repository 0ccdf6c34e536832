"""The texter's reply: the few best verified local services for a need and place.

Always ends with the national 24/7 hotline (resources.yml `state_footer`) and
starts with the neutral lock-screen line of `state_header`; trimmed, never cut
mid-text, to the SMS segment budget. With nothing local: the national fallback
text, as before the directory.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.content.loader import Content
from bot.content.render import MAX_REPLY_SEGMENTS
from bot.content.sms import segment_count
from bot.directory import taxonomy
from bot.directory.lookup import Match, Place, search
from bot.directory.taxonomy import Need
from bot.store.models import DirPhone

MAX_LISTED = 3
# HSDS phone.type -> the contact template that says it (resources.yml contact_*).
PHONE_TEMPLATE = {"voice": "contact_call", "text": "contact_text", "sms": "contact_text",
                  "textphone": "contact_tty", "tty": "contact_tty"}


def _lang(lang: str | None) -> str:
    return lang if lang in ("en", "es") else "en"


def _fill(text: str, **values: str) -> str:
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


def _contacts(session: Session, content: Content, match: Match, lang: str) -> str:
    pieces = []
    phones = session.scalars(select(DirPhone).where(DirPhone.service_id == match.service.id)
                             .order_by(DirPhone.id))
    for phone in phones:
        key = PHONE_TEMPLATE.get((phone.type or "voice").lower(), "contact_call")
        pieces.append(_fill(content.template(key, lang), value=phone.number))
    if not pieces and match.service.url:
        pieces.append(match.service.url.removeprefix("https://").removeprefix("http://"))
    return content.template("contact_join", lang).join(pieces[:2])


def _line(session: Session, content: Content, match: Match, lang: str, with_need: bool) -> str:
    name = match.service.name
    need = f" ({taxonomy.label(match.service.service_type, lang)})" \
        if with_need and match.service.service_type else ""
    return f"{name}{need}: {_contacts(session, content, match, lang)}."


def place_name(content: Content, place: Place, lang: str) -> str:
    if place.city:
        return place.city
    if place.state:
        state = content.state_by_code(place.state)
        if state is not None:
            return state.name(lang)
    if place.zip:
        return place.zip
    return content.template("place_unknown", lang)


def directory_reply(session: Session, content: Content, *, need: Need | None, place: Place,
                    lang: str | None, today: date, max_age_days: int) -> tuple[str, list[str]]:
    """The reply text and the ids of the services it lists (empty: the fallback)."""
    lang = _lang(lang)
    where = place_name(content, place, lang)
    fallback = _fill(content.template("state_fallback", lang), place=where)
    if not place.known:
        return fallback, []
    matches = [m for m in search(session, need=need, place=place, lang=lang, today=today,
                                 max_age_days=max_age_days) if m.local][:MAX_LISTED]
    if not matches:
        return fallback, []
    header = _fill(content.template("state_header", lang), place=where)
    footer = content.template("state_footer", lang)
    for with_need in (True, False):
        for count in range(len(matches), 0, -1):
            lines = [_line(session, content, m, lang, with_need) for m in matches[:count]]
            text = "\n".join([header, *lines, footer])
            if segment_count(text) <= MAX_REPLY_SEGMENTS:
                return text, [m.service.id for m in matches[:count]]
    return fallback, []
