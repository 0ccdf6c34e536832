""""I must stop now": the person is back, someone can see the screen, talk later.

Why its own check, before emergencies: a texter whose phone is now being
watched needs silence, not a long message with 911 in it. The router
(bot/messaging/router.py) answers at most one short neutral line, cancels
everything still queued for the texter and pauses the conversation until they
write again.

Patterns are EN/ES on the normalised text (bot/safety/normalise.py). A plain
"no" or "later" alone is not enough: "later" needs a verb ("talk later",
"te escribo luego"), so answers to questions are not mistaken for it.
"""

from __future__ import annotations

import re

from bot.safety import must_stop_classifier
from bot.safety.normalise import normalise
from bot.screening.disclosures import find_disclosures

# Anywhere in the message: these say "stop now" whatever surrounds them.
_STRONG = [re.compile(p) for p in [
    r"\b(?:someone|somebody|he|she|they) (?:can|could|might) see (?:my|the) (?:screen|phone)\b",
    r"\b(?:hes|he is|shes|she is|theyre|they are|someone is) (?:watching|looking at|checking|"
    r"reading) (?:me|my phone|my screen|the phone|my messages)\b",
    r"\b(?:g2g|gtg|ttyl|brb)\b",
    r"(?<!can i )(?<!could i )(?<!may i )(?<!can we )"
    r"\b(?:talk|text|write|message|chat|reply) (?:you |u )?(?:later|l8r|tomorrow)\b",
    r"\b(?:cant|can not|cannot|cnt) (?:talk|text|write|answer|reply) "
    r"(?:now|right now|anymore|rn)\b",
    r"\b(?:dont|do not|pls dont|please dont|stop) (?:text|message|write|reply|answer)(?:ing)? "
    r"(?:me|back)\b",
    r"\b(?:me esta|me estan|alguien esta|alguien puede) (?:viendo|mirando|ver|leer|revisando) "
    r"(?:mi |el )?(?:telefono|celular|cel|pantalla|mensajes)\b",
    r"\b(?:hablamos|te escribo|le escribo|les escribo|te hablo|les hablo|seguimos|platicamos) "
    r"(?:luego|despues|mas tarde|manana|otro dia|al rato)\b",
    r"\b(?:luego|despues|mas tarde|al rato) (?:te |le |les |los )?(?:escribo|hablo|hablamos|"
    r"seguimos)\b",
    r"\bno (?:me )?(?:escribas|escriban|contestes|contesten|respondas|mandes mensajes)\b",
    # round 5b: "don't text this number first", "luego sigo", "I'll try tomorrow"
    r"\b(?:dont|do not|pls dont|please dont|never) (?:text|call|message|msg) (?:this number|"
    r"me first|first)\b|\bno (?:me )?(?:manden|mandes|mande|escriban|escribas) (?:\w+ )?"
    r"(?:mensajes? )?(?:ustedes )?primero\b",
    r"\b(?:luego|despues|al rato|manana|en la noche|mas noche|cuando pueda) (?:te |les |le )?"
    r"(?:sigo|seguimos|intento|continuo|contesto|escribo)\b|\b(?:sigo|intento|te escribo|"
    r"les escribo|escribo) (?:luego|despues|manana|en la noche|cuando pueda)\b",
    r"\bcan see (?:the|my) (?:screen|phone|messages)\b|\b(?:ve|vea|esta viendo) (?:la|mi) "
    r"pantalla\b|\b(?:ven|miran|mira|leen) (?:la|mi) pantalla\b",
    r"\b(?:ill|i will|i ll) (?:try|text|write|message|reply) (?:again )?(?:tomorrow|tmrw|"
    r"tonight|later|when i can)\b",
    # round 7: "cant rn" as the whole message; "ahorita no puedo, mas tarde"
    r"^(?:sorry |sry |ok |k |no )?(?:cant|can t|cnt|cannot|can not) (?:rn|right now|now)"
    r"(?: sorry| sry| bye| later| ttyl)?$",
    r"\b(?:ahorita|ahora|orita) no puedo\b.*\b(?:mas tarde|luego|despues|al rato|manana)\b",
    # round 8b: "will try tmrw", "i stop now"
    r"(?:^|\b(?:ill|i will|i ll|leaving now|gotta go|bye)\W+)(?:will )?try (?:again )?(?:tmrw|"
    r"tomorrow|later|tonight)\b",
    r"\bi (?:stop|quit) (?:now|here)\b|\bstopping now\b|\bme paro aqui\b|\bhasta aqui\W*$",
    # round 8: "later. not safe", "no es seguro, despues"
    r"^(?:later|l8r|luego|despues|mas tarde|ttyl)\W+(?:its |it is |es |aqui )?(?:not safe|"
    r"no es seguro|no safe)\W*$|^(?:its |it is )?(?:not safe|no es seguro)\W+(?:later|l8r|"
    r"luego|despues|mas tarde)\W*$",
    r"^(?:hold on|wait|w8|espera|esperame|un momento|one sec|sec)\W* (?:hay )?(?:ppl|people|"
    r"peeps|someone|somebody|gente|alguien) (?:around|here|near|nearby|aqui|cerca|viene|"
    r"is coming)\b",
]]

