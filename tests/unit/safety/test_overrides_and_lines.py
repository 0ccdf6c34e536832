"""The NLU override uses the layered detector; the safety lines are valid content;
the texter's language is right from the first message."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.content.loader import ContentError, load_content
from bot.content.lockscreen import first_line_is_safe
from bot.language.detect import detect_language
from bot.nlu.overrides import SafetyOverrides
from bot.safety import lines


def parsed(text: str, ranking: list[tuple[str, float]], metadata: dict | None = None) -> Message:
    message = Message(data={TEXT: text, "metadata": metadata})
    message.set(INTENT, {"name": ranking[0][0], "confidence": ranking[0][1]})
    message.set(INTENT_RANKING_KEY, [{"name": n, "confidence": c} for n, c in ranking])
    return message


def run(message: Message) -> str:
    SafetyOverrides({}).process([message])
    return message.get(INTENT)["name"]


def test_a_pattern_emergency_wins_over_the_model_inside_a_form() -> None:
    assert run(parsed("no se donde estoy me trajeron anoche",
                      [("affirm", 0.9), ("emergency", 0.05)])) == "emergency"


def test_the_models_emergency_is_kept_as_a_layer() -> None:
    assert run(parsed("the guy in the blue truck again", [("emergency", 0.8), ("greet", 0.1)])) \
        == "emergency"


@pytest.mark.parametrize("text, ranking, expected", [
    # round 9: form answers a fresh model was sure were emergencies
    ("ok just send me that list", [("emergency", 0.96), ("get_help", 0.02)], "get_help"),
    ("si, ahorita si puedo", [("emergency", 0.73), ("affirm", 0.2)], "affirm"),
])
def test_a_model_emergency_nothing_else_backs_goes_to_its_next_intent(
        text: str, ranking: list[tuple[str, float]], expected: str) -> None:
    assert run(parsed(text, ranking)) == expected


@pytest.mark.parametrize("text", ["ok sigamos con las preguntas", "perdon, continuemos",
                                  "ok im back, lets keep going", "go on with the report pls"])
def test_a_plain_ask_to_go_on_resumes_the_flow(text: str) -> None:
    assert run(parsed(text, [("report_tip", 0.85), ("resume_flow", 0.14)])) == "resume_flow"


def test_going_on_with_more_in_it_is_not_a_bare_resume() -> None:
    text = "sigamos con el reporte de lo que vi en el hotel"
    assert run(parsed(text, [("report_tip", 0.85), ("resume_flow", 0.14)])) == "report_tip"


def test_an_idiom_the_model_took_for_an_emergency_is_demoted() -> None:
    assert run(parsed("my boss is gonna kill me if im late lol",
                      [("emergency", 0.7), ("get_help", 0.2)])) == "get_help"


def test_the_assessment_is_left_for_the_screening() -> None:
    message = parsed("years ago my boss had a gun and threatened me", [("get_help", 0.9)])
    assert run(message) == "get_help"
    assert message.get("hotline_safety") == {"level": "none", "concern": True,
                                             "self_harm": False, "groups": []}


def test_router_metadata_after_the_danger_check() -> None:
    assert run(parsed("my boss hits me", [("get_help", 0.8)],
                      {"hotline_safety": "emergency"})) == "emergency"
    assert run(parsed("my boss hits me", [("emergency", 0.5), ("get_help", 0.3)],
                      {"hotline_safety": "checked_safe"})) == "get_help"


def test_quick_exit_still_wins() -> None:
    assert run(parsed("exit", [("emergency", 0.5)], {"hotline_safety": "emergency"})) \
        == "quick_exit"


@pytest.mark.parametrize("text", ["me van a matar", "no respira", "socorro", "auxilio",
                                  "se llevaron a mi hija", "tiene a gun"])
def test_first_spanish_emergency_is_detected_as_spanish(text: str) -> None:
    assert detect_language(text) == "es"


@pytest.mark.parametrize("text", ["ok", "y", "k", "si", "no", "1"])
def test_short_sms_words_have_no_language(text: str) -> None:
    assert detect_language(text) is None


def test_safety_lines_are_bilingual_lock_screen_safe_and_sourced() -> None:
    content = load_content()
    loaded = lines.load()
    for key in lines.TEMPLATE_KEYS:
        for lang in ("en", "es"):
            assert first_line_is_safe(loaded.template(key, lang), content)
    assert len(loaded.template("must_stop", "en")) <= 20
    assert "?" not in loaded.template("must_stop", "es")
    assert "Y/N" in loaded.template("danger_check", "en")
    assert "S/N" in loaded.template("danger_check", "es")
    assert "988" in loaded.template("crisis_988", "en")
    hotline = content.resource("national_hotline").contact["call"]
    assert all(hotline in line for line in [*loaded.other.values(), *loaded.fallback.values()])
    assert loaded.unreviewed  # machine-assisted translations stay marked for review


def test_safety_lines_refuse_a_missing_language() -> None:
    import yaml

    data = yaml.safe_load(lines.LINES_PATH.read_text(encoding="utf-8"))
    data["templates"]["must_stop"].pop("es")
    with pytest.raises(ContentError, match="must_stop"):
        lines.parse(data, load_content())
    data = yaml.safe_load(lines.LINES_PATH.read_text(encoding="utf-8"))
    data["templates"]["danger_check"]["en"] = "Are you in danger right now? Y/N"
    with pytest.raises(ContentError, match="lock-screen"):
        lines.parse(data, load_content())


@pytest.mark.parametrize("text", ["hace 2 dias", "hace una semana", "ayer", "last night",
                                  "2 days ago", "la semana pasada", "Hace como 3 meses."])
def test_a_bare_when_answer_never_interrupts_a_form(text: str) -> None:
    """The tip form's "when?" answered with a time: nlu_fallback, so the form takes it."""
    from bot.nlu.overrides import override_intent
    assert override_intent(text, ("exit",)) == "nlu_fallback"


