"""bot/screening/disclosures.py: screening answers from the texter's own words (EN/ES, SMS)."""

from __future__ import annotations

import pytest

from bot.referrals.htcds import load_reference
from bot.screening.disclosures import describe, find_disclosures, new_answers
from bot.screening.questions import QUESTION_IDS


def kinds(text: str) -> set[str]:
    return {d.kind for d in find_disclosures(text)}


@pytest.mark.parametrize(("text", "expected"), [
    ("my boss has my passport and wont give it back", {"documents"}),
    ("they kept my ID when i got here", {"documents"}),
    ("the agency holds all our papers", {"documents"}),
    ("el patron tiene mis papeles", {"documents"}),
    ("se quedaron con mi pasaporte", {"documents"}),
    ("my jefe took my pasaporte", {"documents"}),
    ("i owe him 5000 for the trip and it keeps growing", {"debt"}),
    ("le debo 6000 al coyote y no me dejan ir", {"debt", "cannot_leave"}),
    ("the boss says he will call immigration if i complain", {"immigration_threat"}),
    ("she said shed report me to ICE", {"immigration_threat"}),
    ("dice que me va a echar la migra", {"immigration_threat"}),
    ("amenazan con llamar a inmigracion", {"immigration_threat"}),
    ("i havent been paid in 2 months", {"no_pay"}),
    ("they never pay me", {"no_pay"}),
    ("no me pagan desde marzo", {"no_pay"}),
    ("he keeps all my money", {"no_pay"}),
    ("he makes me have sex with men for money", {"commercial_sex"}),
    ("me obligan a estar con clientes", {"commercial_sex"}),
    ("they sell me to guys and keep the money", {"commercial_sex", "money_taken"}),
    ("im 16", {"minor"}),
    ("I'm 15 and he makes me meet men for money", {"minor", "commercial_sex"}),
    ("tengo 17 años", {"minor"}),
    ("soy menor de edad", {"minor"}),
    ("they wont let me leave the house", {"cannot_leave"}),
    ("no me dejan salir", {"cannot_leave"}),
    ("he beat me last week", {"violence"}),
    ("they threatened to hurt my family", {"threats"}),
    ("me prometieron un trabajo de mesera", {"false_promises"}),
])
def test_disclosures_found(text: str, expected: set[str]) -> None:
    assert kinds(text) == expected


@pytest.mark.parametrize("text", [
    "hi", "i need help", "what are my rights", "can i get a t visa", "tengo 3 hijos",
    "i am 20 minutes away", "im 5 months pregnant", "where is the shelter", "y", "no",
    "my id number is on the form", "necesito ayuda",
])
def test_nothing_found_in_ordinary_messages(text: str) -> None:
    assert [d for d in find_disclosures(text) if d.kind != "adult"] == []


def test_an_adult_age_answers_the_age_question_with_no() -> None:
    [d] = find_disclosures("im 25 and work on a farm")
    assert (d.question, d.answer, d.htcds) == ("q_under18", "no", None)


def test_every_disclosure_names_a_real_question_and_htcds_name() -> None:
    reference = load_reference()
    for kind in ("documents", "debt", "no_pay", "threats", "immigration_threat", "violence",
                 "false_promises", "commercial_sex", "money_taken", "minor", "cannot_leave"):
        d = describe(kind)
        assert d is not None and d.question in QUESTION_IDS
        if d.htcds and d.htcds.startswith("MethodsOfControl"):
            assert d.htcds in reference.methods_of_control_fields, d.htcds
    assert describe("nope") is None


def test_given_answers_win_over_what_was_heard() -> None:
    found = find_disclosures("they took my passport and i owe them")
    assert [d.kind for d in new_answers(found, {"q_documents": "no"})] == ["debt"]


# Round 8b (issue 10): classes from set13, in sentences of our own.
@pytest.mark.parametrize(("text", "kind"), [
    ("the company kept our passports at the airport for safekeeping", "documents"),
    ("my uncle has my birth certificate and says i cant have it", "documents"),
    ("they charged me 3000 for the visa and take it out of my pay", "debt"),
    ("nos descuentan del cheque lo del viaje cada semana", "debt"),
    ("the foreman says ice will pick us up if we talk to the union", "immigration_threat"),
    ("el mayordomo dice que nos levanta la migra si hablamos", "immigration_threat"),
    ("dice que me deportan si me quejo", "immigration_threat"),
    ("they give us a room and food here but no money at all", "no_pay"),
    ("the crew boss always says pay comes next week, every week the same", "no_pay"),
    ("me pagan 150 a la semana por 70 horas en la empacadora", "no_pay"),
    ("they make the girls do other things for the customers in the back", "commercial_sex"),
    ("mi pareja me pone a hacer citas con señores", "commercial_sex"),
    ("nos mandan a irnos con los clientes al motel", "commercial_sex"),
])
def test_round8b_disclosures_found(text: str, kind: str) -> None:
    assert kind in kinds(text), text


def test_a_perpetrator_called_she_does_not_make_it_someone_elses_story() -> None:
    from bot.nlu.overrides import is_own_disclosure

    assert is_own_disclosure("my boss has my passport, she says i get it back when i finish")
    assert not is_own_disclosure("my friend says her boss has her passport and she is scared")


# Round 9 (issue 10): classes from set14, in sentences of our own.
@pytest.mark.parametrize(("text", "kind"), [
    ("we still owe for the bus and the beds and it never goes down", "debt"),
    ("mi tio le pago al pollero y llevo dos años trabajando pa pagarle", "debt"),
    ("cada mes nos suben mas la deuda", "debt"),
    ("she says shell call immigration on us if we quit", "immigration_threat"),
    ("we are undocumented and he says the cops will deport us not him", "immigration_threat"),
    ("every payday its next week, next week, for two months now", "no_pay"),
    ("they hand us 30 dollars each on sunday and say its after the rent", "no_pay"),
    ("dicen que nos pagan cuando acabe la obra, ya van 4 meses y nada", "no_pay"),
    ("the agency is making us do cam shows for men online", "commercial_sex"),
    ("the manager said we do extras or we dont get paid", "commercial_sex"),
])
def test_round9_disclosures_found(text: str, kind: str) -> None:
    assert kind in kinds(text), text


def test_an_age_under_18_is_said_back_first() -> None:
    from bot.content.loader import load_content
    from bot.content.render import disclosure_reply

    content = load_content()
    reply = disclosure_reply(content, ["debt", "minor"], "en")
    assert reply is not None
    minor_line = content.disclosures["minor"].text["en"]
    assert reply.splitlines()[1].startswith(minor_line)


def test_an_own_account_read_as_a_resource_request_is_heard() -> None:
    from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
    from rasa.shared.nlu.training_data.message import Message

    from bot.nlu.overrides import SafetyOverrides

    def intent_for(text: str) -> str:
        message = Message(data={TEXT: text})
        message.set(INTENT, {"name": "find_resources", "confidence": 0.97})
        message.set(INTENT_RANKING_KEY, [{"name": "find_resources", "confidence": 0.97}])
        SafetyOverrides({}).process([message])
        return message.get(INTENT)["name"]

    assert intent_for("the owner of the salon has had my passport since i came") == "get_help"
    # a resource request beside the account keeps its answer
    assert intent_for("my boss has my passport, i need a shelter") == "find_resources"
