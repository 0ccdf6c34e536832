"""Texter look-ups: by state, ZIP prefix, city and need, in both languages; only
verified, current, active entries; the national fallback otherwise."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from bot.content.loader import load_content
from bot.content.render import MAX_REPLY_SEGMENTS
from bot.content.sms import segment_count
from bot.directory.edit import retire_service
from bot.directory.lookup import Place, is_open, place_from_text, search
from bot.directory.reply import directory_reply
from bot.directory.taxonomy import Need, need_in_text
from bot.store.models import DirSchedule, DirService

HOTLINE = "1-888-373-7888"
MAX_AGE = 365


def reply(session, text, lang="en", need=None, state=None):  # type: ignore[no-untyped-def]
    content = load_content()
    place = place_from_text(session, content, text, state_hint=state)
    need = need if need is not None else need_in_text(text)
    return directory_reply(session, content, need=need, place=place, lang=lang,
                           today=date.today(), max_age_days=MAX_AGE)


def test_the_shipped_seed_is_national_and_unverified(session):
    services = list(session.scalars(select(DirService)))
    names = {s.name for s in services}
    assert "National Human Trafficking Hotline" in names and "NCMEC CyberTipline" in names
    assert all(s.assured_date is None and s.source for s in services)
    assert not any("CAST" in n for n in names)  # local and unconfirmed: not shipped


def test_no_local_entry_gives_the_national_fallback(session):
    text, listed = reply(session, "a shelter near me in Texas")
    assert listed == []
    assert "no current local listing for Texas" in text and HOTLINE in text
    text, listed = reply(session, "necesito refugio en Texas", lang="es")
    assert listed == [] and "No tenemos una lista local vigente para Texas" in text


def test_city_and_need_find_a_verified_local_service(session, listed):
    legal = listed("Houston Immigrant Legal Aid", "legal", [("city", "TX/Houston")],
                   phones=[("voice", "713-555-0101")])
    listed("Houston Shelter House", "shelter", [("city", "TX/Houston")])
    text, ids = reply(session, "free legal help in Houston")
    assert ids == [legal.id]
    assert text.startswith("Here is some info.\nIn Houston:")
    assert "Houston Immigrant Legal Aid (Legal and immigration help): call 713-555-0101." in text
    assert text.rstrip().endswith(f"Also 24/7: call {HOTLINE} or text 233733.")
    assert "Shelter House" not in text


def test_spanish_texter_gets_spanish_labels(session, listed):
    listed("Casa Segura", "shelter", [("state", "TX")], languages=["es"])
    text, ids = reply(session, "necesito un refugio en texas", lang="es")
    assert len(ids) == 1
    assert text.startswith("Aquí tienes info.\nEn Texas:")
    assert "Casa Segura (Refugio y vivienda): llama al 713-555-0100." in text
    assert f"También 24/7: llama al {HOTLINE}" in text


def test_zip_prefix_and_state_rank_most_specific_first(session, listed):
    state_wide = listed("Texas Shelter Network", "shelter", [("state", "TX")])
    by_zip = listed("Downtown Houston Shelter", "shelter", [("zip", "770")])
    other_zip = listed("Dallas Shelter", "shelter", [("zip", "752")])
    text, ids = reply(session, "shelter near 77002")
    assert ids == [by_zip.id, state_wide.id]
    assert other_zip.id not in ids and "Dallas" not in text
    assert text.startswith("Here is some info.\nIn Texas:")


def test_county_named_by_the_texter(session, listed):
    harris = listed("Harris County Victim Services", "victim_services", [("county", "TX/Harris")])
    _, ids = reply(session, "victim services in harris county texas")
    assert ids == [harris.id]
    _, ids = reply(session, "victim services in texas")
    assert ids == []


@pytest.mark.parametrize("state", [None, "TX"])
def test_stale_unverified_and_retired_never_reach_a_texter(session, listed, supervisor, state):
    listed("Old Shelter", "shelter", [("state", "TX")], verified_days_ago=MAX_AGE + 1)
    listed("Unchecked Shelter", "shelter", [("state", "TX")], verified_days_ago=None)
    retired = listed("Closed Shelter", "shelter", [("state", "TX")])
    retire_service(session, retired, supervisor)
    text, ids = reply(session, "shelter in texas", state=state)
    assert ids == []
    assert "Old" not in text and "Unchecked" not in text and "Closed" not in text
    assert HOTLINE in text
    fresh = listed("Fresh Shelter", "shelter", [("state", "TX")], verified_days_ago=MAX_AGE)
    _, ids = reply(session, "shelter in texas", state=state)
    assert ids == [fresh.id]


def test_at_most_three_and_within_the_segment_budget(session, listed):
    for i in range(6):
        listed(f"Texas Legal Services Center number {i} for survivors of trafficking", "legal",
               [("state", "TX")], phones=[("voice", f"512-555-010{i}"), ("text", "512-555-0199")])
    for lang in ("en", "es"):
        text, ids = reply(session, "abogado en texas" if lang == "es" else "lawyer in texas",
                          lang=lang)
        assert 1 <= len(ids) <= 3
        assert segment_count(text) <= MAX_REPLY_SEGMENTS
        assert HOTLINE in text


def test_telegram_location_arrives_as_a_state_name(session, listed):
    # bot/channels/telegram.py turns a shared location into the state's name.
    service = listed("Austin Safe House", "shelter", [("state", "TX")])
    _, ids = reply(session, "Texas", need=Need.SHELTER)
    assert ids == [service.id]


def test_a_need_is_read_from_either_language():
    assert need_in_text("a shelter near me") is Need.SHELTER
    assert need_in_text("free legal help in Houston") is Need.LEGAL
    assert need_in_text("necesito un abogado") is Need.LEGAL
    assert need_in_text("no me pagan el salario") is Need.LABOR
    assert need_in_text("tengo hambre") is Need.BASIC_NEEDS
    assert need_in_text("hello") is None


def test_advocate_search_sees_unverified_marked_and_filters_language_and_open(session, listed):
    es = listed("Clinica Latina", "health", [("state", "TX")], languages=["es"],
                verified_days_ago=None)
    en = listed("Texas Clinic", "health", [("state", "TX")], languages=["en"])
    everyone = search(session, need=Need.HEALTH, place=Place(state="TX"), lang="es",
                      today=date.today(), max_age_days=MAX_AGE, only_offerable=False)
    local = [m for m in everyone if m.local]
    assert [m.service.id for m in local] == [es.id, en.id]  # the texter's language first
    assert local[0].speaks and not local[1].speaks
    assert "988 Suicide & Crisis Lifeline" in {m.service.name for m in everyone if not m.local}
    session.add(DirSchedule(service_id=en.id, freq="WEEKLY", byday="MO,TU,WE,TH,FR",
                            opens_at="09:00", closes_at="17:00"))
    session.flush()
    monday_noon = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)
    sunday = datetime(2026, 11, 29, 12, 0, tzinfo=timezone.utc)
    open_now = search(session, need=Need.HEALTH, place=Place(state="TX"), today=date.today(),
                      max_age_days=MAX_AGE, only_offerable=False, open_at=monday_noon)
    assert en.id in [m.service.id for m in open_now] and es.id not in [
        m.service.id for m in open_now]  # no hours recorded: not known to be open
    closed = search(session, need=Need.HEALTH, place=Place(state="TX"), today=date.today(),
                    max_age_days=MAX_AGE, only_offerable=False, open_at=sunday)
    assert en.id not in [m.service.id for m in closed]
    assert "988 Suicide & Crisis Lifeline" in {m.service.name for m in closed}  # 24/7


def test_overnight_hours():
    night = DirSchedule(freq="WEEKLY", byday="FR", opens_at="22:00", closes_at="06:00")
    assert is_open([night], datetime(2026, 12, 4, 23, 0, tzinfo=timezone.utc))  # Friday
    assert is_open([night], datetime(2026, 12, 5, 5, 0, tzinfo=timezone.utc))   # Sat morning
    assert not is_open([night], datetime(2026, 12, 5, 23, 0, tzinfo=timezone.utc))


def test_hours_without_an_offset_are_the_hotlines_local_time():
    day = DirSchedule(freq="WEEKLY", byday="MO", opens_at="09:00", closes_at="17:00")
    ten_in_chicago = datetime(2026, 11, 30, 16, 0, tzinfo=timezone.utc)   # Monday 10:00 CST
    after_close = datetime(2026, 11, 30, 23, 30, tzinfo=timezone.utc)    # Monday 17:30 CST
    assert is_open([day], ten_in_chicago, "America/Chicago")
    assert not is_open([day], after_close, "America/Chicago")
    explicit = DirSchedule(freq="WEEKLY", byday="MO", opens_at="09:00", closes_at="17:00",
                           timezone=-6)
    assert not is_open([explicit], after_close, "UTC")


def test_staff_hours_take_an_optional_offset(session, supervisor):
    from bot.directory.edit import DirectoryError, ServiceForm, add_service, form_of

    form = ServiceForm(organization_name="Clinic", name="Clinic", need="health",
                       phones=[("voice", "713-555-0100")], areas=[("state", "TX")],
                       hours=[("MO,TU", "09:00", "17:00", "UTC-6"),
                              ("SA", "10:00", "12:00", "")])
    service = add_service(session, form, supervisor)
    assert sorted(form_of(session, service).hours) == [("MO,TU", "09:00", "17:00", "UTC-6"),
                                                      ("SA", "10:00", "12:00", "")]
    with pytest.raises(DirectoryError, match="UTC-6"):
        add_service(session, ServiceForm(**{**form.__dict__, "hours": [
            ("MO", "09:00", "17:00", "Central")]}), supervisor)
    with pytest.raises(DirectoryError, match="days are"):
        add_service(session, ServiceForm(**{**form.__dict__, "hours": [
            ("Monday", "09:00", "17:00", "")]}), supervisor)
