"""Deterministic intent overrides that run after the trained classifier.

A trained model can miss. For the few messages where a miss is costly, explicit
checks decide: immediate danger → `emergency` when any layer of
bot/safety/detector.py is sure (patterns, the char n-gram classifier, or this
model's own `emergency` intent), in every state, forms included; an idiom or a
past event the model took for an emergency goes back to its next intent; the quick-exit word alone →
`quick_exit`; a bare menu number → that menu entry; the skip word → `skip`;
a lone "?" → `not_sure`; DELETE / BORRAR → `delete_my_data` (always confirmed
before anything is erased). Recall matters more than precision for
emergencies, so a pattern hit always wins.

The reverse holds for quick exit: it wipes the conversation, so the model
alone may never trigger it ("saltar" looks like "salir" to a character model).
A `quick_exit` prediction without the exit word is replaced by the next intent.

Disclosures (round 7 of issue 10): a texter telling us about their own situation
("tengo 15 y el señor me hace trabajar", "he posts me online") was often read as a
tip or as out of scope, and got the tip form or "Sorry". When the screening's
patterns (bot/screening/disclosures.py) hear an indicator in the first person, with
nothing that reads as a bystander's report, those intents become `get_help`: the
reply speaks to what was said and the screening is pre-filled.
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.config import get_settings
from bot.safety.detector import assess
from bot.safety.normalise import normalise
from bot.safety.patterns import OBSERVER, is_benign, is_observer_report
from bot.safety.quick_exit import is_quick_exit
from bot.screening.disclosures import find_disclosures

# Message metadata the router sets after the texter answered the Y/N danger check
# (bot/messaging/router.py): "emergency" forces the intent, "checked_safe" keeps
# the model's own answer.
SAFETY_METADATA_KEY = "hotline_safety"
# Where the override leaves its assessment in the parse data (level, concern,
# self_harm, groups): past events and idioms are `concern` for the screening.
SAFETY_PARSE_KEY = "hotline_safety"

EXACT = {"0": "show_menu", "1": "get_help", "2": "ask_rights", "3": "report_tip",
         "4": "handoff", "?": "not_sure", "??": "not_sure", "skip": "skip", "saltar": "skip",
         "pass": "skip", "paso": "skip",
         # Delete my data (always confirmed before anything is erased).
         "delete": "delete_my_data", "borrar": "delete_my_data",
         "delete my data": "delete_my_data", "borrar mis datos": "delete_my_data",
         "borra mis datos": "delete_my_data"}


# "el 2", "option 3", "#4", "número 1": a menu choice said with a word around it.
MENU_CHOICE = re.compile(r"^(?:el|la|opci[oó]n|option|number|num|n[uú]mero|#)\s*([0-4])$")


# A bare "when" answer ("hace 2 dias", "last night"): never an interrupting intent
# (a character model once read "hace 2 dias" as show_menu and stopped the tip form).
TIME_ANSWER = re.compile(
    r"^(?:hace (?:\d+|un|una|dos|tres|cuatro|cinco|unos|unas|como) ?(?:\w+ )?(?:dias?|semanas?|"
    r"meses|mes|horas?|anos?|rato)|(?:\d+|a|an|one|two|three|a few|like \d+) (?:days?|weeks?|"
    r"months?|hours?|years?) ago|yesterday|ayer|anoche|antier|anteayer|"
    r"last (?:night|week|month|year|friday|monday|weekend)|la semana pasada|el mes pasado|"
    r"el ano pasado|today|hoy|this morning|esta manana|tonight|esta noche)$")


# Asking for a human, in words the model did not learn ("operator?", "quiero un humano",
# "can someone text me back for real"): `handoff` (round 7 of issue 10). A question about
# whether a person reads the chat ("is this a bot?") alone stays the model's.
ASKS_FOR_A_PERSON = re.compile(
    r"\b(?:human|humano|humana|operator|operadora?|live agent|real person|persona real|"
    r"someone live|somebody live|alguien en vivo|(?:a|an|un|una) (?:counselor|consejer[oa]|"
    r"advocate|defensora?|agent|agente)|"
    r"(?:talk|speak|chat|text) (?:to|with) (?:a |an |some |)(?:person|someone|somebody|human|"
    r"real person|advocate|counselor|operator|anyone)(?! (?:at|in|from) my (?:job|work))|"
    r"hablar con (?:alguien|una persona|un humano|un consejero|una consejera|una persona real)|"
    r"quiero (?:una |a )?persona|quiero un humano|"
    r"(?:can|could) (?:someone|somebody|a person) (?:text|call) me back|"
    r"(?:puedo|podria) hablar (?:x|por) telefono con alguien)\b")
# Replies to the screening's yes/no questions that name a person are still answers
# ("no, a person keeps it"): only the short, direct asks above count.
_PERSON_MAX_WORDS = 16


# "Are you a real person?" asks what the assistant is (bot_challenge), not for a person.
_ARE_YOU_A_PERSON = re.compile(
    r"\b(?:are you|r u|ru|is this|am i (?:talking|texting|chatting) (?:to|with)|eres|es usted|"
    r"es esto|estoy hablando con|hablo con|sos) (?:a |an |un |una )?(?:real |)(?:person|human|"
    r"persona|humano|humana|bot|robot)\b")


def asks_for_a_person(text: str) -> bool:
    norm = " ".join(re.sub(r"[^\w\s]", " ", normalise(text)).split())
    if _ARE_YOU_A_PERSON.search(norm):
        return False
    return len(norm.split()) <= _PERSON_MAX_WORDS and bool(ASKS_FOR_A_PERSON.search(norm))


# Intents a first-person disclosure is taken for by mistake; questions (rights, a
# number) keep their own answer, which already speaks to the situation.
DISCLOSURE_MISREAD = frozenset({"report_tip", "out_of_scope", "nlu_fallback"})
# Intents a plain wish to report is taken for (the emergency and handoff keep theirs).
REPORT_WISH_MISREAD = frozenset({"get_help", "find_resources", "ask_rights", "out_of_scope",
                                 "nlu_fallback"})
FIRST_PERSON = re.compile(
    r"\b(?:i|im|i m|ive|id|me|my|mine|we|were|us|our|yo|mi|mis|nos|nosotros|tengo|soy|estoy|"
    r"trabajo|vivo)\b")
THIRD_PERSON_VICTIM = re.compile(
    r"\b(?:she(?! (?:says|said|tells|told|will|wont|would|threatens|threatened|keeps|took|takes|"
    r"has|is going|calls|called|does|did|is|was|thinks|knows))|her|hers|he s a|a girl|a woman|"
    r"a kid|a child|the girl|the woman|the workers|"
    r"the kids|ella|una chava|una muchacha|la muchacha|una nina|un nino|los trabajadores|"
    r"mi amiga|my friend|my cousin|mi prima|mi vecina|my neighbor|my coworker)\b")


# A question in the texter's words: the rights answer stays theirs.
_QUESTION = re.compile(
    r"\?|^\W*(?:can|could|is|are|do|does|will|should|what|whats|how|who|where|why|when|which|"
    r"puedo|pueden|puede|es|que|como|quien|donde|cuando|cual|tengo|hay)\b|"
    # an English question after a clause: "..., can that get erased", "if i go will they"
    r"\b(?:can|could|will|would|should|is|are|do|does|did) (?:i|that|it|they|he|she|you|u|we|"
    r"this|my|someone)\b|\b(?:se puede|puedo|pueden)\b|\b(?:tengo derecho|"
    r"is (?:it|that|this) legal|es legal|can they|pueden hacer eso|is that allowed)\b")


# Round 9: what a resource request names; an own account read as `find_resources`
# without one ("the owner has had my passport since i got here") is heard instead.
RESOURCE_ASK = re.compile(
    r"\b(?:shelter|albergue|refugio|lawyer|attorney|abogad\w*|number|numero|phone|telefono|"
    r"line|linea|hotline|where (?:can|do|is)|donde (?:puedo|hay|esta)|near me|cerca de mi|"
    r"place to stay|somewhere to (?:stay|go|sleep)|lugar (?:para|donde) (?:quedarme|dormir)|"
    r"food|comida|clinic|clinica|doctor|legal help|ayuda legal|resources?|recursos?|"
    r"organization|organizacion|need help|necesito ayuda|ocupo ayuda)\b")


def is_own_disclosure(text: str) -> bool:
    """An indicator of trafficking told in the first person, not a bystander's report."""
    norm = normalise(text)
    return (any(d.htcds for d in find_disclosures(text)) and bool(FIRST_PERSON.search(norm))
            and not THIRD_PERSON_VICTIM.search(norm) and not is_observer_report(text))


