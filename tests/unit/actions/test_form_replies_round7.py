"""Inside a form, "ok go on" and a question the model left to the form are not misses."""

from __future__ import annotations

from action_helpers import build_tracker, responses, texts

from actions.answers import validate_yes_no
from actions.form_answer import looks_like_a_question


def test_go_on_asks_the_question_again_without_sorry_or_a_retry(dispatcher) -> None:  # type: ignore[no-untyped-def]
    tracker = build_tracker("ok keep going", "affirm", slots={"answer_retries": 0},
                            active_loop="screening_form")
    slots = validate_yes_no("q_documents", "ok keep going", dispatcher, tracker)
    assert slots == {"q_documents": None}
    assert responses(dispatcher) == ["utter_resume_flow"]


def test_a_rights_question_inside_the_form_is_answered_first(dispatcher) -> None:  # type: ignore[no-untyped-def]
    text = "hold on, can they keep my passport from me"
    tracker = build_tracker(text, "affirm", active_loop="screening_form")
    slots = validate_yes_no("q_debt", text, dispatcher, tracker)
    assert slots["q_debt"] is None and slots["rights_topic"] == "documents"
    assert "answer_retries" not in slots  # not counted as a miss
    [answer] = texts(dispatcher)
    assert "passport" in answer.lower()


def test_a_real_miss_still_gets_the_hint(dispatcher) -> None:  # type: ignore[no-untyped-def]
    tracker = build_tracker("purple", "nlu_fallback", active_loop="screening_form")
    slots = validate_yes_no("q_debt", "purple", dispatcher, tracker)
    assert slots == {"q_debt": None, "answer_retries": 1}
    assert responses(dispatcher) == ["utter_answer_hint"]


def test_questions_after_a_lead_in_or_ending_like_one() -> None:
    assert looks_like_a_question("wait can they take money for the room")
    assert looks_like_a_question("pregunta, me pueden descontar las botas")
    assert looks_like_a_question("they pay 200 for 60 hours is that legal")
    assert not looks_like_a_question("no he keeps it")
    assert not looks_like_a_question("sometimes")
