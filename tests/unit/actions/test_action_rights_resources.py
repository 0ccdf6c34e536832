"""action_rights, action_more, validate_location_form and action_resources."""

from __future__ import annotations

import pytest
from action_helpers import build_tracker, responses, slot_sets, texts, user_event

from actions.resources import ActionResources, ValidateLocationForm
from actions.rights import ActionMore, ActionRights
from bot.content.loader import load_content
from bot.content.render import national_resources, rights_menu, rights_part

HOTLINE_CALL = "1-888-373-7888"


def topic(topic_id):  # type: ignore[no-untyped-def]
    return load_content().topic(topic_id)


# --------------------------------------------------------------------------- rights


def test_passport_taken_answers_documents_topic(dispatcher, domain):
    tracker = build_tracker("they took my passport", "ask_rights")
    events = ActionRights().run(dispatcher, tracker, domain)
    assert slot_sets(events) == {"rights_topic": "documents", "rights_part": 0}
    [text] = texts(dispatcher)
    assert text == rights_part(topic("documents"), "en", 0)[0]
    assert "passport" in text and "federal crime" in text
    assert text.startswith("Here is some info.")
    assert text.endswith("Reply MORE for more.")


def test_my_rights_lists_the_topics(dispatcher, domain):
    events = ActionRights().run(dispatcher, build_tracker("my rights", "ask_rights"), domain)
    assert slot_sets(events) == {"rights_topic": None, "rights_part": 0}
    [text] = texts(dispatcher)
    assert text == rights_menu(load_content(), "en")
    for title in ("T visa", "U visa", "Papers", "Pay", "Under 18", "Privacy"):
        assert title in text


def test_spanish_menu(dispatcher, domain):
    tracker = build_tracker("mis derechos", "ask_rights", slots={"language": "es"})
    ActionRights().run(dispatcher, tracker, domain)
    [text] = texts(dispatcher)
    assert text == rights_menu(load_content(), "es")
    assert "Responde con un tema" in text and "Papeles" in text and "Visa T" in text


def test_spanish_topic_in_spanish(dispatcher, domain):
    tracker = build_tracker("me quitaron el pasaporte", "ask_rights", slots={"language": "es"})
    events = ActionRights().run(dispatcher, tracker, domain)
    assert slot_sets(events)["rights_topic"] == "documents"
    [text] = texts(dispatcher)
    assert text == rights_part(topic("documents"), "es", 0)[0]
    assert "pasaporte" in text and text.startswith("Aquí tienes info.")
    assert "MÁS" in text


def test_longest_keyword_wins(dispatcher, domain):
    ActionRights().run(dispatcher, build_tracker("can I clear my criminal record", "ask_rights"),
                       domain)
    assert texts(dispatcher) == [rights_part(topic("vacatur"), "en", 0)[0]]


def test_more_sends_the_next_part(dispatcher, domain):
    tracker = build_tracker("more", "more", slots={"rights_topic": "documents", "rights_part": 0})
    events = ActionMore().run(dispatcher, tracker, domain)
    assert slot_sets(events) == {"rights_part": 1}
    [text] = texts(dispatcher)
    assert text == rights_part(topic("documents"), "en", 1)[0]
    assert HOTLINE_CALL in text
    assert "Reply MORE" not in text  # last part: no "more" hint


def test_more_walks_a_three_part_topic(dispatcher, domain):
    tracker = build_tracker("MORE", "more", slots={"rights_topic": "t_visa", "rights_part": 1.0})
    events = ActionMore().run(dispatcher, tracker, domain)
    assert slot_sets(events) == {"rights_part": 2}
    assert texts(dispatcher) == [rights_part(topic("t_visa"), "en", 2)[0]]


def test_more_in_spanish(dispatcher, domain):
    tracker = build_tracker("más", "more", slots={"language": "es", "rights_topic": "documents",
                                                   "rights_part": 0})
    ActionMore().run(dispatcher, tracker, domain)
    assert texts(dispatcher) == [rights_part(topic("documents"), "es", 1)[0]]


@pytest.mark.parametrize("slots", [
    {"rights_topic": "documents", "rights_part": 1},  # already at the last part
    {"rights_topic": None},                            # no topic shown yet
    {"rights_topic": "a_removed_topic"},               # content changed since
])
def test_no_more(dispatcher, domain, slots):
    events = ActionMore().run(dispatcher, build_tracker("more", "more", slots=slots), domain)
    assert events == []
    assert responses(dispatcher) == ["utter_no_more"]


def test_more_inside_a_form_with_nothing_to_show_goes_back_to_the_question(dispatcher, domain):
    """A bare "go on" / "sigamos" mid-tip is classed `more`; it must not read as a dead end."""
    tracker = build_tracker("sigamos", "more", active_loop="tip_form",
                            slots={"requested_slot": "tip_minor", "language": "es"})
    events = ActionMore().run(dispatcher, tracker, domain)
    assert events == []
    assert responses(dispatcher) == ["utter_resume_flow"]


# --------------------------------------------------------------------------- location


async def validate_location(dispatcher, domain, text):  # type: ignore[no-untyped-def]
    tracker = build_tracker(text, "inform_location", active_loop="location_form",
                            slots={"requested_slot": "location_state"},
                            candidates={"location_state": text})
    return slot_sets(await ValidateLocationForm().run(dispatcher, tracker, domain))


