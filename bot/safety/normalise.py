"""One text normalisation for every safety layer, so patterns and the classifier agree."""

from __future__ import annotations

import re
import unicodedata


def normalise(text: str) -> str:
    """Lower-case, strip accents/apostrophes, squeeze 3+ repeated letters and spaces.

    "CANT BREATHHH", "está"/"esta" and "he's"/"hes" become equal.
    """
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"['\u2019`´]", "", text)
    text = re.sub(r"([a-z])\1{2,}", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


# A letter doubled at the end of a word, as a texter stretches it ("ayudaa", "pegandoo",
# "helpp"). Not l, s, f or z: "kill", "miss", "off", "jazz" end that way in plain English.
_STRETCHED_END = re.compile(r"\b\w*([abcdeghijkmnopqrtuvwxy])\1\b")
# Plain words that end in a doubled letter: not stretched, so no second reading for them
# (the detector reads a text twice only when some word really is stretched).
_PLAIN_DOUBLES = frozenset({
    "too", "see", "free", "three", "agree", "knee", "tree", "fee", "degree", "guarantee",
    "employee", "coffee", "committee", "referee", "add", "odd", "egg", "inn", "err", "butt",
    "mitt", "watt", "putt", "ebb", "boo", "zoo", "shampoo", "bamboo", "tattoo", "taboo",
    "yahoo", "cuckoo", "voodoo", "wee", "bee", "lee", "tee", "pee", "dee", "cree", "vee",
    "provee", "aa", "ee", "ii", "oo", "uu", "cc", "dd", "mm", "nn", "pp", "rr", "tt", "vv",
    "xx", "yy", "hmm", "mmm",
})


def unstretch(text: str) -> str:
    """The normalised text with stretched word endings undone ("me estan pegandoo" ->
    "me estan pegando"). A second reading, not a replacement: "see" and "too" lose a
    letter too, so the detector reads both and keeps the more urgent."""
    return _STRETCHED_END.sub(_undo, normalise(text))


def _undo(match: re.Match[str]) -> str:
    word = match.group(0)
    return word if word in _PLAIN_DOUBLES else word[:-1]