# Only in a short message ("hes back", "gotta go", "ya llegó"): in a longer one
# they are usually part of a story ("he is home all day and watches me").
_SHORT = [re.compile(p) for p in [
    r"\b(?:hes|he is|shes|she is|theyre|they are|they re|he s|she s|someone is|somebody is|"
    r"someones|my husband is|my boss is|the man is|boss is) "
    r"(?:back|here|home|coming|coming back|next to me|behind me|in the room|watching)\b",
    r"\b(?:he|she|they|someone|somebody) (?:came|just came|got) (?:back|home|in)\b",
    r"\b(?:gotta|got to|have to|need to|i have to|i need to|must) (?:go|stop|hang up)"
    r"(?: now| rn| bye| sorry| sry)?$",
    r"\b(?:ya llego|ya volvio|ya regreso|ya vino|ya vinieron|ahi viene|alguien viene|"
    r"ya esta aqui|ya esta aca|"
    r"llego alguien|ya llegaron|ya volvieron|ahi vienen|llego el|llego ella|volvio el|"
    r"ya viene|ya vienen|aguas(?! (?:frescas|de|del|con))|ai viene|ay viene|ai vienen)\b",
    # "later" / "despues" alone stay answers (module docstring); "not now" is a stop
    r"^(?:not now|not rn|not right now|ahora no|ahorita no|orita no|"
    r"ahorita no puedo|ahora no puedo|orita no puedo)$",
    r"^(?:my |mi )?\w+ (?:viene|vienen|is coming|coming)$",
    # round 9: "hold on manager coming", "espera, viene la jefa"
    r"^(?:hold on|wait|espera|esperame|shh+|ok|brb|sorry|perdon)(?: (?:the|my|mi|el|la))? \w+ "
    r"(?:is )?(?:coming|viene|here|aqui|llego)$",
    r"\bno (?:puedo|podemos) (?:hablar|escribir|contestar|seguir)(?: ahora| ahorita| mas)?$",
    r"\b(?:tengo que|me tengo que|debo) (?:irme|colgar|parar|apagar|ir)(?: ya| ahora| ahorita)?$",
    r"\bme (?:estan|esta) (?:viendo|mirando)$",
]]
_SHORT_WORDS = 8

