"""Property-based fuzzing of the pure parsers every inbound message goes through.

Each function must return a value of its documented kind for ANY input (any
Unicode, control characters, huge texts, wrong types) and keep its invariants.
Bounded (max_examples) so the whole fuzz suite runs in well under a minute.
"""

from __future__ import annotations

import math
import string

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.channels import telegram as tg
from bot.content.loader import load_content
from bot.content.sms import (
    GSM7_MULTI,
    GSM7_SINGLE,
    TWILIO_MAX_CHARS,
    UCS2_MULTI,
    UCS2_SINGLE,
    encoded_length,
    fits,
    is_gsm7,
    segment_count,
    split_sms,
)
from bot.language.detect import detect_language, explicit_switch
from bot.safety.emergency import is_emergency, is_quick_exit
from bot.screening.answers import CANONICAL, canonical, parse_answer

# database=None: no .hypothesis/ folder in the project; found bugs become plain tests.
FUZZ = settings(max_examples=200, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
CONTENT = load_content()

# Texts like the ones texters send (answers, accents, emoji, SMS shorthand) mixed with
# anything at all: control characters, combining marks, unassigned code points.
WORDS = ["y", "yes", "no", "sí", "no sé", "idk", "skip", "SALIR", "exit", "help", "ayuda",
         "911", "kill me", "me van a matar", "locked", "Texas", "TX", "77001", "in", "ME",
         "pasaporte", "visa", "papers", "/start", "español", "english", "¿", "!!", "👍", "🤷",
         "\n", "  ", ".", ",", "?", "'", "\u200b", "\u0301", "ñ", "ß", "İ", "ﬁ"]
shaped_text = st.lists(st.sampled_from(WORDS) | st.text(max_size=6), max_size=12).map(" ".join)
any_text = st.text(max_size=300) | shaped_text
long_text = st.text(max_size=3000) | st.builds(
    lambda chunk, n: chunk * n, st.text(min_size=1, max_size=12), st.integers(1, 400))
not_text = st.none() | st.integers() | st.floats() | st.booleans() | st.lists(st.integers())
json_scalars = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True)
                | st.text(max_size=40))
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=12), children, max_size=5),
    max_leaves=25,
)


# ---------------------------------------------------------------- screening answers
@FUZZ
@given(any_text)
@example("")
@example("?¿ ?")
@example("\u0301\u0301")
def test_parse_answer_is_total(text: str) -> None:
    assert parse_answer(text) in CANONICAL | {None}
    assert canonical(text) in CANONICAL | {None}


@FUZZ
@given(not_text)
def test_parse_answer_refuses_non_text(value: object) -> None:
    assert parse_answer(value) is None  # type: ignore[arg-type]


@FUZZ
@given(st.sampled_from(["yes", "no", "sí", "no sé", "skip", "idk"]), st.text(
    alphabet=" \t\n", max_size=5), st.text(alphabet=" \t\n", max_size=5))
def test_parse_answer_ignores_surrounding_whitespace(word: str, before: str, after: str) -> None:
    assert parse_answer(before + word + after) == parse_answer(word) is not None


# ---------------------------------------------------------------- safety
@FUZZ
@given(long_text)
@example("x" * 5000 + " kill me")
@example("help " * 2000)
def test_is_emergency_is_total(text: str) -> None:
    assert is_emergency(text) in (True, False)


@FUZZ
@given(not_text)
def test_is_emergency_refuses_non_text(value: object) -> None:
    assert is_emergency(value) is False  # type: ignore[arg-type]


@FUZZ
@given(any_text, st.lists(st.text(max_size=10), max_size=4))
def test_is_quick_exit_is_total(text: str, words: list[str]) -> None:
    assert is_quick_exit(text) in (True, False)
    assert is_quick_exit(text, words) in (True, False)


@FUZZ
@given(st.sampled_from(["exit", "EXIT", "salir", "Salír", "exit!"]),
       st.text(alphabet=" .!\t", max_size=4))
