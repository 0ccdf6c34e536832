""""I must stop now": the person is back, someone can see the screen, talk later.

Why its own check, before emergencies: a texter whose phone is now being
watched needs silence, not a long message with 911 in it. The router
(bot/messaging/router.py) answers at most one short neutral line, cancels
everything still queued for the texter and pauses the conversation until they
write again.

Patterns are EN/ES on the normalised text (bot/safety/normalise.py). A plain
"no" or "later" alone is not enough: "later" needs a verb ("talk later",
"te escribo luego"), so answers to questions are not mistaken for it.
"""

from __future__ import annotations

import re

from bot.safety.normalise import normalise

# Anywhere in the message: these say "stop now" whatever surrounds them.
_STRONG = [re.compile(p) for p in [
    r"\b(?:someone|somebody|he|she|they) (?:can|could|might) see (?:my|the) (?:screen|phone)\b",
    r"\b(?:hes|he is|shes|she is|theyre|they are|someone is) (?:watching|looking at|checking|"
    r"reading) (?:me|my phone|my screen|the phone|my messages)\b",
    r"\b(?:g2g|gtg|ttyl|brb)\b",
    r"\b(?:talk|text|write|message|chat|reply) (?:you |u )?(?:later|l8r|tomorrow)\b",
    r"\b(?:cant|can not|cannot|cnt) (?:talk|text|write|answer|reply) "
    r"(?:now|right now|anymore|rn)\b",
    r"\b(?:dont|do not|pls dont|please dont|stop) (?:text|message|write|reply|answer)(?:ing)? "
    r"(?:me|back)\b",
    r"\b(?:me esta|me estan|alguien esta|alguien puede) (?:viendo|mirando|ver|leer|revisando) "
    r"(?:mi |el )?(?:telefono|celular|cel|pantalla|mensajes)\b",
    r"\b(?:hablamos|te escribo|le escribo|te hablo|seguimos|platicamos) "
    r"(?:luego|despues|mas tarde|manana|otro dia|al rato)\b",
    r"\b(?:luego|despues|mas tarde|al rato) (?:te |le )?(?:escribo|hablo|hablamos|seguimos)\b",
    r"\bno (?:me )?(?:escribas|escriban|contestes|contesten|respondas|mandes mensajes)\b",
]]

# Only in a short message ("hes back", "gotta go", "ya llegó"): in a longer one
# they are usually part of a story ("he is home all day and watches me").
_SHORT = [re.compile(p) for p in [
    r"\b(?:hes|he is|shes|she is|theyre|they are|they re|he s|she s|someone is|somebody is|"
    r"someones|my husband is|my boss is|the man is|boss is) "
    r"(?:back|here|home|coming|coming back|next to me|behind me|in the room|watching)\b",
    r"\b(?:he|she|they|someone|somebody) (?:came|just came|got) (?:back|home|in)\b",
    r"\b(?:gotta|got to|have to|need to|i have to|i need to|must) (?:go|stop|hang up)"
    r"(?: now| rn| bye| sorry| sry)?$",
    r"\b(?:ya llego|ya volvio|ya regreso|ahi viene|alguien viene|ya esta aqui|ya esta aca|"
    r"llego alguien|ya llegaron|ya volvieron|ahi vienen|llego el|llego ella|volvio el)\b",
    r"\bno (?:puedo|podemos) (?:hablar|escribir|contestar|seguir)(?: ahora| ahorita| mas)?$",
    r"\b(?:tengo que|me tengo que|debo) (?:irme|colgar|parar|apagar|ir)(?: ya| ahora| ahorita)?$",
    r"\bme (?:estan|esta) (?:viendo|mirando)$",
]]
_SHORT_WORDS = 8


def is_must_stop(text: str | None) -> bool:
    """True when the texter signals they must stop texting now."""
    if not isinstance(text, str) or not text.strip():
        return False
    norm = " ".join(re.sub(r"[^\w\s]", " ", normalise(text)).split())
    if any(p.search(norm) for p in _STRONG):
        return True
    if len(norm.split()) > _SHORT_WORDS:
        return False
    # Each clause on its own, so "hes back, gotta go" and "ya llego el" match anchored forms.
    clauses = [c.strip() for c in re.split(r"\b(?:and|y|so|asi que)\b", norm) if c.strip()]
    return any(p.search(clause) for clause in [norm, *clauses] for p in _SHORT)
