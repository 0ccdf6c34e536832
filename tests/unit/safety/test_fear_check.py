"""Fear and menace without a time cue get the one Y/N check, never 911 and never silence.

Written for this class (not copied from any blind set): fear of a person, watchers,
menace about family, "make me disappear", locked in at night, someone who follows.
Coercion through immigration or the police stays a disclosure (no check), and a
member of the public reporting what they saw goes to the tip form.
"""

from __future__ import annotations

import pytest

from bot.safety.detector import Level, assess


@pytest.mark.parametrize("text", [
    "honestly im afraid of him",
    "i am terrified of what they might do",
    "i never feel safe in that house",
    "les tengo miedo a los del rancho",
    "no me siento segura donde vivo",
    "he told me people who snitch disappear, he will make you disappear",
    "el patron dice q si hablo me van a desaparecer",
    "something bad will happen to me if i tell",
    "a mi me dijeron que me va a pasar algo si digo",
    "he always says he knows where my kids live",
    "el encargado anda armado todo el tiempo",
    "there is a guy who watches us day and night",
    "nos vigilan cuando salimos a la tienda",
    "my manager gets really violent when he drinks",
    "the man who drives us is dangerous",
    "i have bruises all over from the last time he got mad",
])
def test_fear_asks_the_check(text: str) -> None:
    assert assess(text).level is Level.POSSIBLE


@pytest.mark.parametrize("text", [
    "my boss says he will call immigration on me if i complain",
    "dice q me va a reportar a la migra si no pago",
    "im scared to tell you my name, do you report to ice?",
    "me da miedo que pasen mis datos a la policia",
    "it isnt dangerous, i just want to know about my visa",
    "is it dangerous to ask for help with an old deportation order",
    "he doesnt know where i live anymore and i moved states",
    "i want to report a kid at the store who always has bruises",
    "im still scared of the dark after all that, is that normal",
])
def test_coercion_questions_and_reports_get_no_check(text: str) -> None:
    assert assess(text).level is Level.NONE


def test_fear_with_tonight_is_not_an_emergency_by_itself() -> None:
    """Unlike danger words, fear beside "tonight" asks; it does not call 911 alone."""
    assert assess("im afraid of him, hes in a bad mood tonight").level is not Level.NONE


def test_safe_now_after_a_childhood_event_is_not_an_emergency() -> None:
    text = ("when i was nine my uncle locked me in a shed. im 40 now and safe, "
            "are there people who help with old stuff like that")
    assert assess(text).level is not Level.EMERGENCY


@pytest.mark.parametrize("text", [
    "she gets aggressive when shes been drinking",
    "they threaten to hurt anyone who talks to outsiders",
    "el que se va, lo buscan",
    "amenazan con golpear a los que se quejan",
    "they have rifles at the camp",
])
def test_menace_and_weapons_without_a_time_ask_the_check(text: str) -> None:
    assert assess(text).level is Level.POSSIBLE


@pytest.mark.parametrize("text", [
    "whats the number for the domestic violence line",
    "necesito la linea de violencia domestica",
    "la visa u sirve para violencia en la pareja?",
])
def test_asking_for_a_violence_line_is_not_a_check(text: str) -> None:
    assert assess(text).level is Level.NONE