# Round 4 (issue 10): the same signal said in many more ways. Three families, combined
# below: LEAVING ("gotta go", "me voy", "hiding the phone"), PRESENCE (someone is back,
# awake, next to me, checking phones) and LATER ("luego sigo", "ill text tmrw").
# "Do not reply / call" (QUIET) needs nothing else.
_QUIET = re.compile(
    r"\b(?:dont|do not|pls dont|please dont|plz dont|dnt) (?:reply|answer|respond|call|text|"
    r"send|message|write)\b|"
    r"\bno (?:me |le )?(?:mandes|manden|mande|responda|responde|respondan|contesta|contesten|"
    r"llames|llamen|llame|marques|marquen) (?:nada|mensajes|a este)?\b|"
    r"\bno (?:me )?(?:mandes|manden|mande) nada\b|\bno responda\b|\bno me llames\b|"
    r"\bdelete (?:this|the chat|everything|it)\b|\b(?:im |i am )?deleting (?:this|the chat|it)\b|"
    r"\bborr(?:o|ar|a|en) (?:el chat|esto|todo|los mensajes)\b|^sh+(?: \w+)?$")
_LEAVING = re.compile(
    r"\b(?:gotta|got to|have to|need to|i have to|i need to|must|hafta) "
    r"(?:go(?! (?:to|back|see|get|work|and|in|out|with|for|buy|pick|find))|hang up|"
    r"hide|put|delete|log off|get off)\b|\b(?:g2g|gtg|ttyl|brb|bye|bai|chao|chau|adios)\b|"
    r"\b(?:putting|put|hiding|hide) (?:the |my )?(?:phone|fone|cell)\b|"
    r"\b(?:cant|can not|cannot|cnt) (?:talk|text|write|answer|reply|chat)"
    r"(?: (?:now|rn|right now|anymore|no more|more|here|long|tonight))?(?=$| later| bye| ill|"
    r" i will| tmrw| tomorrow| pls| please| dont)|"
    r"\bnot safe to (?:text|talk|write|chat)\b|\bno more (?:msgs|messages|texts)\b|"
    r"\b(?:its |it is )?not safe (?:now|rn|right now|here)\b|"
    r"\b(?:(?:i|i ?m|im) (?:need|have|got|gotta)(?: to)?|gotta|got to|hafta|have to|need to|"
    r"must) stop\b(?! (?:working|paying|doing|being|taking|going|drinking|using|him|her|them|"
    r"the|this|that|my|it|smoking|texting him))|"
    r"\btengo que (?:dejar|dejarlo|dejarte|parar|cortar)\b|\b(?:put|putting) (?:this|it|the phone)"
    r" (?:away|down)\b|\bguardo (?:esto|el cel|el telefono)\b|\b(?:im|i am) driving\b|"
    r"\bno es seguro (?:ahora|aqui|escribir|hablar|seguir)\b|"
    r"\b(?:break|lunch|descanso)s? (?:is |es )?over\b|"
    r"\bse (?:me )?acabo el (?:break|descanso|lunch|lonche)\b|\bya salio la misa\b|"
    r"\b(?:erase|erasing|deleting|delete) (?:this|it|the chat|everything|all)\b|"
    r"^(?:delete|borra|borrar)(?: (?:delete|borra|borrar))*$|\bborrando\b|"
    r"\b(?:me estan llamando|me llaman|me hablan|nos estan llamando|ya nos llaman|"
    r"ya nos hablan)\b|"
    r"\b(?:calling|called|call) (?:us|me) back (?:to|in)\b|\b(?:tengo que|me tengo que) "
    r"(?:pelar|pelarme|jalar)\b|^(?:stop|para|ya)\W* (?:later|luego|despues)|"
    r"\b(?:(?:me voy|me salgo)(?=$| ya| bye| chao| luego| despues| adios| se )|"
    r"me tengo que ir|tengo que (?:irme|colgar|dejar|esconder|apagar|"
    r"parar)|tengo que ir(?:me)?$|dejo de escribir|ya no puedo (?:seguir|escribir|hablar)|"
    r"no puedo (?:seguir )?(?:escribir|hablar|contestar)(?!(?: ahora)? (?:ingles|espanol|english|"
    r"bien|con|de|sobre|a|al|por)\b)|olvidenlo por hoy|"
    r"(?:esconder|escondo|guardar|guardo|apagar|apago) (?:el |mi )?(?:fon|cel|celular|telefono))\b")
