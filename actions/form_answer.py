"""Inside a form, a message that answers the question is an answer, whatever its intent.

The forms hand questions (rights, MORE, a number) to the rules in
data/rules/interruptions.yml. The model sometimes reads a plain answer as a
question ("hace 2 dias" at "when did you see it?" came out as ask_rights), and
the texter would then get a rights text and the same question again. So the
answering actions first ask `answer_to_form`: a yes / no / not-sure reply to a
screening question, or a short reply with no question cue to a tip's free-text
question, fills the slot instead, silently, and the form goes on to the next
question. A real question ("can they deport her?", "que es la visa t") still
gets its answer.
"""

from __future__ import annotations

import re

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from actions.common import latest_text
from bot.content.loader import normalize
from bot.screening.answers import parse_answer
from bot.screening.questions import QUESTION_IDS

TIP_FREE_TEXT = ("tip_what", "tip_where", "tip_when")
# q_commercial_sex decides whether q_money_taken is due, which only the form's
# validation knows: it always goes through validate_screening_form.
_YES_NO_SLOTS = frozenset(QUESTION_IDS) - {"q_commercial_sex"} | {
    "tip_minor", "tip_danger", "tip_contact"}
_QUESTION_CUE = re.compile(
    r"^(what|whats|how|can|could|do|does|did|will|would|is|are|am|should|who|where|when|why"
    r"|may|must|r|u|pls|please|que|como|cual|cuales|puedo|pueden|puede|tengo|tienen|me|es"
    r"|son|hay|quien|quienes|donde|cuando|cuanto|ustedes|necesito|dame|dime|numero|number"
    r"|tell|give|info|informacion)\b")


# Words texters put before a question ("wait can they...", "pregunta, me pueden...").
_LEAD_IN = re.compile(r"^(?:(?:wait|hold on|ok|okay|so|but|and|also|btw|hey|um|umm|quick question|"
                      r"question|pregunta|una pregunta|oye|oiga|espera|y|pero|ah|oh|bueno)\W+)+")
# A question said at the end: "... is that legal", "... es legal", "... se puede".
_QUESTION_END = re.compile(r"\b(?:is (?:that|this|it) (?:legal|allowed|ok|okay|normal|right)|"
                           r"can they|are they allowed|es legal|se puede|pueden hacer eso|"
                           r"es normal)\W*$")


def looks_like_a_question(text: str) -> bool:
    """A question mark, or a message that opens (after "wait", "pregunta"...) like a
    question or a request, or ends like one ("... is that legal")."""
    norm = normalize(text)
    return "?" in text or bool(_QUESTION_CUE.search(_LEAD_IN.sub("", norm))) \
        or bool(_QUESTION_END.search(norm))


def answer_to_form(tracker: Tracker) -> list[EventType] | None:
    """Slot events when the latest message answers the form's open question, else None."""
    if not (tracker.active_loop or {}).get("name"):
        return None
    slot = tracker.get_slot("requested_slot")
    text = latest_text(tracker).strip()
    if not slot or not text or looks_like_a_question(text):
        return None
    if slot in _YES_NO_SLOTS:
        answer = parse_answer(text)
        return None if answer is None else [SlotSet(slot, answer), SlotSet("answer_retries", 0)]
    if slot in TIP_FREE_TEXT and len(text.split()) <= 6:
        return [SlotSet(slot, "skip" if parse_answer(text) == "skip" else text[:1000])]
    return None
