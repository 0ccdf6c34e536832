"""Know your rights: topics and their texts come from data/content/rights.yml."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import content, language, latest_text, retrieval_key
from actions.form_answer import answer_to_form
from actions.offer import offer_again
from bot.content.loader import RightsTopic
from bot.content.render import rights_menu, rights_part

MENU = "menu"


# Topics a texter names by their name (a visa, Continued Presence).
NAMED_RELIEF = frozenset({"t_visa", "u_visa", "continued_presence"})


def asked_topic(tracker: Tracker) -> RightsTopic | None:
    """The rights topic asked about: the ResponseSelector's pick, else a content keyword.

    The selector knows paraphrases ("do u call ice on people"); the keywords catch a
    topic word the model has not seen. "menu" (what are my rights?) means no topic.
    """
    key = retrieval_key(tracker, "ask_rights")
    text = latest_text(tracker)
    topic = content().match_rights_topic(text)
    if key and key != MENU:
        try:
            chosen = content().topic(key)
        except KeyError:  # a sub-intent without content: fall back to keywords
            pass
        else:
            # Round 8b: "how long does the u visa take" got the T visa answer. A form of
            # relief named in the texter's words wins when the selector's pick names none
            # of its own (only these names: "police" or "my info" are too general to win).
            if topic is not None and topic.id in NAMED_RELIEF and topic.id != chosen.id \
                    and not content().names_topic(chosen.id, text):
                return topic
            return chosen
    if topic is not None or key == MENU:
        return topic
    return None


class ActionRights(Action):
    """Answer the topic the texter asked about, or list the topics.

    Also runs inside forms (data/rules/interruptions.yml): the answer goes first,
    then the form asks its question again.
    """

    def name(self) -> str:
        return "action_rights"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: dict[str, Any]) -> list[EventType]:
        answered = answer_to_form(tracker)
        if answered is not None:  # an answer to the form's question, not a question
            return answered
        lang = language(tracker)
        topic = asked_topic(tracker)
        if topic is None:
            dispatcher.utter_message(text=rights_menu(content(), lang))
            return [SlotSet("rights_topic", None), SlotSet("rights_part", 0),
                    *offer_again(tracker)]
        text, _has_more = rights_part(topic, lang, 0)
        dispatcher.utter_message(text=text)
        return [SlotSet("rights_topic", topic.id), SlotSet("rights_part", 0),
                *offer_again(tracker)]


class ActionMore(Action):
    """Send the next part of the topic last shown ("more" / "más")."""

    def name(self) -> str:
        return "action_more"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: dict[str, Any]) -> list[EventType]:
        answered = answer_to_form(tracker)
        if answered is not None:
            return answered
        lang = language(tracker)
        topic_id = tracker.get_slot("rights_topic")
        try:
            topic = content().topic(topic_id) if topic_id else None
        except KeyError:  # content changed since the topic was shown
            topic = None
        index = int(tracker.get_slot("rights_part") or 0) + 1
        if topic is None or index >= len(topic.parts[lang]):
            # Inside a form, a bare "go on" / "sigamos" means back to the question.
            in_form = bool((tracker.active_loop or {}).get("name"))
            dispatcher.utter_message(response="utter_resume_flow" if in_form else "utter_no_more")
            return []
        text, _has_more = rights_part(topic, lang, index)
        dispatcher.utter_message(text=text)
        return [SlotSet("rights_part", index), *offer_again(tracker)]