_PRESENCE = re.compile(
    r"\b(?:hes|he is|shes|she is|theyre|they are|they r|someone is|somebody is|someones|"
    r"someone|somebody|boss|the boss|my boss|my mom|my dad|my husband|my wife|the lady|the man|"
    r"the manager|the driver|my sister|my brother|my bf|my gf|"
    # round 6: more people who come back
    r"supervisor|the supervisor|my supervisor|foreman|the foreman|my neighbor|the neighbor|"
    r"my mom s|my moms)"
    r"(?: is| s)?(?: right| just| standing| sitting| now)? (?:back|here|home|coming|awake|up|"
    r"next to me|behind me|around|in the car|"
    r"in the room|in the truck|watching|checking|reading|doing rounds|woke up|waking up|"
    r"right next to me|right here|outside)\b|"
    r"\b(?:he|she|they) (?:checks|reads|check|read) my phone\b|"
    r"\b(?:hes|shes|he is|she is|theyre) waking up\b|\bright next to me\b|"
    r"\b(?:he|she|they|boss) (?:woke up|is up|came in|walked in|just walked in)\b|"
    r"\b(?:reading|looking) over my shoulder\b|"
    r"\b(?:right|standing|sitting) (?:behind|next to) me\b|"
    r"\b(?:they|he|she|boss) (?:check|checks|go through|goes through) (?:our|my|the|all the) "
    r"(?:phones|phone|cells)\b|\b(?:they|he|she) (?:see|sees|can see) "
    r"(?:the |my )?screen\b|\bchecking (?:phones|the phones|our phones|my phone)\b|"
    r"\b(?:boss|jefe|patron|encargado|senora|supervisor) (?:here|aqui)\b|"
    r"\b(?:ahi|ai|alli) (?:anda|esta) (?:el|la|mi) \w+\b|"
    r"\b(?:ya )?(?:llego|entro|bajo|volvio|regreso|desperto|se desperto|se acerca|viene|vienen|"
    r"vino|vinieron|llegaron)"
    r" (?:el|ella|alguien|mi|la|el patron|el jefe|el encargado|la senora)\b|"
    r"\b(?:ya )?(?:entro|llego|bajo|volvio|se desperto|desperto) (?:el |la )?(?:patron|jefe|"
    r"encargado|senora|supervisor|esposo|marido)\b|\bse desperto\b|\bse acerca alguien\b|"
    r"\b(?:el|ella) (?:viene|esta cerca)\b|\bya (?:me|nos) vio\b|\bme vio (?:el|la|con)\b|"
    r"\besta (?:ahi )?(?:afuera de la puerta|sentad[oa] al lado|al lado mio|junto a mi)\b|"
    r"\bpor encima de mi hombro\b|\b(?:revisando|revisa|checando|checa) (?:los |mi |el )?"
    r"(?:celulares|cel|telefono|telefonos|mensajes)\b|\b(?:lee|leen) mis mensajes\b|"
    r"\bno estoy sola?\b|\bse abrio la puerta\b|"
    r"\b(?:el|ella|alguien|boss|jefe|patron|senora) (?:anda|esta) (?:cerca|atras de mi)\b|"
    r"\besta (?:parad[oa] |sentad[oa] )?(?:atras de mi|a mi lado|junto a mi|al lado mio)\b|"
    r"\b(?:revisan|revisa|checan|checa) (?:los|nuestros|mis) (?:celulares|cels|telefonos)\b|"
    r"\bahi esta (?:el|ella)\b|\bse acerco (?:el|la|alguien)\b|"
    # round 9: the person named first ("la señora entro a la cocina", "mi hermano esta
    # mirando"), the phones collected at this hour
    r"\b(?:el|la|mi) (?:senora|patron|patrona|jefe|jefa|encargado|encargada|dueno|duena|"
    r"esposo|marido|hermano|hermana|mama|papa|tio|tia|novio|manager|supervisor) (?:ya )?(?:entro|"
    r"llego|volvio|regreso|viene|esta aqui|esta mirando|esta viendo|me esta viendo)\b|"
    r"\b(?:recoge|recogen|recogiendo|collects|collecting|picks up) (?:los|nuestros|the|our|all the)"
    r" (?:telefonos|celulares|cels|phones|cells)\b|\b(?:esta|estan) (?:viendo|mirando) "
    r"(?:mi |el |la )?(?:cel|celular|telefono|pantalla)\b")
