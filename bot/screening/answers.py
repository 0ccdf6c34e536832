"""Turn a free-text SMS reply into a screening answer.

Why hand-written lists and not the NLU model: screening replies are tiny
("y", "nel", "no sé"), arrive in two languages, and a wrong mapping silently
changes a risk assessment. A small, reviewable vocabulary is easier to audit
than a classifier, and it works offline.

Returns "yes", "no", "not_sure", "skip", or None when the text is not a
recognisable answer (the dialogue should then re-ask, not guess).

Matching order (first hit wins):
1. only question marks -> "not_sure";  👍 / 👎 / 🤷 emoji;
2. the whole message is a known phrase ("no sé", "prefer not to say");
3. the first clause before a comma/full stop is a known phrase ("sí, me lo quitó");
4. the message *starts* with a multi-word phrase ("no se si...", "i dont know if...");
5. the message starts with a strong yes/no word ("yes he does", "no never");
6. a single word one typo away from a longer known word ("nunka", "claor").

Text is lower-cased, accents are removed and runs of a repeated letter are
collapsed ("siiii", "noooo", "yesss"), on both the input and the vocabulary.
Deliberate limits: "sometimes"/"a veces" return None, because for
``q_safe_leave`` it means the opposite of what it means for the other items;
"ya" (Spanish "already") and "ok" do not count as a yes prefix inside longer
sentences; unaccented "si ..." at the start of a sentence is read as yes even
though it can mean "if" in Spanish (SMS rarely carries accents).
"""

from __future__ import annotations

import re
import unicodedata

YES = "yes"
NO = "no"
NOT_SURE = "not_sure"
SKIP = "skip"
CANONICAL: frozenset[str] = frozenset({YES, NO, NOT_SURE, SKIP})

_PHRASES: dict[str, tuple[str, ...]] = {
    YES: (
        "y", "ye", "yes", "yess", "yse", "yez", "yas", "yeas", "yeah", "yea", "yeh",
        "yah", "ya", "yep", "yup", "yuh", "ys", "yss", "yed", "tes", "sure", "shure",
        "ok", "okay", "okey", "oki", "k", "of course", "correct", "affirmative",
        "true", "that is right", "thats right", "i think so", "yes it is",
        "s", "si", "sip", "sep", "simon", "claro", "claro que si", "si claro",
        "cierto", "aja", "asi es", "correcto", "exacto", "vale", "de acuerdo",
        "creo que si", "por supuesto", "afirmativo",
    ),
    NO: (
        "n", "no", "nop", "nope", "noup", "nah", "naw", "nay", "nel", "never",
        "nunca", "jamas", "nada", "no way", "not really", "not at all", "negative",
        "nope never", "para nada", "de ninguna manera", "creo que no", "no nunca",
        "negativo", "no se puede", "nobody", "no one", "noone", "nadie",
    ),
    NOT_SURE: (
        "idk", "idc", "i dont know", "i do not know", "dont know", "do not know",
        "i don know", "i dnt know", "i dont kno", "idont know", "dunno", "i dunno",
        "not sure", "im not sure", "i am not sure", "unsure", "not certain",
        "no idea", "no clue", "maybe", "perhaps", "possibly", "i guess", "kind of",
        "kinda", "sort of", "not sure maybe",
        "no se", "nose", "no lo se", "ns", "nse", "nose q", "no sabria decir",
        "no estoy seguro", "no estoy segura", "no toy segura", "no toy seguro",
        "tal vez", "talvez", "quizas", "quiza", "a lo mejor", "puede ser",
        "puede que", "ni idea", "no tengo idea", "mas o menos", "no se si",
        "yes and no", "si y no", "more or less",
    ),
    SKIP: (
        "skip", "skp", "skip it", "skip this", "skip this one", "skip question",
        "pass", "next", "next question", "next one", "prefer not to say",
        "prefer not to answer", "i prefer not to say", "i prefer not to answer",
        "rather not say", "id rather not say", "id rather not", "i would rather not",
        "no comment", "dont want to answer", "i dont want to answer",
        "saltar", "salta", "saltala", "saltar pregunta", "siguiente",
        "siguiente pregunta", "sig", "paso", "pasar", "omitir", "prefiero no decir",
        "prefiero no decirlo", "prefiero no contestar", "prefiero no responder",
        "no quiero decir", "no quiero decirlo", "no quiero contestar",
        "no quiero responder",
    ),
}

