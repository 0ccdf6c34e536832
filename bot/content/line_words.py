"""Which line a request for a number names in its own words.

Why words as well as the model: the ResponseSelector often picks the generic hotline
for a specific request ("is there a DV line", "numero pa niños") or is unsure, and the
router must answer a request for a number that comes with danger words before the
assistant runs (round 7 of issue 10). Reviewable EN/ES patterns on normalized text.
"""

from __future__ import annotations

import re

from bot.content.loader import normalize

LINE_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (line, re.compile(r"\b(?:" + "|".join(words) + r")\b")) for line, words in (
        ("crisis", [r"988", r"crisis", r"suicid\w*", r"mental(?:ly)?", r"really low",
                    r"depress\w*", r"me siento (?:muy )?mal", r"cosas feas", r"ganas de morir"]),
        ("child_abuse", [r"child ?abuse", r"childhelp", r"cps", r"child protect\w*",
                         r"kids? (?:getting|being) (?:hurt|abused)",
                         r"proteccion (?:de|a) (?:menores|ninos)",
                         r"maltrat\w* (?:a )?(?:sus|los|mis) hijos",
                         r"(?:linea|numero|telefono) (?:pa|para|de) (?:ninos|menores)"]),
        ("domestic_violence", [r"dv", r"domestic (?:violence|abuse)",
                               r"violencia (?:domestica|en (?:el|la) (?:hogar|casa)|familiar)",
                               r"mujeres golpeadas",
                               r"(?:husband|boyfriend|partner|bf|wife|girlfriend)s? "
                               r"(?:hits?|beats?|abuses?)",
                               r"(?:husbands?|boyfriends?) beat",
                               r"(?:pareja|marido|esposo|novio) me (?:pega|maltrata|golpea)"]),
        ("labor", [r"osha", r"labor (?:department|board|dept)", r"dept of labor",
                   r"department of labor", r"workers? rights", r"wage theft",
                   r"stealing (?:my )?(?:tips|wages|pay)", r"unpaid wages",
                   r"departamento (?:del|de) trabajo", r"no nos pagan", r"no me pagan",
                   r"robando (?:las )?propinas"]),
        ("legal", [r"lawyer", r"attorney", r"abogad[oa]",
                   r"legal (?:help|aid|hotline|advice|clinic)", r"asilo", r"asylum", r"notario",
                   r"consultas? de inmigracion"]),
    ))


def line_in_words(text: str) -> str | None:
    """The specific line a request names in its words, or None."""
    norm = normalize(text)
    for line, pattern in LINE_WORDS:
        if pattern.search(norm):
            return line
    return None


# A request for a number or a line to call ("is there a DV line i can call", "numero?").
ASKS_FOR_A_LINE = re.compile(
    r"\b(?:number|numbers|num|phone number|hotline|helpline|line (?:i|to|for|that)|"
    r"(?:dv|crisis|abuse|help) line|numero|telefono|linea|a quien (?:le )?(?:hablo|llamo)|"
    r"donde llamo|where (?:do|can) i call|who (?:do|can) i call)\b"
    # "phone pls", "tel?": a bare ask for the phone, not "they took my phone"
    r"|^\W*(?:the |a |your |ur |el |su )?(?:phone|telephone|tel|telefono|numeros)"
    r"(?: (?:pls|please|plz|porfa|por favor|#))?\W*$")


def asks_for_a_line(text: str) -> bool:
    return bool(ASKS_FOR_A_LINE.search(normalize(text)))
