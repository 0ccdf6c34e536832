"""Everyday texts for the safety classifiers to learn "not this" from.

Why: hard look-alikes alone teach a character n-gram model shortcuts ("short =
must stop", "a place = held somewhere"); round 6 measured form answers (a city,
a motel's name) taken for "held in a place" and "go on" replies for a stop. The
NLU training examples of the other intents are what texters ordinarily say, so
each classifier takes them as negatives, leaving out the intents that can mean
what it detects.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from bot.paths import DATA_DIR

NLU_DIR = DATA_DIR / "nlu"
_ANNOTATION = re.compile(r"\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\{[^}]*\}")


def nlu_examples(exclude: frozenset[str], nlu_dir: Path = NLU_DIR) -> list[str]:
    """Every NLU training example whose intent (before any "/") is not in `exclude`,
    with entity markup removed (a fresh list: the YAML is parsed once per process)."""
    return list(_nlu_examples(exclude, nlu_dir))


@lru_cache(maxsize=8)
def _nlu_examples(exclude: frozenset[str], nlu_dir: Path) -> tuple[str, ...]:
    texts: list[str] = []
    for path in sorted(nlu_dir.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in data.get("nlu") or []:
            intent = str(block.get("intent") or "")
            if not intent or intent.split("/")[0] in exclude:
                continue
            for line in str(block.get("examples") or "").splitlines():
                line = line.strip()
                if line.startswith("- "):
                    text = _ANNOTATION.sub(lambda m: m.group(1) or m.group(2) or "", line[2:])
                    if text.strip():
                        texts.append(text.strip())
    return tuple(texts)
