"""English/Spanish detection for short SMS: a marker list first, lingua second.

Why markers first: messages are a few words long, often without accents, and
a scored marker list is predictable and easy to extend when a reviewer finds a
miss. When the markers are not sure, lingua (offline, bot/language/identify.py)
decides between English and Spanish, unless the text is in another language
(then None: bot/messaging/router.py answers those). Before issue 10 a first
Spanish emergency without marker words ("me van a matar") stayed in English.

``explicit_switch`` recognises a request to change language ("español",
"in english please", "¿habla español?"): the message may contain only the
language name plus request words, so "my boss only speaks spanish" is not a
switch.

``detect_language`` scores Spanish and English markers and returns None when
not confident:
- Spanish-only characters (¿ ¡ ñ á é í ó ú ü) add 2 to Spanish each;
- strong marker words (e.g. "hola", "necesito", "pasaporte" / "hi", "need",
  "passport") add 2; weak ones ("de", "la", "si" / "in", "to") add 1;
- words ending in Spanish verb/noun endings (-aron, -ando, -iendo, -cion) add 1;
- a language wins only with a score of at least 2 and a lead of at least 2.
So: "hola" -> es, "hi" -> en, "sí" (accented) -> es; "si" without an accent
scores nothing on its own (it is also an SMS answer; the language stays as it was);
"y", "no", "ok", "1" score nothing -> None.
"""

from __future__ import annotations

import re
import unicodedata

from bot.language.identify import english_or_spanish

_ES_CHARS = set("¿¡ñáéíóúü")


def _words(text: str) -> frozenset[str]:
    """Whitespace-separated word list, written as a block for easy review."""
    return frozenset(text.split())


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_ES_STRONG = _words(
    """
    hola buenas buenos dias tardes noches gracias porfa favor necesito necesita necesitamos
    ayuda ayudame ayudar quiero quiere quieren tengo tiene tienen tenemos puedo puede pueden
    podemos estoy esta estan estamos soy somos trabajo trabajar trabajando jefe jefa patron
    patrona pasaporte papeles documentos dinero pago pagan paga deuda derechos cuales cual
    donde cuando porque porqué como que qué quien pero tambien muy mucho mucha nada nadie
    nunca siempre ahora aqui alli salir sali casa dormir comida miedo policia migra
    inmigracion hijos hija hijo familia amenaza amenazan amenazo pegan pego golpea senor
    senora usted ustedes mis tus sus nuestro nuestra del los las una unos unas eso esto
    esta este hay hacer hago hace dijo dicen sabe saber xq pq porq tmb tb vdd
    dónde cuándo cómo cuáles están está también aquí allí policía inmigración señor señora
    quitaron quito llevaron encerrada encerrado obligan obligaron hablar hablo espanol
    español mexico guatemala honduras
    socorro auxilio matar matarme mata pega pegan golpea golpean encerrada encerrado respira
    despierta llevaron secuestraron pistola cuchillo arma sangrando escondida escondido
    buscando viene vienen ahorita peligro
    """
)
_ES_STRONG_PLAIN = frozenset(_strip_accents(w) for w in _ES_STRONG)
_ES_WEAK = _words("de la el que en es son lo le se mi si un al por para con q ya y o")
# Short words that prove nothing on their own: "y"/"si" are SMS answers in
# both languages and the rest are too short to trust without other words.
_ES_SINGLETON_IGNORED = _words("y o si q ya se mi en la el de lo le")

_EN_STRONG = _words(
    """
    hi hello hey thanks thank please pls plz need needs help want wants have has had
    i im ive id ill you your youre u ur my the they them their theyre what whats where
    when why how who can cant cannot dont doesnt didnt wont isnt arent am are is was were
    do does did be been being this that there these those with from about just only
    passport papers job work working boss money pay paid debt rights leave left home
    house scared afraid hurt safe threatened threaten took take keep keeps police
    immigration family kids children english yes yeah nope idk know think would could
    should will going gonna wanna of and it not kill gun knife locked breathe breathing
    bleeding hiding die dying tonight
    """
)
_EN_WEAK = _words("in on to at for or a an so if no ok")