# The phone is about to go: battery dying, the phone being taken ("bateria 2%").
_PHONE_GOING = re.compile(
    r"\b(?:battery|batt|phone|fone|cell)(?: is| s)? (?:dying|about to die|almost dead|"
    r"going to die|gonna die|low|at \d{1,2}|on \d{1,2})\b|\b(?:low|no|dying) (?:battery|batt)\b|"
    r"\b(?:theyre|they are|they r|hes|he is|shes|she is|someone is|boss is) (?:taking|"
    r"gonna take|going to take|about to take) (?:my|the|our) (?:phone|fone|cell)\b|"
    r"\b(?:coming to|here to|about to|gonna|going to) take my phone\b|"
    r"\bhave to give (?:back )?(?:the|my) phone\b|"
    r"\bgive (?:the|my|her|his|their) (?:phone|fone|cell) back\b|"
    r"\b(?:tengo que|le tengo que|hay que) (?:devolver|regresar) (?:el|su|la) "
    r"(?:cel|celular|telefono|fon)\b|"
    r"\bse (?:me )?(?:esta )?(?:muriendo|acabando|va a acabar|acaba|muere|va a morir) "
    r"(?:la bateria|la pila|el cel|el celular|el telefono)\b|"
    r"\b(?:bateria|pila) (?:baja|al \d{1,2}|en \d{1,2}|muriendo)\b|"
    r"\b(?:queda|quedo|tengo) poca (?:bateria|pila)\b|"
    r"\bme (?:van a|quieren|estan|va a|quiere|esta) (?:quitar|quitando) (?:el|mi) "
    r"(?:telefono|cel|celular|fon)\b|\b(?:me )?(?:piden|pidieron|pidio|pide) (?:el|mi) "
    r"(?:telefono|cel|celular)\b|\bya me lo (?:pidieron|pidio|quitaron)\b|"
    r"\b(?:grabbing|grabbed|reaching|snatching) (?:for )?(?:my|the) (?:phone|cell)\b|"
    r"\b(?:arrebatando|arrebato|jalando|quitando) (?:el|mi) (?:telefono|cel|celular)\b|"
    r"\b(?:collecting|collect|taking|picking up) (?:the|our|all the) (?:phones|cells)\b|"
    r"\b(?:recoger|recogiendo|recogen|quitar|quitando|quitan) (?:los|nuestros) (?:telefonos|"
    r"celulares|cels)\b|\b(?:queda|tengo|at|on|al|en) [1-9] ?%|\bno (?:tengo|hay) cargador\b|"
    r"\bno me deja(?:n)? cargar\b")
