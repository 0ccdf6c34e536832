"""What the checks compare replies against, read from the project's own files.

Why read them instead of writing them into the checks: phone numbers live in
data/content/resources.yml and the form questions and fallback lines in domain/;
when an editor changes a number or a question the evaluation follows, so a pass
always means "the texter got what the content says today".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.content.loader import load_content
from bot.paths import CONTENT_DIR, DOMAIN_PATH

# The flows a conversation can be in (FORMAT.md) and the Rasa form behind each.
FLOW_FORMS: dict[str, str] = {
    "screening": "screening_form",
    "tip": "tip_form",
    "lookup": "location_form",
}
# Responses that open a flow before its first form question (the flow's own "question").
FLOW_OPENERS: dict[str, tuple[str, ...]] = {
    "screening": ("utter_offer_screening",),
    "tip": ("utter_tip_intro",),
    "lookup": (),
}
# What a flow says when the texter's answer finishes it: the flow went on, to its end.
FLOW_END_RESPONSES: dict[str, tuple[str, ...]] = {
    "screening": ("utter_result_",),          # every utter_result_* (a prefix)
    "tip": ("utter_tip_saved", "utter_tip_urgent"),
    "lookup": ("utter_place_not_found",),
}
# Content templates that end the look-up (the listing, or the national numbers).
FLOW_END_TEMPLATES: dict[str, tuple[str, ...]] = {
    "lookup": ("state_footer", "state_fallback", "national"),
}
# The assistant's "not understood" lines (domain/responses_opening.yml, screening hint).
FALLBACK_RESPONSES: tuple[str, ...] = (
    "utter_default", "utter_rephrase", "utter_fallback_menu", "utter_answer_hint",
)
# A fallback written by someone else later still counts when it says the same thing.
FALLBACK_WORDS = re.compile(
    r"didn['’]?t (?:catch|get) that|not sure I understand|"
    r"no (?:te )?entend[ií]|sin entender", re.I)

# line_request topic -> resource ids that may hold that line (first found wins), and a
# pattern over the resource's English name for lines another editor adds under a new id.
LINE_RESOURCES: dict[str, tuple[tuple[str, ...], str]] = {
    "domestic_violence": (("domestic_violence", "ndvh", "thehotline", "dv_hotline"),
                          r"domestic violence"),
    "child_abuse": (("child_abuse", "childhelp", "child_abuse_hotline"),
                    r"child ?abuse|childhelp"),
    "crisis_988": (("lifeline_988", "crisis_988", "988"), r"\b988\b|suicide"),
    "labor": (("dol_whd", "labor", "dol"), r"labou?r|wage and hour"),
    "immigration_legal": (("immigration_legal", "legal_aid", "immigration_lawyers",
                           "immigration_legal_help"),
                          r"immigration.*(legal|law)|legal.*immigration"),
}
# Topics whose answer is the national hotline itself (it refers to shelter and has Spanish).
HOTLINE_TOPICS = frozenset({"national_hotline", "shelter", "spanish_speaking"})
# Which screening question a disclosure already answers (it must not be asked again).
DISCLOSURE_QUESTIONS: dict[str, str] = {
    "papers_held": "q_documents",
    "debt": "q_debt",
    "immigration_threat": "q_police_threats",
    "forced_sex": "q_commercial_sex",
    "under_18": "q_under18",
}


def squash(text: str) -> str:
    """Lower case, one space between words: how replies and domain texts are compared."""
    return " ".join(text.casefold().split())


@dataclass(frozen=True)
class Expectations:
    """Numbers, questions and fallback lines the checks need, in every language."""

    hotline_call: str
    emergency_number: str
    crisis_number: str
    # line_request topic -> that line's contact values (call/text/web); empty if none.
    lines: dict[str, tuple[str, ...]]
    # flow -> response name -> squashed texts (all languages) of its questions.
    flow_questions: dict[str, dict[str, tuple[str, ...]]]
    # screening slot -> squashed texts of its question (for disclosures).
    slot_questions: dict[str, tuple[str, ...]]
    fallback_texts: tuple[str, ...]
    state_question: tuple[str, ...]
    tip_start: tuple[str, ...] = field(default_factory=tuple)
    # flow -> squashed texts (or fixed fragments of templates) that finish that flow.
    flow_endings: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def all_form_questions(self) -> dict[str, tuple[str, ...]]:
        merged: dict[str, tuple[str, ...]] = {}
        for questions in self.flow_questions.values():
            merged.update(questions)
        return merged


def _domain_responses(domain_dir: Path) -> tuple[dict[str, tuple[str, ...]], dict]:
    """response name -> squashed texts of all its variations; and the forms block."""
    responses: dict[str, tuple[str, ...]] = {}
    forms: dict = {}
    for path in sorted(domain_dir.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for name, variations in (data.get("responses") or {}).items():
            texts = tuple(squash(v["text"]) for v in variations or () if v.get("text"))
            responses[name] = responses.get(name, ()) + texts
        forms.update(data.get("forms") or {})
    return responses, forms


def _fixed_part(template: str) -> str:
    """The longest piece of a template between {placeholders}, squashed."""
    return max((squash(p) for p in re.split(r"\{[^}]*\}", template)), key=len)


def _ask_texts(responses: dict[str, tuple[str, ...]], form: str, slot: str) -> tuple[str, ...]:
    return responses.get(f"utter_ask_{form}_{slot}") or responses.get(f"utter_ask_{slot}", ())


def load_expectations(content_dir: Path = CONTENT_DIR,
                      domain_dir: Path = DOMAIN_PATH) -> Expectations:
    content = load_content(content_dir)
    responses, forms = _domain_responses(domain_dir)

    lines: dict[str, tuple[str, ...]] = {}
    for topic, (ids, name_pattern) in LINE_RESOURCES.items():
        found = next((content.resources[i] for i in ids if i in content.resources), None)
        if found is None:
            found = next((r for r in content.all_resources()
                          if re.search(name_pattern, r.name.get("en", ""), re.I)), None)
        lines[topic] = tuple(v for k, v in found.contact.items()
                             if k in ("call", "text", "web")) if found else ()

    flow_questions: dict[str, dict[str, tuple[str, ...]]] = {}
    for flow, form in FLOW_FORMS.items():
        slots = (forms.get(form) or {}).get("required_slots") or []
        questions = {f"utter_ask_{slot}": _ask_texts(responses, form, slot) for slot in slots}
        for opener in FLOW_OPENERS[flow]:
            questions[opener] = responses.get(opener, ())
        flow_questions[flow] = {k: v for k, v in questions.items() if v}
    flow_endings: dict[str, tuple[str, ...]] = {}
    for flow in FLOW_FORMS:
        texts = tuple(t for prefix in FLOW_END_RESPONSES.get(flow, ())
                      for name, variations in responses.items() if name.startswith(prefix)
                      for t in variations)
        texts += tuple(_fixed_part(content.template(key, lang))
                       for key in FLOW_END_TEMPLATES.get(flow, ()) for lang in ("en", "es"))
        flow_endings[flow] = texts
    screening_slots = (forms.get("screening_form") or {}).get("required_slots") or []

    return Expectations(
        hotline_call=content.resource("national_hotline").contact["call"],
        emergency_number=content.resource("emergency_911").contact["call"],
        crisis_number=content.resource("lifeline_988").contact["call"],
        lines=lines,
        flow_questions=flow_questions,
        slot_questions={s: _ask_texts(responses, "screening_form", s) for s in screening_slots},
        fallback_texts=tuple(t for name in FALLBACK_RESPONSES for t in responses.get(name, ())),
        state_question=responses.get("utter_ask_location_state", ()),
        tip_start=responses.get("utter_tip_intro", ()) + responses.get("utter_ask_tip_what", ()),
        flow_endings=flow_endings,
    )
