"""Immediate-danger and quick-exit detection with explicit, reviewable patterns.

Why regular expressions and not the NLU model: these two checks must run first
on every message, work offline, and be auditable by safety reviewers. A missed
emergency is far worse than an unneeded "if you are in danger call 911"
message, so the patterns favour recall.

What fires (EN/ES, after lower-casing, removing accents and apostrophes and
squeezing letters repeated 3+ times, so "CANT BREATHHH", "esta", "está" and
"he's"/"hes" are all equal):
- threats of harm happening now or next: "going to / gonna / about to / will /
  trying to ... kill/hurt/hit/beat/rape/shoot/stab me", any "kill me"/"matarme",
  "me va(n) a matar/pegar/hacer daño", "me quiere(n) matar";
- harm in progress: "is hitting me", "being beaten", "choking me", "me está pegando";
- confinement now: "I'm locked in", "locked me in", "I'm trapped", "estoy/me
  tienen encerrada", "estoy atrapada", "secuestrada/kidnapped";
- weapons, injury and breathing: "they have a gun", "has a knife", "bleeding",
  "can't breathe", "tiene un arma/pistola/cuchillo", "estoy sangrando",
  "no puedo respirar";
- explicit calls for urgent help: "help now", "help me now", "help!!" (two or
  more "!"), "help help", "SOS", "911", "emergency", "I'm in danger",
  "ayuda ya/ahora/urgente", "auxilio", "socorro", "estoy en peligro";
- self-harm intent ("kill myself", "quiero matarme"): imminent danger to life
  is one of the stated confidentiality limits, so it takes the same path.

Deliberately NOT firing:
- plain requests for help or information: "help", "I need help", "help me",
  "necesito ayuda", "what are my rights", "no sé";
- past events: "he hurt me last year", "he used to hit me", "was hitting me",
  "me pegaba" - these matter for screening but are not immediate danger;
- idioms such as "this job is killing me" (no "kill me").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable


def _normalise(text: str) -> str:
    """Lower-case, strip accents/apostrophes, squeeze 3+ repeated letters."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"['\u2019`´]", "", text)
    text = re.sub(r"([a-z])\1{2,}", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


_ME = (
    r"(?:me|us|my (?:wife|husband|daughter|son|kids?|children|baby|family|sister|"
    r"brother|friend))\b"
)
_HARM = r"(?:kill|murder|hurt|hit|beat|rape|shoot|stab|choke|strangle|burn|attack)"
_FUTURE = (
    r"(?:going to|goin to|gonna|gona|gunna|gnna|about to|will|gon|wil|is going to|"
    r"trying to|tryin to|tryna|wants to|want to|wanna|threatening to|threatened to|"
    r"says he will|said he would|is gonna|would|ll)"
)
_NOT_PAST = r"(?<!was )(?<!were )(?<!used to )(?<!had been )"

_EN = [
    rf"\b{_FUTURE} {_HARM} {_ME}",
    r"\b(?:kill|murder) (?:me|us)\b",
    _NOT_PAST + r"\b(?:hitting|beating|choking|strangling|raping|stabbing|kicking|attacking|"
    r"hurting|punching|shooting at) " + _ME,
    r"\bbeing (?:beaten|beat|hit|attacked|raped|choked|strangled|hurt)\b",
    r"\bkill(?:ing)? myself\b|\bend my life\b|\bsuicide\b",
    r"\b(?:cant|can not|cannot|cnt|cant hardly|can t) (?:breathe?|breath|brethe?|breth)\b",
    r"\b(?:i ?m|i am|im|we are|were|we re) (?:locked|trapped|being held|held|tied up|chained)\b",
    r"\b(?:locked|lock) (?:me|us) (?:in|up|inside)\b",
    r"\blocked (?:in|inside) (?:a|the|this|my) (?:room|house|basement|closet|car|trunk|truck)\b",
    r"\b(?:they|he|she|someone|somebody|guy|man|boss) "
    r"(?:has|have|got|s got|ve got|is holding|pulled) "
    r"(?:a |an )?(?:gun|knife|weapon|pistol|rifle)\b",
    r"\bgun (?:to|at|on) (?:my|me)\b|\bpointing (?:a |the )?(?:gun|knife)\b",
    r"\bbleeding\b|\bbleed(?:ing)? out\b",
    r"\bhelp (?:me )?(?:please |pls |plz )?"
    r"(?:now|asap|right now|quick|quickly|fast|immediately|hurry)\b",
    r"\bneed help (?:now|right now|asap|immediately|fast|quick)\b",
    r"\bhelp(?: me)? ?!{2,}",
    r"\bhelp[ ,!.]+help\b",
    r"\bs ?o ?s\b",
    r"\b9 ?1 ?1\b",
    r"(?<!not an )(?<!isnt an )(?<!non )(?<!non-)(?<!no )\bemergency\b",
    r"\b(?:i ?m|i am|im|we are|were|my life is|our lives are|me and my \w+ are) "
    r"in (?:danger|trouble right now)\b",
    r"\bin danger (?:now|right now)\b",
    r"\bkidnapped\b|\babducted\b",
    r"\bplease (?:hurry|come now|come quick)\b|\bcome quick\b",
    r"\b(?:he|she|they) (?:is|are|s|re) (?:going to|gonna) (?:kill|hurt)\b",
]

_ES_ME = r"(?:me|nos|a mi|a mis hijos|a mi familia)"
_ES = [
    r"\b(?:estoy|estamos|me tienen|nos tienen|me dejaron|nos dejaron|me han) ?"
    r"(?:encerrad[oa]s?|atrapad[oa]s?|amarrad[oa]s?|secuestrad[oa]s?)\b",
    r"\bencerrad[oa]s?\b",
    r"\bme encerr(?:o|aron|aran|ara)\b|\bnos encerr(?:o|aron)\b",
    r"\bsecuestrad[oa]s?\b|\bsecuestraron\b",
    rf"\b{_ES_ME} (?:va|van|quiere|quieren|esta por|estan por|amenaza con|amenazo con) "
    r"(?:a )?(?:matar|pegar|golpear|lastimar|hacer dano|hacer algo|violar|disparar|"
    r"apunalar|ahorcar)",
    r"\b(?:va|van|quiere|quieren|amenaza con|amenazo con) (?:a )?"
    r"(?:matarme|matarnos|pegarme|golpearme|lastimarme|violarme|hacerme dano)\b",
    r"\bmatarme\b|\bmatarnos\b|\bme mata(?:n)?\b",
    r"\b(?:me|nos) (?:esta|estan) (?:pegando|golpeando|matando|lastimando|ahorcando|"
    r"ahogando|violando|apunalando|disparando|asfixiando|quemando)\b",
    r"\b(?:me|nos) (?:estan|esta) haciendo dano\b",
    r"\bayud(?:a|ame|anme|enme|eme) "
    r"(?:ya|ahora|ahorita|urgente|rapido|pronto|inmediatamente|por favor ya)\b",
    r"\bnecesito ayuda (?:ya|ahora|ahorita|urgente|rapido)\b",
    r"\bayuda[ ,!.]+ayuda\b|\bayuda ?!{2,}",
    r"\bauxilio\b|\bsocorro\b",
    r"\bno (?:puedo|podemos) respirar\b",
    r"\b(?:tiene|tienen|trae|traen|saco|sacaron) (?:un |una )?"
    r"(?:arma|pistola|cuchillo|navaja|machete|rifle)\b",
    r"\bcon (?:un |una )(?:arma|pistola|cuchillo|navaja)\b",
    r"\b(?:estoy|estamos|esta|mi vida esta|nuestras vidas estan) en peligro\b",
    r"\ben peligro (?:ya|ahora)\b",
    r"\b(?:estoy|esta|estamos) sangrando\b|\bsangrando mucho\b|\bme desangro\b",
    r"(?<!no es una )(?<!no es )\b(?:emergencia|urgente)\b",
    r"\bllam(?:a|en|ar|e) (?:al |a la )?(?:911|policia ya)\b",
]

_PATTERNS = [re.compile(p) for p in _EN + _ES]


def is_emergency(text: str | None) -> bool:
    """True when the message suggests immediate danger (favours recall)."""
    if not isinstance(text, str) or not text.strip():
        return False
    norm = _normalise(text)
    return any(p.search(norm) for p in _PATTERNS)


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