def is_bystander_report(text: str) -> bool:
    """Someone describing what happens to another person ("customer here. the woman
    doing my nails whispered she cant leave"): the tip form, not the texter's own
    screening (round 7 of issue 10)."""
    if not THIRD_PERSON_VICTIM.search(text.lower()) or is_own_disclosure(text):
        return False
    return bool(OBSERVER.search(normalise(text))) or any(d.htcds for d in find_disclosures(text))


# Round 8b: a wish to report, said outright ("i want to report it", "quiero denunciar",
# "tengo informacion de trata"): the tip form, unless it is the texter's own employer.
REPORT_WISH = re.compile(
    r"\b(?:i want to|i wanna|want to|i need to|i would like to|id like to|how (?:do|can) i) "
    r"(?:report|tell someone about|give (?:a )?tip)\b|\bi want to report it\b|"
    r"\b(?:quiero|deseo|quisiera|necesito|como puedo|como) (?:lo |la )?(?:denunciar|reportar)\w*\b|"
    r"\b(?:lo|la) quiero (?:denunciar|reportar)\b|\btengo (?:informacion|info|datos) (?:de|sobre) "
    r"(?:trata|un caso|una situacion)\b")
OWN_EMPLOYER = re.compile(
    r"\b(?:my|mi|mis) (?:boss|employer|jefe|jefa|patron|patrona|empleador|manager|encargado|"
    r"contratista|mayordomo|pimp|padrote)\b")


