"""tests/blind is never copied into training data (issue 10): no blind text appears in
data/ (NLU examples, rules, stories), whatever its case, accents or punctuation.

A blind set measures understanding only while the model has never seen it; one copied
sentence turns a measurement into a memory test.
"""

from __future__ import annotations

import re
from pathlib import Path

from bot.content.loader import normalize
from evaluation.cases import load_sets

ROOT = Path(__file__).resolve().parents[3]
BLIND = ROOT / "tests" / "blind"
SAMPLE = Path(__file__).parent / "sample"
# Blind cases whose words happen to equal a training example that was in data/ before the
# set was written (checked with git log): everyday phrases of 4-10 words, written
# independently. Listed so the guard still catches every new copy; never add an id here
# for a line added to data/ after its set.
PREDATING_OVERLAPS = frozenset({
    ("set1", "en-0161"), ("set1", "en-0216"), ("set1", "en-0228"), ("set1", "en-0348"),
    ("set1", "en-0396"), ("set1", "en-0401"), ("set1", "en-0422"), ("set1", "es-0417"),
    ("set1", "es-0458"), ("set1", "es-0463"),
    # Written at the same time as set1 (training lines of commit 2a9ea05, 22:05, by a helper
    # that never saw the set; set1 was finished at 22:06): the same short everyday questions.
    ("set1", "en-0186"), ("set1", "en-0224"), ("set1", "en-0263"), ("set1", "en-0268"),
    ("set1", "en-0283"),
    # set2 was written (22:50-23:01) after those lines, by helpers who read nothing but
    # tests/blind/FORMAT.md.
    ("set2", "en2-0216"), ("set2", "en2-0224"), ("set2", "en2-0244"), ("set2", "en2-0252"),
    ("set2", "en2-0253"), ("set2", "en2-0262"), ("set2", "en2-0283"), ("set2", "en2-0351"),
    ("set2", "en2-0437"), ("set2", "es2-0392"), ("set2", "es2-0400"),
    # set3 and set4 (2026-12-02), written by helpers who read only FORMAT.md: everyday
    # phrases that were training lines before the sets were written (git blame).
    ("set3", "es3-0377"), ("set4", "en4-0102"), ("set4", "en4-0405"), ("set4", "en4-0444"),
    ("set4", "es4-0441"),
    # set5 (2026-12-02, written 11:20-12:50 by a helper who read only FORMAT.md): short
    # everyday questions that were data/nlu lines before (last data/nlu change 11:10).
    ("set5", "en5-0186"), ("set5", "en5-0224"), ("set5", "en5-0228"), ("set5", "en5-0252"),
    ("set5", "en5-0254"), ("set5", "en5-0350"), ("set5", "en5-0403"), ("set5", "en5-0409"),
    ("set5", "en5-0426"), ("set5", "es5-0225"), ("set5", "es5-0426"), ("set5", "es5-0444"),
    # set6 (2026-12-02, written 15:35-16:10 by a helper who read only FORMAT.md): short
    # everyday lines that were in data/ before (last data/ change 13:15).
    ("set6", "en6-0134"), ("set6", "en6-0206"), ("set6", "en6-0207"),
    ("set6", "en6-0248"), ("set6", "en6-0254"), ("set6", "en6-0257"),
    ("set6", "en6-0297"), ("set6", "en6-0299"), ("set6", "en6-0302"),
    ("set6", "en6-0407"), ("set6", "es6-0010"), ("set6", "es6-0049"),
    ("set6", "es6-0060"), ("set6", "es6-0112"), ("set6", "es6-0136"),
    ("set6", "es6-0187"), ("set6", "es6-0332"), ("set6", "es6-0419"),
    # set7 (2026-12-02, written 16:00-16:20 by a helper who read only FORMAT.md): the same
    # short everyday questions, in data/ since before (last data/ change 13:15).
    ("set7", "en7-0122"), ("set7", "en7-0184"), ("set7", "en7-0359"),
    ("set7", "en7-0367"), ("set7", "en7-0372"), ("set7", "en7-0382"),
    ("set7", "en7-0386"), ("set7", "en7-0432"),
    # set8 (2026-12-02, written 16:25-16:45 by a fresh helper who read only FORMAT.md):
    # short everyday lines in data/ since before (last data/ change 13:15).
    ("set8", "en8-0013"), ("set8", "en8-0045"), ("set8", "en8-0060"),
    ("set8", "en8-0147"), ("set8", "en8-0148"), ("set8", "en8-0326"),
    ("set8", "en8-0331"), ("set8", "en8-0371"), ("set8", "en8-0373"),
    ("set8", "en8-0384"), ("set8", "es8-0417"), ("set8", "es8-0419"),
    # set9 (2026-12-02, written 19:30-20:00 by a fresh helper who read only FORMAT.md):
    # short everyday lines in data/ since before (last data/ change before it: 13:15).
    ("set9", "en-0161"), ("set9", "en-0206"), ("set9", "en-0212"), ("set9", "en-0215"),
    ("set9", "en-0234"), ("set9", "en-0331"), ("set9", "es-0187"), ("set9", "es-0192"),
    ("set9", "es-0234"), ("set9", "es-0235"),
    # set11 (2026-12-03, written 05:35-05:55 by two fresh helpers who read only FORMAT.md):
    # short everyday lines in data/ since before (last data/ change: 2026-12-02 20:30).
    ("set11", "en-0045"), ("set11", "en-0161"), ("set11", "en-0216"), ("set11", "en-0224"),
    ("set11", "en-0228"), ("set11", "en-0252"), ("set11", "en-0312"), ("set11", "en-0348"),
    ("set11", "es-0252"), ("set11", "es-0363"), ("set11", "es-0397"),
    # set12 (2026-12-03, written 07:37-07:52 by two fresh helpers who read only FORMAT.md):
    # short everyday lines in data/ before the set was written.
    ("set12", "en-0121"), ("set12", "en-0191"), ("set12", "en-0214"), ("set12", "en-0231"),
    # set13 (2026-12-03, written 11:00-11:15 by two fresh helpers who read only FORMAT.md):
    # short everyday lines in data/ before the set was written (last data/ change 06:17).
    ("set13", "en-0151"), ("set13", "en-0188"), ("set13", "en-0197"), ("set13", "en-0215"),
    ("set13", "en-0229"), ("set13", "en-0270"), ("set13", "en-0272"), ("set13", "es-0215"),
    ("set13", "es-0229"),
    # set14 (2026-12-03, written 14:01-14:06 by two fresh helpers who read only FORMAT.md):
    # short everyday lines in data/ before the set was written (last data/ change 11:41).
    ("set14", "en-0151"), ("set14", "en-0215"), ("set14", "en-0272"), ("set14", "es-0229"),
    # set15 (2026-12-03, written 15:29-15:40 by two fresh helpers who read only FORMAT.md):
    # short everyday lines in data/ before the set was written (last data/ change 11:41).
    ("set15", "en-0151"), ("set15", "en-0185"), ("set15", "en-0215"), ("set15", "es-0229"),
})
_ANNOTATION = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")


