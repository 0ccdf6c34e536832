"""Back to the flow end to end: the real Rasa server and action server, through the web
chat. "where were we" after an interruption picks the questions up again."""

from __future__ import annotations

import uuid

import pytest

from tests.conftest import RunningHotline

pytestmark = pytest.mark.rasa

FIRST_QUESTION = "Can you leave your job, or the place you stay, whenever you want?"
TIP_WHAT_ES = "¿Qué viste o escuchaste?"


def sender() -> str:
    return f"web-{uuid.uuid4()}"


def test_stopped_screening_starts_again_when_the_texter_is_back(
        hotline: RunningHotline) -> None:
    s = sender()
    hotline.texts(s, "i need help")
    assert any(FIRST_QUESTION in r for r in hotline.texts(s, "y"))
    hotline.texts(s, "stop")
    replies = hotline.texts(s, "sorry where were we")
    assert replies[0] in ("OK, let's go on.", "Sure, picking up where we stopped.")
    assert any(FIRST_QUESTION in r for r in replies), replies
    # and the answer now goes to the question, not to the menu
    replies = hotline.texts(s, "n")
    assert any("Question 2" in r for r in replies), replies


def test_back_to_the_question_inside_the_tip_in_spanish(hotline: RunningHotline) -> None:
    s = sender()
    assert any(TIP_WHAT_ES in r for r in hotline.texts(s, "quiero reportar algo que vi"))
    replies = hotline.texts(s, "perdon, sigamos con el reporte")
    assert replies[0] in ("Claro, seguimos.", "Bien, sigamos donde quedamos.")
    assert any(TIP_WHAT_ES in r for r in replies), replies


def test_nothing_to_resume_says_so(hotline: RunningHotline) -> None:
    replies = hotline.texts(sender(), "back to the questions")
    assert any("There are no questions open" in r for r in replies), replies