# Someone arriving, heard or seen: "door opening", "oigo las llaves", "car pulled up".
_ARRIVING = re.compile(
    r"\b(?:the )?door(?: is)? opening\b|\b(?:i )?(?:hear|heard) (?:the |his |her |their )?"
    r"(?:keys|door|car|truck|van|footsteps|steps|him|her|them)\b|"
    r"\b(?:car|truck|van)(?: just)? pulled (?:up|in)\b|"
    r"\b(?:the|our|el|la) (?:van|ride|bus|truck|car|troca|camioneta) (?:is |s |ya )?(?:here|"
    r"outside|aqui|afuera|llego)\b|\b(?:someone|somebody)(?: is| s)? at "
    r"the door\b|\b(?:alguien )?(?:toca|tocan|esta tocando|estan tocando) la puerta\b|"
    r"\boigo (?:las llaves|la puerta|el carro|la troca|la camioneta|pasos|que (?:llega|viene|"
    r"vienen|llegan|entra))\b|\bse (?:esta )?abriendo la puerta\b|\bya (?:se )?(?:estaciono|"
    r"llego) (?:el carro|la troca|la camioneta)\b|"
    r"\b(?:is |s |are )?(?:walking|coming|heading) (?:over|in|this way|toward me|towards me|up|"
    r"down the hall|up the stairs)\b|\b(?:hes|shes|theyre|he is|she is|they are) pulling "
    r"(?:up|in)\b|\b(?:light|lights) (?:just )?(?:came|come|went|turned) on\b|"
    r"\bse prendi(?:o|eron) (?:la|las) (?:luz|luces)\b|"
    r"\bviene (?:subiendo|bajando|para aca|para aqui|"
    r"caminando)\b|\b(?:esta|estan) en la puerta\b|\banda (?:dando la vuelta|rondando|"
    r"checando)\b|\b(?:walking|doing) (?:the )?rounds\b|"
    r"\bback from (?:lunch|break)\b|"
    r"\bregresaron (?:las|los) (?:otras|otros)\b")
_PERCENT = re.compile(r"^\W*(?:(?:phone|battery|batt|bateria|pila|cel)\W*)?(?:at |on |al |en )?"
                      r"(?:[1-9]|1[0-5]) ?%\W*(?:(?:battery|batt|bateria|pila)\W*)?$")
_LATER = re.compile(
    r"\b(?:later|l8r|tmrw|tmr|tomorrow|tmrow)\b|\b(?:luego|despues|manana|al rato|mas tarde|"
    r"orita no|ahora no)\b|"
    # round 6: "ill text when he leaves", "cuando se vaya"
    r"\bwhen (?:he|she|they|hes|shes|theyre) (?:leaves?|goes|is gone|are gone|falls? asleep|"
    r"sleeps?)\b|\bcuando (?:se vaya|se vayan|se duerma|se duerman|salga|salgan)\b")
# Leaving said last, after a longer message: "..., gotta go" / "..., me tengo q ir ya".
_LEAVING_AT_END = re.compile(
    r"(?:(?:gotta|got to|have to|need to|i have to|must) (?:go|hang up)|g2g|gtg|"
    r"(?:me )?tengo que (?:irme|colgar|ir)|me voy|me tengo que ir)"
    r"(?: now| rn| ya| bye| sorry| sry| ahora| adios| chao)?$")
# Round 6: leaving said first, then the reason: "ok gotta go they're calling us back".
_LEAVING_AT_START = re.compile(
    r"^(?:ok |okay |sorry |sry |perdon |bueno )?(?:gotta go|got to go|have to go|gtg|g2g|"
    r"me tengo que ir|tengo que irme|me voy ya)\b(?! (?:to|back|see|get|work|and|in|out|with|"
    r"for|buy|pick|find|a|al|con|de|por|para)\b)")
_ABBREVIATIONS = {"q": "que", "k": "que", "xq": "porque", "pq": "porque", "tmb": "tambien",
                  "ahorita": "ahora"}
_LONG_WORDS = 16
_LATER_WORDS = 26  # leaving with "later" or a presence, in a message no longer than this
_PHONE_WORDS = 12  # "the phone is going" alone, in a message no longer than this


def _expand(norm: str) -> str:
    """SMS shorthand ("me tengo q ir") written out, for these patterns only."""
    return " ".join(_ABBREVIATIONS.get(w, w) for w in norm.split())


