"""Hear what a texter already told us: screening answers from their own words.

Why patterns and not the model: one message often holds several facts ("they
took my passport and say I owe them for the trip"), each of which answers a
screening question; the intent classifier gives one label per message. These
reviewable EN/ES patterns (SMS style: no accents, "u", Spanglish) turn such a
message into answers, so the screening does not ask again what the texter
already said, and the advocate sees which indicators came from the texter's
words (HTCDS names, bot/referrals/htcds.py).

Only statements about the texter's own situation count; a match never sets an
answer the texter already gave. Emergencies are not judged here (bot/safety).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.content.loader import normalize
from bot.screening.answers import NO, YES

# HTCDS names used when a disclosure is not a method of control.
HTCDS_SEXUAL_EXPLOITATION = "SexualExploitation"  # vic_TypeOfExploitation value
HTCDS_MINOR = "ext_Minor"  # our extension field (docs/referrals.md)


@dataclass(frozen=True)
class Disclosure:
    """One fact the texter stated: which question it answers and its HTCDS name."""

    kind: str
    question: str
    answer: str
    htcds: str | None


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(parts))


_PAPERS = (r"(passports?|pasport|passprt|pasaportes?|papers|papeles|documents|documentos|docs"
           r"|my id|mi id|our ids|id card|identificacion|ine|cedula|matricula|green card|visas?"
           r"|birth certificate|acta de nacimiento|work permit|permiso de trabajo)")
_HOLD_EN = (r"(took|take|takes|taken|kept|keep|keeps|keeping|has|have|hold|holds|holding"
            r"|stole|hid|hide|hides|wont give|won t give|doesnt give|dont give|never gave)")
_HOLD_ES = (r"(quitaron|quito|quita|quitan|tiene|tienen|guarda|guardan|retiene|retienen"
            r"|se quedo con|se quedaron con|se queda con|se quedan con|agarro|escondio"
            r"|no me devuelve|no me devuelven|no me da|no me dan)")
_ABOUT = r"( \w+){0,4} "

_DOCUMENTS = _rx(rf"\b{_HOLD_EN}{_ABOUT}{_PAPERS}\b", rf"\b{_HOLD_ES}{_ABOUT}{_PAPERS}\b")
_DEBT = _rx(r"\bi owe\b", r"\bowe (him|her|them|the boss|my boss|money)\b", r"\bdebt\b",
            r"\b(le|les) debo\b", r"\bdeuda\b", r"\bdebo (el viaje|dinero|mucho)\b",
            # round 7: charged for the trailer and the ride; "until I pay it all back"
            r"\b(cobra|cobran|descuenta|descuentan) \d+( \w+){0,4} (x|por|pa|para) (la |el )?"
            r"(traila|trailer|cuarto|ride|raite|renta|viaje|comida|casa)\b",
            r"\bhasta (q|que) (le |les )?pague (todo|lo)\b", r"\blo (q|que) gastaron en mi\b",
            r"\b(charge|charges|charging|take|takes) (me|us) \d+( \w+){0,3} for (the )?"
            r"(trailer|room|ride|rent|trip|food|housing)\b",
            r"\buntil i pay (it |them |him |her )?(all |everything )?back\b",
            r"\bnever finish paying\b",
            # round 8b: a fee for the job taken out of every check
            r"\b(charged|charge|charges|charging|cobraron|cobra|cobran) (me |us |nos |me )?\$?\d+",
            r"\b(take|takes|taking|took) it out of (every|each|my|our) (check|paycheck|pay)\b",
            r"\b(descuentan|descuenta|quitan|quita) (de|del) (cada )?(cheque|pago|sueldo)\b",
            # round 8: charged for the lodging or the ride, no amount given
            r"\b(cobra|cobran|descuenta|descuentan) (la |el |lo de la |lo del )?(traila|trailer|"
            r"cuarto|ride|raite|renta|viaje|comida)\b")
_LAW = r"(immigration|inmigracion|migracion|ice|la migra|migra|police|policia|cops)"
_IMMIGRATION_THREAT = _rx(
    # not "do you call immigration?", "ustedes llaman a migracion?": a question about us
    rf"(?<!you )(?<!u )(?<!yall )(?<!guys )\b(call|calling|report|reporting|tell|telling|send|"
    rf"turn me in)( \w+){{0,3}} {_LAW}\b",
    r"\b(get|have) me deported\b", r"\bdeport me\b",
    rf"(?<!ustedes )(?<!uds )(?<!ustedes le )(?<!ustedes me )"
    rf"\b(llamar|llama|llamara|llaman|echar|echarme|echa|reportar|reportarme|reporta"
    rf"|avisar|avisarle|avisa|entregarme)( \w+){{0,3}} {_LAW}\b",
    r"\b(me va|me van) a deportar\b", r"\bhacerme deportar\b",
    # round 7: the visa cancelled, arrested "bc my visa expired", "nobody will believe me
    # because im illegal", friends in ICE, "nos manda la migra"
    r"\bvisa (gets |will get |will be |is gonna get )?(cancel\w*|revoked|taken away)\b",
    r"\b(arrest|deport|jail|lock)\w* (me|us)\b.*\b(visa|illegal|undocumented|papers|status)\b",
    r"\b(because|bc|cuz|since|porque|xq|pq) (im|i am|were|we are|soy|somos|estoy) "
    r"(illegal|undocumented|ilegal|ilegales|indocumentad\w*|sin papeles)\b",
    r"\b(amigos|friends|conocidos|contacts) (en|in|at) (ice|la migra|migracion|inmigracion)\b",
    r"\b(manda|mandar|mandan|llama|echa|echan|trae) (a )?la migra\b",
    r"\b(inmigracion|migracion|la migra|ice) (me |nos )?(va|van) a (quitar|llevar|deportar)\b",
    # round 8b: "ice will come if we talk", "nos agarra ICE", "me deportan"
    r"\b(ice|la migra|immigration|migracion|inmigracion) (will|is gonna|gonna|would|va a|van a)"
    r" (come|get|take|pick|llegar|venir|agarrar|llevar)\w*\b",
    r"\b(me|nos|te) (agarra|agarran|lleva|llevan|recoge|levanta) (ice|la migra|migracion)\b",
    r"\b(me|nos) (van a )?deporta\w*\b",
)
_NO_PAY = _rx(
    r"\b(not|never|dont|doesnt|didnt|havent|hasnt|no|wont|stopped) (been )?(pay|paid|paying)\b",
    r"\bno pay\b", r"\bwithout pay\b", r"\bfor free\b",
    r"\b(keeps?|takes?|took) (all )?(of )?my (money|pay|wages|paycheck|check|dinero)\b",
    r"\bno me (pagan|paga|pagaron|pago|ha pagado|han pagado)\b",
    r"\bno me (dan|da) (nada de )?(dinero|plata|mi pago)\b", r"\bsin (pago|paga|sueldo)\b",
    r"\bse queda(n)? con (todo )?mi (dinero|pago|sueldo|salario|plata)\b",
    # round 7: food and a bed but no money; nothing since March; paid in tips or a room
    r"\bbut no (money|wages|salary|paycheck|check|pay)\b",
    r"\b(gotten|got|received|seen) nothing since\b",
    r"\b(havent|hasnt|have not|has not|never) (gotten|got|received|seen) (a |any |my )?"
    r"(cent|dime|dollar|penny|money|pay|paycheck|check)\b",
    r"\b(my|our) pay is (the|a) (room|bed|food|trailer|roof)\b",
    r"\bno (nos|me) (han|ha) pagado\b", r"\bno (nos|me) pagan desde\b",
    r"\bsolo (me|nos) (dan|da) (propinas|comida|la comida|de comer)\b",
    r"\bno (sueldo|salario|pago)\b", r"\bni un (centavo|peso|dolar)\b",
    r"\b(mi|nuestro) (sueldo|pago|salario) es (el|la) (cuarto|comida|cama|traila|casa)\b",
    # round 8b: only food and a bed; pay always next month; 100 a week for 80 hours
    r"\b(food|a bed|a room|a place to sleep|comida|cuarto|techo|la cama)\b.*\bno (money|wages|"
    r"salary|pay|dinero|pago|paga|sueldo)\b",
    r"\b(pay|paid|pago|paga|pagar|pagan)\b.*\b(next month|next week|end of the season|after the"
    r" season|al final de la temporada|el otro mes|la otra semana|fin de temporada)\b.*\b(every|"
    r"each|cada|y nada|never|nunca|still nothing|nothing|ya van)\b",
    r"\b(pagan|paga|pays|pay|get|gets|dan|da) (me |us |nos )?\$?\d{1,3} (dolares |dollars |"
    r"bucks )?(a la|por|a|per|for a|for the|each) (semana|week)\b.*\b\d{2} (horas|hours|hrs)\b",
)
_SEX = _rx(
    r"\b(have sex|sleep|sex|be|go) with (men|guys|clients|customers|johns|strangers)\b",
    r"\bsex for money\b", r"\bsell(s|ing)? (me|my body|sex)\b", r"\bprostitut\w*",
    r"\b(meet|see|date) (men|guys|clients) for money\b",
    r"\b(sexo|acostarme|estar|salir) con (hombres|clientes|senores|tipos)\b",
    r"\bsexo por dinero\b", r"\bme venden?\b", r"\bprostitu\w*",
    # round 7: made to go with men or clients, posted online, "whoever pays"
    r"\b(sleep|sleeping|slept|have sex|hook up|hooking up) with (his |her |their |the |"
    r"some |all )?(friends|men|guys|clients|customers|johns|strangers|whoever|anyone)\b",
    r"\b(go|going|went) with (the |some )?(clients|customers|johns|strangers|whoever)\b",
    r"\b(make|makes|made|force|forces|forced) (me|us)( to)? (go|be|sleep|stay|meet|see|party|"
    r"spend the night|spend time)( \w+){0,2} (with|to) (the )?(clients|customers|johns|"
    r"rooms|whoever)\b",
    r"\b(do|doing|give|giving) (extra|extras|more|other) (stuff |things |services )?(with|for|to)"
    r" (the )?(customers|clients|men)\b",
    r"\b(pone|ponen|obliga\w*|manda\w*) a hacer citas\b|\bcitas con (hombres|clientes|senores)\b",
    r"\b(irme|irnos|acostarme|acostarnos|estar) con (los |las |unos )?(clientes|hombres|senores)"
    r"\b",
    r"\bpost(s|ed|ing)? (me|my (pics|pictures|photos|body)|pics of me|photos of me)"
    r"( \w+){0,3} (online|websites?|sites|internet|apps?)\b",
    r"\b(whoever|anyone|any guy|any man) (he|she|they) (says|tells me|picks|sends)\b",
    r"\bwhoever pays\b",
    r"\b(hace|hacen|obliga|obligan|pone|ponen|mandan|manda) (a )?(ir|estar|acostarme|atender|"
    r"salir|pasar|entrar)( \w+){0,3} con (los |las |unos |unas |el |la )?(clientes|hombres|"
    r"senores|tipos|quien|cualquiera)\b",
    r"\b(ir|estar|pasar|entrar|atender) con (los |unos )?(clientes|hombres|senores|tipos) "
    r"(a|en) (los |las )?(cuartos|cuarto|habitaciones|hoteles|moteles)\b",
    r"\b(pone|ponen|sube|suben|publica|publican) (mis fotos|fotos mias|fotos de mi|anuncios)\b",
    r"\bcon quien (pague|paga|el diga|ellos digan|me mande)\b",
)
_MONEY_TAKEN = _rx(
    r"\b(keeps?|takes?|took|kept) (all )?(of )?(the|my) (money|cash)\b",
    r"\bse queda(n)? (con )?(la plata|el dinero|todo el dinero|mi dinero|todo)\b",
)
_CANT_LEAVE = _rx(
    r"\b(cant|can t|cannot|not allowed to|wont let me|won t let me|dont let me"
    r"|don t let me|doesnt let me|never let me) (leave|go out|go outside|quit|go home|get out)\b",
    r"\bno (me )?(dejan|deja|puedo) (salir|irme|renunciar)\b", r"\bno me (dejan|deja) ir\b",
)
_THREATS = _rx(
    r"\bthreat\w* (to )?(hurt|harm|kill|beat|me|my family|my kids)\b",
    r"\bamenaz\w* (con )?(matar|lastimar|hacer dano|pegar|a mi familia|a mis hijos)\b",
)
_VIOLENCE = _rx(
    r"\b(hits?|hit|beat|beats|slapped|punched|kicked|hurt|hurts) me\b",
    r"\bme (pega|pego|pegan|pegaron|golpea|golpeo|golpean|golpearon|lastima|lastimo)\b",
)
_FALSE_PROMISES = _rx(
    r"\bpromised (me )?(a )?(job|work|good pay|school)\b", r"\b(they|he|she) lied about the job\b",
    r"\bme prometieron( \w+){0,2} (trabajo|empleo|buen pago|escuela)\b",
)
# Ages: "im 16", "i am 15 yrs old", "tengo 17 anos", "soy menor".
_AGE_EN = re.compile(r"\b(?:im|i am|iam)\s+(\d{1,2})\b(?!\s+(?:months?|weeks?|days?|hours?|"
                     r"minutes?|mins?|dollars?|miles?|blocks?|times?|kids?|children))")
_AGE_YEARS = re.compile(r"\b(\d{1,2})\s+(?:years?|yrs?|yo|anos|años)(?:\s+old)?\b")
_AGE_ES = re.compile(r"\btengo\s+(\d{1,2})(?:\s+(?:anos|años)\b|\s*$|\s+(?:y|and)\b|"
                     r"(?!\s*(?:hijos|hijas|ninos|niños|dolares|pesos|horas|hrs|dias|semanas|meses|"
                     r"mil|hermanos|trabajadores|personas|kids|cuartos|camas|veces|\d|%|:|\.\d)))")
_MINOR_WORDS = _rx(r"\b(im|i am) (a minor|underage|under 18)\b", r"\bsoy menor\b")

# kind -> (pattern, question, answer, HTCDS name)
# Round 9 (issue 10): classes from set14, in our own patterns.
_DEBT = _rx(_DEBT.pattern,
            # "i still owe for rent food rides", "the number never goes down", "it only grows"
            r"\b(i|we) (still |always )?owe (for|them|him|her|the|money|\d+)\b",
            r"\b(number|amount|debt|balance|cuenta|deuda) (never|nunca|nomas|solo|just|only|keeps?)"
            r"( \w+)? (goes down|go down|baja|crece|sube|grows|going up|goes up|gets bigger)\b",
            r"\b(me|nos) (suben|sube|aumentan|aumenta) (mas|la deuda|lo que debo)\b",
            r"\b(paid|pago|pagaron) (the|el|al|a la) (coyote|pollero|smuggler|trip|viaje)\b.*"
            r"\b(pay (him|her|them|it) back|pagarle|pagarles|pagar(lo|la)?|owe|debo)\b",
            r"\bnos cobran hasta\b")
_IMMIGRATION_THREAT = _rx(_IMMIGRATION_THREAT.pattern,
            r"\b(calls?|call|calling|gonna call|will call) (ice|immigration|la migra|migracion)"
            r" on (me|us)\b",
            r"\b(no papers|sin papeles|undocumented)\b.*\b(police|cops|policia|ice|migra)\b.*"
            r"\b(lock|arrest|deport|agarra|encierra|deporta)\w*\b")
_NO_PAY = _rx(_NO_PAY.pattern,
            r"\b(next friday|el otro viernes|next week|la otra semana)\b.*\b(next friday|el otro "
            r"viernes|next week|la otra semana)\b",
            r"\b\d+ (bucks|dollars|dolares|dls)( each| a week| por semana| cada uno)?\b.*"
            r"\b(after costs|after (the )?(rent|ride|food)|despues de (los )?(gastos|"
            r"descuentos))\b",
            r"\b(pagan|pagar|pay) (al terminar|when (the|we) (finish|done)|cuando (termine|acabe))"
            r"\b.*\b(y nada|nothing|ni un|meses|months)\b")
_SEX = _rx(_SEX.pattern,
            r"\b(making|make|made|force|forcing|forced|obligan|obligaron) (me|us) (to )?(do )?"
            r"(private shows|shows for men|extras|cam shows|shows privados)\b",
            r"\b(do|hacer|hago) (extras|los extras|happy endings?)\b.*\b(or|o si no|or else|"
            r"o no)\b",
            r"\bprivate shows? for (men|clients|guys)\b")

_RULES: tuple[tuple[str, re.Pattern[str], str, str, str | None], ...] = (
    ("cannot_leave", _CANT_LEAVE, "q_safe_leave", NO, "MethodsOfControlRestrictsMovement"),
    ("documents", _DOCUMENTS, "q_documents", YES, "MethodsOfControlWithholdsDocuments"),
    ("debt", _DEBT, "q_debt", YES, "MethodsOfControlDebtBondage"),
    ("no_pay", _NO_PAY, "q_debt", YES, "MethodsOfControlTakesEarnings"),
    ("threats", _THREATS, "q_threats", YES, "MethodsOfControlThreats"),
    ("immigration_threat", _IMMIGRATION_THREAT, "q_police_threats", YES,
     "MethodsOfControlThreatOfLawEnforcement"),
    ("violence", _VIOLENCE, "q_violence", YES, "MethodsOfControlPhysicalAbuse"),
    ("false_promises", _FALSE_PROMISES, "q_false_promises", YES, "MethodsOfControlFalsePromises"),
    ("commercial_sex", _SEX, "q_commercial_sex", YES, HTCDS_SEXUAL_EXPLOITATION),
)


def _age(norm: str) -> int | None:
    for pattern in (_AGE_EN, _AGE_ES, _AGE_YEARS):
        m = pattern.search(norm)
        if m:
            age = int(m.group(1))
            if 8 <= age <= 99:
                return age
    return None


def find_disclosures(text: str) -> list[Disclosure]:
    """Every screening answer the message states, in question order, one per question."""
    norm = normalize(text or "")
    if not norm:
        return []
    found: list[Disclosure] = []
    seen: set[str] = set()
    for kind, pattern, question, answer, htcds in _RULES:
        if question not in seen and pattern.search(norm):
            found.append(Disclosure(kind, question, answer, htcds))
            seen.add(question)
    if "q_commercial_sex" in seen and _MONEY_TAKEN.search(norm):
        found.append(Disclosure("money_taken", "q_money_taken", YES,
                                "MethodsOfControlTakesEarnings"))
    age = _age(norm)
    if _MINOR_WORDS.search(norm) or (age is not None and age < 18):
        found.append(Disclosure("minor", "q_under18", YES, HTCDS_MINOR))
    elif age is not None:
        found.append(Disclosure("adult", "q_under18", NO, None))
    return found


def describe(kind: str) -> Disclosure | None:
    """The question, answer and HTCDS name a disclosure kind stands for (None if unknown)."""
    return _BY_KIND.get(kind)


_BY_KIND: dict[str, Disclosure] = {
    **{kind: Disclosure(kind, q, a, h) for kind, _p, q, a, h in _RULES},
    "money_taken": Disclosure("money_taken", "q_money_taken", YES,
                              "MethodsOfControlTakesEarnings"),
    "minor": Disclosure("minor", "q_under18", YES, HTCDS_MINOR),
    "adult": Disclosure("adult", "q_under18", NO, None),
}


def new_answers(disclosures: list[Disclosure], answered: dict[str, object]) -> list[Disclosure]:
    """The disclosures that answer a question not answered yet (the texter's reply wins)."""
    return [d for d in disclosures if not answered.get(d.question)]


__all__ = ["Disclosure", "describe", "find_disclosures", "new_answers"]
