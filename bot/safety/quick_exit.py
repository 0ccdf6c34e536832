"""The quick-exit word (EXIT / SALIR): only the word itself, never a sentence around it."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable


def _exit_key(text: str) -> str:
    norm = unicodedata.normalize("NFKD", text.lower())
    norm = "".join(ch for ch in norm if not unicodedata.combining(ch))
    return re.sub(r"[\W_]+", "", norm)


def is_quick_exit(text: str | None, words: Iterable[str] = ("exit", "salir")) -> bool:
    """True only when the message is one of the quick-exit words.

    Case, accents, punctuation and whitespace are ignored ("EXIT!", " Salír "),
    and so are a few courtesy words around it ("exit please", "salir ya",
    "exit the chat"), but nothing else: "I want to exit this job" does not
    end the conversation.
    """
    if not isinstance(text, str):
        return False
    exit_keys = {_exit_key(w) for w in words}
    key = _exit_key(text)
    if key and key in exit_keys:
        return True
    norm = unicodedata.normalize("NFKD", text.lower())
    norm = "".join(ch for ch in norm if not unicodedata.combining(ch))
    tokens = re.sub(r"[\W_]+", " ", norm).split()
    if not any(t in exit_keys for t in tokens):
        return False
    return all(t in exit_keys or t in _EXIT_COURTESY for t in tokens)


# Words that may stand beside the exit word without changing its meaning.
_EXIT_COURTESY = frozenset({
    "please", "pls", "plz", "now", "the", "this", "chat", "conversation", "asap",
    "por", "favor", "porfa", "ya", "ahora", "el", "este",
})
