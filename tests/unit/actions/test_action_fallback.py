"""action_fallback: rephrase, then the menu, then a person; rights keywords answered."""

from __future__ import annotations

import pytest
from action_helpers import (
    SENDER,
    action_event,
    bot_event,
    build_tracker,
    responses,
    slot_sets,
    texts,
    user_event,
)
from action_helpers import texts as sent_texts

from actions.fallback import ActionFallback, consecutive_fallbacks
from bot.content.loader import load_content
from bot.content.render import rights_part


def missed(text):  # type: ignore[no-untyped-def]
    """A past turn that fell back: the user message, the action and its reply."""
    return [user_event(text, "nlu_fallback", 0.2), action_event("action_fallback"),
            bot_event("utter_rephrase"), action_event("action_listen")]


def fallback_tracker(text, misses_before=0, history=None, **kwargs):  # type: ignore[no-untyped-def]
    past = list(history or [])
    for i in range(misses_before):
        past += missed(f"blah {i}")
    return build_tracker(text, "nlu_fallback", history=past, confidence=0.2, **kwargs)


def test_first_miss_asks_to_rephrase(dispatcher, domain, store):
    tracker = fallback_tracker("asdfgh")
    assert consecutive_fallbacks(tracker) == 1
    assert ActionFallback().run(dispatcher, tracker, domain) == []
    assert responses(dispatcher) == ["utter_rephrase"]
    assert store.handoffs() == []


def test_second_miss_shows_the_menu(dispatcher, domain, store):
    tracker = fallback_tracker("qwerty", misses_before=1)
    assert consecutive_fallbacks(tracker) == 2
    assert ActionFallback().run(dispatcher, tracker, domain) == []
    assert responses(dispatcher) == ["utter_fallback_menu", "utter_menu"]
    assert store.handoffs() == []


@pytest.mark.parametrize("misses_before", [2, 4])
def test_third_miss_also_asks_for_a_person(dispatcher, domain, store, misses_before):
    tracker = fallback_tracker("zxcv", misses_before=misses_before)
    ActionFallback().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_fallback_menu", "utter_menu"]
    [handoff] = store.handoffs()
    assert (handoff.conversation_id, handoff.reason, handoff.priority, handoff.status) == (
        SENDER, "misunderstood", "normal", "open")
    assert handoff.details == {"misses": misses_before + 1}


def test_repeated_misses_keep_one_open_request(dispatcher, domain, store):
    ActionFallback().run(dispatcher, fallback_tracker("a", misses_before=2), domain)
    ActionFallback().run(dispatcher, fallback_tracker("b", misses_before=3), domain)
    [handoff] = store.handoffs()
    assert handoff.details == {"misses": 4}


def test_an_understood_message_breaks_the_streak(dispatcher, domain, store):
    history = [*missed("x"), *missed("y"), user_event("hello", "greet"),
               action_event("utter_menu"), action_event("action_listen")]
    tracker = fallback_tracker("zzz", history=history)
    assert consecutive_fallbacks(tracker) == 1
    ActionFallback().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_rephrase"]
    assert store.handoffs() == []


def test_rights_keyword_is_answered_instead(dispatcher, domain, store):
    tracker = fallback_tracker("passport", misses_before=2)
    events = ActionFallback().run(dispatcher, tracker, domain)
    assert slot_sets(events) == {"rights_topic": "documents", "rights_part": 0}
    assert responses(dispatcher) == [None]
    assert sent_texts(dispatcher) == [
        rights_part(load_content().topic("documents"), "en", 0)[0]]
    assert store.handoffs() == []  # answered, so no "misunderstood" request


def test_spanish_rights_keyword(dispatcher, domain):
    tracker = fallback_tracker("pasaporte??", slots={"language": "es"})
    ActionFallback().run(dispatcher, tracker, domain)
    [text] = sent_texts(dispatcher)
    assert text == rights_part(load_content().topic("documents"), "es", 0)[0]
    assert text.startswith("Aquí tienes info.")


def test_zip_code_gets_resources_instead_of_rephrase(dispatcher, domain):
    tracker = fallback_tracker("77001")
    ActionFallback().run(dispatcher, tracker, domain)
    assert responses(dispatcher) != ["utter_rephrase"]


def test_a_disclosure_the_model_did_not_place_is_heard_and_the_questions_offered(
        dispatcher, domain):  # type: ignore[no-untyped-def]
    """Round 7: "he posts me online..." came out as out_of_scope and got "Sorry"."""
    from actions.fallback import ActionFallback

    tracker = build_tracker("he posts me online and i have to see whoever he says",
                            "out_of_scope")
    events = ActionFallback().run(dispatcher, tracker, domain)
    said = " ".join(texts(dispatcher))
    assert "sex" in said.lower()
    assert {"event": "followup", "name": "utter_offer_screening", "timestamp": None} in events
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert slots["q_commercial_sex"] == "yes" and "commercial_sex" in slots["disclosed"]


def test_an_age_alone_is_not_a_disclosure_to_offer_questions_on(
        dispatcher, domain):  # type: ignore[no-untyped-def]
    from actions.fallback import ActionFallback

    tracker = build_tracker("im 34 lol", "out_of_scope")
    events = ActionFallback().run(dispatcher, tracker, domain)
    assert not [e for e in events if e.get("event") == "followup"]
