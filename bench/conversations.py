"""Short, realistic texter conversations in English and Spanish (as people actually text).

They avoid paths that hand the conversation to a human (a queued conversation goes quiet
by design) and the carrier keywords (STOP...), so every message is answered by the bot.
Texts are taken from the conversation tests (tests/conversations/), so the model knows them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Script:
    name: str
    language: str
    messages: tuple[str, ...]


SCRIPTS: tuple[Script, ...] = (
    Script("rights-en", "en", ("hi", "y", "2", "tell me more", "exit")),
    Script("screening-es", "es", ("necesito ayuda", "sí", "no", "sí", "no sé", "0")),
    Script("resources-en", "en", ("shelters near me", "texas", "exit")),
    Script("rights-es", "es", ("hola", "sí", "2", "dime mas", "salir")),
    Script("screening-en", "en", ("hi", "yes", "1", "ok", "n", "y", "idk", "MENU")),
    Script("resources-es", "es", ("donde hay ayuda cerca de mi", "estoy en texas", "salir")),
    Script("question-en", "en", ("wat r my rights", "can they deport me if i report", "exit")),
    Script("question-es", "es", ("tengo derechos si no tengo papeles?", "y que mas", "salir")),
)


def script_for(texter: int, round_: int) -> Script:
    """The script a texter plays in a given round: the same in every phase of a run."""
    return SCRIPTS[(texter * 3 + round_) % len(SCRIPTS)]
