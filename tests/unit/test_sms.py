"""SMS encoding and segmentation: the arithmetic every reply budget relies on."""

from __future__ import annotations

import re

import pytest

from bot.content.sms import (
    GSM7_BASIC,
    GSM7_EXTENSION,
    encoded_length,
    is_gsm7,
    segment_count,
    split_sms,
)


def test_gsm_basic_table_has_128_minus_escape_chars() -> None:
    # 128 code points in GSM 03.38 basic table, one of which is the ESC code.
    assert len(GSM7_BASIC) == 127
    assert len(GSM7_EXTENSION) == 10


@pytest.mark.parametrize("ch", list("¡¿ñÑéüÜäöàèùìòÇØøÅåÆæßÉ€[]{}|~^\\@£$¥§"))
def test_gsm7_accepts_gsm_characters(ch: str) -> None:
    assert is_gsm7(ch), ch


@pytest.mark.parametrize("ch", list("áíóúÁÍÓÚêç`’“😀") + ["\u00a0"])
def test_gsm7_rejects_other_characters(ch: str) -> None:
    assert not is_gsm7(ch), ch


def test_spanish_inverted_marks_are_gsm_but_acute_a_is_not() -> None:
    assert is_gsm7("¡Hola! ¿Cómo?") is False  # the "ó" forces UCS-2
    assert is_gsm7("¡Hola! ¿Que tal? Mañana.") is True


@pytest.mark.parametrize(
    ("text", "segments"),
    [
        ("", 0),
        ("a", 1),
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("a" * 459, 3),
        ("a" * 460, 4),
        ("á" * 70, 1),
        ("á" * 71, 2),
        ("á" * 134, 2),
        ("á" * 135, 3),
        ("á" * 201, 3),
        ("á" * 202, 4),
    ],
)
def test_segment_count_known_cases(text: str, segments: int) -> None:
    assert segment_count(text) == segments


def test_extension_chars_cost_two_septets() -> None:
    assert encoded_length("€") == 2
    assert segment_count("€" * 80) == 1  # 160 septets
    assert segment_count("€" * 80 + "a") == 2
    assert segment_count("a" * 159 + "€") == 2  # 161 septets


def test_escape_pair_is_never_split_across_parts() -> None:
    # 152 plain + "€" would straddle the 153-septet boundary, so the pair
    # moves to part 2: 152 | 2+... The plain division would say 2 segments.
    text = "a" * 152 + "€" + "a" * 152
    assert encoded_length(text) == 306
    assert segment_count(text) == 3


def test_emoji_counts_two_utf16_units() -> None:
    assert encoded_length("😀") == 2
    assert segment_count("😀" * 35) == 1
    assert segment_count("😀" * 36) == 2
    assert segment_count("a" * 69 + "😀") == 2  # 71 units


def test_one_accent_switches_whole_message_to_ucs2() -> None:
    plain = "e" * 100
    assert segment_count(plain) == 1
    assert segment_count(plain + "á") == 2  # 101 UCS-2 units > 70


def _chars(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize(
    "text",
    [
        "Hello there. " * 200,
        "Hola, ¿cómo estás? Aquí tienes información útil. " * 80,
        "word " * 700,
        "x" * 5000,
        "😀" * 900,
        "€" * 1000,
        "Short.",
    ],
)
@pytest.mark.parametrize("max_segments", [1, 3, 10])
def test_split_sms_keeps_every_char_and_respects_limits(text: str, max_segments: int) -> None:
    parts = split_sms(text, max_segments)
    assert parts, "non-empty text must give at least one part"
    assert _chars("".join(parts)) == _chars(text)
    for p in parts:
        assert p == p.strip()
        assert 1 <= segment_count(p) <= max_segments
        assert len(p) <= 1600


def test_split_sms_prefers_sentence_boundaries() -> None:
    sentence = "This is one full sentence that ends here. "
    parts = split_sms(sentence * 30, 1)
    assert len(parts) > 1
    assert all(p.endswith("here.") for p in parts)


def test_split_sms_falls_back_to_word_boundaries() -> None:
    parts = split_sms("abcdefg " * 100, 1)
    assert len(parts) > 1
    assert all(w == "abcdefg" for p in parts for w in p.split())


def test_split_sms_short_text_is_one_part_and_empty_is_none() -> None:
    assert split_sms("Hi there.") == ["Hi there."]
    assert split_sms("") == []
    assert split_sms("   \n ") == []


def test_split_sms_never_exceeds_twilio_char_cap() -> None:
    parts = split_sms("a" * 4000, 20)  # 20 GSM segments would be 3060 chars
    assert all(len(p) <= 1600 for p in parts)
    assert sum(len(p) for p in parts) == 4000


def test_split_sms_rejects_bad_limit() -> None:
    with pytest.raises(ValueError):
        split_sms("hello", 0)
