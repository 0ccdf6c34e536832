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