@pytest.mark.parametrize(("text", "expected"), [
    ("77001", "TX"), ("Texas", "TX"), ("tx", "TX"), ("I live in Houston, Texas", "TX"),
    ("California", "CA"), ("Nueva York", "NY"),
    ("skip", "US"), ("no", "US"), ("idk", "US"), ("prefer not to say", "US"),
    ("narnia", "??"), ("somewhere", "??"),
])
async def test_location_validation(dispatcher, domain, text, expected):
    assert await validate_location(dispatcher, domain, text) == {"location_state": expected}
    assert dispatcher.messages == []


async def test_location_sentinels_pass_through(dispatcher, domain):
    assert await validate_location(dispatcher, domain, "US") == {"location_state": "US"}


def resources_for(dispatcher, domain, code, language="en"):  # type: ignore[no-untyped-def]
    tracker = build_tracker("x", "inform_location",
                            slots={"location_state": code, "language": language})
    return ActionResources().run(dispatcher, tracker, domain)


def test_resources_for_a_state(dispatcher, domain):
    events = resources_for(dispatcher, domain, "TX")
    # the state of the listing is kept, so "ok keep looking" can give it again
    assert slot_sets(events) == {"location_state": None, "lookup_state": "TX"}
    assert responses(dispatcher) == [None]
    [text] = texts(dispatcher)
    assert text.startswith("Here is some info.\nWe have no current local listing for Texas.")
    assert HOTLINE_CALL in text


def test_unverified_local_entries_are_not_sent(dispatcher, domain):
    # CAST (states.yml, reviewed: false) is not in the shipped directory: the fallback.
    resources_for(dispatcher, domain, "CA")
    [text] = texts(dispatcher)
    assert "California" in text and "CAST" not in text and HOTLINE_CALL in text


def test_resources_come_from_the_directory(dispatcher, domain, hotline_env):
    add_verified(hotline_env, "Houston Shelter House", "shelter", [("city", "TX/Houston")])
    add_verified(hotline_env, "Houston Legal Aid", "legal", [("city", "TX/Houston")])
    history = [user_event("a shelter near me", "find_resources")]
    tracker = build_tracker("houston", "inform_location", history=history,
                            slots={"location_state": "TX", "language": "es"})
    ActionResources().run(dispatcher, tracker, domain)
    [text] = texts(dispatcher)
    assert text.startswith("Aquí tienes info.\nEn Houston:")
    assert "Houston Shelter House (Refugio y vivienda): llama al 713-555-0100." in text
    assert "Legal Aid" not in text and HOTLINE_CALL in text


def add_verified(url, name, need, areas):  # type: ignore[no-untyped-def]
    from bot.directory.edit import ServiceForm, add_service, verify_service
    from bot.store.db import session_scope
    from bot.store.models import Advocate

    with session_scope(url) as session:
        sup = session.query(Advocate).filter_by(username="sup").first()
        if sup is None:
            sup = Advocate(username="sup", display_name="Sup", password_hash="x",
                           role="supervisor")
            session.add(sup)
            session.flush()
        service = add_service(session, ServiceForm(
            organization_name=name, name=name, need=need, areas=areas,
            phones=[("voice", "713-555-0100")]), sup)
        verify_service(session, service, sup, assurer_email="sup@example.org")


def test_resources_spanish(dispatcher, domain):
    resources_for(dispatcher, domain, "TX", language="es")
    [text] = texts(dispatcher)
    assert text.startswith("Aquí tienes info.") and HOTLINE_CALL in text


def test_unknown_place_says_so_and_gives_national_number(dispatcher, domain):
    events = resources_for(dispatcher, domain, "??")
    assert slot_sets(events) == {"location_state": None}
    assert responses(dispatcher) == ["utter_place_not_found", None]
    [text] = texts(dispatcher)
    assert HOTLINE_CALL in text and "233733" in text


def test_skipped_place_gives_national_number_without_not_found(dispatcher, domain):
    resources_for(dispatcher, domain, "US")
    assert responses(dispatcher) == [None]
    [text] = texts(dispatcher)
    assert HOTLINE_CALL in text


@pytest.mark.parametrize("code", ["US", "??"])
def test_national_choice_gets_the_national_list(dispatcher, domain, code):
    resources_for(dispatcher, domain, code)
    assert texts(dispatcher) == [national_resources(load_content(), "en")]


async def test_location_form_to_resources_end_to_end(dispatcher, domain):
    sets = await validate_location(dispatcher, domain, "narnia")
    tracker = build_tracker("narnia", "inform_location", slots=sets)
    ActionResources().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_place_not_found", None]


async def test_question_marks_mean_not_sure_not_unknown_place(dispatcher, domain):
    assert await validate_location(dispatcher, domain, "??") == {"location_state": "US"}


def test_a_request_naming_need_and_city_is_answered_from_the_directory(dispatcher, domain,
                                                                       hotline_env):
    from actions.resources import ActionAnswerResources

    add_verified(hotline_env, "Houston Legal Aid", "legal", [("city", "TX/Houston")])
    add_verified(hotline_env, "Houston Shelter House", "shelter", [("city", "TX/Houston")])
    tracker = build_tracker("free legal help in Houston", "find_resources",
                            slots={"location_state": "TX", "language": "en"})
    ActionAnswerResources().run(dispatcher, tracker, domain)
    first, local = texts(dispatcher)
    assert HOTLINE_CALL in first
    assert local.startswith("Here is some info.\nIn Houston:")
    assert "Houston Legal Aid (Legal and immigration help)" in local
    assert "Shelter House" not in local


async def test_a_city_only_the_directory_knows_is_a_place(dispatcher, domain, hotline_env):
    add_verified(hotline_env, "Pasadena Shelter", "shelter", [("city", "TX/Pasadena")])
    assert await validate_location(dispatcher, domain, "pasadena") == {"location_state": "TX"}
