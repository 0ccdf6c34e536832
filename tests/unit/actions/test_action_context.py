"""action_session_start and action_extract_context (language + US state per turn)."""

from __future__ import annotations

import pytest
from action_helpers import SENDER, build_tracker, slot_sets

from actions.context import ActionExtractContext, ActionSessionStart
from bot.config import get_settings


def run_extract(dispatcher, domain, text, **kwargs):  # type: ignore[no-untyped-def]
    tracker = build_tracker(text, kwargs.pop("intent", "greet"), **kwargs)
    return ActionExtractContext().run(dispatcher, tracker, domain)


async def test_session_start_defaults_to_english(dispatcher, domain):
    events = await ActionSessionStart().run(dispatcher, build_tracker("hi", "greet"), domain)
    assert [e["event"] for e in events] == ["session_started", "slot", "action"]
    assert events[1]["name"] == "language" and events[1]["value"] == "en"
    assert events[2]["name"] == "action_listen"
    assert dispatcher.messages == []


async def test_session_start_uses_configured_default_language(dispatcher, domain, monkeypatch):
    monkeypatch.setenv("HOTLINE_DEFAULT_LANGUAGE", "es")
    get_settings.cache_clear()
    events = await ActionSessionStart().run(dispatcher, build_tracker("hola", "greet"), domain)
    assert slot_sets(events) == {"language": "es"}
    assert events[0]["event"] == "session_started"


def test_spanish_message_sets_language_and_stores_it(dispatcher, domain, store):
    events = run_extract(dispatcher, domain, "necesito ayuda, mi jefe tiene mi pasaporte",
                         intent="get_help")
    assert slot_sets(events) == {"language": "es"}
    conversation = store.conversation(SENDER)
    assert conversation is not None
    assert conversation.language == "es"
    assert conversation.channel == "unknown"  # created on the fly for an unknown sender
    assert dispatcher.messages == []


def test_spanish_updates_an_existing_conversation_row(dispatcher, domain, store):
    store.add_conversation(SENDER, language="en")
    run_extract(dispatcher, domain, "hola, necesito ayuda")
    conversation = store.conversation(SENDER)
    assert conversation.language == "es"
    assert conversation.channel == "webchat"


def test_english_request_switches_back(dispatcher, domain, store):
    store.add_conversation(SENDER, language="es")
    events = run_extract(dispatcher, domain, "english", intent="switch_language",
                         slots={"language": "es"})
    assert slot_sets(events) == {"language": "en"}
    assert store.conversation(SENDER).language == "en"


def test_same_language_sets_nothing_and_writes_nothing(dispatcher, domain, store):
    events = run_extract(dispatcher, domain, "hola", slots={"language": "es"})
    assert events == []
    assert store.conversation(SENDER) is None


@pytest.mark.parametrize("text", ["y", "no", "ok", "1", "si"])
def test_ambiguous_short_answers_set_nothing(dispatcher, domain, store, text):
    events = run_extract(dispatcher, domain, text, intent="affirm", slots={"language": "es"})
    assert events == []
    assert store.conversation(SENDER) is None


def test_state_named_in_a_sentence(dispatcher, domain):
    events = run_extract(dispatcher, domain, "I'm in Texas", intent="inform_location")
    assert slot_sets(events) == {"location_state": "TX"}


def test_zip_code_sets_state(dispatcher, domain):
    assert slot_sets(run_extract(dispatcher, domain, "77001")) == {"location_state": "TX"}


def test_spanish_sentence_with_state_sets_both(dispatcher, domain, store):
    events = run_extract(dispatcher, domain, "vivo en Texas y necesito ayuda")
    assert slot_sets(events) == {"language": "es", "location_state": "TX"}
    assert store.conversation(SENDER).language == "es"


@pytest.mark.parametrize("text", ["hi", "HI", "ok", "OK", "me", "Hi there", "help me"])
def test_greetings_and_short_words_are_not_states(dispatcher, domain, text):
    events = run_extract(dispatcher, domain, text)
    assert "location_state" not in slot_sets(events)
