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

_PATTERNS = [re.compile(p) for p in [
    # the person is back / coming / here
    r"\b(?:hes|he is|shes|she is|theyre|they are|they re|he s|she s|boss is|someone is|"
    r"somebody is|someones|somebodys|my husband is|my boss is|the man is) "
    r"(?:back|here|home|coming|coming back|next to me|behind me|in the room|watching|looking)\b",
    r"\b(?:he|she|they|someone|somebody) (?:came|just came|got) (?:back|home|in)\b",
    r"\b(?:someone|somebody|he|she|they) (?:can|could|might) see (?:my|the) (?:screen|phone)\b",
    r"\b(?:hes|he is|shes|she is|theyre|they are|someone is) (?:watching|looking at|checking|"
    r"reading) (?:me|my phone|my screen|the phone|my messages)\b",
    # stop / later
    r"\b(?:gotta|got to|have to|need to|i have to|i need to|must) (?:go|stop|leave|hang up)\b",
    r"\b(?:g2g|gtg|ttyl|brb|gtg now)\b",
    r"\b(?:talk|text|write|message|chat|reply) (?:you )?(?:later|l8r|soon|tomorrow)\b",
    r"\b(?:cant|can not|cannot|cnt) (?:talk|text|write|answer|reply) (?:now|right now|anymore|"
    r"here|rn)\b",
    r"\b(?:dont|do not|pls dont|please dont|stop) (?:text|message|write|reply|answer)(?:ing)? "
    r"(?:me|back)\b",
    # Spanish
    r"\b(?:ya )?(?:llego|volvio|regreso|esta aqui|esta aca|viene|ahi viene|esta llegando) "
    r"(?:el|ella|mi esposo|mi jefe|mi jefa|alguien|el senor|la senora)\b",
    r"\b(?:ya llego|ya volvio|ya regreso|ahi viene|alguien viene|ya esta aqui|ya esta aca|"
    r"llego alguien|ya llegaron|ya volvieron|ahi vienen)\b",
    r"\b(?:me esta|me estan|esta|estan|alguien esta|alguien puede) (?:viendo|mirando|ver|leer|"
    r"revisando) (?:mi |el )?(?:telefono|celular|cel|pantalla|mensajes)\b",
    r"\b(?:me estan|me esta) (?:viendo|mirando)\b",
    r"\bno (?:puedo|podemos) (?:hablar|escribir|contestar|seguir)(?: ahora| ahorita| mas| aqui)?\b",
    r"\b(?:hablamos|te escribo|le escribo|escribo|te hablo|seguimos|platicamos|hablamos) "
    r"(?:luego|despues|mas tarde|manana|otro dia|al rato)\b",
    r"\b(?:luego|despues|mas tarde|al rato) (?:te |le )?(?:escribo|hablo|hablamos|seguimos)\b",
    r"\b(?:tengo que|me tengo que|debo) (?:irme|ir|colgar|dejar|parar|apagar)\b",
    r"\bno (?:me )?(?:escribas|escriban|contestes|contesten|respondas|mandes)\b",
]]


def is_must_stop(text: str | None) -> bool:
    """True when the texter signals they must stop texting now."""
    if not isinstance(text, str) or not text.strip():
        return False
    norm = normalise(text)
    return any(p.search(norm) for p in _PATTERNS)