# Multi-word openings that decide the answer even when more text follows.
_LEADING: dict[str, tuple[str, ...]] = {
    NOT_SURE: (
        "no se", "no lo se", "no estoy segur", "i dont know", "i do not know",
        "dont know", "idk", "not sure", "im not sure", "no idea", "ni idea",
        "tal vez", "a lo mejor", "puede ser", "maybe", "quizas", "quiza", "nose",
    ),
    SKIP: (
        "prefer not", "i prefer not", "rather not", "id rather not", "prefiero no",
        "no quiero contestar", "no quiero responder", "no quiero decir", "skip",
    ),
    NO: ("no se puede", "not really", "not at all", "no way", "para nada"),
}

# Words that, opening a longer message, are a clear yes/no.
_STRONG_PREFIX: dict[str, str] = {
    "yes": YES, "yeah": YES, "yep": YES, "yup": YES, "yea": YES, "yah": YES,
    "si": YES, "sip": YES, "claro": YES, "simon": YES, "sure": YES, "correct": YES,
    "no": NO, "nope": NO, "nah": NO, "nel": NO, "never": NO, "nunca": NO,
    "jamas": NO, "naw": NO,
}

_EMOJI = {"👍": YES, "👌": YES, "✅": YES, "👎": NO, "❌": NO, "🤷": NOT_SURE}

_CLAUSE_SPLIT = re.compile(r"[,.;:!¡¿?\n()\-]+")
_WORD = re.compile(r"[a-z0-9]+")


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _collapse(word: str) -> str:
    """Collapse runs of the same letter: 'siiii' -> 'si', 'yesss' -> 'yes'."""
    return re.sub(r"(.)\1+", r"\1", word)


def _key(text: str) -> str:
    return " ".join(_collapse(w) for w in _WORD.findall(text))


def _build(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for value, phrases in table.items():
        for phrase in phrases:
            out.setdefault(_key(phrase), value)
    return out


_PHRASE_MAP = _build(_PHRASES)
_LEADING_MAP = _build(_LEADING)
_STRONG_MAP = {_collapse(k): v for k, v in _STRONG_PREFIX.items()}
_FUZZY_CANDIDATES = {k: v for k, v in _PHRASE_MAP.items() if " " not in k and len(k) >= 5}


def _normalise(text: str) -> str:
    text = _strip_accents(text.lower())
    return text.replace("'", "").replace("\u2019", "").replace("`", "")


def _within_one_edit(a: str, b: str) -> bool:
    """Damerau distance <= 1 (one insert, delete, substitute or swap)."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diff = [i for i in range(la) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long_ = (a, b) if la < lb else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def parse_answer(text: str | None) -> str | None:
    """Map an SMS reply to "yes" | "no" | "not_sure" | "skip", or None."""
    if not isinstance(text, str):
        return None
    raw = text.strip()
    if not raw:
        return None
    if re.fullmatch(r"[?¿\s]+", raw):
        return NOT_SURE
    for emoji, value in _EMOJI.items():
        if raw.startswith(emoji):
            return value

    norm = _normalise(raw)
    full = _key(norm)
    if not full:
        return None
    if full in _PHRASE_MAP:
        return _PHRASE_MAP[full]

    clauses = [c for c in _CLAUSE_SPLIT.split(norm) if _key(c)]
    first_clause = _key(clauses[0]) if clauses else ""
    if first_clause in _PHRASE_MAP and first_clause != full:
        return _PHRASE_MAP[first_clause]

    words = full.split()
    for n in (4, 3, 2, 1):
        if len(words) >= n and " ".join(words[:n]) in _LEADING_MAP:
            return _LEADING_MAP[" ".join(words[:n])]
    if words[0] in _STRONG_MAP:
        return _STRONG_MAP[words[0]]

    if len(words) == 1 and len(words[0]) >= 4:
        for candidate, value in _FUZZY_CANDIDATES.items():
            if _within_one_edit(words[0], candidate):
                return value
    return None


def canonical(value: object) -> str | None:
    """Normalise a stored slot value (canonical string, bool or raw text)."""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in CANONICAL:
            return lowered
        if lowered in ("not sure", "notsure", "unsure"):
            return NOT_SURE
        return parse_answer(value)
    return None