# Round 9: "ok sigamos con el reporte", "perdon, sigamos", "ok go on with the questions":
# the whole text asks to pick the flow up again (a fresh model took the first for a new
# tip). Anchored: "sigamos con el reporte de mi prima" is more than a resume.
RESUME = re.compile(
    r"^(?:(?:ok|okay|k|bueno|perdon|sorry|ya|listo|dale|va|fine|alright|back|ya volvi|"
    r"im back|ya regrese|ya estoy)\W+)*(?:sigamos|continuemos|seguimos|sigue|siga|continua|"
    r"continue|lets continue|lets keep going|keep going|go on|lets go on|carry on|"
    r"where were we|en que (?:ibamos|quedamos)|volvamos|sigamos pues)"
    r"(?: (?:con|a) (?:el reporte|la denuncia|las preguntas|lo de antes|eso|lo que "
    r"estabamos)| with (?:the |my )?(?:report|questions|it|that))?(?: (?:pls|please|por favor|"
    r"porfa))?\W*$")


def asks_to_resume(text: str) -> bool:
    """The whole text only asks to pick the current flow up again."""
    return bool(RESUME.match(normalise(text)))


def wants_to_report(text: str) -> bool:
    """A plain wish to report something seen, not the texter's own situation."""
    norm = normalise(text)
    return bool(REPORT_WISH.search(norm)) and not OWN_EMPLOYER.search(norm) \
        and not is_own_disclosure(text)