def is_must_stop(text: str | None, *, phone_going: bool = True, learned: bool = True) -> bool:
    """True when the texter signals they must stop texting now.

    `phone_going=False` leaves out the battery / phone-taken family: the router holds
    an emergency silently only for a texter who is watched, never for a dying battery.
    `learned=False` leaves out the learned layer (bot/safety/must_stop_classifier.py):
    only a written pattern may silence an emergency.
    """
    if not isinstance(text, str) or not text.strip():
        return False
    if _by_patterns(text, phone_going=phone_going):
        return True
    # The learned layer cannot tell a watched texter from a dying battery: not asked
    # when the battery family is left out.
    # Round 8: nor on a disclosure ("me cobra la traila y el ride y me deja casi nada"):
    # a texter telling their situation needs an answer, not silence.
    return learned and phone_going and must_stop_classifier.says_must_stop(text) \
        and not find_disclosures(text)


def _by_patterns(text: str, *, phone_going: bool) -> bool:
    """The written EN/ES patterns (module docstring)."""
    normalised = normalise(text)
    if phone_going and _PERCENT.search(normalised):
        return True  # "1%", "phone on 2%": the battery is going
    norm = " ".join(re.sub(r"[^\w\s#]", " ", normalised).split())
    if any(p.search(norm) for p in _STRONG):
        return True
    words = len(norm.split())
    expanded = _expand(norm)
    if words <= _LATER_WORDS:
        going = phone_going and bool(_PHONE_GOING.search(expanded))
        leaving = bool(_LEAVING.search(expanded)) or going
        presence = bool(_PRESENCE.search(expanded) or _ARRIVING.search(expanded))
        later = bool(_LATER.search(expanded))
        if words <= _LONG_WORDS:
            if _QUIET.search(expanded) or _LEAVING_AT_END.search(expanded) \
                    or _LEAVING_AT_START.search(expanded):
                return True
            if going and words <= _PHONE_WORDS and "?" not in text:
                return True
            if presence and (leaving or later or words <= _SHORT_WORDS):
                return True
            if leaving and (later or words <= _SHORT_WORDS):
                return True
        elif leaving and (later or presence):
            # A longer message that ends the chat: a reason to go and a "later" or a presence.
            return True
    if words > _SHORT_WORDS:
        return False
    # Each clause on its own, so "hes back, gotta go" and "ya llego el" match anchored forms.
    clauses = [c.strip() for c in re.split(r"\b(?:and|y|so|asi que)\b", norm) if c.strip()]
    return any(p.search(clause) for clause in [norm, *clauses] for p in _SHORT)


# Pattern groups that read like "he is coming" rather than harm: beside a must-stop
# phrase ("hes coming gotta go") the texter needs silence, not the 911 message.
MUST_STOP_WINS_OVER = frozenset({"on_the_way", "hiding"})


# Round 8: a plea for help beside "he's coming back" asks for help, not for silence.
_PLEA = re.compile(
    r"\b(?:help me|help us|pls help|please help|help please|help pls|helpp+|sos|ayudame|"
    r"ayudeme|ayudenme|ayudanos|ayuda por favor|ayuda porfa|auxilio|socorro|send (?:help|"
    r"someone|police|the police)|manden (?:ayuda|a alguien|a la policia|policia)|call (?:911|"
    r"the police|the cops))\b")


def must_stop_wins(text: str | None, is_emergency: bool, groups: tuple[str, ...]) -> bool:
    """The router's rule: answer "OK." and pause, rather than the emergency reply.

    A real emergency beside a must-stop signal still wins, except "he is coming" /
    "hiding" wording said by a texter who is watched; a dying battery or a phone being
    taken alone never silences an emergency (`phone_going=False`).
    """
    if not is_must_stop(text):
        return False
    if not is_emergency:
        return True
    if _PLEA.search(normalise(text or "")):
        return False
    return not set(groups) - MUST_STOP_WINS_OVER and is_must_stop(text, phone_going=False,
                                                                  learned=False)
