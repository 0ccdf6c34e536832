"""Combine the three emergency layers so that no single miss drops an emergency.

Layers (each can say "emergency" on its own):
1. explicit patterns (bot/safety/patterns.py),
2. the trained Rasa model's `emergency` intent (passed in by the NLU override,
   bot/nlu/overrides.py; absent in the router, which runs before Rasa),
3. the character n-gram classifier (bot/safety/classifier.py) at its threshold,
   alone (round 3: clear present danger often names no weapon or blow, "locked in
   the trunk", and was only asked the Y/N check when a danger word was required);
4. a danger word beside a narrow "now" (`patterns.NOW`: right now, tonight, he is
   still here, an ongoing symptom);
5. the classifier's self-harm head, when sure (a farewell, a method, the means).

Then, in this order:
- an idiom, a joke, a job's tools or a past year with no present-time cue
  (`patterns.is_benign`) is never an emergency, whatever the layers say: it is
  a `concern` for the screening instead (a hook part B reads);
- any layer sure            -> EMERGENCY (self_harm when the self-harm patterns or
  the self-harm head at SELF_HARM_THRESHOLD say so: the reply adds 988);
- danger words without a time cue, fear or menace ("im scared of him", "they watch
  us"), the classifier half-sure beside a strong cue, or the model half-sure
  -> POSSIBLE (one Y/N check);
- else                      -> NONE.

`self_harm` asks the reply to add 988 beside 911.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from bot.safety import classifier, patterns
from bot.safety.normalise import normalise, unstretch

# The trained model's emergency intent: confident enough to decide alone / to doubt.
NLU_SURE = 0.6
NLU_DOUBT = 0.3
# Round 9: the model alone decides only beside some other sign: a pattern, a danger or
# fear word, or a classifier score of at least this. In forms a fresh model took "ok just
# send the list then" and "im in orlando" for emergencies (0.96); no blind emergency the
# model alone caught scored under 0.33.
MODEL_ALONE_MIN_SCORE = 0.3
# The classifier decides alone only from this many words on (shorter: beside a danger word).
CLASSIFIER_ALONE_WORDS = 5


class Level(str, enum.Enum):
    NONE = "none"
    POSSIBLE = "possible"
    EMERGENCY = "emergency"


@dataclass(frozen=True)
class Assessment:
    level: Level
    # Which layers said "emergency": "patterns", "model", "classifier".
    layers: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()  # which pattern groups matched
    self_harm: bool = False
    concern: bool = False  # benign wording around danger words: feeds screening, no 911
    # The model was sure of an emergency but nothing else agreed (MODEL_ALONE_MIN_SCORE):
    # the NLU override takes the model's next intent instead of its `emergency`.
    model_discounted: bool = False
    score: float = 0.0

    @property
    def is_emergency(self) -> bool:
        return self.level is Level.EMERGENCY


NOTHING = Assessment(Level.NONE)


_RANK = {Level.NONE: 0, Level.POSSIBLE: 1, Level.EMERGENCY: 2}


def assess(text: str | None, nlu_intent: str | None = None,
           nlu_confidence: float = 0.0) -> Assessment:
    """How urgent a message is, from every layer (favours recall).

    A text with stretched word endings ("me estan pegandoo ayudaa") is read a second
    time with them undone, and the more urgent reading wins (round 7: the patterns
    and the danger words missed the stretched forms).
    """
    if not isinstance(text, str) or not text.strip():
        return NOTHING
    first = _assess(text, nlu_intent, nlu_confidence)
    if first.is_emergency:
        return first
    variant = unstretch(text)
    if variant == normalise(text):
        return first
    second = _assess(variant, nlu_intent, nlu_confidence)
    return second if _RANK[second.level] > _RANK[first.level] else first


def _assess(text: str, nlu_intent: str | None, nlu_confidence: float) -> Assessment:
    """One reading of the text by every layer (see `assess`)."""
    groups = tuple(h.group for h in patterns.pattern_hits(text))
    score = classifier.score(text)
    layers: list[str] = []
    if groups:
        layers.append("patterns")
    danger = patterns.has_danger_words(text)
    fear = patterns.has_fear_words(text)
    model_sure = nlu_intent == "emergency" and nlu_confidence >= NLU_SURE
    discounted = model_sure and not (groups or danger or fear
                                     or score >= MODEL_ALONE_MIN_SCORE)
    if model_sure and not discounted:
        layers.append("model")
    # Alone ("locked in the trunk" names no danger word) only on a text long enough for
    # character n-grams to mean something: "no", "no se" score high on the "no se
    # donde estoy" examples and are everyday answers to a form question.
    short = len(text.split()) < CLASSIFIER_ALONE_WORDS
    if score >= classifier.THRESHOLD and (layers or not short or (
            danger and not (patterns.is_past_tense(text) and not patterns.has_present_cue(text)))):
        # Round 6: a short past-tense text ("he was hitting me") is the check, not 911.
        layers.append("classifier")
    if danger and patterns.has_now_cue(text):
        layers.append("danger_now")   # a danger word said with "right now", "tonight", ...
    self_harm_score = classifier.self_harm_score(text)
    if self_harm_score >= classifier.SELF_HARM_SURE and patterns.has_self_harm_cue(text) \
            and not patterns.is_routine_medicine(text):
        layers.append("self_harm_classifier")
    if patterns.is_bare_help(text) and not groups and "model" not in layers:
        return Assessment(Level.POSSIBLE, (), groups, score=score)
    if set(groups) <= {"self_harm", "urgent"} and "self_harm" in groups \
            and patterns.is_line_ask(text):
        # "whats the suicide hotline": the assistant answers with 988 (answer first).
        return Assessment(Level.NONE, concern=True, score=score)
    if patterns.is_benign(text):
        return Assessment(Level.NONE, concern=bool(layers) or danger, score=score)
    self_harm = "self_harm" in groups
    if layers == ["model"] and not danger and patterns.is_question_to_us(text):
        # Round 7: "do you call the police on me?" is a question about us, not danger.
        return Assessment(Level.NONE, concern=True, score=score)
    if layers == ["classifier"] and patterns.is_observer_report(text) \
            and not patterns.has_present_cue(text) and not patterns.has_now_cue(text):
        # Round 7: a bystander's tip with no pattern and no "now": the tip form asks
        # whether anyone is in danger right now (not the 911 advice to the reporter).
        return Assessment(Level.NONE, concern=True, score=score)
    if layers == ["classifier"] and not danger and fear \
            and not patterns.has_present_cue(text) and not patterns.has_now_cue(text):
        # Fear said without a time ("im afraid of him"): the check, not 911 (round 4).
        return Assessment(Level.POSSIBLE, (), groups, score=score)
    if layers:
        # The 988 line too when the self-harm head says so (means, farewells, methods
        # the patterns do not list); an idiom never gets here (vetoed above).
        self_harm = self_harm or self_harm_score >= classifier.SELF_HARM_THRESHOLD
        return Assessment(Level.EMERGENCY, tuple(layers), groups, self_harm, score=score)
    if discounted:
        return Assessment(Level.NONE, (), groups, score=score, model_discounted=True)
    long_enough = len(text.split()) >= CLASSIFIER_ALONE_WORDS
    doubtful = (danger or fear
                or (score >= classifier.THRESHOLD and long_enough)
                or (score >= classifier.POSSIBLE_THRESHOLD and patterns.STRONG_PRESENT.search(
                    normalise(text)) is not None)
                or (nlu_intent == "emergency" and nlu_confidence >= NLU_DOUBT))
    if doubtful:
        return Assessment(Level.POSSIBLE, (), groups, score=score)
    return Assessment(Level.NONE, score=score)


def is_emergency(text: str | None) -> bool:
    """True when some layer is sure the message shows immediate danger."""
    return assess(text).is_emergency