def test_a_time_inside_an_emergency_is_still_an_emergency() -> None:
    from bot.nlu.overrides import override_intent
    assert override_intent("he stabbed me 5 minutes ago im bleeding", ("exit",)) == "emergency"


@pytest.mark.parametrize("text", [
    "tengo 16 y el patron me hace trabajar de noche en su bar",
    "they give me a bed and food but no money, 6 days a week",
    "the owner said if i quit my visa gets cancelled",
])
def test_a_first_person_disclosure_read_as_a_tip_becomes_get_help(text: str) -> None:
    """Round 7: own situations got the tip form or "Sorry" instead of being heard."""
    assert run(parsed(text, [("report_tip", 0.7), ("get_help", 0.2)])) == "get_help"
    assert run(parsed(text, [("out_of_scope", 0.6), ("get_help", 0.2)])) == "get_help"


@pytest.mark.parametrize("text", [
    "a lady at my church says her boss keeps her passport",
    "i want to report a farm where the workers get no money",
])
def test_a_bystanders_tip_stays_a_tip(text: str) -> None:
    assert run(parsed(text, [("report_tip", 0.7), ("get_help", 0.2)])) == "report_tip"


def test_a_rights_question_keeps_its_answer() -> None:
    text = "is it legal that my boss keeps my passport"
    assert run(parsed(text, [("ask_rights", 0.8), ("get_help", 0.1)])) == "ask_rights"


@pytest.mark.parametrize("text", [
    "nos obligan a irnos con los clientes para pagar el viaje",
    "my boss has had my passport since i got here",
])
def test_an_own_account_the_model_read_as_a_rights_question_is_heard(text: str) -> None:
    """Round 8b: no question in it, so the rights menu was the wrong answer."""
    assert run(parsed(text, [("ask_rights", 0.9), ("get_help", 0.05)])) == "get_help"


@pytest.mark.parametrize("text", [
    "there is a house on my street where young girls come and go all night, i want to report it",
    "tengo informacion sobre un caso de trata en un rancho",
    "vi un anuncio de trabajo muy raro y lo quiero denunciar",
])
def test_a_plain_wish_to_report_starts_the_tip_form(text: str) -> None:
    """Round 8b: bystanders who said "I want to report" got the hotline card or the
    screening offer."""
    assert run(parsed(text, [("get_help", 0.8), ("report_tip", 0.1)])) == "report_tip"
    assert run(parsed(text, [("find_resources", 0.8), ("report_tip", 0.1)])) == "report_tip"


@pytest.mark.parametrize("text", ["quiero denunciar a mi patron, no me paga desde marzo",
                                  "i want to report my boss, he keeps my passport"])
def test_reporting_ones_own_employer_stays_the_texters_own_help(text: str) -> None:
    assert run(parsed(text, [("get_help", 0.8), ("report_tip", 0.1)])) == "get_help"


@pytest.mark.parametrize("text", ["operator??", "quiero hablar con un humano", "real person pls",
                                  "can someone call me back, a real one"])
def test_asking_for_a_human_in_words_the_model_missed_is_a_handoff(text: str) -> None:
    assert run(parsed(text, [("nlu_fallback", 0.4), ("handoff", 0.2)])) == "handoff"


@pytest.mark.parametrize("text", ["yes you can text me back", "a person took my passport",
                                  "is this a bot", "is this a real person",
                                  "eres una persona real?"])
def test_other_mentions_of_a_person_are_left_alone(text: str) -> None:
    assert run(parsed(text, [("affirm", 0.8), ("handoff", 0.1)])) == "affirm"


@pytest.mark.parametrize("text", [
    "client here, the girl who does my nails said the owner keeps her papers",
    "my cousin says her boss took her passport and wont pay her",
])
def test_a_bystander_account_read_as_get_help_is_a_tip(text: str) -> None:
    """Round 7: a customer's account got "Nobody may keep YOUR ID" and the screening."""
    assert run(parsed(text, [("get_help", 0.8), ("report_tip", 0.1)])) == "report_tip"


def test_the_texters_own_account_stays_get_help() -> None:
    text = "my boss took my passport and says i owe him"
    assert run(parsed(text, [("get_help", 0.8), ("report_tip", 0.1)])) == "get_help"