def test_quick_exit_word_alone_always_exits(word: str, noise: str) -> None:
    assert is_quick_exit(noise + word + noise)


@FUZZ
@given(any_text)
def test_an_emergency_stays_an_emergency_in_capitals(text: str) -> None:
    # Texters in danger type in capitals; detection must not depend on case.
    # (Only where upper-casing keeps the text's length: "ß" -> "SS" changes words.)
    upper = text.upper()
    if len(upper) == len(text) and upper.lower() == text.lower():
        assert is_emergency(upper) == is_emergency(text)


# ---------------------------------------------------------------- language
@FUZZ
@given(any_text)
def test_language_detection_is_total_and_consistent(text: str) -> None:
    switch = explicit_switch(text)
    detected = detect_language(text)
    assert switch in (None, "en", "es")
    assert detected in (None, "en", "es")
    if switch is not None:
        assert detected == switch  # an explicit request always wins


@FUZZ
@given(not_text)
def test_language_detection_refuses_non_text(value: object) -> None:
    assert explicit_switch(value) is None  # type: ignore[arg-type]
    assert detect_language(value) is None  # type: ignore[arg-type]


# ---------------------------------------------------------------- content look-ups
@FUZZ
@given(any_text)
@example("west virginia")
@example("HELP ME")
@example("12345-6789 00000")
def test_lookup_state_is_total(text: str) -> None:
    state = CONTENT.lookup_state(text)
    assert state is None or state in CONTENT.states


@FUZZ
@given(st.sampled_from(CONTENT.states), st.text(alphabet=" .,!?\n", max_size=3))
def test_every_state_is_found_by_its_own_name(state, noise: str) -> None:  # type: ignore[no-untyped-def]
    for name in state.names.values():
        assert CONTENT.lookup_state(noise + name + noise) is not None


@FUZZ
@given(any_text)
def test_match_rights_topic_is_total(text: str) -> None:
    topic = CONTENT.match_rights_topic(text)
    assert topic is None or topic in CONTENT.rights


# ---------------------------------------------------------------- SMS maths
def _rejoins(text: str, parts: list[str]) -> bool:
    """parts, in order, are text with only whitespace removed at the cuts."""
    rest = text.strip()
    pos = 0
    for part in parts:
        while pos < len(rest) and rest[pos].isspace() and not part[:1].isspace():
            pos += 1
        if not rest.startswith(part, pos):
            return False
        pos += len(part)
    return rest[pos:].strip() == ""


sms_text = long_text | st.text(alphabet=string.ascii_letters + " .!?\n", max_size=3000) | \
    st.text(alphabet="ab cd.€{}[]~^|\\ñáé🙏\u00a0", max_size=2500)


@FUZZ
@given(sms_text, st.integers(1, 10))
@example("a" * 1601, 10)
@example("🙏" * 200, 1)
@example("€" * 81, 1)
@example(" " * 50, 3)
def test_split_sms_parts_fit_and_rejoin(text: str, max_segments: int) -> None:
    parts = split_sms(text, max_segments)
    for part in parts:
        assert part and part == part.strip()
        assert len(part) <= TWILIO_MAX_CHARS
        assert segment_count(part) <= max_segments
        assert fits(part, max_segments)
    assert _rejoins(text, parts)
    assert (parts == []) == (text.strip() == "")


@FUZZ
@given(sms_text)
def test_segment_count_bounds(text: str) -> None:
    n = segment_count(text)
    assert (n == 0) == (text == "")
    if not text:
        return
    units = encoded_length(text)
    single, multi = (GSM7_SINGLE, GSM7_MULTI) if is_gsm7(text) else (UCS2_SINGLE, UCS2_MULTI)
    if units <= single:
        assert n == 1
    else:
        assert n >= max(2, math.ceil(units / multi))
        # Packing never wastes more than one unit per part (escape / surrogate pairs).
        assert n <= math.ceil(units / (multi - 1))


