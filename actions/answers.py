"""Validate yes / no / not-sure answers typed in SMS style, for any form.

An unrecognised answer gets a hint and the question again; the second miss
moves on (recorded as skipped), so the texter never sees a question three times.
Two replies are not misses (round 7 of issue 10): "ok go on" / "sigamos" asks for the
question again, and a question the model left to the form ("wait can they take money
for the housing") is answered from the rights topics first; neither costs a retry.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import content, language
from actions.form_answer import looks_like_a_question
from bot.content.line_words import asks_for_a_line
from bot.content.loader import normalize
from bot.content.render import line_message, rights_part
from bot.screening.answers import parse_answer

MAX_RETRIES = 1
# "ok go on", "next", "sigamos": the texter wants the question, not a retry.
GO_ON = re.compile(
    r"^(?:ok|okay|k|kk|yes|yeah|si|ya|bueno|dale|va|sure|alright|listo|wait|sorry|perdon)?\W*"
    r"(?:ok |okay |so |pues |ya )?(?:go on|keep going|go ahead|continue|carry on|next|next one|"
    r"next question|whats next|what else|lets go on|lets continue|ask me|ask the rest|keep asking|"
    r"siguiente|sigue|sigamos|seguimos|continua|continue|continuemos|adelante|la siguiente|"
    r"otra pregunta|cual (?:es|era) la (?:otra|siguiente) pregunta|preguntame)"
    r"(?: (?:please|pls|plz|porfa|then|now|ya|with the questions|con las preguntas|the questions|"
    r"las preguntas))?\W*$")


def validate_yes_no(
    slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
) -> dict[str, Any]:
    answer = parse_answer(str(value)) if value is not None else None
    if answer is not None:
        return {slot: answer, "answer_retries": 0}
    text = str(value or "")
    norm = normalize(text)
    if GO_ON.search(norm):
        dispatcher.utter_message(response="utter_resume_flow")
        return {slot: None}
    if looks_like_a_question(text):
        topic = content().match_rights_topic(text)
        if topic is not None:
            dispatcher.utter_message(text=rights_part(topic, language(tracker), 0)[0])
            return {slot: None, "rights_topic": topic.id, "rights_part": 0}
        if asks_for_a_line(norm):
            dispatcher.utter_message(text=line_message(content(), "hotline", language(tracker)))
            return {slot: None}
    retries = int(tracker.get_slot("answer_retries") or 0)
    if retries >= MAX_RETRIES:
        dispatcher.utter_message(response="utter_moving_on")
        return {slot: "skip", "answer_retries": 0}
    dispatcher.utter_message(response="utter_answer_hint")
    return {slot: None, "answer_retries": retries + 1}