def training_lines(data_dir: Path) -> set[str]:
    """Every line of the training data, entity annotations removed, normalized."""
    lines: set[str] = set()
    for path in data_dir.rglob("*.yml"):
        for line in path.read_text(encoding="utf-8").splitlines():
            text = _ANNOTATION.sub(r"\1", line.strip().lstrip("-").strip().strip("'\""))
            if text:
                lines.add(normalize(text))
    return lines


def blind_texts(root: Path) -> list[tuple[str, str, int, str]]:
    """(set, case id, turn, normalized text) of every turn of every blind set under root."""
    return [(case.set, case.id, index, normalize(turn.text))
            for case in load_sets(root).cases for index, turn in enumerate(case.turns)]


def copied(root: Path, data_dir: Path) -> list[tuple[str, int]]:
    """(case id, turn) of every blind text of 4+ words found in the training data."""
    training = training_lines(data_dir)
    long_training = [t for t in training if len(t.split()) >= 4]
    found = []
    for set_name, case_id, turn, text in blind_texts(root):
        # Short answers ("yes", "ok", "2") are everyone's words, not a copied case.
        if len(text.split()) < 4 or (set_name, case_id) in PREDATING_OVERLAPS:
            continue
        if text in training or any(text in line for line in long_training):
            found.append((case_id, turn))
    return found


def test_no_blind_text_is_in_the_training_data():
    assert blind_texts(BLIND), "no blind set under tests/blind"
    assert copied(BLIND, ROOT / "data") == []


def test_the_guard_finds_a_copied_sentence(tmp_path: Path):
    data = tmp_path / "data" / "nlu"
    data.mkdir(parents=True)
    (data / "x.yml").write_text(
        "nlu:\n- intent: emergency\n  examples: |\n"
        "    - Help, he [locked](action) me in the room and hit me JUST now!\n")
    assert copied(SAMPLE, tmp_path / "data") == [("t-en-1", 0)]
    assert copied(SAMPLE, ROOT / "data") == []
