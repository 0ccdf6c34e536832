"""action_emergency and action_handoff: handoff rows, urgency, partial records, replies."""

from __future__ import annotations

import logging

from action_helpers import SENDER, build_tracker

from actions.handoff import ActionHandoff
from actions.safety import ActionEmergency
from bot.config import get_settings
from bot.content.loader import load_content
from bot.content.render import handoff_message

HOTLINE_CALL = "1-888-373-7888"
HOTLINE_TEXT = "233733"


# --------------------------------------------------------------------------- emergency


def test_emergency_opens_handoff_and_marks_urgent(dispatcher, domain, store):
    tracker = build_tracker("he is going to kill me", "emergency")
    events = ActionEmergency().run(dispatcher, tracker, domain)
    assert events == []
    # The reply is the domain response utter_emergency, sent by the rule first.
    assert dispatcher.messages == []
    [handoff] = store.handoffs()
    assert (handoff.conversation_id, handoff.reason, handoff.priority, handoff.status) == (
        SENDER, "emergency", "emergency", "open")
    assert handoff.details == {"active_loop": None}
    assert store.conversation(SENDER).urgent is True
    assert store.screenings() == [] and store.tips() == []


def test_emergency_outranks_an_open_normal_handoff(dispatcher, domain, store):
    ActionHandoff().run(dispatcher, build_tracker("talk to a person", "handoff"), domain)
    ActionEmergency().run(dispatcher, build_tracker("help me now", "emergency"), domain)
    [handoff] = store.handoffs()  # one open request, raised to emergency
    assert handoff.priority == "emergency"
    assert handoff.reason == "emergency"


def test_emergency_mid_screening_keeps_partial_screening(dispatcher, domain, store):
    tracker = build_tracker(
        "they have a gun", "emergency", active_loop="screening_form",
        slots={"q_safe_leave": "no", "q_documents": "yes", "requested_slot": "q_debt"})
    ActionEmergency().run(dispatcher, tracker, domain)
    [screening] = store.screenings()
    assert screening.complete is False
    assert screening.answers == {"q_safe_leave": "no", "q_documents": "yes"}
    assert screening.indicators == ["MethodsOfControlRestrictsMovement",
                                    "MethodsOfControlWithholdsDocuments"]
    assert screening.triage == "emergency"  # scored with the emergency flag (R1)
    [handoff] = store.handoffs()  # the screening's "high" does not lower the emergency
    assert handoff.priority == "emergency"
    assert handoff.details["active_loop"] == "screening_form"
    assert handoff.details["triage"] == "emergency"
    assert store.tips() == []


def test_emergency_mid_screening_without_answers_stores_no_screening(dispatcher, domain, store):
    tracker = build_tracker("sos", "emergency", active_loop="screening_form",
                            slots={"requested_slot": "q_safe_leave"})
    ActionEmergency().run(dispatcher, tracker, domain)
    assert store.screenings() == []
    assert [h.priority for h in store.handoffs()] == ["emergency"]


def test_emergency_mid_tip_keeps_partial_tip(dispatcher, domain, store):
    tracker = build_tracker(
        "help now", "emergency", active_loop="tip_form",
        slots={"tip_what": "workers sleeping in a van", "tip_where": "Houston, Texas",
               "requested_slot": "tip_when"})
    ActionEmergency().run(dispatcher, tracker, domain)
    [tip] = store.tips()
    assert tip.complete is False
    assert tip.what == "workers sleeping in a van"
    assert tip.location == "Houston, Texas"
    assert tip.state_code == "TX"
    assert tip.when_seen is None and tip.urgent is False
    assert store.screenings() == []
    assert [h.priority for h in store.handoffs()] == ["emergency"]


def test_emergency_survives_a_broken_store(dispatcher, domain, tmp_path, monkeypatch, caplog):
    # A database that was never migrated: every write fails.
    monkeypatch.setenv("HOTLINE_DATABASE_URL", f"sqlite:///{tmp_path / 'unmigrated.db'}")
    get_settings.cache_clear()
    tracker = build_tracker("911", "emergency", active_loop="screening_form",
                            slots={"q_safe_leave": "no"})
    with caplog.at_level(logging.ERROR, logger="actions.safety"):
        events = ActionEmergency().run(dispatcher, tracker, domain)
    # The interrupted screening is cleared even when the store is down.
    assert {e["name"] for e in events} >= {"q_safe_leave", "q_documents", "answer_retries"}
    assert all(e["value"] in (None, 0) for e in events)
    assert "could not record emergency" in caplog.text
    assert dispatcher.messages == []


