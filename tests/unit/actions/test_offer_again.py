"""A question asked at "Is it safe to start now? (Y/N)" is answered, then the offer comes back."""

from __future__ import annotations

from action_helpers import (
    action_event,
    bot_event,
    build_tracker,
    slot_sets,
    texts,
    user_event,
)

from actions.offer import last_bot_action, offer_pending
from actions.resources import ActionAnswerResources
from actions.rights import ActionRights

OFFERED = [user_event("can u check if my job is ok", "get_help"),
           action_event("action_hear_disclosure"), action_event("utter_offer_screening"),
           bot_event("utter_offer_screening"), action_event("action_listen")]


def followups(events):  # type: ignore[no-untyped-def]
    return [e["name"] for e in events if e.get("event") == "followup"]


def test_the_offer_is_the_last_thing_the_bot_asked() -> None:
    tracker = build_tracker("do u report to immigration?", "ask_rights", history=OFFERED)
    assert last_bot_action(tracker.events) == "utter_offer_screening"
    assert offer_pending(tracker)


def test_a_rights_question_at_the_offer_is_answered_then_the_offer_is_asked_again(
        dispatcher, domain):  # type: ignore[no-untyped-def]
    tracker = build_tracker("wait they took my passport is that legal", "ask_rights",
                            history=OFFERED)
    events = ActionRights().run(dispatcher, tracker, domain)
    [answer] = texts(dispatcher)
    assert "passport" in answer.lower()
    assert followups(events) == ["utter_offer_screening"]
    assert slot_sets(events)["rights_topic"] is not None


def test_a_number_asked_for_at_the_offer_is_given_then_the_offer_instead_of_more(
        dispatcher, domain):  # type: ignore[no-untyped-def]
    tracker = build_tracker("whats the number to call", "find_resources", history=OFFERED)
    events = ActionAnswerResources().run(dispatcher, tracker, domain)
    [answer] = texts(dispatcher)
    assert "1-888-373-7888" in answer
    assert followups(events) == ["utter_offer_screening"]


def test_without_an_open_offer_nothing_is_asked_again(dispatcher, domain):  # type: ignore[no-untyped-def]
    history = [*OFFERED, user_event("yes", "affirm"), action_event("screening_form"),
               {"event": "active_loop", "name": "screening_form"}, action_event("action_listen"),
               user_event("stop", "stop"), action_event("action_stop_screening"),
               {"event": "active_loop", "name": None}, action_event("utter_menu"),
               action_event("action_listen")]
    tracker = build_tracker("do you report people to immigration", "ask_rights",
                            history=history)
    assert not offer_pending(tracker)
    events = ActionRights().run(dispatcher, tracker, domain)
    assert followups(events) == []


def test_inside_a_form_the_form_asks_its_own_question() -> None:
    tracker = build_tracker("do u report to immigration?", "ask_rights", history=OFFERED,
                            active_loop="screening_form")
    assert not offer_pending(tracker)


def test_a_line_named_in_words_wins_over_the_generic_hotline(dispatcher, domain):  # type: ignore[no-untyped-def]
    """Round 7: "is there a DV line" got the trafficking hotline when the selector was unsure."""
    from actions.common import content
    from bot.content.render import line_message

    for text, line in [("my bf hits me, any dv number", "domestic_violence"),
                       ("telefono pa proteccion de menores", "child_abuse"),
                       ("can i text 988", "crisis")]:
        dispatcher.messages.clear()
        lang = "es" if "telefono" in text else "en"
        tracker = build_tracker(text, "find_resources", slots={"language": lang})
        ActionAnswerResources().run(dispatcher, tracker, domain)
        assert texts(dispatcher)[0] == line_message(content(), line, lang), text
