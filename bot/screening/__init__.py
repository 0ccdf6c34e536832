"""Indicator screening: questions as data, answer parsing and transparent triage rules.

The screening is indicative only. It is not a validated instrument and never
decides whether someone "is" a trafficking victim; it helps an advocate
prioritise and pre-fills HTCDS "Methods of Control" for the referral record.
"""

from bot.screening.answers import parse_answer
from bot.screening.questions import QUESTIONS, Question, get_question, required_questions
from bot.screening.rules import ScreeningResult, evaluate, to_record

__all__ = [
    "QUESTIONS",
    "Question",
    "ScreeningResult",
    "evaluate",
    "get_question",
    "parse_answer",
    "required_questions",
    "to_record",
]
