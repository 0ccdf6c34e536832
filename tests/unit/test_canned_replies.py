"""Canned replies and mandatory-reporting steps (data/content/): valid and lock-screen safe."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.content.canned import load_canned_replies, unfilled_placeholders
from bot.content.loader import DEFAULT_ROOT, LANGS, ContentError, load_content
from bot.content.lockscreen import alarming_hits, first_line
from bot.content.mandatory import load_reporting_steps
from bot.content.sms import segment_count

REQUIRED = {"greeting", "safe_to_talk", "consent_to_share", "safety_planning", "closing"}


def test_every_canned_reply_has_a_lock_screen_safe_first_line_in_both_languages() -> None:
    content = load_content()
    canned = load_canned_replies()
    unsafe = {
        (r.id, lang): alarming_hits(first_line(r.text[lang]), content)
        for r in canned.replies for lang in LANGS
        if alarming_hits(first_line(r.text[lang]), content)
    }
    assert unsafe == {}
    assert {r.id for r in canned.replies} >= REQUIRED
    assert canned.source and canned.last_reviewed


def test_canned_replies_fit_three_sms_segments_and_fill_resource_numbers() -> None:
    canned = load_canned_replies()
    for r in canned.replies:
        for lang in LANGS:
            assert segment_count(r.text[lang]) <= 3, (r.id, lang)
            assert "{" not in r.text[lang], (r.id, lang)
    closing = {r["id"]: r["text"] for r in canned.for_language("es")}["closing"]
    assert load_content().resource("national_hotline").contact["call"] in closing


def test_for_language_picks_the_conversations_language_and_defaults_to_english() -> None:
    canned = load_canned_replies()
    es = {r["id"]: r for r in canned.for_language("es")}
    en = {r["id"]: r for r in canned.for_language(None)}
    assert es["greeting"]["text"].startswith("Hola")
    assert en["greeting"]["text"].startswith("Hi")
    assert es["safe_to_talk"]["title"] == "¿Puedes hablar?"


def test_placeholders_must_be_filled_before_sending() -> None:
    consent = {r["id"]: r["text"] for r in load_canned_replies().for_language("es")}
    assert unfilled_placeholders(consent["consent_to_share"]) == ["[QUÉ]", "[ORGANIZACIÓN]"]
    assert unfilled_placeholders("Hola, soy Ana [de turno]") == []
    assert unfilled_placeholders("I'm [NAME] here") == ["[NAME]"]


def _copy_content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(DEFAULT_ROOT, root)
    return root


def test_an_alarming_first_line_is_refused_at_load(tmp_path: Path) -> None:
    root = _copy_content(tmp_path)
    path = root / "canned_replies.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "Quick question.", "Police question.", 1), encoding="utf-8")
    with pytest.raises(ContentError, match="safe_to_talk.en.*lock-screen.*police"):
        load_canned_replies(root)


def test_a_missing_spanish_text_is_refused(tmp_path: Path) -> None:
    root = _copy_content(tmp_path)
    path = root / "canned_replies.yml"
    text = path.read_text(encoding="utf-8")
    start = text.index('      es: "Solo para saber.')
    end = text.index("\n", start) + 1
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(ContentError, match="still_there.*'es'"):
        load_canned_replies(root)


def test_mandatory_reporting_steps_load_with_source_and_ncmec_number() -> None:
    steps = load_reporting_steps()
    assert len(steps.steps) >= 5 and steps.source and steps.last_reviewed
    assert not steps.reviewed  # state law varies: operators review it before launch
    ncmec = load_content().resource("ncmec").contact["call"]
    assert any(ncmec in s for s in steps.steps)
    assert any("Acknowledge" in s for s in steps.steps)
