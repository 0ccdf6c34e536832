"""Every domain response: both languages, lock-screen safe, SMS sized, consistent content."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.content import load_content
from bot.content.lockscreen import alarming_hits, first_line
from bot.content.render import emergency_message
from bot.content.sms import segment_count

ROOT = Path(__file__).resolve().parents[2]


def load_responses() -> dict[str, list[dict]]:
    responses: dict[str, list[dict]] = {}
    for path in sorted((ROOT / "domain").glob("*.yml")):
        data = yaml.safe_load(path.read_text()) or {}
        responses.update(data.get("responses") or {})
    return responses


RESPONSES = load_responses()


def variations(name: str) -> dict[str, str]:
    out = {}
    for v in RESPONSES[name]:
        cond = v.get("condition") or []
        lang = next((c["value"] for c in cond if c.get("name") == "language"), "en")
        out[lang] = v["text"]
    return out


def all_texts() -> list[tuple[str, str, str]]:
    return [(name, lang, text) for name in RESPONSES for lang, text in variations(name).items()]


def test_there_are_responses() -> None:
    assert len(RESPONSES) > 40


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_every_response_has_english_and_spanish(name: str) -> None:
    v = variations(name)
    assert set(v) == {"en", "es"}, name
    assert v["en"] != v["es"]


@pytest.mark.parametrize(("name", "lang", "text"), all_texts())
def test_first_line_is_lock_screen_safe(name: str, lang: str, text: str) -> None:
    assert not alarming_hits(first_line(text), load_content()), (name, lang, first_line(text))


@pytest.mark.parametrize(("name", "lang", "text"), all_texts())
def test_each_reply_fits_three_sms_segments(name: str, lang: str, text: str) -> None:
    assert segment_count(text) <= 3, (name, lang, segment_count(text))


def test_emergency_response_matches_the_content_files() -> None:
    # utter_emergency exists so the numbers go out without the action server;
    # it must say exactly what data/content/resources.yml says.
    content = load_content()
    v = variations("utter_emergency")
    for lang in ("en", "es"):
        assert v[lang] == emergency_message(content, lang)
        assert "911" in v[lang] and "1-888-373-7888" in v[lang] and "233733" in v[lang]


def test_every_form_question_has_a_prompt() -> None:
    slots_forms = yaml.safe_load((ROOT / "domain" / "slots_forms.yml").read_text())
    for form in slots_forms["forms"].values():
        for slot in form["required_slots"]:
            assert f"utter_ask_{slot}" in RESPONSES, slot


def test_screening_questions_match_the_screening_module() -> None:
    from bot.screening.questions import QUESTION_IDS

    slots_forms = yaml.safe_load((ROOT / "domain" / "slots_forms.yml").read_text())
    assert slots_forms["forms"]["screening_form"]["required_slots"] == list(QUESTION_IDS)


def test_opening_states_confidentiality_limits() -> None:
    for text in variations("utter_safe_confirmed").values():
        lowered = text.lower()
        assert "privad" in lowered or "private" in lowered
        assert ("child" in lowered or "menor" in lowered)