@FUZZ
@given(sms_text, st.integers(0, 3000))
def test_segment_count_is_monotone(text: str, cut: int) -> None:
    prefix = text[:cut]
    if is_gsm7(prefix) == is_gsm7(text):  # a prefix may drop the one UCS-2 character
        assert segment_count(prefix) <= segment_count(text)


# ---------------------------------------------------------------- Telegram updates
KINDS = {tg.PROCESS, tg.REPLY, tg.LEAVE, tg.BLOCKED, tg.UNBLOCKED, tg.IGNORE}
loose_int = st.integers() | st.text(max_size=22) | json_values
chat = st.fixed_dictionaries({}, optional={
    "id": loose_int,
    "type": st.sampled_from(["private", "group", "supergroup", "channel"]) | json_values,
})
location = st.fixed_dictionaries({}, optional={
    "latitude": st.floats(allow_nan=True, allow_infinity=True) | st.integers() | json_values,
    "longitude": st.floats(allow_nan=True, allow_infinity=True) | st.integers() | json_values,
})
message = st.fixed_dictionaries({}, optional={
    "chat": chat | json_values,
    "text": any_text | st.text(min_size=4000, max_size=5000) | json_values,
    "caption": any_text | json_values,
    "from": st.fixed_dictionaries({}, optional={"language_code": st.text(max_size=6)
                                               | json_values}),
    "location": location | json_values,
    "venue": st.fixed_dictionaries({"location": location}) | json_values,
    "photo": json_values, "voice": json_values, "sticker": json_values,
})
callback = st.fixed_dictionaries({}, optional={
    "id": loose_int, "data": any_text | json_values, "message": message | json_values,
    "from": json_values,
})
member = st.fixed_dictionaries({}, optional={
    "chat": chat | json_values,
    "new_chat_member": st.fixed_dictionaries({}, optional={
        "status": st.sampled_from(["member", "kicked", "left", "administrator"]) | json_values}),
})
update_like = st.fixed_dictionaries(
    {"update_id": st.integers(-10, 2**70) | st.text(max_size=22) | json_values},
    optional={
        "message": message, "edited_message": message, "channel_post": message,
        "callback_query": callback, "my_chat_member": member, "poll": json_values,
    },
)


@FUZZ
@given(json_values | update_like)
def test_parse_update_never_raises(update: object) -> None:
    action = tg.parse_update(update, CONTENT)
    assert action.kind in KINDS
    body = action.body(CONTENT, "en")
    assert isinstance(body, str)
    if action.kind == tg.PROCESS:
        assert isinstance(action.chat_id, int) and not isinstance(action.chat_id, bool)
        assert body.strip() and not body.startswith("/")  # never Rasa's /intent syntax
    if action.kind == tg.REPLY:
        assert body == "" and CONTENT.template(action.template, "en")


@FUZZ
@given(st.floats(allow_nan=True, allow_infinity=True), st.floats(allow_nan=True,
                                                               allow_infinity=True))
def test_state_for_location_is_total(lat: float, lon: float) -> None:
    code = tg.state_for_location(lat, lon)
    assert code is None or CONTENT.state_by_code(code) is not None or len(code) == 2


@FUZZ
@given(any_text, st.none() | st.text(max_size=8))
def test_clean_text_never_yields_a_command(text: str, language_code: str | None) -> None:
    assert not tg.clean_text(text, language_code).startswith("/")


@FUZZ
@given(long_text | st.text(alphabet="ab 🙏.\n", max_size=9000), st.integers(2, 4096))
def test_split_telegram_parts_fit_and_rejoin(text: str, limit: int) -> None:
    # limit >= 2: one character can take 2 UTF-16 units (the real limit is 4096).
    parts = tg.split_telegram(text, limit)
    assert all(p and len(p.encode("utf-16-le")) // 2 <= limit for p in parts)
    assert _rejoins(text, parts)
