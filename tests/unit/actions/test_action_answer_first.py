"""Answer first (issue 10): lines and rights topics from the ResponseSelector, disclosures heard.

Trackers carry the ResponseSelector's output the way the Rasa server sends it
(`response_selector.default.response.intent_response_key`).
"""

from __future__ import annotations

from typing import Any

import pytest
from action_helpers import build_tracker, slot_sets, texts

from actions.context import ActionExtractContext
from actions.disclosures import ActionHearDisclosure
from actions.resources import ActionAnswerResources
from actions.rights import ActionRights
from actions.screening import ActionKeepDisclosures, ActionSubmitScreening, ValidateScreeningForm
from bot.content.loader import load_content
from bot.content.render import line_message, line_offer, rights_menu, rights_part

HOTLINE = ("1-888-373-7888", "233733", "TTY 711")


def selected(text: str, intent: str, key: str, confidence: float = 0.9, **kwargs: Any):  # type: ignore[no-untyped-def]
    tracker = build_tracker(text, intent, **kwargs)
    tracker.latest_message["response_selector"] = {
        "all_retrieval_intents": [intent],
        "default": {"response": {"intent_response_key": f"{intent}/{key}",
                                 "confidence": confidence, "responses": None},
                    "ranking": []},
    }
    return tracker


# --------------------------------------------------------------------------- lines


@pytest.mark.parametrize(("key", "must_have"), [
    ("hotline", HOTLINE),
    ("domestic_violence", ("1-800-799-7233", "88788", "1-888-373-7888")),
    ("child_abuse", ("1-800-422-4453", "1-800-843-5678", "1-888-373-7888")),
    ("crisis", ("988", "911", "1-888-373-7888")),
    ("labor", ("1-866-487-9243", "1-888-373-7888")),
    ("legal", ("justice.gov/eoir", "1-888-373-7888")),
    ("spanish", ("233733", "Spanish")),
])
def test_a_request_for_a_number_is_answered_at_once(dispatcher, domain, key, must_have):
    tracker = selected("number pls", "find_resources", key)
    events = ActionAnswerResources().run(dispatcher, tracker, domain)
    answer, offer = texts(dispatcher)
    assert answer == line_message(load_content(), key, "en")
    assert all(piece in answer for piece in must_have), (key, answer)
    assert "Which state" not in answer
    assert offer == line_offer(load_content(), "en")
    assert slot_sets(events) == {"ask_state": False}


@pytest.mark.parametrize("key", ["local", "shelter"])
def test_help_near_me_gives_the_hotline_then_asks_the_state(dispatcher, domain, key):
    tracker = selected("shelter near me", "find_resources", key)
    events = ActionAnswerResources().run(dispatcher, tracker, domain)
    [answer] = texts(dispatcher)
    assert all(piece in answer for piece in HOTLINE[:2])
    assert slot_sets(events) == {"ask_state": True}  # location_form asks next


def test_a_state_in_the_request_gets_the_listing_too(dispatcher, domain):
    tracker = selected("shelter in texas", "find_resources", "shelter",
                       slots={"location_state": "TX"})
    events = ActionAnswerResources().run(dispatcher, tracker, domain)
    answer, listing = texts(dispatcher)
    assert "1-888-373-7888" in answer and ("Texas" in listing)
    assert slot_sets(events) == {"location_state": None, "ask_state": False,
                                 "lookup_state": "TX"}


def test_spanish_line_in_spanish(dispatcher, domain):
    tracker = selected("numero de violencia domestica", "find_resources", "domestic_violence",
                       slots={"language": "es"})
    ActionAnswerResources().run(dispatcher, tracker, domain)
    answer, offer = texts(dispatcher)
    assert answer.startswith("Aquí tienes info.") and "1-800-799-7233" in answer
    assert offer.startswith("¿Algo más?")