def override_intent(text: str, exit_words: tuple[str, ...], nlu_intent: str | None = None,
                    nlu_confidence: float = 0.0) -> str | None:
    """The intent that explicit checks force for this text, if any."""
    if is_quick_exit(text, exit_words):
        return "quick_exit"
    if assess(text, nlu_intent, nlu_confidence).is_emergency:
        return "emergency"
    stripped = text.strip().lower()
    if stripped not in ("?", "??"):
        stripped = stripped.rstrip(".!?)").strip()
    menu = MENU_CHOICE.match(stripped)
    if menu:
        return EXACT[menu.group(1)]
    if TIME_ANSWER.match(stripped):
        return "nlu_fallback"
    return EXACT.get(stripped)


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class SafetyOverrides(GraphComponent):
    @classmethod
    def create(
        cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
        execution_context: ExecutionContext,
    ) -> SafetyOverrides:
        return cls(config)

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config

    @staticmethod
    def _next_best(message: Message, skip: tuple[str, ...] = ("quick_exit",)) -> str:
        """The best-ranked intent not in `skip` (nlu_fallback if none)."""
        for candidate in message.get(INTENT_RANKING_KEY) or []:
            if candidate.get("name") not in (*skip, None):
                return candidate["name"]
        return "nlu_fallback"

    @staticmethod
    def _model_emergency(message: Message) -> float:
        """The model's confidence in `emergency` (from the ranking, before fallback)."""
        for candidate in message.get(INTENT_RANKING_KEY) or []:
            if candidate.get("name") == "emergency":
                return float(candidate.get("confidence") or 0.0)
        return 0.0

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        exit_words = get_settings().exit_words
        for message in messages:
            text = message.get(TEXT)
            if not text:
                continue
            current = message.get(INTENT) or {}
            norm = normalise(text)
            safety = (message.get("metadata") or {}).get(SAFETY_METADATA_KEY)
            model_conf = self._model_emergency(message)
            assessment = assess(text, "emergency" if model_conf else None, model_conf)
            # The hook for the screening and the answers (part B): what the safety
            # layers saw, in the parse data the actions read (tracker.latest_message).
            message.set(SAFETY_PARSE_KEY, {
                "level": assessment.level.value, "concern": assessment.concern,
                "self_harm": assessment.self_harm, "groups": list(assessment.groups)},
                add_to_output=True)
            if safety == "emergency" and not is_quick_exit(text, exit_words):
                forced = "emergency"
            else:
                forced = override_intent(text, exit_words, "emergency" if model_conf else None,
                                         model_conf)
            if forced is None and current.get("name") == "quick_exit":
                forced = self._next_best(message)
            elif forced is None and current.get("name") == "emergency" and (
                    safety == "checked_safe" or is_benign(text)
                    or assessment.model_discounted):
                # The texter said they are not in danger now, or an idiom / past event.
                forced = self._next_best(message, ("quick_exit", "emergency"))
            elif forced is None and (current.get("name") in DISCLOSURE_MISREAD or (
                    current.get("name") in ("ask_rights", "find_resources")
                    and not _QUESTION.search(norm) and not (
                        current.get("name") == "find_resources" and RESOURCE_ASK.search(norm)))
                    ) and is_own_disclosure(text):
                # Round 8b: a situation told without a question, read as ask_rights,
                # got the rights menu; it is the texter's own account.
                forced = "get_help"
            elif forced is None and (
                    (current.get("name") == "get_help" and is_bystander_report(text))
                    or (current.get("name") in REPORT_WISH_MISREAD and wants_to_report(text))):
                forced = "report_tip"
            if forced is None and current.get("name") not in ("emergency", "resume_flow") \
                    and asks_to_resume(text):
                forced = "resume_flow"
            if forced is None and current.get("name") not in ("handoff", "emergency") \
                    and asks_for_a_person(text):
                forced = "handoff"
            if forced is None or current.get("name") == forced:
                continue
            message.set(INTENT, {"name": forced, "confidence": 1.0}, add_to_output=True)
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != forced]
            message.set(INTENT_RANKING_KEY, [{"name": forced, "confidence": 1.0}, *ranking],
                        add_to_output=True)
        return messages
