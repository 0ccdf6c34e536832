"""Round 5 (issue 10): failure classes found with blind set6, in sentences written
here (never the blind texts): drawn weapons beside a job's tools, armed men close by,
stash houses and chained doors, not let out of a vehicle, a ransom, a child taken, a
cry for help heard, being driven somewhere one did not agree to, self-harm said as
"better dead" with the means, "not worth living", a goodbye letter; and the false
alarms and missed checks of the same set."""

from __future__ import annotations

import pytest

from bot.safety.detector import Level, assess


@pytest.mark.parametrize("text", [
    "the cook pulled his knife out and says nobody leaves the restaurant tonight",
    "el encargado saco la pistola en el rancho y nos tiene a todos contra la pared",
    "armed guys are walking around outside the trailer",
    "hay unos tipos armados afuera de la bodega buscandonos",
    "me trajeron a una casa de seguridad y no nos dan de comer",
    "nos tienen en una bodega y el de la puerta esta armado",
    "pusieron candados a la puerta del dormitorio",
    "the driver wont let us out of the van",
    "no nos dejan bajar de la camioneta y ya es de noche",
    "me llamaron que si no pago hoy a mi hermano lo matan",
    "unless my family wires the money they say they will hurt me",
    "my sister just texted me that a man took her 15 year old son for a job and wont answer",
    "la oigo gritando en el cuarto de al lado",
    "i can hear a little girl crying for help in the next unit",
    "hes driving me to a farm in another state i didnt agree to go",
    "dont know where were headed, they took my phone",
    "the foreman punched a worker who tried to leave and wont let us go",
    "me corte con la sierra y no deja de sangrar",
    "mi hermana me acaba de escribir que la tienen en un carro y no la dejan bajar",
])
def test_present_danger_is_an_emergency(text: str) -> None:
    assert assess(text).level is Level.EMERGENCY, text


@pytest.mark.parametrize("text", [
    "better off dead honestly, i have the pills right here",
    "i wrote a goodbye note and left it on the table",
    "tengo el cuchillo y quiero usarlo en mi",
    "no vale la pena seguir viviendo",
    "life isnt worth living anymore",
    "prefiero morirme que volver con ellos",
    "id rather be dead than go back there",
])
def test_self_harm_gets_911_and_988(text: str) -> None:
    result = assess(text)
    assert result.is_emergency, text
    assert result.self_harm, text


@pytest.mark.parametrize("text", [
    "my cat knocked my plant over again, im gonna kill her lol",
    "el perro se comio mi tarea, lo voy a matar",
    "my dad is gonna have a heart attack when he finds out i got a tattoo",
    "a mi mama le va a dar un infarto cuando se entere",
    "years ago a man locked me in a trailer but im in a good place now",
    "im a social worker and want training for our staff about overdose and trafficking",
    "last year my boss pulled a knife on me. i quit. can i still report it",
    "hubo disparos en el barrio el mes pasado, aqui todo tranquilo ahora",
    "ya no estoy en peligro, vivo con mi tia",
    "i was held in a house in 2015, now with papers and working",
])
def test_not_an_emergency(text: str) -> None:
    assert not assess(text).is_emergency, text


@pytest.mark.parametrize("text", [
    "he said id regret it if i told anyone",
    "my uncle threatens me when he gets drunk",
    "the manager said people who complain disappear",
    "el patron dice que la que se queja aparece en el rio",
    "cuando se enoja me aprieta el cuello",
    "si hablo con alguien le va a ir mal a mis hijos",
    "a veces nos dan bofetadas si no terminamos",
])
def test_menace_without_a_time_gets_the_check(text: str) -> None:
    assert assess(text).level is Level.POSSIBLE, text


@pytest.mark.parametrize("text", [
    "my boss threatens to call immigration on me",
    "me amenaza con llamar a la migra si renuncio",
])
def test_immigration_threats_stay_disclosures(text: str) -> None:
    assert assess(text).level is Level.NONE, text


# Round 5b: classes found with set7 (sentences written here).
@pytest.mark.parametrize("text", [
    "hes on his way back, says in 15 min im dead",
    "my cousin is being sold at a house party tonight",
    "we are locked in the back of a trailer and its so hot",
    "somebody is pounding on my door yelling hell kick it down",
    "a guy just shoved a young girl into a white van at the gas station",
    "two boys got pushed into the back of a truck outside the mall",
    "they told us we are being moved tonight and i dont want to go",
    "the boss took my keys, slapped me and hes still out there",
    "mi ex dijo que regresando del trabajo me mata y ya casi llega",
    "estoy tosiendo sangre y no me dejan ir al doctor",
    "me cayo acido en los ojos y no veo nada",
    "me queme con aceite hirviendo, tengo ampollas enormes y estoy temblando",
    "mi padrote esta en el estacionamiento esperandome con otro",
    "el del taxi no me deja bajar y vamos por la autopista",
])
def test_round5b_present_danger_is_an_emergency(text: str) -> None:
    assert assess(text).level is Level.EMERGENCY, text


@pytest.mark.parametrize("text", [
    "i dont wanna be alive anymore and i already decided how",
    "the pills are in my bag, i keep thinking i should just do it",
    "ive been saving up the pain pills, theres enough",
    "mañana en la mañana me aviento del puente",
    "ya la tengo en la mano, la pistola de mi tio",
    "le deje una carta a mi hija, es mi ultima noche",
    "me tome la mitad del frasco",
    "quiero dormirme para siempre",
    "si me deportan me mato, ya tengo todo listo",
])
def test_round5b_self_harm_gets_911_and_988(text: str) -> None:
    result = assess(text)
    assert result.is_emergency, text
    assert result.self_harm, text


@pytest.mark.parametrize("text", [
    "my uncle is a fisherman and carries a knife for the nets",
    "they hurt us at the ranch back in 2017, i have my green card now",
    "my sister is a cop and wants to volunteer with you",
    "un carro de policia se paro en mi casa por un choque, todo bien",
    "mi prima me quiere matar porque le gane en el fortnite",
])
def test_round5b_not_an_emergency(text: str) -> None:
    assert not assess(text).is_emergency, text


@pytest.mark.parametrize("text", [
    "the ones who talk disappear, thats what they tell us",
    "there are guards with machetes where we sleep",
    "tengo miedo de que me haga algo",
    "tiene gente vigilandome",
    "los del barrio saben donde vivo",
    "un tipo se me queda viendo todos los dias afuera del trabajo",
])
def test_round5b_menace_without_a_time_gets_the_check(text: str) -> None:
    assert assess(text).level is Level.POSSIBLE, text