def test_inside_a_form_only_the_answer_then_the_form_resumes(dispatcher, domain):
    tracker = selected("whats the hotline number", "find_resources", "hotline",
                       active_loop="screening_form", slots={"requested_slot": "q_debt"})
    events = ActionAnswerResources().run(dispatcher, tracker, domain)
    [answer] = texts(dispatcher)
    assert "1-888-373-7888" in answer
    assert slot_sets(events) == {"ask_state": False}


def test_no_selector_output_still_gives_the_hotline(dispatcher, domain):
    tracker = build_tracker("number??", "find_resources")
    ActionAnswerResources().run(dispatcher, tracker, domain)
    assert all(piece in texts(dispatcher)[0] for piece in HOTLINE)


# --------------------------------------------------------------------------- rights


@pytest.mark.parametrize(("key", "text", "needle"), [
    ("reporting", "do u guys call ice on people", "do not report you"),
    ("police", "must i talk to cops", "do not have to talk to the police"),
    ("status", "can someone like me get papers", "T visa"),
    ("removal", "will they kick me out if i say something", "lawyer"),
    ("confidentiality", "who sees what i write", "Only our team reads this chat"),
    ("debt", "do i really owe them", "debt never gives"),
])
def test_rights_question_answered_from_the_selector(dispatcher, domain, key, text, needle):
    tracker = selected(text, "ask_rights", key)
    events = ActionRights().run(dispatcher, tracker, domain)
    [answer] = texts(dispatcher)
    topic = load_content().topic(key)
    assert answer == rights_part(topic, "en", 0)[0]
    assert needle in answer
    assert slot_sets(events) == {"rights_topic": key, "rights_part": 0}


def test_unsure_selector_falls_back_to_the_keywords(dispatcher, domain):
    tracker = selected("my passport", "ask_rights", "wages", confidence=0.1)
    ActionRights().run(dispatcher, tracker, domain)
    assert "passport" in texts(dispatcher)[0]


def test_menu_key_lists_the_topics(dispatcher, domain):
    tracker = selected("what are my rights", "ask_rights", "menu")
    ActionRights().run(dispatcher, tracker, domain)
    assert texts(dispatcher) == [rights_menu(load_content(), "en")]


def test_spanish_reporting_answer(dispatcher, domain):
    tracker = selected("ustedes llaman a la migra?", "ask_rights", "reporting",
                       slots={"language": "es"})
    ActionRights().run(dispatcher, tracker, domain)
    assert "No somos policía ni migración" in texts(dispatcher)[0]


# --------------------------------------------------------------------------- disclosures


def test_disclosure_is_heard_and_prefills_the_screening(dispatcher, domain):
    tracker = build_tracker("they took my passport and i owe them for the trip", "get_help")
    events = ActionHearDisclosure().run(dispatcher, tracker, domain)
    [reply] = texts(dispatcher)
    assert reply.startswith("Thank you for telling me.")
    assert "Nobody may keep your ID or passport" in reply and "debt" in reply
    assert slot_sets(events) == {"q_documents": "yes", "q_debt": "yes",
                                 "disclosed": ["documents", "debt"], "prefilled": True}


def test_no_disclosure_says_nothing(dispatcher, domain):
    tracker = build_tracker("i need help", "get_help")
    assert ActionHearDisclosure().run(dispatcher, tracker, domain) == []
    assert dispatcher.messages == []


def test_spanish_disclosure_in_spanish(dispatcher, domain):
    tracker = build_tracker("mi jefe dice que va a llamar a la migra si me quejo", "get_help",
                            slots={"language": "es"})
    events = ActionHearDisclosure().run(dispatcher, tracker, domain)
    assert texts(dispatcher)[0].startswith("Gracias por contármelo.")
    assert slot_sets(events)["q_police_threats"] == "yes"


def test_an_answer_already_given_is_not_overwritten(dispatcher, domain):
    tracker = build_tracker("they have my passport", "get_help", slots={"q_documents": "no"})
    assert ActionHearDisclosure().run(dispatcher, tracker, domain) == []