def test_emergency_survives_an_unreachable_store(dispatcher, domain, tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    monkeypatch.setenv("HOTLINE_DATABASE_URL", f"sqlite:///{blocker / 'db.sqlite'}")
    get_settings.cache_clear()
    assert ActionEmergency().run(dispatcher, build_tracker("sos", "emergency"), domain) == []


# --------------------------------------------------------------------------- handoff


def test_handoff_records_request_and_replies_with_hotline(dispatcher, domain, store):
    events = ActionHandoff().run(dispatcher, build_tracker("can I talk to a person",
                                                           "handoff"), domain)
    assert events == []
    [handoff] = store.handoffs()
    assert (handoff.reason, handoff.priority, handoff.status) == ("asked", "normal", "open")
    assert handoff.details == {"active_loop": None}
    assert store.conversation(SENDER).urgent is False
    [message] = dispatcher.messages
    assert message["text"] == handoff_message(load_content(), "en", urgent=False)
    assert HOTLINE_CALL in message["text"] and HOTLINE_TEXT in message["text"]
    assert "24/7" in message["text"]
    assert message["text"].startswith("OK, noted.")


def test_handoff_in_spanish(dispatcher, domain, store):
    tracker = build_tracker("quiero hablar con una persona", "handoff", slots={"language": "es"})
    ActionHandoff().run(dispatcher, tracker, domain)
    [message] = dispatcher.messages
    assert message["text"] == handoff_message(load_content(), "es", urgent=False)
    assert message["text"].startswith("De acuerdo.")
    assert HOTLINE_CALL in message["text"] and "24/7" in message["text"]


def test_handoff_for_urgent_conversation_is_emergency(dispatcher, domain, store):
    store.add_conversation(SENDER, urgent=True)
    ActionHandoff().run(dispatcher, build_tracker("person please", "handoff"), domain)
    [handoff] = store.handoffs()
    assert handoff.priority == "emergency"
    assert handoff.reason == "asked"
    [message] = dispatcher.messages
    assert message["text"] == handoff_message(load_content(), "en", urgent=True)
    assert "urgent" in message["text"] and "911" in message["text"]


def test_handoff_after_emergency_keeps_emergency_priority(dispatcher, domain, store):
    ActionEmergency().run(dispatcher, build_tracker("sos", "emergency"), domain)
    ActionHandoff().run(dispatcher, build_tracker("a person", "handoff"), domain)
    [handoff] = store.handoffs()
    assert handoff.priority == "emergency"
    assert handoff.reason == "emergency"  # a lower-priority ask does not overwrite it
    assert handoff.details == {"active_loop": None}


def test_handoff_mid_tip_saves_partial_tip(dispatcher, domain, store):
    tracker = build_tracker(
        "I want to talk to someone", "handoff", active_loop="tip_form",
        slots={"tip_what": "girls working at a nail salon", "tip_where": "skip",
               "tip_when": "yesterday", "requested_slot": "tip_minor"})
    ActionHandoff().run(dispatcher, tracker, domain)
    [tip] = store.tips()
    assert tip.complete is False
    assert (tip.what, tip.location, tip.state_code, tip.when_seen) == (
        "girls working at a nail salon", None, None, "yesterday")
    assert tip.contact_ok is False and tip.urgent is False
    [handoff] = store.handoffs()
    assert handoff.details == {"active_loop": "tip_form"}
    assert handoff.priority == "normal"


def test_handoff_mid_tip_with_minor_raises_priority(dispatcher, domain, store):
    tracker = build_tracker(
        "person", "handoff", active_loop="tip_form",
        slots={"tip_what": "a kid selling", "tip_minor": "yes", "requested_slot": "tip_danger"})
    ActionHandoff().run(dispatcher, tracker, domain)
    [tip] = store.tips()
    assert tip.urgent is True and tip.minor_involved == "yes"
    [handoff] = store.handoffs()
    assert handoff.priority == "minor"
    assert handoff.reason == "tip"


def test_handoff_mid_tip_with_nothing_answered_saves_no_tip(dispatcher, domain, store):
    tracker = build_tracker("person", "handoff", active_loop="tip_form",
                            slots={"requested_slot": "tip_what"})
    ActionHandoff().run(dispatcher, tracker, domain)
    assert store.tips() == []
    assert len(store.handoffs()) == 1


def test_handoff_mid_location_form_records_loop(dispatcher, domain, store):
    tracker = build_tracker("person", "handoff", active_loop="location_form")
    ActionHandoff().run(dispatcher, tracker, domain)
    assert store.handoffs()[0].details == {"active_loop": "location_form"}
    assert store.tips() == [] and store.screenings() == []


def test_handoff_reply_survives_a_broken_store(dispatcher, domain, tmp_path, monkeypatch):
    """The 24/7 number must reach the texter even if the handoff cannot be recorded."""
    monkeypatch.setenv("HOTLINE_DATABASE_URL", f"sqlite:///{tmp_path / 'unmigrated.db'}")
    get_settings.cache_clear()
    ActionHandoff().run(dispatcher, build_tracker("a person", "handoff"), domain)
    assert HOTLINE_CALL in dispatcher.messages[0]["text"]
