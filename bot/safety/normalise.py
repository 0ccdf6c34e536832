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
_STRETCHED_END = re.compile(r"([abcdeghijkmnopqrtuvwxy])\1\b")


def unstretch(text: str) -> str:
    """The normalised text with stretched word endings undone ("me estan pegandoo" ->
    "me estan pegando"). A second reading, not a replacement: "see" and "too" lose a
    letter too, so the detector reads both and keeps the more urgent."""
    return _STRETCHED_END.sub(r"\1", normalise(text))