async def test_a_story_instead_of_y_n_answers_other_questions_and_reasks(dispatcher, domain):
    # Asked about debt, the texter says the boss has their passport: heard, no "Sorry".
    tracker = build_tracker("my boss has my passport", "get_help", active_loop="screening_form",
                            slots={"requested_slot": "q_debt", "q_safe_leave": "no"},
                            candidates={"q_debt": "my boss has my passport"})
    events = await ValidateScreeningForm().run(dispatcher, tracker, domain)
    sets = slot_sets(events)
    assert sets["q_documents"] == "yes" and sets["q_debt"] is None
    assert sets["disclosed"] == ["documents"] and sets["answer_retries"] == 0
    assert sets["requested_slot"] == "q_debt"  # asked again, once
    [reply] = texts(dispatcher)
    assert "Sorry" not in reply and reply.startswith("Thank you for telling me.")


async def test_a_leading_no_plus_a_story_answers_both(dispatcher, domain):
    tracker = build_tracker("no, they keep my id", "deny", active_loop="screening_form",
                            slots={"requested_slot": "q_safe_leave"},
                            candidates={"q_safe_leave": "no, they keep my id"})
    events = await ValidateScreeningForm().run(dispatcher, tracker, domain)
    sets = slot_sets(events)
    assert sets["q_safe_leave"] == "no" and sets["q_documents"] == "yes"
    assert sets["requested_slot"] == "q_debt"  # papers are not asked again


def test_result_marks_what_came_from_the_texters_words(dispatcher, domain, store):
    slots = {"q_safe_leave": "yes", "q_documents": "yes", "q_debt": "yes", "q_threats": "no",
             "q_police_threats": "no", "q_violence": "no", "q_false_promises": "no",
             "q_commercial_sex": "no", "q_under18": "no", "q_conditions": "no",
             "q_housing": "no", "disclosed": ["documents", "no_pay"]}
    ActionSubmitScreening().run(dispatcher, build_tracker("n", "deny", slots=slots), domain)
    [row] = store.screenings()
    heard = row.result["from_texters_words"]
    assert {h["htcds"] for h in heard} == {"MethodsOfControlWithholdsDocuments",
                                           "MethodsOfControlTakesEarnings"}
    assert "MethodsOfControlWithholdsDocuments" in row.indicators


def test_declined_after_a_disclosure_keeps_it_for_the_advocate(dispatcher, domain, store):
    slots = {"q_commercial_sex": "yes", "q_under18": "yes",
             "disclosed": ["commercial_sex", "minor"]}
    ActionKeepDisclosures().run(dispatcher, build_tracker("no", "deny", slots=slots), domain)
    [row] = store.screenings()
    assert row.complete is False and row.minor is True
    assert {h["kind"] for h in row.result["from_texters_words"]} == {"commercial_sex", "minor"}
    [handoff] = store.handoffs()
    assert handoff.minor is True
    assert "1-888-373-7888" in texts(dispatcher)[0]  # a person is asked to join


def test_declined_without_a_disclosure_stores_nothing(dispatcher, domain, store):
    ActionKeepDisclosures().run(dispatcher, build_tracker("no", "deny"), domain)
    assert store.screenings() == [] and dispatcher.messages == []


# --------------------------------------------------------------------------- language


@pytest.mark.parametrize("text", ["the sunset motel on main", "my boss house", "today"])
def test_free_text_tip_answer_keeps_the_texters_language(dispatcher, domain, store, text):
    tracker = build_tracker(text, "nlu_fallback",
                            active_loop="tip_form",
                            slots={"language": "es", "requested_slot": "tip_where"})
    events = ActionExtractContext().run(dispatcher, tracker, domain)
    assert "language" not in slot_sets(events)


def test_a_sentence_in_the_other_language_still_switches(dispatcher, domain, store):
    tracker = build_tracker("vi a unas muchachas que no las dejan salir", "report_tip",
                            active_loop="tip_form",
                            slots={"language": "en", "requested_slot": "tip_what"})
    events = ActionExtractContext().run(dispatcher, tracker, domain)
    assert slot_sets(events)["language"] == "es"