_ES_SUFFIX = re.compile(r"(?:aron|ieron|ando|iendo|cion|ciones|mente|amos|emos|imos)$")

_ES_NAMES = frozenset({"espanol", "spanish", "castellano"})
_EN_NAMES = frozenset({"english", "ingles"})
_SWITCH_FILLER = _words(
    """
    en in please pls plz porfa por favor habla hablas hablan hablar hablamos hablo puedo
    podemos puedes quiero prefiero mejor solo only speak talk can could we you do
    i want prefer use switch change cambiar cambia a al to the language idioma lengua se
    usted si yes ok okay y and or o let lets us write escribir escribe escribeme contestar
    answer reply responder responde me mi my text sms
    """
)


def _tokens(text: str) -> list[str]:
    norm = _strip_accents(text.lower()).replace("'", "").replace("\u2019", "")
    return re.findall(r"[a-z0-9]+", norm)


# Round 7 (issue 10): a request in a longer message ("can we do this in spanish, mi
# ingles no es muy bueno", "mejor en ingles xq se lo voy a enseñar a mi hija"): a
# request word, then the language named after "in / en / to / a / al".
_SWITCH_REQUEST = re.compile(
    r"\b(?:can|could|pls|please|plz|prefer|rather|switch|change|send|answer|reply|write|text|"
    r"talk|speak|continue|keep going|do this|mejor|puede|puedes|pueden|podemos|prefiero|cambia|"
    r"cambiar|manda|mandame|escrib\w*|contest\w*|respond\w*|habla\w*|seguir|sigamos|"
    r"porfa|por favor|quiero)\b[^.?!]{0,40}?\b(?:in|en|to|a|al|into)\s+(spanish|espanol|"
    r"english|ingles)\b")


def explicit_switch(text: str | None) -> str | None:
    """"es" / "en" when the message is a request to use that language, else None."""
    if not isinstance(text, str):
        return None
    tokens = _tokens(text)
    if not tokens:
        return None
    if len(tokens) <= 8:
        content = {t for t in tokens if t not in _SWITCH_FILLER}
        if content and content <= _ES_NAMES:
            return "es"
        if content and content <= _EN_NAMES:
            return "en"
    if len(tokens) <= 30:
        match = _SWITCH_REQUEST.search(" ".join(tokens))
        if match:
            return "es" if match.group(1) in _ES_NAMES else "en"
    return None


def _scores(text: str) -> tuple[int, int]:
    es = 2 * len({ch for ch in text.lower() if ch in _ES_CHARS})
    en = 0
    tokens = _tokens(text)
    accented_words = {
        _strip_accents(w) for w in re.findall(r"\w+", text.lower()) if set(w) & _ES_CHARS
    }
    single = len(tokens) == 1
    for tok in tokens:
        lone_short = single and tok in _ES_SINGLETON_IGNORED and tok not in accented_words
        if tok in _ES_STRONG_PLAIN:
            es += 2
        elif (tok in _ES_WEAK and not lone_short) or (_ES_SUFFIX.search(tok) and len(tok) > 5):
            es += 1
        if tok in _EN_STRONG:
            en += 2
        elif tok in _EN_WEAK and not single:
            en += 1
    return es, en


def marker_language(text: str | None) -> str | None:
    """"es" / "en" from the switch words and marker list alone (no lingua), else None."""
    if not isinstance(text, str) or not text.strip():
        return None
    switch = explicit_switch(text)
    if switch:
        return switch
    es, en = _scores(text)
    if es >= 2 and es - en >= 2:
        return "es"
    if en >= 2 and en - es >= 2:
        return "en"
    return None


def detect_language(text: str | None) -> str | None:
    """"es" / "en" when the message is confidently one of them, else None."""
    if not isinstance(text, str) or not text.strip():
        return None
    return marker_language(text) or english_or_spanish(text)
