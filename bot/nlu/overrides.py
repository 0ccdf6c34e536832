"""Deterministic intent overrides that run after the trained classifier.

A trained model can miss. For the few messages where a miss is costly, explicit
patterns decide: immediate danger → `emergency`; the quick-exit word alone →
`quick_exit`; a bare menu number → that menu entry; the skip word → `skip`;
a lone "?" → `not_sure`; DELETE / BORRAR → `delete_my_data` (always confirmed
before anything is erased). Recall matters more than precision for
emergencies, so a pattern hit always wins.

The reverse holds for quick exit: it wipes the conversation, so the model
alone may never trigger it ("saltar" looks like "salir" to a character model).
A `quick_exit` prediction without the exit word is replaced by the next intent.
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.config import get_settings
from bot.safety.emergency import is_emergency, is_quick_exit

EXACT = {"0": "show_menu", "1": "get_help", "2": "ask_rights", "3": "report_tip",
         "4": "handoff", "?": "not_sure", "??": "not_sure", "skip": "skip", "saltar": "skip",
         "pass": "skip", "paso": "skip",
         # Delete my data (always confirmed before anything is erased).
         "delete": "delete_my_data", "borrar": "delete_my_data",
         "delete my data": "delete_my_data", "borrar mis datos": "delete_my_data",
         "borra mis datos": "delete_my_data"}


# "el 2", "option 3", "#4", "número 1": a menu choice said with a word around it.
MENU_CHOICE = re.compile(r"^(?:el|la|opci[oó]n|option|number|num|n[uú]mero|#)\s*([0-4])$")


def override_intent(text: str, exit_words: tuple[str, ...]) -> str | None:
    """The intent that explicit patterns force for this text, if any."""
    if is_quick_exit(text, exit_words):
        return "quick_exit"
    if is_emergency(text):
        return "emergency"
    stripped = text.strip().lower()
    if stripped not in ("?", "??"):
        stripped = stripped.rstrip(".!?)").strip()
    menu = MENU_CHOICE.match(stripped)
    if menu:
        return EXACT[menu.group(1)]
    return EXACT.get(stripped)


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class SafetyOverrides(GraphComponent):
    @classmethod
    def create(
        cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
        execution_context: ExecutionContext,
    ) -> SafetyOverrides:
        return cls(config)

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config

    @staticmethod
    def _next_best(message: Message) -> str:
        """The best-ranked intent that is not quick_exit (nlu_fallback if none)."""
        for candidate in message.get(INTENT_RANKING_KEY) or []:
            if candidate.get("name") not in ("quick_exit", None):
                return candidate["name"]
        return "nlu_fallback"

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        exit_words = get_settings().exit_words
        for message in messages:
            text = message.get(TEXT)
            if not text:
                continue
            current = message.get(INTENT) or {}
            forced = override_intent(text, exit_words)
            if forced is None and current.get("name") == "quick_exit":
                forced = self._next_best(message)
            if forced is None or current.get("name") == forced:
                continue
            message.set(INTENT, {"name": forced, "confidence": 1.0}, add_to_output=True)
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != forced]
            message.set(INTENT_RANKING_KEY, [{"name": forced, "confidence": 1.0}, *ranking],
                        add_to_output=True)
        return messages