def test_explicit_switch_inside_a_form_still_switches(dispatcher, domain, store):
    tracker = build_tracker("english please", "switch_language", active_loop="tip_form",
                            slots={"language": "es", "requested_slot": "tip_where"})
    events = ActionExtractContext().run(dispatcher, tracker, domain)
    assert slot_sets(events)["language"] == "en"


@pytest.mark.parametrize(("text", "lang"), [("numero??", "es"), ("phone pls", "en"),
                                             ("linea", "es")])
def test_a_number_request_the_model_missed_still_gets_the_hotline(dispatcher, domain, text,
                                                                  lang):
    from actions.fallback import ActionFallback

    tracker = build_tracker(text, "nlu_fallback", slots={"language": lang})
    ActionFallback().run(dispatcher, tracker, domain)
    answer, offer = texts(dispatcher)
    assert answer == line_message(load_content(), "hotline", lang)
    assert offer == line_offer(load_content(), lang)


async def test_a_story_at_the_state_question_is_heard_then_the_state_asked_again(dispatcher,
                                                                                domain):
    from actions.resources import ValidateLocationForm

    text = "they took my passport"
    tracker = build_tracker(text, "get_help", active_loop="location_form",
                            slots={"requested_slot": "location_state"},
                            candidates={"location_state": text})
    events = await ValidateLocationForm().run(dispatcher, tracker, domain)
    sets = slot_sets(events)
    # Empty again: location_form asks for the state once more.
    assert sets["location_state"] is None and sets["q_documents"] == "yes"
    assert texts(dispatcher)[0].startswith("Thank you for telling me.")


# --------------------------------------------------------------------------- answers, not questions


@pytest.mark.parametrize(("action", "intent"), [(ActionRights, "ask_rights"),
                                                (ActionAnswerResources, "find_resources")])
def test_a_tip_answer_read_as_a_question_still_fills_the_tip(dispatcher, domain, action, intent):
    tracker = selected("hace 2 dias", intent, "menu", active_loop="tip_form",
                       slots={"language": "es", "requested_slot": "tip_when"})
    events = action().run(dispatcher, tracker, domain)
    assert slot_sets(events)["tip_when"] == "hace 2 dias"
    assert dispatcher.messages == []  # no rights text, no "which state?"; the form goes on


def test_a_yes_no_answer_read_as_a_question_still_answers(dispatcher, domain):
    tracker = selected("no se", "ask_rights", "menu", active_loop="screening_form",
                       slots={"language": "es", "requested_slot": "q_threats"})
    events = ActionRights().run(dispatcher, tracker, domain)
    assert slot_sets(events) == {"q_threats": "not_sure", "answer_retries": 0}
    assert dispatcher.messages == []


@pytest.mark.parametrize(("text", "topic"), [
    ("can they deport her?", "removal"),
    # a visa named in the texter's words wins over a selector pick that names none of its
    # own; a general word ("ice") does not
    ("que es la visa t", "t_visa"),
    ("do you call ice on people", "removal"),
])
def test_a_real_question_inside_a_form_is_answered(dispatcher, domain, text, topic):
    tracker = selected(text, "ask_rights", "removal", active_loop="tip_form",
                       slots={"requested_slot": "tip_when"})
    events = ActionRights().run(dispatcher, tracker, domain)
    assert slot_sets(events) == {"rights_topic": topic, "rights_part": 0}
    assert len(texts(dispatcher)) == 1


def test_a_keyword_with_a_word_slipped_in_still_names_its_topic():
    from bot.content.loader import load_content

    assert load_content().match_rights_topic("who else reads this stuff").id == "confidentiality"
    assert load_content().match_rights_topic("quien mas lee esto").id == "confidentiality"


def test_the_selectors_topic_stays_when_the_text_names_it_too(dispatcher, domain):
    tracker = selected("can i get a t visa if my boss keeps my passport", "ask_rights", "t_visa")
    events = ActionRights().run(dispatcher, tracker, domain)
    assert slot_sets(events)["rights_topic"] == "t_visa"
