"""Layer 1: explicit, reviewable EN/ES patterns for immediate danger.

Why regular expressions at all: they work offline, run first on every message
and can be audited line by line by safety reviewers. They are one layer of
three (bot/safety/detector.py): the trained model's `emergency` intent and a
character n-gram classifier (bot/safety/classifier.py) catch what they miss.

Texts are normalised first (bot/safety/normalise.py): lower case, no accents or
apostrophes, letters repeated 3+ times squeezed. English and Spanish patterns
run on every message, so English words inside a Spanish text ("me tienen
locked", "ayuda he has a gun") match too.

Groups (each a list of patterns, named in `Hit.group` for review and logs):
- URGENT: harm now or next, confinement now, weapons, injury and breathing,
  explicit calls for urgent help (the patterns that existed before issue 10);
- JUST_HAPPENED: violence that has just happened ("just beat me", "me acaba de
  pegar") or being kept inside now ("wont let me leave", "no me dejan salir"
  only with a "now" cue or beside violence);
- TONIGHT: fear of dying / being killed today or tonight;
- SELF_HARM: intent to hurt oneself, with or without the means (911 and 988);
- OTHER_PERSON: someone else unconscious / not breathing / overdosed, being
  taken, locked up or hurt now;
- PLACE: held in a named place ("in room 12 at the motel and they wont let me out");
- ON_THE_WAY: a threat with a deadline today, or the person coming now;
- HIDING: hiding from people who are searching;
- LOST: taken somewhere and not knowing where;
- MEDICAL: medical emergencies (heart attack, seizure, overdose, heavy bleeding).

`BENIGN` patterns (idioms, jokes, a job's tools, a year long past) veto these
only when no `PRESENT` cue ("right now", "ahorita", "tonight") is in the text;
`DANGER` words without a time cue make a *possible* emergency (one Y/N check).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.safety.normalise import normalise

_ME = (
    r"(?:me|us|my (?:wife|husband|daughter|son|kids?|children|baby|family|sister|"
    r"brother|friend))\b"
)
_HARM = r"(?:kill|murder|hurt|hit|beat|rape|shoot|stab|choke|strangle|burn|attack)"
_FUTURE = (
    r"(?:going to|goin to|gonna|gona|gunna|gnna|about to|will|gon|wil|is going to|"
    r"trying to|tryin to|tryna|wants to|want to|wanna|threatening to|threatened to|"
    r"says he will|said he would|is gonna|would|ll)"
)
_NOT_PAST = r"(?<!was )(?<!were )(?<!used to )(?<!had been )"

_EN = [
    rf"\b{_FUTURE} {_HARM} {_ME}",
    r"\b(?:kill|murder) (?:me|us)\b",
    _NOT_PAST + r"\b(?:hitting|beating|choking|strangling|raping|stabbing|kicking|attacking|"
    r"hurting|punching|shooting at) " + _ME,
    r"\bbeing (?:beaten|beat|hit|attacked|raped|choked|strangled|hurt)\b",
    r"\bkill(?:ing)? myself\b|\bend my life\b|\bsuicide\b",
    r"\b(?:cant|can not|cannot|cnt|cant hardly|can t) (?:breathe?|breath|brethe?|breth)\b",
    r"\b(?:i ?m|i am|im|we are|were|we re) (?:locked|trapped|being held|held|tied up|chained)\b",
    r"\b(?:locked|lock) (?:me|us) (?:in|up|inside)\b",
    r"\blocked (?:in|inside) (?:a |the |this |my )?"
    r"(?:room|house|basement|closet|car|trunk|truck)\b",
    # locking people into a named place: "locked all of us in the kitchen", "lo encerraron en"
    r"\blocked (?:me|us|all of us|everyone|them|her|him|the \w+) (?:in|inside) (?:a |the |this |"
    r"his |her |their )?(?:\w+ )?(?:room|kitchen|freezer|cooler|hold|bathroom|storage|shed|"
    r"basement|garage|closet|trailer|van|truck|container|office|attic)\b",
    r"\b(?:me|nos|la|lo|las|los) (?:encerro|encerraron|tranco|trancaron)\b|"
    r"\btrancad[oa]s?\b|\bno nos (?:abren|quieren abrir)\b|\bno me (?:abren|quieren abrir)\b",
    r"\b(?:they|he|she|someone|somebody|guy|man|boss|el|ella|jefe|jefa|patron|ellos|hes|shes|"
    r"theyve|theyre) "
    r"(?:has|have|got|s got|ve got|is holding|pulled) "
    r"(?:a |an |the |his |her |their )?(?:gun|knife|weapon|pistol|rifle)\b",
    r"\b(?:pointed|pointing|aiming|aimed) (?:a |the |his |her |their )?(?:gun |knife |pistol )?"
    r"(?:at|to) (?:me|us|my)\b|"
    r"\bgun (?:to|at|on) (?:my|me)\b|\bpointing (?:a |the )?(?:gun|knife)\b",
    r"\bbleeding\b|\bbleed(?:ing)? out\b",
    r"\bhelp (?:me )?(?:please |pls |plz )?"
    r"(?:now|asap|right now|quick|quickly|fast|immediately|hurry)\b",
    r"\bneed help (?:now|right now|asap|immediately|fast|quick)\b",
    r"\bhelp(?: me)? ?!{2,}",
    r"\bhelp[ ,!.]+help\b",
    r"\bs ?o ?s\b",
    r"\b9 ?1 ?1\b",
    r"(?<!not an )(?<!isnt an )(?<!non )(?<!non-)(?<!no )(?<!nothing )\bemergency\b",
    r"\b(?:i ?m|i am|im|we are|were|my life is|our lives are|me and my \w+ are) "
    r"in (?:danger|trouble right now)\b",
    r"\bin danger (?:now|right now)\b",
    # round 8: not "scared of getting kidnapped", "for people who got kidnapped"
    r"(?<!of getting )(?<!of being )(?<!who got )(?<!who were )(?<!who get )(?<!who are )"
    r"(?<!who have been )\b(?:kidnapped|abducted)\b",
    r"\bplease (?:hurry|come now|come quick)\b|\bcome quick\b",
    r"\bsend (?:the )?(?:police|cops|help|someone|an ambulance) (?:now|asap|quick|fast|right now|"
    r"please|pls|here)\b",
    r"\b(?:he|she|they) (?:is|are|s|re) (?:going to|gonna) (?:kill|hurt)\b",
]

_ES_ME = r"(?:me|nos|a mi|a mis hijos|a mi familia)"
_ES = [
    r"\b(?:estoy|estamos|me tienen|nos tienen|me dejaron|nos dejaron|me han) ?"
    r"(?:encerrad[oa]s?|atrapad[oa]s?|amarrad[oa]s?|secuestrad[oa]s?)\b",
    r"\bencerrad[oa]s?\b",
    r"\bme encerr(?:o|aron|aran|ara)\b|\bnos encerr(?:o|aron)\b",
    r"\bsecuestrad[oa]s?\b|\bsecuestraron\b",
    rf"\b{_ES_ME} (?:va|van|quiere|quieren|esta por|estan por|amenaza con|amenazo con) "
    r"(?:a )?(?:matar|pegar|golpear|lastimar|hacer dano|hacer algo|violar|disparar|"
    r"apunalar|ahorcar)",
    r"\b(?:va|van|quiere|quieren|amenaza con|amenazo con) (?:a )?"
    r"(?:matarme|matarnos|pegarme|golpearme|lastimarme|violarme|hacerme dano)\b",
    r"\bmatarme\b|\bmatarnos\b|\bme mata(?:n)?\b",
    r"\b(?:me|nos) (?:esta|estan) (?:pegando|golpeando|matando|lastimando|ahorcando|"
    r"ahogando|violando|apunalando|disparando|asfixiando|quemando)\b",
    r"\b(?:me|nos) (?:estan|esta) haciendo dano\b",
    r"\bayud(?:a|ame|anme|enme|eme) "
    r"(?:ya|ahora|ahorita|urgente|rapido|pronto|inmediatamente|por favor ya)\b",
    r"\bnecesito ayuda (?:ya|ahora|ahorita|urgente|rapido)\b",
    r"\bayuda[ ,!.]+ayuda\b|\bayuda ?!{2,}",
    r"\bauxilio\b|\bsocorro\b",
    r"\bno (?:puedo|podemos) respirar\b",
    r"\b(?:tiene|tienen|trae|traen|saco|sacaron) (?:un |una )?"
    r"(?:arma|pistola|cuchillo|navaja|machete|rifle)\b|"
    r"\b(?:saco|sacaron|saca|sacan) (?:la |el |su )"
    r"(?:arma|pistola|cuchillo|navaja|machete|rifle)\b",
    r"\bcon (?:un |una )(?:arma|pistola|cuchillo|navaja)\b",
    r"\b(?:estoy|estamos|esta|mi vida esta|nuestras vidas estan) en peligro\b",
    r"\ben peligro (?:ya|ahora)\b",
    r"\b(?:estoy|esta|estamos) sangrando\b|\bsangrando mucho\b|\bme desangro\b",
    r"(?<!no es una )(?<!no es )(?<!nada )(?<!nothing )\b(?:emergencia|urgente)\b",
    r"\bllam(?:a|en|ar|e) (?:al |a la )?(?:911|policia ya)\b",
]

# Someone other than the texter, as the object of harm.
_THEM = (
    r"(?:(?:my|mi|mis) (?:sister|brother|friend|daughter|son|kid|kids|baby|wife|husband|mom|mother|"
    r"dad|cousin|coworker|co worker|roommate|girlfriend|boyfriend|nephew|niece|hermana|hermano|"
    r"amiga|amigo|hija|hijo|hijos|bebe|esposa|esposo|mama|madre|papa|prima|primo|companera|"
    r"companero|sobrina|sobrino|novia|novio)|(?:a|the|two|some) (?:\w+ )?(?:girls?|boys?|women|"
    r"woman|man|kids?|child|children|lady)|"
    r"(?:her|him|them))"
)
_A_THEM = r"(?:a (?:mi|mis|una|un|la|el) \w+|a (?:ella|el|ellas|ellos)|la|lo|las|los)"

_JUST_HAPPENED = [
    r"\b(?:me|nos|le|la|lo) (?:esta|estan|anda|andan) (?:peg|golp|lastim|ahorc|ahog|viol|apun|"
    r"dispar|asfixi|quem|pate|cachete|jal|arrastr|amarr|tortur|pic|cort)\w*(?:ando|iendo)\b",
    r"\b(?:me|nos) (?:amarraron|amarro|ataron|ato|esposaron|encadenaron|vendaron)\b|"
    r"\b(?:tied|taped|chained|handcuffed) (?:me|us) (?:up|to)\b|\bi am tied\b|\bim tied\b",
    r"\b(?:me estoy|se esta|nos estamos|se estan) (?:ahogando|asfixiando|desangrando|muriendo)\b|"
    r"\b(?:im|i am) (?:choking|drowning|dying|suffocating)\b",
    r"\b(?:scared|afraid|fear|fearing|terrified) for (?:my|our) li(?:fe|ves)\b|"
    r"\b(?:temo|miedo) por (?:mi|nuestra) vida\b",
    r"\b(?:coming|running|walking) up the stairs\b|\b(?:breaking|kicking) (?:down )?the door\b|"
    r"\b(?:tumbando|rompiendo|pateando) la puerta\b",
    r"\bjust (?:hit|beat|punched|kicked|choked|strangled|raped|stabbed|attacked|hurt|slapped|"
    r"burned|cut|shot at) (?:me|us|" + _THEM + r")\b",
    r"\b(?:me|nos|le|la|lo) (?:acaba|acaban) de (?:pegar|golpear|violar|apunalar|lastimar|"
    r"ahorcar|cortar|quemar|disparar|encerrar|amenazar)",
    # someone just forced, dragged or pushed somewhere; a beating just given
    r"\b(?:se )?(?:la |lo |las |los )?(?:acaba|acaban) de (?:llevar|meter|empujar|jalar|subir|"
    r"agarrar|arrastrar|aventar|secuestrar)\b|\ba la fuerza\b.*\b(?:ahorita|acaba\w* de|gritando|"
    r"llorando)\b|\b(?:dio|dieron|acaba de dar|acaban de dar|me dio|me dieron) una "
    r"(?:golpiza|paliza|madriza|chinga)\b",
    r"\bacaba(?:n)? de (?:pegarme|golpearme|violarme|lastimarme|encerrarme|amenazarme)\b",
    r"\b(?:wont|will not|doesnt|dont|wont ever) let (?:me|us) (?:leave|go|out|get out)\b.*"
    r"\b(?:now|hit|beat|hurt|blood|bleeding|locked|door|scared)\b",
    r"\b(?:hit|beat|hurt|attacked|punched|choked) (?:me|us)\b.*\b(?:wont|will not|doesnt) let "
    r"(?:me|us) (?:leave|go|out)\b",
    r"\bno (?:me|nos) (?:deja|dejan|quiere dejar|quieren dejar) salir\b.*"
    r"\b(?:ahora|ahorita|ya|pego|pegaron|golpeo|golpearon|encerr\w*|sangr\w*|miedo)\b",
    r"\b(?:pego|pegaron|golpeo|golpearon|lastimo|lastimaron|pateo|patearon|ahorco|violo)\b.*"
    r"\b(?:cerro|cerraron|encerro|encerraron) (?:la puerta )?(?:con llave|con candado)?\b|"
    r"\b(?:pego|pegaron|golpeo|golpearon|lastimo|lastimaron|pateo|patearon|ahorco|violo)\b.*"
    r"\bno (?:me|nos) (?:deja|dejan) (?:salir|ir|irme)\b|\b(?:pego|pegaron|golpeo|golpearon|"
    r"pateo|patearon)\b.*\bno (?:puedo|podemos) salir\b",
    r"\b(?:a la fuerza|by force|forced (?:her|him|me) into)\b.*\b(?:carro|camioneta|van|car|truck|"
    r"llevaron|metieron)\b|\b(?:metieron|subieron|llevaron) a \w+ \w+ a la fuerza\b",
    r"\b(?:keeping|keep|kept|holding) (?:me|us) (?:inside|in here|here|locked|prisoner|hostage)\b",
    r"\b(?:took|taken|take) my (?:phone|shoes|keys)\b.*\b(?:locked|wont let|cant leave|"
    r"cant get out|door)\b",
    r"\bcant (?:get|go) out\b.*\b(?:locked|door|window|room|hit|beat)\b",
    r"\bno puedo salir\b.*\b(?:encerr\w*|puerta|llave|candado|pego|golpe\w*|ahora|ahorita)\b",
    r"\b(?:puerta|door) (?:is )?(?:locked|con llave|cerrada con llave|con candado)\b",
]

_TONIGHT_CUE = r"(?:tonight|today|this night|tonite|2nite|esta noche|hoy|ahorita|manana no)"
_TONIGHT = [
    r"\bno (?:voy a|vamos a|creo que) salir (?:viva|vivo|vivas|vivos)\b|"
    r"\b(?:wont|will not|not going to|not gonna) (?:get|make it) out (?:of here )?alive\b",
    r"\b(?:will|gonna|going to|say they will|said they will|va a|van a|dicen que van a) "
    r"(?:burn|shoot|stab|rape|quemar|disparar|apunalar|violar)\w*\b.*\b"
    r"(?:tonight|today|esta noche|hoy)\b",
    r"\b(?:die|dying|dead|kill|killed|murder|morir|muera|muerta|muerto|matar|matarme|mata|maten|"
    r"mate|matan)\b.*\b" + _TONIGHT_CUE + r"\b",
    r"\b" + _TONIGHT_CUE + r"\b.*\b(?:die|dying|kill me|killed|morir|muera|matarme|me mata|"
    r"me matan|muerta|muerto)\b",
    r"\b(?:wont|will not|not going to|no voy a|dont think i will|dont think ill|not gonna) "
    r"(?:make it|survive|live|sobrevivir|llegar) "
    r"(?:through |a )?(?:the night|tonight|manana|la noche|esta noche)\b",
    r"\bno (?:voy a|creo) (?:pasar|llegar a|sobrevivir) (?:la|esta) noche\b",
    r"\b(?:afraid|scared|think|feel like) (?:im|i am|i will|ill|i m) (?:going to |gonna )?die\b",
    r"\b(?:miedo|creo) (?:de |que )?(?:me )?(?:voy a )?mor(?:ir|irme|ire)\b",
]

_SELF_HARM = [
    r"\bme (?:corte|cortare|voy a cortar|estoy cortando) (?:las venas|las munecas|los brazos)\b|"
    r"\b(?:cut|cutting|slit|slitting) my (?:wrists?|veins|arms)\b",
    r"\bkill(?:ing)? my ?self\b|\bend(?:ing)? my life\b|\bsuicid\w*\b|\bend it all\b|"
    r"\b(?:want|going|gonna) to end it\b",
    r"\b(?:want|wanna|going|gonna|about) (?:to )?die\b|\bwant to be dead\b",
    r"\b(?:dont|do not|no longer) (?:want to|wanna) (?:live|be alive|wake up|be here)\b",
    r"\b(?:cut|cutting|hurt|hurting|harm|harming) my ?self\b|\bself harm\b",
    # "took my pills" alone is a prescription; all of them, a bunch, the bottle is not.
    r"\b(?:take|taking|took|swallow|swallowed) (?:all (?:of )?(?:the |my |these |those )?|"
    r"a bunch of |the whole |the rest of (?:the |my )?)(?:pills|pastillas|meds|bottle)\b|"
    r"\b(?:swallow|swallowed|swallowing) (?:the |my |these |those )?(?:pills|meds)\b",
    r"\b(?:pills|rope|razor|blade|knife|gun) (?:in|on) my (?:hand|hands|lap)\b",
    r"\bjump (?:off|from) (?:the|a|this)\b",
    r"\b(?:jump|jumping)\b.*\b(?:roof|bridge|window|building|balcony|cliff)\b|"
    r"\b(?:me voy a|me quiero) (?:tirar|aventar|lanzar)\b",
    r"\b(?:quiero|voy a|me quiero|me voy a) (?:morir|morirme|matar|suicidar|quitar la vida|"
    r"cortar|cortarme|tomar todas)\w*\b",
    r"\bmatarme\b|\bquitarme la vida\b|\bsuicidarme\b|"
    r"\bno quiero (?:vivir|seguir viviendo|despertar|seguir viv[oa]|estar viv[oa]|"
    r"seguir con vida)\b",
    r"\b(?:tengo|tomar|tome|trague) (?:las|todas las|unas|muchas) pastillas\b",
    r"\b(?:lastimarme|hacerme dano|cortarme) (?:yo|a mi misma|a mi mismo)?\b"
    r"(?!.*\b(?:el|ella|jefe)\b)",
]

# Round 3 (issue 10): the means, the method and the farewell, said without "kill myself".
_SELF_HARM += [
    r"\bme mato\b(?! (?:trabajando|estudiando|de|a|con el|con la)\b)|\bme quito la vida\b|"
    r"\bacabar? con mi vida\b",
    r"\b(?:termino|terminar|acabo|acabar) con (?:todo|esto|todo esto)\b|\bse acaba todo\b|"
    r"\b(?:mejor )?(?:q|que) se acabe(?: todo)?\b",
    r"\b(?:wrote|written|writing|left) (?:a |the |my )?(?:goodbye |last )?(?:letter|note|notes)\b"
    r".*\b(?:done|goodbye|bye|end|over|last)\b|\bcartas? de despedida\b|\bme despedi de\b|"
    r"\b(?:goodbye|bye|adios)\b.*\b(?:im done|forever|for good|for trying|para siempre)\b|"
    r"\bim done\b.*\b(?:goodbye|letter|note|living|with life|with everything)\b",
    r"\b(?:have|got|ive got|tengo|traigo) (?:the |a |my |la |una |mi )?"
    r"(?:rope|noose|soga|cuerda)\b|"
    r"\b(?:tied|hung|amarre|colgue) (?:a |the |la |una )?(?:rope|noose|soga|cuerda)\b",
    r"\b(?:razor|blade|navaja|rastrillo)\b.*\b(?:use it|using it|ending it|end it|on myself|"
    r"usarla|usarlo|cortarme)\b",
    r"\bthinking (?:about|bout|of|abt) (?:ending it|ending my|using it on me|killing|dying|"
    r"jumping|drinking the|taking all|taking them)\b|\bending it\b(?! (?:with|off))",
    r"\b(?:drink|drinking|swallow|swallowing|tomar|tomarme|beber|beberme|tragar|tragarme|"
    r"tomo|me tomo) (?:the |some |el |la |del |de la |un poco de )?(?:bleach|cloro|poison|veneno|"
    r"pesticide|pesticida|insecticida|antifreeze|raticida|rat poison|veneno de ratas)\b",
    r"\b(?:took|swallowed|taken|tome|me tome|trague|me trague|tomar|tomarme) (?:like |como |"
    r"casi )?(?:the whole|the entire|all|all of|half|\d+|un monton de|toda la|todas las|todo el|"
    r"la mitad de|la mitad del)\b.*\b(?:bottle|pills|pastillas|meds|tylenol|frasco|caja|"
    r"botiquin)\b|\bsav(?:ing|ed) (?:up )?(?:the |my |all the )?(?:\w+ )?(?:meds|pills|"
    r"pastillas)\b|\b(?:take|taking) them all at once\b|"
    r"\btomarmelas todas\b",
    r"\b(?:walk\w*|step\w*|jump\w*|throw\w* myself|run\w*) (?:into|in front of|out in) "
    r"(?:traffic|the train|"
    r"a train|a car|a truck|the highway)\b|\b(?:tirarme|aventarme|lanzarme|echarme|brincar) "
    r"(?:al|a la|del|de la|por la|desde|en)\b",
    r"\b(?:la|lo) tengo en la cabeza\b|\b(?:gun|pistol|knife) (?:to|at|against) my own\b|"
    r"\bmy own head\b",
    r"\b(?:easiest|best|fastest|quickest|painless) way to (?:die|kill myself|end it)\b|"
    r"\bhow (?:to|do i|can i) (?:kill myself|die)\b|\b(?:forma|manera) (?:mas )?(?:facil |"
    r"rapida )?de (?:morir|matarme|morirme)\b|\bcuantas pastillas\b",
    r"\b(?:cut|cutting) (?:deeper|more)\b|\bgo deeper\b|\bmas (?:hondo|profundo)\b|"
    r"\bdisappear (?:forever|for good)\b|\bdesaparecer para siempre\b",
    r"\b(?:wont|will not) be (?:here|around|alive) (?:tomorrow|manana)\b|\bno reason to "
    r"(?:keep going|live|go on)\b|\b(?:tonight|today) i (?:finish|end) it\b|"
    r"\bya no (?:voy a estar|estare) aqui\b|\bmanana ya no (?:voy a estar|estare)\b",
]

# Round 4 (issue 10): cutting "again", not waking up, the farewell to family, the means
# bought or in hand, the bridge, a gun to the head, a bottle swallowed, poison to drink.
_SELF_HARM += [
    r"\b(?:been|started|im|i am|keep|kept) cutting(?: again| myself)?\b|\bcutting again\b|"
    r"\bme (?:estoy|volvi a|sigo|puse a) cortando\b|\bcortandome\b",
    r"\b(?:dont|not|never|no|so i dont|wanna not) (?:wanna |want to |to |ever )?wake up\b"
    r"(?! (?:early|at|for|tomorrow at|so early))|\bno (?:volver a )?despertar(?:me)?\b",
    r"\btell (?:my|mi) (?:\w+ )?(?:mom|mother|mama|mum|family|kids|dad|sister|brother|son|"
    r"daughter)\b.*\b(?:i love (?:her|him|them|u|you)|goodbye|bye|forever|im done|"
    r"(?:cant|can not|cannot) (?:do this|go on|take (?:it|this))|anymore)\b|"
    r"\b(?:dile|diganle|digale) a mi (?:mama|familia|hij[oa]s?|papa|herman[oa])\b.*"
    r"\b(?:perdon|lo siento|que la quiero|que los quiero|adios)\b",
    r"\b(?:goodbye|farewell) (?:text|message|msg)\b|\bthis is (?:my )?goodbye\b|"
    r"\bmensaje de despedida\b|\besta es mi despedida\b|\bme despido de (?:todos|ustedes)\b",
    r"\bonly way out\b.*\b(?:dead|die|dying|death)\b|\b(?:dead|die|death)\b.*\bonly way out\b|"
    r"\bunica salida\b.*\b(?:morir|muert[oa]|matarme|colgarme)\b|"
    r"\b(?:morir|muert[oa]|matarme|colgarme)\b.*\bunica salida\b|\bmejor muert[oa]\b",
    r"\b(?:me cuelgo|colgarme|ahorcarme|me ahorco|me voy a colgar|hang myself)\b",
    r"(?:^|\bi (?:just |already )?|\bive |\bya (?:me )?|\bhoy )(?:bought|got|compre|consegui)"
    r" (?:a |the |some |una |la |el |unas |las )?(?:rope|noose|soga|cuerda|pills|pastillas|"
    r"veneno|poison)\b(?! (?:to|for|para|pa) )",
    r"\b(?:standing|sitting|stood) on (?:the|a|this) (?:bridge|ledge|edge)\b|"
    r"\b(?:parad[oa]|sentad[oa]|arriba) (?:en|del|de) (?:el |la )?(?:puente|orilla del puente)\b|"
    r"\bestoy en el puente\b",
    r"\b(?:me voy|irme|me quiero ir) de este mundo\b|\bdejar este mundo\b|"
    r"\b(?:carta|despedida|perdon|perdoname|dios)\b.*\bme voy (?:pa|para) siempre\b|"
    r"\bme voy (?:pa|para) siempre\b.*\b(?:carta|despedida|perdon)\b",
    r"\b(?:gun|pistol) (?:to|against|in) my (?:head|mouth|temple)\b|\bblow my (?:brains|head)"
    r" out\b|\bshoot myself\b|\b(?:pegarme|darme|meterme) un (?:tiro|balazo)\b|"
    r"\b(?:me la|me lo) (?:quiero |voy a )?poner en la cabeza\b",
    r"\b(?:knife|blade|razor|glass|vidrio|navaja|cuchillo|rastrillo)\b.*\b(?:to my wrists?|"
    r"on my wrists?|mis munecas|mi muneca|las venas)\b",
    r"\b(?:quiero|me quiero|voy a|me voy a|ganas de|pienso en) (?:lastimarme|hacerme dano|"
    r"cortarme)\b|\bme quiero (?:hacer dano|lastimar|cortar)\b",
    r"\b(?:veneno|poison|bleach|cloro)\b.*\b(?:me lo tomo|me la tomo|tomarmelo|tomarmela|"
    r"drink it|take it|swallow it)\b",
    r"\b(?:tome|me tome|trague|me trague|took|swallowed|drank) (?:un|una|el|la|a|the) "
    r"(?:frasco|bote|caja|bottle|box)\b",
    r"\b(?:dead|die|death|morir|muert\w*)\b.*\b(?:how to do it|como hacerlo)\b",
]

_OTHER_PERSON = [
    r"\b(?:la|lo|las|los) (?:subieron|metieron|aventaron) (?:a|en) (?:una|un|la|el) "
    r"(?:van|camioneta|carro|troca|auto|coche|cajuela)\b|\b(?:agarraron|levantaron|jalaron|"
    r"secuestraron) a (?:mi|mis|una|un) \w+",
    r"\b(?:just )?(?:shot|stabbed) (?:someone|somebody|a man|a woman|a guy|a girl|a kid|my \w+)\b|"
    r"\b(?:shots fired|gunshots|disparos|balazos|balacera)\b",
    r"\b(?:dragging|grabbing|snatching|pulling) " + _THEM + r"\b",
    r"\b(?:isnt|is not|not|isn t|stopped|stop|barely|no esta|no) breath\w*\b",
    r"\b(?:wont|will not|doesnt|cant|can not) (?:wake up|wake|respond|move)\b",
    r"\b(?:passed out|unconscious|unresponsive|overdos\w*|od ing|oding|od d)\b",
    r"\b(?:no|ya no) (?:respira|despierta|reacciona|responde|se mueve)\b",
    r"\b(?:is not|isnt|not|stopped) moving\b",
    r"\b(?:se desmayo|desmayad[oa]|inconsciente|sobredosis)\b",
    r"\b(?:gave|give|given|put|slipped|drugged) (?:her|him|them|me|my \w+) (?:something|pills|"
    r"drugs|a drug|a shot)\b",
    r"\b(?:le|les|me) (?:dieron|dio|metieron|pusieron) (?:algo|pastillas|drogas|una droga|"
    r"una inyeccion)\b",
    r"\b(?:drugged|drogad[oa]s?)\b",
    r"\b(?:taking|took|grabbed|grabbing|dragging|dragged|kidnapping|snatched|pulling) "
    + _THEM + r"\b.*\b(?:car|van|truck|away|now|right now|inside|into)\b",
    r"\b(?:put|pushed|forced|threw|shoved|stuffed) " + _THEM
    + r" (?:in|into) (?:a|the|his|their) (?:\w+ )?(?:car|van|truck|trunk)\b|"
    r"\bdrove (?:off|away) with\b",
    r"\b(?:se (?:la|lo|las|los) (?:llevaron|estan llevando|llevan|llevo)|se llevaron a|"
    r"se estan llevando a|estan llevando a|metieron a (?:mi|mis) \w+)\b",
    r"\b(?:is|are|s|re) (?:locked|trapped|being held|tied up|chained) (?:in|up|inside)\b",
    r"\b(?:locked|lock|locking) (?:" + _THEM + r") (?:in|up|inside)\b",
    r"\b(?:tienen|tiene) (?:encerrad[oa]s?|amarrad[oa]s?) a\b|\b" + _A_THEM
    + r" tienen encerrad[oa]s?\b",
    r"\b(?:hitting|beating|choking|raping|stabbing|strangling|kicking|hurting|attacking) "
    + _THEM + r"\b",
    r"\b(?:going to|gonna|about to|will|is going to|wants to|trying to) (?:kill|hurt|rape|shoot|"
    r"stab|beat) " + _THEM + r"\b",
    r"\b(?:le|les) (?:esta|estan) (?:pegando|golpeando|haciendo dano|lastimando)\b",
    r"\b(?:va|van|quiere|quieren) a (?:matar|pegar|golpear|violar|lastimar) a\b",
    r"\b(?:esta|estan) (?:pegando|golpeando|violando|matando|ahorcando) a\b",
    r"\b(?:la|lo|los|las) (?:esta|estan) (?:pegando|golpeando|violando|matando|ahorcando)\b",
    r"\b(?:la|lo|las|los) (?:van|va) a matar\b",
]

_PLACE_WORD = (
    r"(?:motel|hotel|room|rm|cuarto|habitacion|basement|sotano|trailer|warehouse|bodega|garage|"
    r"garaje|truck|troca|van|trunk|cajuela|apartment|apt|apartamento|depa|casa|house|closet|"
    r"container|barn|granero|shed)"
)
_PLACE = [
    r"\bno (?:me|nos) (?:dejan|deja) salir\b.*\b(?:calle|numero|cuarto|habitacion|motel|hotel|"
    r"apartamento|depa|\d{1,5})\b|\b(?:calle|numero|cuarto|habitacion|motel|hotel|apartamento|"
    r"\d{1,5})\b.*\bno (?:me|nos) (?:dejan|deja) salir\b",
    r"\b(?:im|i am|we are|were|estoy|estamos|me tienen|nos tienen|keeping me|keep me|holding me)"
    r" (?:in|at|en) (?:a |an |the |el |la |un |una |este |esta |this )?(?:\w+ )?" + _PLACE_WORD
    + r"\b.*\b(?:wont let|cant leave|cant get out|locked|not let|help|no me dejan|no puedo salir|"
    r"encerrad\w*|ayuda|auxilio|come|ven|vengan)\b",
    r"\b(?:room|rm|cuarto|habitacion|apt|apartment|apartamento) ?#? ?\d+\b.*\b(?:help|ayuda|"
    r"locked|wont let|come|send|no me dejan|encerrad\w*|auxilio)\b",
    r"\b(?:help|ayuda|auxilio|send (?:someone|police|help)|manden (?:a alguien|ayuda|policia))\b"
    r".*\b(?:\d{2,5} [a-z]+ (?:st|street|ave|avenue|rd|road|blvd|dr|drive|calle|ln|lane|way)|"
    r"room \d+|cuarto \d+|motel|hotel)\b",
    r"\b\d{2,5} [a-z]+ (?:st|street|ave|avenue|rd|road|blvd|dr|drive|ln|lane|way)\b.*\b(?:help|"
    r"ayuda|locked|wont let|no me dejan|come|vengan)\b",
]

_ON_THE_WAY = [
    r"\b(?:on (?:his|her|their|the|my) way|coming (?:for|to get|after) (?:me|us|her|him)|"
    r"coming (?:here|back) (?:now|tonight|today|to hurt|to kill|with)|almost here|outside my door"
    r"|at my door|outside (?:the|my) (?:house|room|door))\b",
    r"\b(?:ya viene|ya vienen|viene(?:n)? (?:por|x) (?:mi|nosotr[oa]s)|viene(?:n)? para aca|"
    r"viene(?:n)? a (?:matarme|por mi|buscarme|pegarme|llevarme)|(?:esta|estan) en camino|"
    r"(?:esta|estan) afuera|afuera de mi (?:puerta|casa|cuarto)|esta llegando|estan llegando)\b",
    r"\b(?:by|before|until|til|till) (?:tonight|today|midnight|(?:\d{1,2}(?::\d\d)? ?"
    r"(?:pm|am|oclock|today|tonight)?))\b.*\b(?:or|else|kill|hurt|coming|come)\b",
    r"\b(?:para|antes de) (?:hoy|esta noche|la noche|medianoche|las \d{1,2})\b.*\b(?:o |si no|"
    r"matar|viene|vienen|pegar)\b",
    r"\b(?:if i dont|if i do not|unless i)\b.*\b(?:tonight|today|by \d)\b.*\b(?:kill|hurt|"
    r"coming|beat)\b",
    r"\bsi no (?:pago|le pago|hago|regreso|vuelvo)\b.*\b(?:hoy|esta noche)\b.*\b(?:matar|pegar|"
    r"viene|vienen|lastimar)\b",
]

_HIDING = [
    r"\b(?:im|i am|we are|were|i m) hiding\b|\bhiding (?:in|from|under|behind)\b",
    # round 6: heard searching nearby
    r"\b(?:i )?(?:can )?hear (?:them|him|her|someone|people) (?:in the \w+ |outside |upstairs |"
    r"downstairs )?(?:looking|searching|going room to room)\b",
    r"\b(?:they are|theyre|they re|hes|he is|shes|she is|people are) (?:looking|searching) for "
    r"(?:me|us)\b",
    r"\b(?:me|nos) (?:estoy|estamos) escondiendo\b|\bestoy escondid[oa]\b|\bescondid[oa]s? "
    r"(?:en|de|debajo|detras)\b",
    r"\b(?:me|nos) (?:estan|esta|andan|anda) buscando\b",
    r"\b(?:me|nos) (?:estan|esta|andan|anda|vienen) (?:siguiendo|persiguiendo)\b|"
    r"\b(?:following|chasing|stalking) (?:me|us)\b",
    # round 4: where they hide, said without "hiding"
    r"\b(?:lying|laying|crouching|crouched|ducking|ducked) (?:flat |down |low )?"
    r"(?:in|under|behind)\b|\b(?:agachad[oa]|tirad[oa] en el (?:monte|pasto|campo))\b|"
    r"\b(?:im|i am|i m|were|we are|stuck) (?:\w+ )?(?:under|behind|inside) (?:the|a|my|this) "
    r"(?:bed|table|desk|truck|car|van|trailer|counter|stairs|bushes|dumpster|shed)\b|"
    r"\b(?:estoy|estamos) (?:metid[oa]s? )?(?:debajo|abajo|detras|atras) de (?:la|el|una|un) "
    r"(?:cama|mesa|carro|troca|camioneta|trailer|traila|escalera|arbustos)\b|"
    r"\b(?:me meti|estoy metid[oa]|nos metimos) (?:en|debajo de) (?:el|la) (?:closet|ropero|"
    r"bano|cama)\b",
]

_LOST = [
    r"\bno conozco (?:este|el|ese) (?:lugar|sitio|pueblo|ciudad|barrio)\b|"
    r"\bme (?:trajeron|llevaron) (?:de noche|dormida|dormido|vendad[oa]|drogad[oa])\b|"
    r"\b(?:dont|do not) recogni[sz]e "
    r"(?:this|the) (?:place|area|town)\b|\bblindfold\w*\b",
    r"\b(?:dont|do not|dunno|no) know where (?:i am|im|we are|they took|i m)\b",
    r"\b(?:dont|do not|dunno|no) know (?:what|which) (?:city|town|state|place|house)\b",
    r"\bno (?:se|sabemos) (?:en )?(?:que|cual) (?:ciudad|pueblo|lugar|estado|casa)\b",
    r"\bidk where (?:i am|im)\b|\bno idea where (?:i am|im|we are|i m)\b",
    r"\bno (?:se|sabemos|se ni) (?:donde|en donde|adonde|a donde) "
    r"(?:estoy|estamos|me trajeron|me llevaron)\b",
    r"\b(?:took|brought|drove|moved) (?:me|us) (?:somewhere|to a place|to another)\b",
    r"\bme (?:llevaron|trajeron|movieron) (?:a un lugar|a otro lugar|a otra casa|lejos)\b",
]

_MEDICAL = [
    r"\bheart attack\b|\bstroke\b|\bseizure\b|\bconvuls\w*\b|\bchest pain\b|\bcant stop bleeding\b",
    r"\b(?:lot of|so much|losing|lots of) blood\b|\bmucha sangre\b|\bno para de sangrar\b",
    r"\bataque (?:al corazon|cardiaco|de epilepsia)\b|\bdolor (?:fuerte )?de pecho\b|"
    r"\bderrame cerebral\b",
    r"\b(?:broken|broke) (?:my|her|his) (?:arm|leg|ribs|neck)\b|\bme (?:rompio|quebro) "
    r"(?:el|la|las) (?:brazo|pierna|costillas)\b",
    r"\bpregnant\b.*\b(?:bleeding|blood|pain|hit)\b|\bembarazada\b.*\b(?:sangr\w*|dolor|pego|"
    r"golpe\w*)\b",
    r"\b(?:ambulance|ambulancia)\b",
    r"\b(?:me desmaye|se desmayo|me voy a desmayar)\b",
]

# Round 3: acute symptoms said without "emergency" or "bleeding" (the body, not the cause).
_MEDICAL += [
    r"\b(?:throat|tongue|lips|face) (?:is |are |keeps )?(?:closing|swelling|swollen)\b|"
    r"\bse me (?:esta )?(?:cerrando|hinchando) la (?:garganta|lengua|cara)\b|\bno puedo tragar\b",
    r"\b(?:fainted|collapsed)\b|\b(?:se|me) (?:desmayo|desmaye|cayo desmayad[oa])\b",
    r"\bchest (?:is |feels )?(?:so |really )?(?:tight|hurts|pain|pressure)|\bchest hurts\b|"
    r"\b(?:left )?arm (?:is |went |feels )?(?:numb|weak|dead)\b|\bme duele (?:mucho )?el pecho\b|"
    r"\bdolor (?:fuerte |muy fuerte )?en el pecho\b|\bse me duerme el brazo\b",
    r"\b(?:fever|fiebre)\b.*\b(?:limp|wont wake|no reacciona|casi no reacciona|no despierta|"
    r"cant stand|no me puedo parar|no puedo ni pararme|ya no puedo)\b|\b(?:is|went) limp\b",
    r"\b(?:broken|broke|rompi|quebre|quebro)\b.*\b(?:cant (?:get up|stand|move|walk)|"
    r"no (?:me )?puedo (?:levantar|parar|mover|caminar)|chueco)\b|"
    r"\b(?:cant|can not|cannot) (?:stand up|get up|move my (?:legs?|arms?|body)|"
    r"feel my (?:legs|arms|face|body))\b|\bno puedo mover (?:la|el|las|los|mi|mis) "
    r"(?:pierna|brazo|piernas|brazos|cuerpo)\b|\bno (?:mueve|siento|siente) (?:las|los|mis|sus) "
    r"(?:piernas|brazos)\b",
    r"\b(?:crushed|cut off|sliced off|took off|chopped off|ripped off) (?:my |his |her |part of "
    r"(?:my |his |her )?|two |some )?(?:fingers?|hand|toes?)\b|"
    r"\b(?:me|le) (?:corto|aplasto|arranco) (?:los |dos |tres |un |el |la )?(?:dedos?|mano)\b|"
    r"\bmaquina me (?:agarro|jalo|atrapo)\b",
    r"\bskin (?:is )?(?:coming|peeling|falling) off\b|\bse me (?:esta )?cayendo la piel\b|"
    r"\bpiel abierta\b|\b(?:boiling|burning hot) (?:oil|water)\b|\b(?:aceite|agua) hirviendo\b",
    r"\basthma attack\b|\bataque de asma\b|\bno inhaler\b|\bno tengo (?:mi )?inhalador\b",
    r"\b(?:vomiting|throwing up|puking|vomitando) (?:blood|sangre)\b|"
    r"\b(?:hit (?:his|her|my) head|(?:golpe\w*|pegaron) (?:en )?la cabeza)\b.*\b(?:vomit\w*|"
    r"throwing up|confused|dizzy|mareado|vueltas|passed out)\b",
    r"\bheart (?:is )?(?:racing|pounding|going crazy|beating (?:so |really )?fast)\b|"
    r"\b(?:el )?corazon se me sale\b|\bcorazon (?:muy )?acelerado\b",
    r"\b(?:turning|turned|going|lips are|lips) (?:blue|purple|gray|grey)\b|"
    r"\bse (?:esta )?poniendo (?:morad[oa]|azul)\b|\blabios morados\b",
    r"\b(?:insulin|insulina)\b.*\b(?:days|ran out|took|no|quitaron|sin|shaking|tiemblo|"
    r"confused|blurry|weird)\b",
    r"\b(?:water broke|se me rompio la fuente|rompi fuente|contracciones)\b|"
    r"\bpregnant\b.*\bcramps\b|\bembarazada\b.*\bcolicos\b",
    r"\bfoaming at the mouth\b|\bechando espuma\b|\bheat ?stroke\b|\bgolpe de calor\b|"
    r"\b(?:stopped|not) sweating\b|\bya no sudo\b",
    r"\b(?:shaking|temblando|tiembla|tiemblo)\b.*\b(?:blurry|borroso|vomit\w*|throwing up|"
    r"cant see|confused|cant stand)\b",
    r"\bno para (?:de salir )?(?:la )?sangre\b|\bwont stop bleeding\b",
]

# Round 3: held without a danger word: in a trunk, not let out of a named place, coming soon.
_PLACE += [
    r"\b(?:in|inside) (?:the |a )?trunk\b|\b(?:en|dentro de) la cajuela\b",
    r"\b(?:stuck|trapped|shut) in (?:a |the )?locked\b|\b(?:wont|will not|doesnt) stop the "
    r"(?:car|truck|van)\b|\bno para (?:el|la) (?:carro|troca|camioneta|van)\b",
    r"\b(?:stuck|trapped) in (?:his|her|their|the|a|this) (?:apartment|house|room|place|trailer|"
    r"basement|car|truck)\b.*\b(?:wont let|cant (?:get )?out|locked)\b",
    r"\b(?:wont|will not|doesnt|dont) let (?:me|us|her|him|them) (?:out|leave|go)(?: of)? "
    r"(?:the |his |her |their |this )?(?:room|cab|car|truck|van|apartment|apt|place|"
    r"basement|trailer|hotel|motel)\b",   # "...out of the house" alone: a disclosure, the check
    r"\bno (?:me|nos|la|lo|las|los) (?:deja|dejan) (?:salir|bajar|irse|irme|ir) (?:de|del) "
    r"(?:la |el |su |este |esta )?(?:cuarto|carro|troca|camion|departamento|depa|hotel|"
    r"motel|sotano|trailer|bodega)\b",
]
_ON_THE_WAY += [
    r"\b(?:llega|llegan|viene|vienen|estara|estaran) (?:aqui )?en (?:media hora|una hora|"
    r"\d+ ?(?:min|minutos)|un rato) (?:por (?:mi|nosotr\w+)|a buscarme|a llevarme)\b|"
    r"\b(?:be|get|come) (?:here|back) in (?:an hour|half an hour|\d+ ?(?:min|mins|minutes))\b.*"
    r"\b(?:to get|for|to take) (?:me|us)\b",
]
# Being moved against one's will, today: "taking me to another state tonight".
_ON_THE_WAY += [
    r"\b(?:take|taking|move|moving|send|sending|drive|driving|llevar|llevarme|llevarnos|mover|"
    r"movernos|mandar|mandarme|mandan|llevan|mueven)(?: me| us)? (?:to|a) (?:another|a new|a "
    r"different|otro|otra) (?:city|state|town|place|house|ciudad|estado|lugar|pueblo|casa|campo)\b"
    r".*\b(?:tonight|today|midnight|now|rn|esta noche|hoy|ahorita|manana temprano|dont want|"
    r"no quiero|a la fuerza)\b|\b(?:tonight|midnight|esta noche|hoy|ahorita)\b.*"
    r"\b(?:take|taking|move|moving|llevar|llevarme|mover|llevan|mueven)(?: me| us)? (?:to|a) "
    r"(?:another|otro|otra) (?:city|state|town|ciudad|estado|lugar)\b",
]
_TONIGHT += [
    r"\b(?:is|es|sera) (?:my|mi) (?:last|ultima) (?:night|day|noche|dia)\b|\bmy last night\b",
]

_SPANGLISH = [
    r"\b(?:me|nos) (?:tienen|tiene) (?:locked|trapped)\b",
    r"\bestoy (?:locked|trapped)\b",
    r"\b(?:ayuda|ayudame|auxilio) (?:please|pls|plz|now|help)\b",
    r"\b(?:help|please|pls) (?:ayuda|ayudame|auxilio)\b",
    r"\b(?:he|she|they) (?:tiene|tienen) (?:un |una )?(?:arma|pistola|cuchillo|gun|knife)\b",
    r"\b(?:el|ella|ellos) (?:has|have) (?:a )?(?:gun|knife)\b",
    r"\b(?:me|nos) (?:esta|estan) (?:hitting|beating)\b",
]

# Round 5 (issue 10): classes from set6 (a development set now), in patterns of our own.
# A weapon drawn now, armed men close by, held in a stash house or a shed.
_EN += [
    r"\b(?:has|had|got|pulled|took|takes|pulls|whipped) (?:a |an |his |her |the |their )?"
    r"(?:gun|knife|pistol|machete|rifle) out\b|\b(?:gun|knife|pistol) (?:is )?out\b",
    r"\b(?:armed|with guns) (?:men|man|guys?|people) (?:are |is )?(?:outside|nearby|close|"
    r"at the door|around|walking around|right there)\b|\ban armed (?:man|guy) (?:at|by|outside)\b",
]
_ES += [
    r"\b(?:hombres?|tipos?|gente|vatos|batos) armad[oa]s? (?:andan|anda|estan|esta|hay) "
    r"(?:cerca|afuera|aqui|alla|en la puerta|rondando)\b|\b(?:hombre|tipo) armado (?:en|a) "
    r"la (?:puerta|entrada)\b|\bhay (?:un|unos) (?:hombres?|tipos?) armad[oa]s?\b",
]
_PLACE += [
    r"\b(?:estoy|estamos|me tienen|nos tienen|me trajeron|nos trajeron) (?:en|a) (?:una |la )?"
    r"casa de seguridad\b|\bstash house\b",
    r"\b(?:me|nos) tienen (?:aqui |en (?:un|una|el|la|este|esta) \w+)\b.*\b(?:armad\w*|pega\w*|"
    r"golpe\w*|ayud\w*|no (?:me|nos) dejan|puerta|encerr\w*|cadena\w*|candado)\b",
    r"\b(?:pusieron|puso|tienen|tiene|hay) (?:una |unas )?(?:cadenas?|candados?) (?:en|a) la "
    r"puerta\b|\b(?:chained|padlocked) the door\b|\bchains? on the door\b",
    r"\bno (?:me|nos|la|lo|las|los) (?:deja|dejan) (?:salir|bajar|irse|irme|ir) (?:de|del) "
    r"(?:la |el |su |este |esta )?(?:truck|van|camioneta|auto|coche|bus|trailer|traila|barco|"
    r"lancha)\b",
    r"\b(?:carro|troca|camioneta|van|car|truck|auto|coche)\b.*\bno (?:la|lo|las|los|me|nos) "
    r"(?:deja|dejan|quiere dejar|quieren dejar) (?:bajar|salir)\b",
    r"\b(?:in|inside) the back of (?:a|the|his|their) (?:van|truck|car|suv)\b.*\b(?:took my phone|"
    r"moving|driving|dont know|locked|wont let)\b",
]
_JUST_HAPPENED += [
    r"\b(?:wont|will not|doesnt|dont) let (?:me|us|anyone|nobody) (?:leave|go|out|get out)\b.*"
    r"\b(?:punch\w*|slap\w*|kick\w*|chok\w*|beat\w*|hit)\b|\b(?:punch\w*|slap\w*|kick\w*) "
    r"(?:the|a|one|some) (?:guy|man|woman|girl|worker)\b.*\b(?:tried to (?:leave|go)|wont let)\b",
]
_OTHER_PERSON += [
    r"\b(?:la|lo|los|las) (?:oigo|escucho|oimos|escuchamos) (?:pedir ayuda|pidiendo ayuda|gritar|"
    r"gritando|llorar|llorando)\b|\b(?:hear|heard|hearing|can hear) (?:her|him|them|a (?:girl|"
    r"kid|child|woman|boy|baby)) (?:screaming|crying for help|yelling for help|begging|"
    r"calling for help)\b",
    r"\b(?:just )?(?:took|taken|picked up|grabbed) (?:her|his|my|their|a) (?:\d+ ?(?:yr|year)s?"
    r"(?: old)? |little |teen |teenage |young )?(?:daughter|son|kid|girl|boy|sister|niece|nephew)"
    r"\b.*\b(?:wont answer|not answering|no contesta|cant reach|for a job|para trabajar|scared)\b",
]
_LOST += [
    r"\b(?:were|we are|im|i am|they are|theyre) (?:moving|driving)\b.*\b(?:dont|do not|no) "
    r"know where\b|\b(?:dont|do not) know where (?:were|we are|they are|theyre|hes|he is) "
    r"(?:going|headed|taking)\b|\bno se (?:a )?(?:donde|adonde) (?:vamos|me llevan|nos llevan)\b",
]
_ON_THE_WAY += [
    # being taken somewhere one did not agree to
    r"\b(?:taking|driving|moving|sending|llevando|llevan|lleva) (?:me|us|nos|me) (?:to|a) "
    r".{0,30}\b(?:another|otro|otra|a different) (?:city|state|town|ciudad|estado|pueblo)\b.*"
    r"\b(?:didnt agree|did not agree|dont want|against my will|no acepte|no quiero|"
    r"should i run|corro)\b",
    # ransom: pay or they kill / cut / sell
    r"\bsi no (?:\w+ ){0,3}(?:manda|mando|mandan|mandamos|pago|paga|pagan|pagamos|deposit\w*|"
    r"transfier\w*|envia\w*)\b.*\b(?:mata|matan|matar|cortan|corta|cortar|desaparece\w*|vender|"
    r"venden|vende)\b|\b(?:if|unless) (?:we|i|my family|they|you|u) (?:dont |do not )?"
    r"(?:send|pay|wire)\b.*\b(?:kill|hurt|cut|sell)\b|\b(?:ransom|rescate)\b",
]
_TONIGHT += [
    # a death threat for whoever talks or complains, with a time or a weapon
    r"\b(?:el que|quien|la que|whoever|anyone who|the one who) (?:\w+ ){0,3}(?:se muere|"
    r"se va al agua|lo matan|lo tiran|aparece en el rio|dies|gets killed|gets shot)\b.*"
    r"\b(?:esta noche|hoy|ahorita|tonight|today|cuchillo|pistola|arma|knife|gun)\b|"
    r"\b(?:esta noche|hoy|ahorita|tonight|today|cuchillo|pistola|arma|knife|gun)\b.*"
    r"\b(?:el que|quien|whoever|anyone who) (?:\w+ ){0,3}(?:se muere|se va al agua|lo matan|"
    r"dies|gets killed)\b",
]
_SELF_HARM += [
    r"\bgoodbye (?:letter|note|notes|text|video)\b|\bcarta de adios\b",
    r"\b(?:usarla|usarlo|use it|use them) (?:en|on|contra) (?:mi|myself|me|my self)\b",
    r"\bno vale la pena (?:vivir|seguir viviendo|seguir con vida)\b|\b(?:not worth|no point in|"
    r"no point) living\b|\blife (?:isnt|is not|aint) worth (?:living|it)\b",
    r"\bmejor me muero\b|\bprefiero (?:morir|morirme|estar muert[oa])\b|"
    r"\bi(?:d| would) rather (?:die|be dead)\b",
    r"\bbetter (?:off )?(?:if i(?:m| was| were)? )?dead\b.*\b(?:knife|pills|gun|rope|blade|"
    r"how|plan|tonight)\b|\b(?:knife|pills|gun|rope|blade)\b.*\bbetter (?:off )?"
    r"(?:if i(?:m| was| were)? )?dead\b",
    r"\b(?:lista|listo) para irme\b.*\b(?:vivir|vida|morir|muert\w*)\b|"
    r"\b(?:vivir|vida|morir|muert\w*)\b.*\b(?:lista|listo) para irme\b",
]

# Round 5b (issue 10): self-harm classes from set7, in patterns of our own: a plan
# decided, "should just do it" beside the means, throwing oneself from a height said in
# the present, the means in hand in Spanish, a letter and a last night, sleeping forever.
_SELF_HARM += [
    r"\b(?:alive|live|living|die|dead|kill|muero|mato|morir|matarme|tiro|aviento|vida|vivir)\b"
    r".*\b(?:decided how|already decided|ya lo decidi|ya (?:tengo|lo tengo) todo listo|"
    r"tengo todo listo|have a plan|tengo un plan|ya se como)\b",
    r"\b(?:gun|pills|rope|knife|blade|pistola|pastillas|soga|cuerda|navaja)\b.*\b(?:should "
    r"(?:just )?do it|just do it|do it tonight|hacerlo ya|lo voy a hacer|deberia hacerlo)\b",
    r"\bme (?:tiro|aviento|lanzo|echo|avente) (?:del|de la|por la|desde|al|a la)\b",
    r"\b(?:pistola|arma|pastillas|cuchillo|navaja|soga|cuerda|gun|pills)\b.*\b(?:la|lo|las|los) "
    r"tengo en la mano\b|\bya la tengo en la mano\b",
    r"\b(?:deje|escribi|dejo|le deje|le escribi) (?:una |la |mi )?carta\b.*\b(?:ultima|adios|"
    r"perdon|para siempre|despedida)\b|\b(?:left|wrote) (?:a |my )?(?:letter|note) (?:for|to) "
    r"(?:my )?\w+\b.*\b(?:last night|last day|goodbye|forever)\b",
    r"\b(?:dormirme|dormir|me duermo) para siempre\b|\bsleep forever\b|\bnever wake up again\b",
    r"\b(?:junte|he juntado|estoy juntando|guarde|guardando) (?:las |mis |unas )?(?:\w+ )?"
    r"pastillas\b",
]

# Round 5b (issue 10): emergency classes from set7.
_JUST_HAPPENED += [
    r"\b(?:banging|pounding|kicking) on (?:my|the) door\b|\b(?:break|kick|bust) (?:it|the door|"
    r"my door) (?:down|in)\b|\b(?:tumbar|tumba|romper|rompe) la puerta\b",
    r"\blocked (?:in|inside) the back of (?:a|the|his|their)\b",
]
_OTHER_PERSON += [
    r"\b(?:got|were|was|just got|just been) (?:pushed|shoved|thrown|forced|dragged|pulled) "
    r"(?:in|into) (?:the back of )?(?:a|the|his|their|an) (?:\w+ )?(?:car|van|truck|suv)\b",
]
_ON_THE_WAY += [
    r"\b(?:being|getting|gonna be|going to be) (?:moved|taken|sent)\b.*\b(?:tonight|midnight|today|"
    r"now|in the morning)\b|\b(?:nos|me) (?:van a|quieren) (?:mover|llevar|sacar)\b.*\b(?:esta "
    r"noche|hoy|medianoche|ahorita|en la madrugada)\b",
    r"\b(?:esta|estan|anda|andan) (?:\w+ ){0,3}(?:afuera|en el estacionamiento|en la entrada|abajo|"
    r"en el parking)\b.*\besperandome\b|\bwaiting for me (?:outside|in the parking lot|downstairs|"
    r"out front)\b",
]
_PLACE += [
    r"\b(?:uber|lyft|taxi|cab|carro|car|truck|troca|van)\b.*\bno (?:me|nos) (?:deja|dejan) "
    r"(?:bajar|salir)\b|\b(?:wont|will not) let (?:me|us) (?:out|off)\b.*\b(?:uber|lyft|taxi|cab|"
    r"car|truck|van|highway|route|freeway)\b",
]
_MEDICAL += [
    r"\b(?:toser|tosiendo|toso|escupiendo|escupo) sangre\b|\bcough(?:ing)? (?:up )?blood\b",
    r"\b(?:cloro|quimico|quimicos|chemical|chemicals|bleach|acid|acido)\b.*\b(?:en los ojos|in my "
    r"eyes|in his eyes|in her eyes)\b|\b(?:no veo nada|cant see anything|i cant see)\b.*\b(?:arden|"
    r"burn\w*|quimico|chemical|cloro|bleach)\b",
    r"\b(?:ampollas|blisters)\b.*\b(?:temblando|shaking|grandes|grandotas|huge|big)\b|"
    r"\b(?:hirviendo|boiling)\b.*\b(?:ampollas|blisters|temblando|shaking)\b",
]

# Round 7 (issue 10): classes from set11, in patterns of our own.
_PLACE += [
    # a plea beside a lodging or a room number, in either order; "won't let me go" there
    r"\b(?:help|ayuda|ayudame|ayudeme|ayudenme|ayudanos|auxilio|socorro|sos)\b.*\b(?:room|rm|"
    r"cuarto|habitacion|apt|apartment|apartamento) ?#? ?\d+\b|\b(?:inn|motel|hotel|lodge)\b.*"
    r"\b(?:ayudenme|ayudame|ayudeme|help me|auxilio|socorro)\b",
    r"\b(?:motel|hotel|cuarto|habitacion|casa|depa|apartamento|trailer|bodega)\b.*\bno (?:me|nos) "
    r"(?:deja|dejan|quiere dejar|quieren dejar) (?:irme|irnos|ir|salir)\b|\bno (?:me|nos) "
    r"(?:deja|dejan) (?:irme|irnos|salir)\b.*\b(?:motel|hotel|cuarto|habitacion)\b",
]
_JUST_HAPPENED += [
    # violence that goes on: "still hitting me", "me sigue pegando"
    r"\b(?:still|keeps|keep|wont stop|doesnt stop|not stopping) (?:hitting|beating|choking|kicking|"
    r"punching|hurting|slapping) (?:me|us|her|him|them)\b|\b(?:me|nos|la|lo) (?:sigue|siguen) "
    r"(?:pegando|golpeando|pateando|ahorcando|lastimando|violando)\b|"
    r"\bno (?:deja|dejan|para|paran) de (?:pegarme|golpearme|pegarnos|golpearnos|pegarle|"
    r"golpearla)\b",
]
_LOST += [
    r"\b(?:woke|wake|waking) up (?:somewhere|in (?:a|some|this) (?:\w+ )?(?:place|room|house|"
    r"car|van|building|bed))\b.*\b(?:dont|do not|didnt|never) (?:know|recogni[sz]e|remember)\b|"
    r"\b(?:desperte|me desperte|amaneci) en (?:un|una|otro|otra) (?:\w+ )?(?:lugar|casa|cuarto|"
    r"carro|cama)\b.*\bno (?:conozco|se|me acuerdo|reconozco)\b",
]
_MEDICAL += [
    r"\b(?:took|taken|take|stole|hid|hide|threw out) (?:away )?(?:my|his|her) (?:insulin|inhaler|"
    r"heart (?:meds|pills|medicine)|seizure (?:meds|medicine))\b|\b(?:me|le) (?:quitaron|quito|"
    r"escondieron|tiraron) (?:mi|su|la) (?:insulina|inhalador|medicina del corazon)\b",
    r"\b(?:going to|gonna|about to|feel like (?:im|i am|i m) (?:going to|gonna|about to)|think "
    r"(?:im|i am) (?:going to|gonna)) (?:pass out|faint|black out)\b|\bsiento que me (?:voy a )?"
    r"desmay\w*\b|\bme estoy desmayando\b",
]
_OTHER_PERSON += [
    # a plea relayed: she texted me "help" and now does not answer
    r"\b(?:texted|sent|messaged|wrote|dmd|dm d|snapped|called) me "
    r"(?:saying |that |the word |just )?(?:help|sos|911|please help|ayuda|ayudame|auxilio)\b|"
    r"\bme (?:escribio|mando|texteo|envio|marco) (?:un mensaje )?(?:diciendo |que |nomas |solo )?"
    r"(?:ayuda|ayudame|auxilio|sos|help)\b",
]
_SELF_HARM += [
    r"\b(?:i have|ive got|i got|have|got|tengo|traigo) (?:\w+ ){0,2}(?:gun|pills|rope|knife|blade|"
    r"razor|pistola|pastillas|soga|cuerda|navaja)\b.*\b(?:thinking (?:about|bout|of|abt) (?:it|"
    r"doing it|using it)|pensando en (?:hacerlo|usarla|usarlo|eso))\b",
    r"\b(?:tonight|today) is the (?:night|day)\b.*\b(?:i stop|i end|i do it|it ends|i go|i finish|"
    r"im done)\b|\b(?:esta noche|hoy) es (?:la noche|el dia)\b.*\b(?:termino|acabo|lo hago|"
    r"se acaba|me voy|paro)\b",
    r"\b(?:family|familia|kids|hijos|wife|husband|esposa|esposo|mom|mama)\b.*\b(?:better off|"
    r"estarian mejor|estaria mejor)\b.*\b(?:without me|sin mi|insurance|seguro de vida)\b|"
    r"\bbetter off without me\b|\bmejor sin mi\b",
]

# Round 8 (issue 10): classes from set12, in patterns of our own.
_JUST_HAPPENED += [
    # held against one's will, said in the present
    r"\b(?:me|nos) (?:tienen|tiene) (?:aqui |aca |encerrad[oa]s? |retenid[oa]s? )?contra "
    r"(?:mi|nuestra) voluntad\b|\b(?:holding|keeping|have|got) (?:me|us) (?:here |in here )?"
    r"against (?:my|our) will\b|\b(?:im|i am|were|we are|i m) (?:being )?held (?:here )?"
    r"against (?:my|our) will\b",
    r"\b(?:vienen|viene) subiendo (?:las|la) escalera",
]
_TONIGHT += [
    r"\bno (?:salgo|salimos|saldre|saldremos) (?:de aqui |de aca )?(?:viv[oa]s?)\b",
]
_ON_THE_WAY += [
    # a threat with a deadline today, the condition in any order
    r"^(?=.*\b(?:if i dont|if i do not|if i dont go|unless i|if we dont|si no)\b)"
    r"(?=.*\b(?:today|tonight|hoy|esta noche)\b)(?=.*\b(?:pick\w* (?:them|her|him|my \w+) up|"
    r"tak\w* (?:them|her|him|my \w+)|grab\w* (?:them|her|him|my \w+)|hurt\w* (?:them|her|him|"
    r"my \w+)|kill\w* (?:them|her|him|my \w+)|recoger\w*|llevar\w*|matan|matar\w*|lastimar\w*|"
    r"come for (?:them|her|him))\b)",
    r"\b(?:estacionad[oa]s?|parad[oa]s?) (?:afuera|enfrente|en frente|aqui afuera)\b|"
    r"\bparked (?:outside|out front|across the street)\b",
    # followed, and the follower is waiting nearby
    r"\b(?:me (?:sigue|siguen|siguio|siguieron|esta siguiendo|estan siguiendo)|following me|"
    r"followed me)\b.*\b(?:esperando\w*|waiting|afuera|outside)\b",
]
_LOST += [
    # driven somewhere against one's will, now
    r"\b(?:driving|taking|moving|bringing) (?:me|us) (?:somewhere|away|to another (?:city|state|"
    r"place|house|town)|out of (?:state|town|the city))\b|\b(?:driving|taking) (?:me|us)\b.*"
    r"\b(?:took my phone|dont know where|do not know where|against my will|wont tell me where)\b|"
    r"\bme (?:estan|esta|van) llevando (?:a )?(?:otro lugar|otra ciudad|otro estado|lejos|"
    r"no se (?:a )?donde)\b",
]
_OTHER_PERSON += [
    # a child who just left with an unknown man
    r"\bjust (?:left|got in|went off|drove off|took off)\b.*\bwith (?:a|an|some|this|that) "
    r"(?:\w+ )?(?:man|guy|dude|stranger|older \w+)\b|\b(?:se acaba de (?:ir|subir)|se acaba "
    r"de salir|se (?:fue|subio) ahorita)\b.*\bcon (?:un|una|el|ese) (?:\w+ )?(?:senor|hombre|tipo|"
    r"desconocido|viejo|senora)\b",
]
_SELF_HARM += [
    # possessions given away "because I won't need them"
    r"\b(?:gave|giving|give|regale|estoy regalando|regalando) (?:away )?(?:all )?(?:my|mis) "
    r"(?:stuff|things|clothes|cosas|ropa)\b.*\b(?:wont need|dont need|no (?:las|los|la|lo) voy a "
    r"necesitar|ya no (?:las|los|lo|la) (?:necesito|voy a necesitar))\b|\bwhere im going\b.*"
    r"\b(?:wont need|dont need)\b",
    # at a height or on the tracks, said as the means
    r"\b(?:on|at|en|arriba de|arriba del) (?:the |el |la )?(?:roof|rooftop|top of|ledge|edge|"
    r"azotea|techo)\b.*\b(?:high enough|its high|tall enough|bastante alto|suficiente(?:mente)? "
    r"alto|jump|tirarme|aventarme)\b",
    r"\b(?:on|en) (?:the )?(?:train |railroad |rail )?tracks\b.*\b(?:train|comes|coming)\b|"
    r"\b(?:standing|sitting|parad[oa]|sentad[oa]|acostad[oa]) (?:on|en) (?:the |las )?(?:train "
    r"tracks|railroad|vias del tren|vias)\b",
    # the night chosen and the mind made up
    r"\b(?:tonight|today|hoy|esta noche) (?:is|es) (?:the night|the day|la noche|el dia)\b.*"
    r"\b(?:i decided|ive decided|i have decided|made up my mind|ya lo decidi|ya me decidi|"
    r"ya decidi)\b|\b(?:i decided|ive decided|made up my mind|ya lo decidi|ya me decidi)\b.*"
    r"\b(?:tonight|today|hoy|esta noche) (?:is|es) (?:the night|the day|la noche|el dia)\b",
    # "why go on", disappearing for good
    r"\bpara (?:que|q) (?:sigo|seguir|vivir|sigo viviendo)\b|\bwhats the point (?:of|in) "
    r"(?:living|going on|being alive)\b|\b(?:desaparecer|irme) (?:para|pa) siempre\b",
    r"\b(?:me tomo|tomarme|tomar|beber|beberme|tragar|drink|drinking|swallow) (?:todo|toda|all)"
    r" (?:el |la |of the |the )?(?:veneno|poison|cloro|bleach|pesticida|insecticida|raticida)\b",
]

# Round 8b (issue 10): classes from set13 (its first figures were taken before these).
_JUST_HAPPENED += [
    # every phone taken, one hidden: held now
    r"\b(?:took|taken|take|quitaron|quitan|nos quitaron|me quitaron) (?:all |todos )?(?:our|my|"
    r"the|los|nuestros|mis|el) (?:phones?|cells?|cell phones|celulares|telefonos|cel|celular)\b"
    r".*\b(?:hidden|hid|"
    r"hide|hiding|escondid\w*|escondi|a escondidas)\b|\b(?:hidden|hid|escondi|escondido) "
    r"(?:phone|cel|celular|telefono)\b.*\b(?:took|quitaron)\b",
    # a knife or a gun held by someone who is there now, a threat of not leaving alive
    r"\b(?:not|never|no) (?:walking|getting|going|leaving|walk|get|go|leave) (?:out )?"
    r"(?:of here )?alive\b|\bno (?:sales|vas a salir|sale|salgo) viv[oa]\b",
    r"\b(?:standing|waiting|sitting|pacing) (?:\w+ ){0,4}with (?:a|the|his|her) "
    r"(?:knife|gun|machete|bat|pistol)\b|\b(?:parado|esperando|sentado) (?:\w+ ){0,4}con "
    r"(?:un|una|el|la) (?:cuchillo|pistola|machete|bate)\b",
]
_LOST += [
    # made to travel, tonight, against one's will
    r"\b(?:making|forcing|make|force|made) (?:me|us) (?:get on|board|take|go on) (?:a|the) "
    r"(?:plane|flight|bus|boat|ship)\b|^(?=.*\b(?:putting|put|sending|send|shipping) (?:me|us) "
    r"on (?:a|the) (?:plane|flight|bus|boat|ship)\b)(?=.*\b(?:tonight|today|now|right now|"
    r"tomorrow morning)\b)|\b(?:me|nos) (?:obligan|quieren obligar|van a obligar) a "
    r"(?:subir\w*|ir\w*) (?:a|al|en) (?:un |el |la )?(?:avion|vuelo|camion|barco)\b|"
    r"\b(?:me|nos) (?:van a|quieren) (?:mandar|llevar|sacar) (?:a|de) (?:otro pais|mexico|"
    r"el pais)\b.*\b(?:hoy|esta noche|manana temprano|ahorita)\b",
]
_OTHER_PERSON += [
    # someone not let go, now; a call that cut off on blows and screams
    r"^(?=.*\b(?:wont|will not|doesnt|does not|dont) let (?:her|him|them|my \w+) (?:leave|go|"
    r"out|get out)\b)(?=.*\b(?:just|now|rn|right now|tonight|currently)\b)",
    r"^(?=.*\bno (?:la|lo|las|los) (?:deja|dejan|quiere dejar|quieren dejar) (?:salir|irse|ir)\b)"
    r"(?=.*\b(?:ahorita|ahora|acaba de|me acaba de|esta noche|en este momento)\b)",
    r"\b(?:se oian|se oyen|se escuchaban|se escuchan|escuche|oi) (?:\w+ ){0,2}(?:golpes|gritos)"
    r"\b.*\b(?:se corto|colgo|se colgo|se callo|ya no contesta)\b|\b(?:heard|could hear) "
    r"(?:\w+ ){0,3}(?:screaming|yelling|hitting|banging|crying)\b.*\b(?:hung up|cut off|went dead|"
    r"dropped|disconnected|not answering)\b",
]
_MEDICAL += [
    r"\b(?:insulina|insulin|inhalador|inhaler|medicina del corazon|heart meds)\b.*\b(?:temblando|"
    r"shaking|confundid\w*|confused|mareado|mareada|dizzy|no puedo respirar|cant breathe|"
    r"desmay\w*|passing out)\b",
]
_SELF_HARM += [
    r"\b(?:dying|death|being dead|dead) (?:seems|looks|sounds|would be|is|feels) (?:\w+ )?"
    r"(?:easier|better|like the only)\b|\bthinking (?:about |of |bout )?how (?:i would|id|i "
    r"could|to) do it\b|\bpensando (?:en )?como (?:lo )?(?:haria|hacerlo)\b",
    r"\b(?:crash|crashing|wreck|wrecking|drive|driving|drove) (?:the|my) (?:truck|car|van|rig) "
    r"(?:on purpose|into (?:a|the) (?:wall|tree|river|bridge|pole))\b|\b(?:estrellar|estrellarme|"
    r"chocar) (?:la|el|con la|con el) (?:troca|carro|camion|camioneta) (?:a proposito|adrede)\b",
    r"\b(?:no|dont|do not|cant|cannot) see (?:any|a|no) (?:other )?way out (?:except|but|other "
    r"than|besides) (?:dying|death|to die|ending it)\b|\bno (?:hay|veo) (?:otra )?salida "
    r"(?:mas que|que no sea|excepto|fuera de) (?:morir|la muerte|matarme)\b",
    r"\b(?:seria|estarian|estaria|seriamos) mejor (?:para todos |para ellos |para mi familia )?"
    r"si (?:yo )?(?:ya )?no (?:estuviera|existiera|viviera)\b|\bbetter (?:for everyone|for "
    r"everybody|for them|for my family) if i (?:wasnt|werent|was not|were not|wasn t) "
    r"(?:here|around|alive)\b",
    r"\b(?:escribi|deje|wrote|left|written) (?:la |una |mi |a |the |my )?(?:carta|letter|note) "
    r"(?:para|a|for|to) (?:mi |mis |my )?(?:familia|family|mama|mom|hijos|kids|mother)\b.*"
    r"\b(?:despues|later|after|when|mandar|send)\b",
    r"\b(?:on|at|en|arriba de|arriba del) (?:the |el |la )?(?:roof|rooftop|ledge|azotea|techo)\b"
    r".*\b(?:brincar|saltar|pensando en|thinking about|thinking of)\b",
]
_ON_THE_WAY += [
    # the deadline-today threat, more harms (burn, beat)
    r"^(?=.*\b(?:if i dont|if i do not|unless i|si no)\b)(?=.*\b(?:today|tonight|hoy|esta "
    r"noche)\b)(?=.*\b(?:quem\w*|burn\w*|beat\w*|pegar\w*|golpe\w*|me pega|me quema)\b)",
]

# Round 9 (issue 10): classes from set14 (its first figures were taken before these).
_HIDING += [
    # someone from "the job" at the desk or the door asking for the texter, who hides
    r"\b(?:is|are|s|re|esta|estan) (?:at|in|en) (?:the |la |el )?(?:front desk|lobby|reception|"
    r"recepcion|door|puerta|parking lot|estacionamiento)\b.*\b(?:asking|looking|preguntando|"
    r"buscando)\b|\basking (?:for|about) (?:my|me) (?:room|room number|cuarto)\b|"
    r"\bpreguntando (?:por|cual es) (?:mi|el numero de mi) cuarto\b",
]
_OTHER_PERSON += [
    # a whispered call for help from someone held, then the line went dead
    r"^(?=.*\b(?:call|line|llamada) (?:cut|dropped|went dead|se corto|se colgo)\b|.*\b(?:then|y) "
    r"(?:it|the call|la llamada)? ?(?:cut|se corto|colgo|went dead)\b)"
    r"(?=.*\b(?:wont let (?:her|him|them) (?:go|leave)|took (?:her|his|their) (?:phone|cell)|"
    r"whisper\w*|no (?:la|lo) (?:deja|dejan) (?:salir|irse)|le quitaron el (?:cel|celular|"
    r"telefono)|susurr\w*|bajito)\b)",
    # a child hit just now and being pulled away
    r"\b(?:acaba|acaban) de (?:pegar\w*|cachete\w*|golpe\w*|agarrar\w*|subir\w*|jalar\w*)\b.*"
    r"\b(?:jalando|llevando|subiendo|arrastrando)\b|\b(?:dragging|pulling|pushing) (?:him|her|"
    r"the (?:kid|boy|girl|child)) (?:into|toward|towards|to) (?:a|the|his) (?:car|truck|van)\b",
]
_LOST += [
    # put into the back of a closed vehicle that is moving now
    r"\b(?:me|nos) (?:metieron|subieron|aventaron|echaron) (?:a |en |atras de |adentro de )?"
    r"(?:la |una |el |un )?(?:parte de atras de (?:la |una )?)?(?:troca|camioneta|van|cajuela|"
    r"carro|camion|trailer|caja)\b|\b(?:they|he) (?:put|threw|shoved|forced|pushed) (?:me|us) "
    r"(?:in|into) (?:the back of )?(?:a|the|his|their) (?:van|truck|trunk|car|trailer)\b|"
    r"\b(?:vamos|estamos|we are|were) (?:en movimiento|moving|driving)\b.*\b(?:no se|dont know|"
    r"no dicen|wont say|bateria|battery|senal|signal)\b",
    # driven to another camp or place, not told where
    r"\b(?:nos|me) (?:llevan|estan llevando|van a llevar) (?:a )?(?:otro|otra|un|una) \w+\b.*"
    r"\bno (?:nos )?(?:dicen|sabemos|se) (?:a )?(?:donde|adonde)\b|\b(?:taking|driving|moving) "
    r"(?:us|me) (?:to )?(?:another|a new|some other) \w+\b.*\b(?:wont say|dont know|not telling)"
    r" where\b",
]
_MEDICAL += [
    # an allergic reaction closing the throat; asthma with no inhaler
    r"\b(?:allergic reaction|alergia|reaccion alergica|anaphyla\w*|bee sting|picadura)\b.*"
    r"\b(?:swell\w*|huge|hinchad\w*|cant swallow|can t swallow|no puedo tragar|throat|garganta|"
    r"epipen|cant breathe|no puedo respirar|lips|labios)\b",
    r"\b(?:asthma|asma)\b.*\b(?:no inhaler|without (?:my |an )?inhaler|sin (?:el |mi )?inhalador|"
    r"no tengo (?:el |mi )?inhalador|attack|ataque|no puedo|cant|cannot|can t)\b",
    # a deep cut pouring blood
    r"\b(?:pouring|gushing|squirting|spurting) (?:blood|out)\b|\bblood (?:everywhere|all over|"
    r"thru|through) (?:the )?(?:towel|rag|shirt|bandage)\b|\bsangre (?:por todos lados|"
    r"atraves del trapo)\b|\bno deja de salir sangre\b",
]
_SELF_HARM += [
    # asking for a method, the "easiest" way, whether it hurts
    r"\b(?:easiest|quickest|fastest|painless|least painful) way(?: to (?:die|go|do it|end it|"
    r"kill myself)| out)?(?:\s*[.!?]|\s*$)|\bdoes (?:hanging|drowning|bleeding out|an overdose|"
    r"overdosing|jumping) (?:hurt|take long)\b|\bhow many (?:pills|tylenol|advil|pastillas) "
    r"(?:does it take|would it take|to die|kill)\b|\b(?:la|cual es la) (?:forma|manera) mas "
    r"(?:facil|rapida) de (?:morir|matarme|acabar|hacerlo)\b|\b(?:duele|dolera) (?:ahorcarse|"
    r"colgarse|morir)\b",
    # a goodbye that is meant to be the last
    r"\b(?:doesnt|does not|didnt|dont|no) (?:know|sabe|supo) (?:it was|that it was|que era|q era) "
    r"(?:a |la |el )?(?:goodbye|despedida|the last|la ultima)\b|\b(?:my|mi) (?:last|ultimo|"
    r"ultima) (?:text|message|mensaje) (?:to anyone|a nadie|ever|de mi vida)\b|\bthis is my last "
    r"(?:text|message)\b|\beste es mi ultimo mensaje\b",
    # pills or starving on purpose
    r"\b(?:took|swallowed|tome|me tome|me trague) (?:a bunch|a lot|a handful|all|many|todas|"
    r"muchas|un punado|un monton)\b.*\b(?:on purpose|a proposito|adrede|to die|para morir)\b|"
    r"\b(?:sin comer|without eating|not eating|no eating|no he comido|no como|deje de comer|"
    r"stopped eating|havent eaten|have not eaten)\b.*\b(?:a proposito|on "
    r"purpose|adrede)\b.*\b(?:se acabe|end|die|morir|acabar)\b",
    # worthless, and alone with the means
    r"\b(?:no valgo nada|i am worthless|im worthless|im nothing|no sirvo para nada)\b.*"
    r"\b(?:cuchillo|knife|pastillas|pills|navaja|razor|soga|rope|pistola|gun)\b",
]

# Round 10 (issue 10): classes from set15 (its first figures were taken before these).
_DRUG = (r"(?:pills|pastillas|meds|medicine|medicinas?|oxys?|oxy\w*|percs?|percocets?|xanax|"
         r"xans|bars|fent\w*|tylenol|advil|ibuprofen\w*|sleeping pills|insulin\w*|clonazepam|"
         r"alprazolam|rivotril|clonas|diazepam|valium|pastillas para dormir|frasco|bottle)")
_SELF_HARM += [
    # the pills kept back, to be taken all at once
    r"^(?=.*\b" + _DRUG + r"\b)(?=.*\b(?:tak\w*|swallow\w*|gonna take|going to take) "
    r"(?:them|it|those|these) all\b|.*\b(?:me (?:lo|la|las|los) (?:quiero|voy a) (?:tomar|"
    r"tragar|beber)|tomarme(?:lo|la|las|los)) tod[oa]s?\b)",
    r"\bsav(?:ed|ing)\b.*\b" + _DRUG + r"\b.*\b(?:all|tod[oa]s?) (?:at once|de una|once|juntas)\b|"
    r"\b(?:frasco|bottle) (?:de |of )?(?:\w+ )?(?:abierto|open)\b.*\b(?:tomar|tomarme|take|"
    r"swallow|tragar)\b",
    # staring at the means, or shut in with it
    r"\b(?:rope|noose|cord|soga|cuerda|mecate|razor\w*|blades?|navajas?|cuchillas?|gun|"
    r"pistola|pills|pastillas)\b.*\b(?:staring at|looking at|cant stop looking|keep looking|"
    r"mirandola|mirandolo|viendola|viendolo|no dejo de ver)\b",
    r"\b(?:razor\w*|blades?|navajas?|cuchillas?|rope|soga|pills|pastillas)\b.*\b(?:locked|"
    r"encerrad[oa]|me encerre)\b.*\b(?:bathroom|bano|restroom|room|cuarto)\b.*\b(?:w|with|con)"
    r" (?:them|it|las|los|la|el|ellas)\b",
    # a crash on purpose
    r"^(?=.*\b(?:easier|better|on purpose|a proposito|tempted|ganas|quiero|wanna|want to|"
    r"thinking (?:about|of)|think about|pienso en|could just|should just)\b).*\b(?:driv\w*|"
    r"crash\w*|swerv\w*|steer\w*|wrap\w*) (?:my |the )?(?:car |truck |van )?(?:into|off) "
    r"(?:a |the |that )?(?:tree|wall|pole|bridge|cliff|river|semi|overpass|ditch|train)\b",
    r"\b(?:echarme|aventarme|estrellarme|tirarme|meterme|lanzarme) (?:contra|debajo de|abajo de|"
    r"bajo) (?:un|una|el|la) (?:poste|arbol|pared|muro|trailer|troca|camion|tren|barda)\b",
    # gone for good, better off without me, a plan
    r"\bdisappear\b(?:[ ,]+\w+){0,3}[ ,]+(?:forever|for good)\b|\bbetter off if i (?:was|were|"
    r"wasnt|werent|am|m) (?:gone|dead|here|around|alive|not here)\b|\b(?:everyone|everybody|"
    r"todos|todo el mundo)\b.*\b(?:better off|estarian mejor)\b",
    r"\b(?:planning|planeando) (?:how|como)\s*[.!?]*$|\bbeen planning (?:how|it|when)\b",
    # "kms", meant
    r"\b(?:gonna|going to|wanna|want to|about to|ima|imma|i will|ill|finna) kms\b",
    # the letter written so someone would know
    r"\b(?:escribi|deje|wrote|left)\b.*\b(?:carta|letter|note)\b.*\b(?:alguien supiera|alguien "
    r"sepa|someone (?:would )?know|somebody (?:would )?know|someone to know)\b",
    # thinking of dying and nearly did it
    r"\bpienso (?:mucho |mucho mucho |todo el tiempo )?en morir(?:me)?\b|"
    r"\b(?:morir\w*|matarme|die|dying|kill myself|suicid\w*|end it)\b.*\b(?:casi lo hago|casi lo "
    r"hice|almost did it|nearly did it|almost went through)\b",
    # it ends today; I'll do it myself first
    r"\b(?:hoy|esta noche|tonight|today) (?:se (?:termina|acaba)|(?:lo )?termino|it ends|i end "
    r"it)(?: todo| esto| everything)?\s*(?:[.!]|$)",
    r"\b(?:me matan|matarme|morir\w*|muert\w*|sentido|kill me)\b.*\bmejor (?:lo hago yo|me mato "
    r"yo|lo hago yo mism[oa])\b|\b(?:ill|i will|better) do it myself (?:first|before)\b",
]
_MEDICAL += [
    # a drink spiked, now
    r"\b(?:something|smth|sth|somethin|algo|drugs?|droga)\b.{0,20}\b(?:in|into|en) (?:my|her|"
    r"his|mi|su) (?:drink|cup|beer|soda|bebida|vaso|trago|cerveza|refresco|copa)\b|"
    r"\b(?:roofied|spiked) (?:me|her|him|my|her)\b|\bme (?:drogaron|pusieron algo)\b",
    r"\b(?:im|i am|i m|think im|she is|shes|he is|hes|i think i am) (?:od[- ]?ing|oding|"
    r"overdosing|having an overdose)\b|\bod-ing\b",
    # collapsed and not answering; heat stroke
    r"\b(?:se desplomo|se desmayo|se cayo|collapsed|passed out|fainted|dropped)\b.*\b(?:no "
    r"(?:contesta|responde|reacciona|despierta|habla)|wont (?:wake|respond|answer)|not "
    r"(?:responding|waking|answering|talking)|doesnt (?:respond|answer))\b",
    r"\b(?:ya no suda|dejo de sudar|stopped sweating|not sweating anymore)\b",
]
_JUST_HAPPENED += [
    # someone pounding on the door now (Spanish)
    r"\b(?:dandole|dando|pegandole|pegando) (?:de )?(?:golpes|patadas|madrazos|trancazos|"
    r"chingadazos) a la puerta\b|\b(?:golpeando|pateando|aporreando|tumbando) la puerta\b",
    # a door that does not open from inside, locked from outside
    r"\b(?:door|puerta)\b.{0,25}\b(?:no abre|doesnt open|wont open|dont open|no se abre|cant "
    r"open|no la puedo abrir) (?:de|desde|from(?: the)?) (?:adentro|dentro|inside)\b|"
    r"\b(?:locked|cerr\w*|tranc\w*|con llave) (?:from the outside|por fuera|desde afuera|por "
    r"afuera)\b",
    # an armed man at the only way out, nobody may leave
    r"\b(?:gun|rifle|shotgun|pistol|pistola|escopeta|arma|cuerno)\b.{0,40}\b(?:at|in|en|by|"
    r"junto a) (?:the |la |el )?(?:gate|door|exit|entrance|porton|puerta|entrada|salida|reja)\b|"
    r"\b(?:gate|door|porton|puerta|entrada|salida|reja)\b.{0,40}\b(?:gun|rifle|shotgun|pistol|"
    r"pistola|escopeta|arma|cuerno)\b",
]
_OTHER_PERSON += [
    # a person chained
    r"\b(?:chained|shackled|encadenad[oa]s?)\b(?!.*\b(?:desk|computer|laptop|escritorio|"
    r"phone|job)\b)",
    # not let come back, now
    r"\bno (?:la|lo|las|los) (?:deja|dejan|quiere dejar|quieren dejar) (?:regresar|volver|irse|"
    r"salir|venir)\b|\b(?:wont|will not|doesnt|does not|isnt) let(?:ting)? (?:her|him|them) "
    r"(?:come (?:back|home)|leave|go home|return|go)\b",
]
_ON_THE_WAY += [
    # handed or sold on to other men within hours
    r"\b(?:hand\w*|sell\w*|giv\w*|pass\w*|trad\w*|turn\w*) (?:me|us) (?:over )?to (?:the |some |"
    r"other |another |these |those )?(?:\w+ )?(?:crew|guys|men|man|people|group|boss|buyer|gang)\b"
    r".*\b(?:\d+ ?(?:hrs?|hours?|mins?|minutes)|an hour|tonight|today|when we (?:dock|land|arrive|"
    r"get there|stop))\b",
    r"\b(?:me|nos) (?:van a |va a |quieren )?(?:entregar|vender|pasar|dar)\w* (?:a|con) (?:otros|"
    r"otro|los|unos|esos|la otra|el otro)\b.*\b(?:hoy|esta noche|\d+ horas|una hora|en la noche|"
    r"cuando lleguemos)\b",
]
_TONIGHT += [
    # taken away tonight, not to come back
    r"^(?=.*\b(?:me|nos) (?:sacan|llevan|van a sacar|van a llevar|sacarian|llevarian)\b.*\b(?:hoy|"
    r"esta noche|en la noche|ahorita)\b|.*\b(?:taking|take) (?:me|us) (?:out |away )?(?:tonight|"
    r"today)\b)(?=.*\b(?:no regreso|no vuelvo|no regresamos|no volvemos|wont come back|never come "
    r"back|not coming back|no voy a regresar|no voy a volver)\b)",
]
_LOST += [
    # moved in the night and not knowing what state; held in a vehicle for hours
    r"^(?=.*\b(?:moved|took|taken|brought|drove|trajeron|llevaron|movieron|cambiaron|subieron)"
    r"\b)(?=.*\b(?:idk|i dont know|dont know|not sure|no se|ni se) (?:even )?(?:what|which|en "
    r"que|que) (?:state|city|town|estado|ciudad|pueblo)\b|.*\b(?:what|which) (?:state|city) "
    r"(?:even|we are|were|im)\b)",
    r"^(?=.*\b(?:van|truck|trailer|troca|camioneta|caja|trunk|camion)\b)(?=.*\b(?:since last "
    r"night|since yesterday|since this morning|for hours|\d+ hours|desde anoche|desde ayer|"
    r"horas)\b)(?=.*\b(?:been in|in here|aqui adentro|llevamos|encerrad\w*|where to (?:drop|take"
    r"|leave) us|donde (?:dejarnos|llevarnos))\b)",
]

GROUPS: dict[str, list[str]] = {
    "urgent": _EN + _ES,
    "just_happened": _JUST_HAPPENED,
    "tonight": _TONIGHT,
    "self_harm": _SELF_HARM,
    "other_person": _OTHER_PERSON,
    "place": _PLACE,
    "on_the_way": _ON_THE_WAY,
    "hiding": _HIDING,
    "lost": _LOST,
    "medical": _MEDICAL,
    "spanglish": _SPANGLISH,
}
_COMPILED = {group: [re.compile(p) for p in patterns] for group, patterns in GROUPS.items()}

# A time cue that keeps the danger present even beside an idiom or an old date.
PRESENT = re.compile(
    r"\b(?:right now|now|rn|tonight|today|at the moment|currently|this minute|hurry|asap|"
    r"on (?:his|her|their) way|(?<!hasta )ahora|ahorita|ya (?:viene|vienen|llego|llegaron|"
    r"esta aqui|estan aqui)|hoy|esta noche|en este momento|ahora mismo|"
    r"rapido|urgente|en camino)\b"
    # round 6: on the way back, with an hour given
    r"|\bviene de (?:regreso|vuelta)\b|\besta muy mal[ao]?\b"
    r"|\b(?:coming|be|b) back in (?:an?|\d+|one|two|a few|half) (?:an )?(?:hours?|hrs?|mins?|"
    r"minutes?)\b"
    r"|\b(?:not|isnt|no) breath\w*|\bbleeding\b|\bsangrando\b|\bno respira\b|\bcant breathe?\b"
    r"|\bno para (?:de salir )?(?:la )?sangre\b|\bmucha sangre\b"
    r"|\b(?:pouring|gushing|spurting) (?:blood|out)\b|\bblood (?:everywhere|thru|through)\b"
    r"|\bskin (?:is )?(?:coming|peeling|falling) off\b|\bse me (?:esta )?cayendo la piel\b"
    r"|\bturning (?:blue|purple)\b|\bthroat (?:is )?(?:closing|swelling)\b"
    r"|\bse me (?:esta )?cerrando la garganta\b|\bwont stop bleeding\b"
    r"|\b\d+ ?(?:min|mins|minutes) ago\b|\bhace (?:un ratito|\d+ ?min\w*)\b"
    # round 5: word that just came from the person in danger; bleeding that will not stop
    r"|\bnos vemos (?:en la|esta) noche\b|\bsee (?:you|u|ya) tonight\b"
    # round 8b: someone coming at an hour given; a deadline in hours; on their way there
    r"|\b(?:en|in) (?:\d+|dos|tres|una|two|three|an?) (?:horas?|hours?|hrs?)\b"
    r"|\bya (?:van|va) (?:pa|para) \w+"
    r"|\b(?:coming|here|comes|llega|viene|vienen|llegan) (?:at|by|a las|para las) \d{1,2}\b"
    r"|\b(?:just (?:sent|texted|called|messaged|wrote)|(?:me )?acaba de (?:escribir|mandar|"
    r"llamar|marcar))\b|\bno (?:para|deja) de sangrar\b|\bcant stop (?:the )?bleeding\b"
)

# "Now" in a narrow sense: said beside a danger word it makes an emergency (detector.py).
# Weaker than PRESENT on purpose ("today", "now" alone stay a possible danger).
NOW = re.compile(
    r"\b(?:right now|rn|tonight|tonite|ahorita|ahora mismo|en este momento|esta noche|just now|"
    r"\d+ ?(?:min|mins|minutes) ago|hace (?:un ratito|\d+ ?min\w*)|"
    r"(?:an|one|1|half an) (?:hour|hr) ago|hace (?:una|media) hora|"
    r"(?:is|are|esta|estan) (?:here|aqui) (?:to|para|pa)\b|"
    r"(?:hes|he is|shes|she is|theyre|they are|they r|el|ella|ellos) (?:still )?"
    r"(?:here|in the next room|downstairs|outside|out there|in the hall|at the door)|"
    r"(?:is|are|s|re) still (?:here|in the next room|downstairs|outside|in the house|out there)|"
    r"in (?:like |about )?\d+ ?(?:min|mins|minutes)|en (?:como )?\d+ ?minutos|ya mero llega|"
    r"ya casi llega|esta por llegar|(?:lo|la|me|nos|los|las) (?:acaba|acaban) de|"
    r"(?:sigue|siguen|esta|estan) (?:aqui|afuera|en la sala|en el cuarto de al lado|"
    r"en la puerta))\b"
    # ongoing, acute symptoms
    r"|\bskin (?:is )?(?:coming|peeling|falling) off\b|\bse me (?:esta )?cayendo la piel\b"
    r"|\bturning (?:blue|purple)\b|\bthroat (?:is )?(?:closing|swelling)\b"
    r"|\bse me (?:esta )?cerrando la garganta\b|\bwont stop bleeding\b"
    r"|\bno para (?:de salir )?(?:la )?sangre\b|\bcant feel my\b|\bno siento (?:las|los|mis)\b"
    r"|\bno (?:para|deja) de sangrar\b|\bcant stop (?:the )?bleeding\b"
)

# Idioms, jokes, a job's tools and a year long past: not emergencies (they feed screening).
# Laughter and "just kidding": a joke unless a strong cue says otherwise.
JOKE = re.compile(
    r"\b(?:lol|lmao|lmfao|rofl|haha\w*|hehe\w*|jk|jaja\w*|jeje\w*|xd|kidding|joking|bromeando|"
    r"es broma|de broma|cotorreo|cotorreando|vacilando|vacilon|es chiste|de chiste|"
    r"just playing|playing around|messing around|catchphrase|figure of speech|manera de hablar|"
    r"forma de hablar)\b|[\U0001F602\U0001F923\U0001F605\U0001F606\U0001F629\U0001F644]")
STRONG_PRESENT = re.compile(
    r"\b(?:right now|ahora mismo|en este momento|this minute|auxilio|socorro|911|ayudame|"
    r"ayudeme|ayudenme|ayudanme|ayudanos|ayudennos)\b"
    # "help" as a plea, not "people who help with past stuff" / "ayuda con papeles"
    r"|\b(?<!who )(?<!that )(?<!people )(?<!to )(?<!can )(?<!u )(?<!you )(?<!yall )help\b"
    r"(?! (?:with|for|people|victims|others|survivors|teens|kids|minors|immigrants|"
    r"workers|anyone|someone)\b)"
    r"|\b(?<!que )(?<!la )(?<!tu )(?<!su )(?<!por )ayuda\b(?! (?:con|para|a (?:las|los|"
    r"victimas|personas))\b)"
    r"|\b(?:not|isnt|no) breath\w*|\bbleeding\b|\bsangrando\b|\bno respira\b|\bcant breathe?\b")

# Idioms and everyday exaggeration: only a STRONG_PRESENT cue ("right now", "help",
# bleeding) overrides them; "today" / "hoy" is part of the idiom ("muerta de cansancio hoy").
IDIOMS = [re.compile(p) for p in [
    # idioms about a boss "killing" someone
    # ... "if I'm late": trivial conditions only ("...if I leave" is a real threat).
    r"\b(?:kill|murder|strangle|kills|murders) (?:me|us|you)\b.*\bif (?:i|im|we|were|you|youre|u)"
    r" (?:am |m |are |re )?(?:\w+ )?(?:late|miss|forget|break|broke|mess|screw|spill|burn|lose|"
    r"drop|eat|slow|touch|borrow|clock|dont finish|do not finish|dont clean|sleep in|oversleep|"
    r"use|skip|fail|"
    r"flunk|wreck|scratch)\b",
    r"\b(?:killing|murdering) (?:me|us)\b(?!.*\b(?:help|ayuda|now|ahora)\b)",
    r"\b(?:feet|back|legs|head|hands|shift|hours|job|work|heat|boss|commute|schedule|shoes|"
    r"paperwork|deadline|deadlines|rent) (?:is|are) (?:killing|murdering) (?:me|us)\b",
    r"\b(?:dying|dead) (?:to|of (?:laughter|boredom|embarrassment|hunger|heat|cold))\b|"
    # round 9: "almost died laughing", "id rather die than work another shift"
    r"\b(?:almost |nearly )?(?:died|dying|dead) (?:laughing|of laughter)\b|"
    r"\b(?:id|i would|i d) (?:rather|sooner) die than (?:work|do|eat|sit|wear|clean|listen|"
    r"deal|be seen|drive|pay)\b(?!.*\b(?:and i will|i will|tonight|today|gonna|going to)\b)|"
    r"\b(?:kill|strangle|murder) (?:me|us) for (?:eating|taking|using|borrowing|breaking|"
    r"losing|wearing|drinking|finishing|forgetting|touching)\b|"
    r"^\W*(?:ugh\W+|omg\W+|lord\W+)?(?:just )?kill me (?:now|already|pls|please)\b(?=.*\b(?:shift|"
    r"work|class|meeting|homework|exam|boss|monday|overtime|double|inventory|audit|training|"
    r"rush|traffic|school|customers|\w+ day)\b)|"
    r"\bbored to death\b|\bscared me to death\b|\bdying for (?:a|some)\b|\bi could kill for\b|"
    r"\b(?:i )?could (?:murder|kill|eat) (?:a|an|some)\b",
    r"\b(?:me|te|nos) (?:va|van) a matar (?:si|cuando) (?:llego|llegamos|rompo|pierdo|falto|"
    r"me como|me comes|me acabo|agarro|toco|uso|me tatuo|tatuo|rayo|mancho|choco|"
    r"me tardo|tardo|no termino|no acabo|me duermo|quemo|tiro|se me olvida|olvido)\b",
    # round 10: a parent or grandparent "killing" the texter over a trivial thing
    r"\b(?:mom|mother|mama|mami|mum|dad|daddy|papa|papi|grandma|grandpa|abuela|abuelita|"
    r"abuelo|tia|aunt|jefa)\b.{0,30}\b(?:kill|kills|matar|mata|mate|mato)\b.{0,25}"
    r"\b(?:tattoo|tatuaje|piercing|grades|calificaciones|notas|boleta|hair|pelo|cabello|misa|"
    r"church|iglesia|mass|curfew|makeup|maquillaje|report card|dishes|trastes|room|cuarto|"
    r"nails|unas)\b",
    r"\bme (?:mata|matan|esta matando) (?:el|la|los|las|este|esta) (?:calor|frio|trabajo|espalda|"
    r"pies|horario|turno|cansancio|jefe|jefa|renta)\b",
    r"\b(?:me muero|me estoy muriendo|muerta|muerto) de (?:hambre|risa|sueno|frio|calor|"
    r"cansancio|ganas|verguenza|aburrimiento|sed)\b",
    r"\b(?:el|la|este|esta) (?:calor|trabajo|turno|jefe|jefa|horario) me (?:mata|esta matando)\b",
    # a thing (not a person) "killing" someone: "el trafico hoy me esta matando"
    r"^(?!.*\b(?:dice|dijo|dicen|dijeron|amenaza\w*),? (?:que|q)\b)(?!.*\bsi no\b).*"
    r"\b(?:el|la|los|las|este|esta|estos|estas|mi|mis) (?!jefe|jefa|patron|patrona|esposo|novio|"
    r"marido|senor|hombre|tipo|padrastro|papa|pareja|ex|cliente|encargado|mayordomo|contratista|"
    r"dueno|duena|padrote|coyote|hermano|hermana|hija|hijo|madre|tio|primo|vecino|noche|"
    r"manana|tarde|dia|semana|vez|hora)\w+ (?:de \w+ |(?!hoy |ahorita |ya |manana |o |u |y |e |"
    r"si |q |que |pero |porque |xq |pq |sino |ni )\w+ )?me (?:mata|esta matando|"
    r"estan matando|matan)\b(?!.*\b(?:golpe\w*|pega\w*|cuchillo|pistola|sangr\w*)\b)",
    r"\b(?:me|te|nos) (?:mata|matan) si (?:llego|rompo|pierdo|falto|tardo|me tardo|no termino|"
    r"no acabo|quemo|tiro|olvido)\b",
    r"\bis (?:it|this|that) (?:an |a )?(?:emergency|urgent)\b|\bes (?:una )?emergencia si\b",
    # a parent, teacher or roommate "killing" someone when they see / find out something
    r"\b(?:mom|mother|mum|parents|mama|mami|madre|teacher|maestr[ao]|profe|coach|abuela|"
    r"grandma|roommate|roomie)\b(?!s? (?:boyfriend|husband|bf|novio|esposo|pareja|viejo))"
    r"(?!.*\b(?:boyfriend|husband|novio|esposo|pareja)\b)"
    r".*\b(?:kill|murder|matar)\w*\b.*\b(?:when|once|cuando) "
    r"(?:s?he |they |ella |el )?(?:sees?|finds? out|knows|hears|vea|vean|sepa|sepan|"
    r"se entere|se enteren)\b",
    # success and exaggeration: "killed it", "dead inside", "morir de la verguenza"
    r"\b(?:killed|killing|kill|slayed) it\b|\bdead inside\b|\bdriving me (?:crazy|nuts)\b|"
    r"\b(?:im|i am) dying here\b|\b(?:die|dying|died) of (?:embarrassment|shame|laughter|"
    r"boredom|cringe)\b",
    r"\b(?:morir|morirme|muero|muriendo) de (?:la |el )?(?:verguenza|pena|risa|hambre|sueno|"
    r"frio|calor|cansancio|aburrimiento|sed|ganas)\b|\bme tiene muert[oa]\b|"
    r"\bme lleva (?:el diablo|la chingada|la fregada)\b",
    # money and work "drowning" / "bleeding" someone; "muerta del cansancio"
    r"\bdrowning in (?:debt|bills|work|paperwork|loans|payments)\b|"
    r"\bbleed(?:ing|s)? (?:me|us|them) dry\b|\bahogad[oa] (?:en|de) deudas\b|"
    r"\bmuert[oa] del (?:cansancio|sueno|hambre|frio|calor|aburrimiento)\b",
    r"\b(?:not|isnt|no es|nothing|nada) (?:an |una |nada )?(?:emergency|emergencia|urgent|"
    r"urgente)\b",
    # round 5: the dog "killed" my shoes; grandma's "heart attack" when she hears
    r"\b(?:dog|cat|puppy|kitten|perro|perrito|gato|gatito|hamster)\b.*\b(?:kill|matar|"
    r"mato|matarlo|matarla)\w*\b",
    r"\b(?:have|give \w+|get|le va a dar|me va a dar|les va a dar) (?:a |un )?(?:heart attack|"
    r"infarto|ataque(?: al corazon)?)\b.*\b(?:when|if|cuando|si) (?:s?he |they |ella |el )?"
    r"(?:hears|finds out|sees|knows|se entere|se enteren|sepa|vea|sees)\b",
]]

# Round 7: "me estan matando los taxes" (a thing, verb first), "just venting".
IDIOMS += [re.compile(p) for p in [
    r"\bme (?:esta|estan) matando (?:el|la|los|las|este|esta|estos|estas) (?!jefe|jefa|patron|"
    r"patrona|esposo|novio|marido|senor|hombre|tipo|padrastro|pareja|ex|cliente|encargado|"
    r"mayordomo|contratista|dueno|duena|padrote|coyote|hermano|tio|primo|vecino|mafia|narco|"
    r"pandill)\w+\b(?!.*\b(?:golpe\w*|pega\w*|cuchillo|pistola|sangr\w*)\b)",
    r"\bjust (?:venting|need(?:ed)? to vent|wanted to vent)\b|\bsolo (?:quiero |queria |necesito )?"
    r"desahogarme\b|\bnomas (?:me )?desaho\w*\b|\bsolo (?:me )?estoy desahogando\b",
]]

# Round 8: a game or a pain "killed me" (third person, past: "ese partido me mato"),
# "me mata el dolor de ...", fed up ("me tiene hasta la madre"), and a "threat" over a
# trivial misdeed ("me va a matar xq me comi su yogurt", "me gaste la quincena").
_NOT_A_PERSON = (
    r"(?!jefe|jefa|patron|patrona|esposo|novio|marido|senor|hombre|tipo|padrastro|pareja|ex\b|"
    r"cliente|encargado|mayordomo|contratista|dueno|duena|padrote|coyote|hermano|tio|primo|"
    r"vecino|mafia|narco|pandill|de\b|que\b|q\b|del\b|otro|otra|guardia|troca|carro)"
)
IDIOMS += [re.compile(p) for p in [
    r"\b(?:ese|esa|este|esta|el|la) (?:partido|juego|examen|clase|pelicula|serie|chiste|final|"
    r"tarea|viaje|calor|frio|dolor|trafico|turno|dia|semana|noticia|chisme|show|concierto) "
    r"(?:\w+ ){0,2}me (?:mato|mataron|dejo muert[oa])\b",
    r"\bme (?:mata|matan) (?:el|la|los|las|este|esta|estos|estas) " + _NOT_A_PERSON
    + r"\w+\b(?!.*\b(?:golpe\w*|pega\w*|cuchillo|pistola|sangr\w*|si (?:hablo|digo|me voy|"
    r"llamo|denuncio))\b)",
    r"\bme (?:tiene|tienen|trae|traen) (?:hasta la madre|hasta el gorro|hasta la coronilla|"
    r"harta|harto)\b|\bfed up\b",
    r"\b(?:me|nos) (?:va|van) a (?:matar|asesinar|ahorcar|colgar|matar a palos)\b,? "
    r"(?:(?:xq|pq|porque|por que|ya que|si|cuando) )?(?:me |nos )?(?:comi|comimos|gaste|gastamos|"
    r"gasto|perdi|rompi|choque|olvide|queme|manche|raye|tatue|corte el pelo|pinte|llegue tarde|"
    r"vea|vean|sepa|se entere|se enteren|mis calificaciones|mis notas|la boleta)\b",
    r"\b(?:mom|mother|mum|parents|mama|mami|madre|papa|papi|padre|dad|teacher|maestr[ao]|profe|"
    r"coach|abuela|grandma|roommate|roomie|companer[oa] de cuarto|suegra|wife|esposa)\b.*"
    r"\b(?:ahorcar|asesinar|colgar)\w*\b.*\b(?:when|once|cuando|si|xq|porque) "
    r"(?:s?he |they |ella |el )?(?:sees?|finds? out|vea|vean|sepa|sepan|se entere|se enteren|"
    r"me comi|me gaste)\b",
]]

# A time long past, a job's tools, fiction: a PRESENT cue overrides them.
BENIGN = [re.compile(p) for p in [
    # a year long past
    r"\b(?:years|yrs|months) ago\b|\blast (?:year|summer|winter|spring)\b|"
    # round 6: "back in 2019", not "he is coming back in an hour"
    r"\bback in\b(?! (?:an?|\d+|one|two|three|five|ten|a few|a couple|half|by|here|there|"
    r"through|to|and|now|the (?:room|house|car|van|truck|trunk|basement|trailer|closet|"
    r"apartment|building))\b)|"
    r"\bin (?:19|20)\d\d\b|\bwhen i was (?:a kid|little|young|younger|small|a child|a teen|"
    r"a teenager|"
    r"in (?:high school|middle school|school)|\d+)\b|"
    r"\bused to\b|\bas a (?:kid|child)\b|\blast (?:week|month)\b|\bla semana pasada\b|"
    r"\bel mes pasado\b|\blast yr\b|\bin the (?:19|20)?\d0s\b|\bin the (?:seventies|eighties|"
    r"nineties)\b|\ben los (?:19|20)?\d0s?\b|\ben los (?:setentas?|ochentas?|noventas?)\b",
    r"\b(?:im|i am|soy) (?:a |an |una |un )?(?:nurse|doctor|social worker|teacher|counselor|"
    r"paramedic|enfermera|enfermero|doctora|trabajadora social|maestra|maestro|paramedico)\b.*"
    r"\b(?:training|trainings|capacitacion\w*|patients?|pacientes?|staff|personal)\b",
    r"\bhace (?:\d+|un|una|dos|tres|cuatro|cinco|muchos|varios|unos) (?:anos|ano|meses)\b|"
    r"\bhace (?:anos|anos y anos|siglos)\b|"
    r"\bel ano pasado\b|\bhace (?:tiempo|mucho tiempo|mucho)\b(?! (?:calor|frio|sol|viento|aire))|"
    r"\ba long time ago\b|"
    r"\ben (?:19|20)\d\d\b|\bcuando (?:yo )?(?:era|tenia) (?:nina|nino|chica|chico|chamaca|"
    r"chamaco|chava|chavo|"
    r"morra|morrita|escuincle|escuincla|chiquit[oa]|pequen[oa]|adolescente|cipote|cipota|"
    r"joven|\d+)\b|\bde (?:nina|nino|chica|chico)\b|\bantes me\b",
    r"\b(?:nightmares|flashbacks|pesadillas)\b|\b(?:antes|before) (?:pensaba|queria|tenia|"
    r"i used to|i would)\b|\b(?:used to think|solia)\b",
    # a job's tools and threats
    r"\b(?:security|guard|guards|cop|cops|officer|hunter|hunting|soldier|army|military|"
    r"butcher|chef|cook|kitchen|restaurant|slaughterhouse|meat|packing plant|farm|rancher|"
    r"construction|deer|range|fisherman|fishermen|fishing|nets|bouncer|bouncers|sushi|deli|"
    r"teaching me|taught me|showing me how)\b.*"
    r"\b(?:gun|guns|knife|knives|rifle|weapon|machete|taser|tasers)\b|"
    r"\b(?:gun|guns|knife|knives|rifle|weapon|machete)\b.*\b(?:fisherman|fishermen|fishing|"
    r"for the nets|for the fish)\b",
    r"\b(?:volunteer\w*|voluntari\w*|donate|donat\w*|donar)\b",
    r"\b(?:gun|guns|knife|knives|rifle|weapon|machete)\b.*\b(?:for (?:work|his job|the job|"
    r"hunting|cutting)|at work|on the job|in the kitchen|to cut|for the meat|security job|"
    r"guard job|his job|at the (?:restaurant|kitchen|plant|farm|job|ranch|factory|sushi place|"
    r"sushi bar|fish market|deli|butcher shop))\b",
    r"\b(?:guardia|seguridad|policia|soldado|cazador|carnicero|cocinero|cocina|restaurante|"
    r"rancho|campo|cazar|carniceria|matadero)\b.*\b(?:arma|armas|pistola|cuchillo|cuchillos|"
    r"machete|rifle)\b",
    r"\b(?:arma|pistola|cuchillo|cuchillos|machete|rifle)s?\b.*\b(?:del trabajo|de trabajo|"
    r"para (?:el trabajo|cortar|cazar)|en la cocina|en el trabajo|para trabajar)\b",
    r"\b(?:video ?game|movie|pelicula|show|serie|novela|book|libro|game|juego|fifa|xbox|"
    r"fortnite|playstation|nintendo|videojuego)\b",
    r"\b(?:writing|write|doing) (?:a |my )?(?:paper|essay|report|project|thesis|research)\b|"
    r"\b(?:school|class) (?:project|paper|assignment)\b|\b(?:tarea|ensayo|investigacion) "
    r"(?:de|sobre|para)\b|\bnot about (?:anyone|someone|me)\b",
    r"\b(?:not|isnt|no es) (?:an |una )?(?:emergency|emergencia|urgent|urgente)\b|"
    # round 10: the texter says nobody is in danger
    r"\bno es (?:nada )?peligroso\b|\b(?:nadie esta|no estoy|no estamos) en peligro\b|"
    r"\b(?:im|i am|i m|were|we are|nobody is|no one is) not in (?:any )?danger\b|"
    r"\bnobody is in danger\b|\bno one is in danger\b|\bnot dangerous\b",
    r"(?<!almost )(?<!nearly )(?<!casi )\b(?:killed|murdered) (?:me|us)\b(?! (?:and|now))",
    r"\bi (?:hurt|cut|burned|burnt|injured|twisted) my (?:back|hand|finger|foot|leg|arm|knee|"
    r"ankle|wrist|shoulder|neck)\b|\bme (?:lastime|corte|queme|torci) (?:la|el|los|las) "
    r"(?:mano|dedo|pie|pierna|brazo|rodilla|espalda|tobillo)\b",
    r"\bgun (?:license|licence|permit|collection|safe|show|range)\b|\blicencia de armas?\b",
    r"\b(?:arma|armas|pistola|pistolas|rifle|rifles|escopeta)\b.*\b(?:cazador|caza|cazar|"
    r"permisos|permiso|licencia)\b|\b(?:guns|rifles|shotgun)\b.*\b(?:hunter|hunting|permits?|"
    r"licensed)\b",
]]

# Danger words without a time cue: a possible emergency worth one Y/N check.
DANGER = re.compile(
    r"\b(?:slap\w*|push\w*(?! out)|empuj\w*|punch\w*|kick\w*(?! out)|shove\w*|die|dying|death|"
    r"my life|end it|rope|"
    r"pills|looking for me|searching|hiding|cant get out|no podemos salir|make it through|"
    r"last night alive|my last night|ahorc\w*|golpe\w*|pate\w*|cachete\w*|morir|muerte|"
    r"mi vida|cuerda|golpiza|paliza|madriza|"
    r"pastillas|buscando\w*|escond\w*|por mi|que ciudad|donde estoy|"
    r"kill|killed|murder|shoot|stab|rape|raped|gun|guns|knife|knives|weapon|beat|beats|beating|"
    r"hit|hits|hitting|hurt|hurting|choke\w*|strangle\w*|locked|"
    r"wont let me (?:leave|go)|scared for my life|afraid for my life|"
    r"no (?:me|nos|la|lo|las|los) (?:deja\w*|quiere\w* dejar) (?:salir|irme|irnos|irse|ir)|"
    r"matar|mata|pistola|arma|cuchillo|cuchillos|pega|pegan|golpea|golpean|golpes|lastima|lastiman|"
    r"violar|viola|violo|encerr\w*|no me dejan salir|no puedo salir|miedo de morir|"
    r"peligro|danger|unsafe|inseguro|insegura|"
    # round 4: held, sold, burned, at gunpoint, beaten with something, "im dead"
    r"(?:im|i am|i m|youre|ur) (?:so )?dead(?! tired)|"
    r"(?:being |been |im |were |am )?held (?:in|at|captive|hostage|here|against)|"
    r"holding (?:me|us|him|her|them) (?:in|at|here|hostage|captive)|"
    r"retenid[oa]s?|wont let (?:me|us) (?:off|out)|no (?:me|nos) deja\w* bajar|"
    r"broke my (?:nose|arm|ribs?|jaw|hand|leg)|me (?:rompio|quebro) (?:la|el)|"
    r"pay(?:ing)? for me|sell(?:ing)? me|sold me|venderme|me (?:van a |quieren )?vend\w*|"
    r"(?:being|getting|gonna be|going to be) sold|(?:la|lo|las|los) (?:van a |quieren )?vend\w*|"
    r"burn(?:ing|ed|s)? (?:him|her|them|me|the|a)|quemando|quemar(?:me|la|lo)?|"
    r"gunpoint|punta de pistola|"
    r"cachetad\w*|bofetad\w*|madrazos?|chingadazos?|putazos?|trancazos?|"
    r"aprieta\w* el cuello|apreto el cuello|agarr\w* del cuello|grabbed (?:me by )?(?:my|the) "
    r"(?:neck|throat)|squeez\w* my (?:neck|throat)|"
    r"(?:with|con) (?:a|un|una|the|el|la) (?:stick|bat|belt|board|pipe|hammer|palo|bate|"
    r"cinturon|tubo|martillo|fierro|cable))\b"
)


# Fear, menace and watchers with no time cue: never an emergency alone, and never with
# "tonight" (unlike DANGER), but worth the one Y/N check ("im scared of him", "they
# watch us with a guy with a bat", "me va a pasar algo"). Threats to call immigration
# or the police are coercion, not physical danger: they stay disclosures (no check).
FEAR = re.compile(
    r"\b(?:(?:scared|afraid|terrified|frightened) (?:of (?:him|her|them|my|the(?! dark)|this|that|"
    r"what (?:he|she|they))|for my (?:life|safety|kids|children|family))|"
    r"(?:im|i am|i m) (?:so |really |very )?(?:scared|afraid|terrified)\s*[.!]*$|scares me|"
    r"(?:dont|do not|never) feel safe|not safe (?:here|where|at|with)|"
    r"(?:le|les) tengo (?:mucho )?miedo|tengo (?:mucho )?miedo (?:de|a) (?:el|ella|ellos|ellas|"
    r"mi (?:jefe|patron|esposo|novio|pareja|marido))\b|me da (?:mucho )?miedo (?:el|ella|ellos|"
    r"volver|regresar|mi (?:jefe|patron|esposo|novio|pareja|marido))\b|"
    r"no me siento (?:segur[oa]|a salvo)|"
    r"(?:make|makes|made) (?:me|us|you) disappear|(?:me|nos|te|la|lo) (?:va|van|iba|iban) a "
    r"desaparecer|"
    # round 8b: what he will do if he finds out; knows the new place; shows up at work;
    # "accidents happen"; free again and knows the address; harm to family back home
    r"(?:scared|afraid|terrified) of what (?:my \w+|he|she|they) (?:will|would|might|is gonna|"
    r"gonna) do\b|know\w* where (?:my|our) (?:new )?(?:place|apartment|apt|house|room|job) is|"
    r"know\w* my (?:new )?(?:address|location)|(?:found|find|figured) out where (?:i|we|my|our)|"
    r"(?:encontraron|supieron|saben|sabe|averiguaron) (?:donde|en donde) (?:vivo|vivimos|esta mi|"
    r"estoy)|sab\w* (?:mi|nuestra) (?:nueva )?direccion|"
    r"keeps? (?:showing|turning) up (?:where|at)|sigue apareciendo (?:donde|en)|"
    r"accidents? (?:happen|can happen) (?:to|at)|(?:les|le) pasan accidentes|"
    r"(?:si (?:hablo|digo|le digo|me voy|denuncio|cuento)|dice\w* (?:que|q)|dijeron (?:que|q)|"
    r"amenaz\w*)\b.*\b(?:le|les) (?:hacen|van a hacer|hagan) "
    r"algo a (?:mi|mis)|"
    r"(?:jalo|jalaron|jalo del|me jalo) (?:el |del )?pelo|la proxima (?:va a ser|sera) peor|"
    r"next time (?:it |will |itll |ill |he |she )?(?:be )?worse|hay (?:muchas )?armas|"
    r"there are (?:guns|weapons)|"
    # round 8: menace to a third person; armed men so that nobody leaves
    # round 9: scary when drunk; grabbing the women; the dogs let loose on runners;
    # a third person burned for asking; meals withheld; being given away to "the men"
    r"(?:gets|get|se pone|se ponen) (?:really |so |very |muy |bien )?(?:scary|violent|mean|"
    r"raro|rara|agresiv[oa]|violent[oa]) (?:when|cuando) (?:he |she |they )?(?:drinks|drunk|"
    r"bebe|toma|toman|beben)|grabs (?:the|us|me) (?:girls|women|workers)|"
    r"(?:sueltan|suelta|soltar) (?:a )?los perros|(?:los|las) sueltan si|"
    r"(?:let|set|turn|sic) the dogs (?:loose|on)|"
    r"burn\w* (?:one|some|two) of (?:the|us)|quemaron a (?:uno|una|un)|"
    r"(?:no|dont|doesnt|wont) (?:nos |me )?(?:deja|dejan|let us|let me) (?:comer|eat)|"
    r"tell (?:the men|them|him) where i (?:am|live|went)|(?:decirle|decirles|les dice|le dice) "
    r"(?:a los hombres )?donde estoy|whipped (?:me|us)|(?:with|con) (?:the|el|un|a) (?:belt|"
    r"cinto|cinturon|chicote)|"
    r"(?:la|lo|las|los) (?:toca|manosea|amenaza)\w*|(?:con|with) (?:rifles|armas|pistolas|"
    r"guns|machetes|perros|dogs)\b.*\b(?:para (?:que|q) nadie se (?:vaya|salga|escape)|so "
    r"(?:nobody|no one) (?:leaves|runs|gets out))|"
    r"(?:me|nos|te) desaparece\w*|bad things happen|something (?:bad )?(?:will|is gonna|"
    r"gonna) happen to (?:me|us|you)|(?:me|nos|te) (?:va|van) a pasar algo|"
    r"(?:he|they|she)(?:ll| will| is gonna| gonna) (?:find|hurt) (?:me|them|my family|us)|"
    r"(?<!doesnt )(?<!dont )(?<!not )(?<!never )knows? where (?:my family|my kids|my mom|"
    r"my parents|we|i) (?:li\w*|live|stay)|(?<!no )sab\w* donde vive|"
    r"(?:quiebra|rompe|romper|quebrar)\w* las piernas|break (?:my|your) legs|"
    r"(?:gets|get|is|got) (?:really |so |very )?violent|se pone (?:bien |muy )?violent[oa]|"
    r"armad[oa]s?|anda (?:con|armado)|"
    # bruises of one's own; a third person's bruises without a time are a tip
    r"(?:i have|i got|im covered in|my) (?:\w+ )?bruises|(?:tengo|me dej\w*|mis) (?:\w+ )?"
    r"moretones|"
    r"(?:follows|following|sigue|siguen|siguiendo) (?:me|a mi)|me (?:sigue|siguen|vigila\w*)|"
    r"(?:watch|watches|watching) us|nos vigila\w*|vigilarme|vigilandonos|"
    r"(?:me|nos) encierra\w*|lock (?:us|me) in|locks (?:us|me) in|lock the doors|"
    r"(?:me|nos) dejan sin comer|(?:no|dont|wont) let us eat|"
    r"(?:me|la|lo|nos) toca\w* cuando|touches me|"
    # violent people, not "domestic violence" lines or the U visa
    r"(?:is|es|so|bien|muy|really|very|are|son|se pone|se ponen|gets|got) (?:\w+ )?"
    r"(?:violent[oa]?s?|agresiv[oa]s?|aggressive)\b|(?:lot of|lots of|mucha) violen(?:ce|cia) "
    r"(?:where|donde|at|en)\b|"
    r"(?:lo|la|los|las) (?:buscan|desaparecen|encuentran)\b|desaparec\w* (?:a|al|a la) |"
    r"amenaz\w* con (?:hacer\w* dano|lastimar\w*|matar\w*|vender\w*|golpear\w*|pegar\w*)|"
    r"(?:threaten\w*) to (?:hurt|kill|sell|beat)|(?:me|nos) (?:hagan|hace|van a hacer) algo|"
    r"hacerme algo|(?:jala|jalan) (?:el|del) pelo|me (?:empuja|empujan|avienta|avientan)\b|"
    r"(?:grabs|grabbed|squeezes) my (?:neck|throat|hair)|(?:agarra|agarro) del cuello|"
    r"moretes|(?:tienen|tiene|traen|trae) (?:pistolas|armas|rifles|cuchillos)|"
    r"(?:has|have|got|keeps?|carr(?:y|ies)) (?:a |his |their |her )?(?:rifles?|shotguns?|"
    r"pistols?|firearms?|machetes?|bats?)\b|"
    r"end up in the river|never (?:saw|seen|heard from) (?:her|him|them) again|"
    r"(?:ill|i will|id|i would|youll|you will|youd|you would|u will|u would|you are going to|"
    r"youre gonna) regret (?:it|this)|"
    r"te vas a arrepentir|(?:threatens|threatened|threatening) (?:me|us)(?! (?:with|to) "
    r"(?:call|calling|report|deport|ice|immigration|the police))|(?:me|nos) amenaza\w*"
    r"(?! con (?:llamar|la migra|migracion|inmigracion|deport\w*|reportar\w*|la policia))|"
    r"(?:people|those|anyone|whoever|the ones|ones|girls|guys|workers) who (?:talk|talks|snitch\w*|"
    r"leave|complain\w*|run|ran|tried to leave)(?: \w+){0,3} (?:disappear|die|end up|get hurt)|"
    r"(?:el|la) que (?:habla|hable|se queja|se va|se quiere ir)"
    r" (?:aparece|se muere|desaparece|lo matan|se va al agua)|aparece en el rio|"
    r"(?:le|les|nos|me|te) va a ir mal|something (?:will|is gonna) happen to (?:my|our) family|"
    r"guards?\b.*\b(?:machetes?|guns?|rifles?|dogs|w machetes)|(?:me|nos) haga\w* algo|"
    r"vigiland(?:ome|onos)|(?:bien |muy )?vigilad[oa]s|sab\w* donde (?:vivo|vivimos|trabajo)|"
    r"se me queda (?:viendo|mirando)|(?:keeps|always) (?:staring|watching) (?:at )?me|"
    r"los que hablan (?:desaparecen|aparecen)|"
    r"nunca (?:la|lo|los|las) volvimos a ver|"
    r"(?:idk|dont know|do not know|not sure|no se|no estoy segur[oa]) (?:if|whether|si) "
    r"(?:im|i am|i m|we are|were|estoy|estamos) (?:safe|ok|okay|segur[oa]s?|a salvo)|"
    r"(?:la|lo|las|los) encontraron\b.*\bnunca (?:volvio|volvieron|regreso|regresaron)|"
    r"(?:escapo|se escapo|huyo|ran away|escaped|tried to leave|tried to run)\b.*\b(?:nunca "
    r"(?:volvio|regreso|la volvimos a ver|lo volvimos a ver)|never came back|never (?:saw|seen|"
    r"heard from) (?:her|him|them) again)|"
    # round 10: talkers disappear (ppl); something hot thrown at someone; touching the girls;
    # the runaway never seen again
    r"(?:ppl|people) (?:who|that) (?:talk|snitch)\w*\b.*\bdisappear|"
    r"threw (?:a |the |some )?(?:hot |boiling )?(?:\w+ )?(?:pot|pan|water|coffee|oil|chair|"
    r"bottle|plate|knife|iron)\b(?: of \w+(?: \w+)?)? at (?:me|us|her|him)|me (?:avento|tiro|"
    r"echo) (?:agua|aceite|cafe) (?:caliente|hirviendo)|"
    r"touch\w* (?:the |us |her )?(?:girls|women|kids|workers)\b|(?:toca|manosea)\w* a las "
    r"(?:muchachas|chicas|ninas|trabajadoras|mujeres)|"
    r"nunca mas (?:la|lo|los|las) (?:vimos|volvimos a ver|supimos)|"
    r"(?<!not )(?<!isnt )(?<!no es )(?<!nada )(?<!nothing )(?:dangerous|peligros[oa])"
    r"(?! (?:q|que|to|if|si|pedir|ask)\b))"
)
# Somebody asking to report what they saw: the tip form, not a check on the reporter.
_REPORTING = re.compile(r"\b(?:report|reportar|reporte|denunciar|denuncia|tip)\b")

# Round 7: a member of the public describing what they have seen ("i think the spa on my
# street is trafficking", "customer here", "soy chofer de uber", "quiero dar una pista").
# Beside the classifier alone (no pattern, no "now") this is a tip: the tip form asks
# whether anyone is in danger right now, so the reporter is not sent 911 advice.
OBSERVER = re.compile(
    r"\b(?:i think|i believe|im pretty sure|creo que|creo q|pienso que|sospecho que)\b.*"
    r"\b(?:is|are|es|son) (?:doing |involved in |a front for )?(?:trafficking|trata|human "
    r"trafficking|sex trafficking)\b|\b(?:es|sea|seria) trata\b|"
    r"\b(?:report|reporting|reportar|reporte|denunciar|denuncia|tip|pista|anonymous\w*|anonim\w*)\b|"
    r"\b(?:customer|client|landlord|neighbor|neighbour|driver|cliente|vecin[oa]|casero|casera)"
    r" here\b|^(?:im|i am|soy|trabajo de|work as) (?:a |an |un |una )?(?:landlord|driver|uber "
    r"driver|lyft driver|cab driver|trucker|chofer|chofer de \w+|taxista|nurse|teacher|"
    r"enfermer[oa]|maestr[oa]|caser[oa]|customer|mesera|mesero|bartender|cantinero|cantinera|"
    r"recepcionista|receptionist|hotel clerk)\b|\b(?:i|we) (?:noticed|have noticed|keep seeing|"
    r"always see|see) (?:a |the |some |that )?(?:girls?|women|men|kids|workers|cars|vans?)\b|"
    r"\b(?:he visto|vi|veo|siempre veo) (?:a )?(?:(?:unas?|las|los|varias|muchas|unos|"
    r"varios) )?(?:ninos|ninas|muchachas|chavas|chavos|hombres|mujeres|trabajadores|"
    r"personas)\b")


# Round 7: a question to the service about what *we* do ("do you call the police on me",
# "ustedes le pasan esto a la policia?"): the model alone took the police word for an
# emergency. Beside the model alone and no danger word, it is a question, answered.
QUESTION_TO_US = re.compile(
    r"^(?:(?:ok|so|but|and|wait|hey|y|pero|oye) )?(?:do|does|will|would|can|could|are|r) "
    r"(?:you|u|ya|yall|you guys|this|they|the hotline)\b|"
    r"\b(?:ustedes|uds|usted) (?:le |les |me |nos )?(?:pasan|avisan|llaman|reportan|mandan|dicen|"
    r"cuentan|comparten|dan)\b|^(?:avisan|llaman|reportan|le pasan|le avisan|le dicen)\b")


def is_question_to_us(text: str) -> bool:
    return bool(QUESTION_TO_US.search(normalise(text)))


# What makes a bystander's text an emergency after all: it is happening as they write.
_HAPPENING = re.compile(r"\b(?:just|acaba de|acaban de|acabo de|ya casi|casi llegamos|ahorita|"
                        r"en este momento|whisper\w*|senas)\b")


def is_observer_report(text: str) -> bool:
    """A bystander's account with nothing in it happening as they write."""
    norm = normalise(text)
    return bool(OBSERVER.search(norm)) and not _HAPPENING.search(norm) \
        and not STRONG_PRESENT.search(norm)


@dataclass(frozen=True)
class Hit:
    """Which pattern group matched (for review and tests; never the text itself)."""

    group: str


def pattern_hits(text: str) -> list[Hit]:
    """Every group whose patterns match the normalised text."""
    norm = normalise(text)
    return [Hit(group) for group, patterns in _COMPILED.items()
            if any(p.search(norm) for p in patterns)]


# "...but now I'm out / ya estoy bien": the danger is over, whatever "now" says.
SAFE_NOW = re.compile(
    # round 8b: with family again, calm
    r"\bya estoy con mi familia\b(?!.*\bpero\b)|\by (?:ya )?tranquil[oa]s?\W*$|"
    r"\b(?:now|but) (?:im|i am|we are|were|she is|shes|he is|hes|they are) (?:out|safe|ok|okay|"
    r"fine|free|away|good|gone)\b|\b(?:ahora|ya|pero ya) (?:estoy|estamos|esta|estan) "
    r"(?:bien|a salvo|libres?|fuera|lejos|segur[oa]s?)\b|\bi left (?:him|her|them)\b|"
    r"\bya me (?:fui|sali|escape)\b|\bnow (?:i|we) (?:live|work|stay)\b|"
    r"\b(?:im|i am|we are|she is|shes|he is|hes|they are|theyre) (?:ok|okay|safe|fine|out) now\b|"
    r"\b(?:safe|a salvo) now\b|\bahora vivo\b|\bya estoy (?:bien|a salvo)\b|"
    r"\b(?:now|now and|and im|and i am) (?:safe|ok|okay|fine)\b(?! (?:if|unless))|"
    r"\b(?:no one|nobody|noone) is in (?:danger|trouble) (?:right now|now|tonight)?\b|"
    r"\bnadie esta en peligro\b|"
    # round 9: nobody got hurt; nothing more than shouting; locked up for years; arrested
    r"\b(?:nadie salio herido|nadie se lastimo|nobody got hurt|no one got hurt|nobody was hurt|"
    r"no one was hurt)\b|\bno (?:nos|me|le|les) (?:pega|pegan|golpea|golpean|toca) ni nada\b|"
    r"\bpero (?:nomas|nada mas|solo) eso\b|\b(?:he|she) (?:doesnt|does not|never|dont) (?:hit|"
    r"touch) (?:me|us|anyone) or anything\b|\b(?:doing|serving|got) \d+ (?:yrs|years) in "
    r"(?:state |federal )?(?:prison|jail)\b|\b(?:lo|la|los|las) arrestaron por\b|"
    r"\b(?:was|got|were) arrested for\b|\b(?:ahora|now) (?:nomas |solo |just )?(?:ando|estoy|"
    r"im|i am) (?:mas |more )?(?:trucha|truchas|atent[oa]|careful|cuidados[oa]|con cuidado)\b|"
    # round 7: "im 34 now" after a childhood story; the aggressor in jail
    r"\b(?:im|i am|soy|tengo) (?:1[89]|[2-9]\d) (?:now|ahora|ya|years old now)\b|"
    r"\bnow (?:im|i am) (?:1[89]|[2-9]\d)\b|\bya tengo (?:1[89]|[2-9]\d) anos\b|"
    r"\b(?:hes|he is|shes|she is|theyre|they are|el esta|ella esta|esta|estan) (?:now |ahora |ya )?"
    r"(?:in jail|in prison|preso|presa|presos|en la carcel|en prision)\b|"
    # round 6: moved away from them
    r"\b(?:doesnt|does not|dont|do not) know where (?:i|we) (?:live|am|are|stay) (?:anymore|now)\b|"
    r"\b(?:i|we) moved (?:states|to another state|away from (?:him|her|them))\b|"
    # round 5
    r"\bin a (?:good|better|safe) place\b|\ben un (?:buen|mejor) lugar\b|"
    r"\b(?:ya no estoy|ya no estamos|no longer|not) in (?:danger|peligro)(?: anymore)?\b|"
    r"\bya no (?:estoy|estamos) en peligro\b|\b(?:todo|aqui todo) (?:tranquilo|bien) aqui\b|"
    r"\b(?:i have|i got|tengo) (?:my |mi |la )?(?:green card|papers|papeles|residencia|visa) "
    r"(?:now|ahora|ya)\b|\bnow i have (?:my )?(?:green card|papers)\b|"
    r"\b(?:todo bien|todo esta bien|all good|everything is fine|everythings fine)\W*$|"
    r"\baqui todo (?:tranquilo|bien)\b|\ball quiet here\b|\bnow with (?:papers|my papers|"
    r"documents|status|a visa)\b|\bahora (?:ya )?tengo (?:mis )?papeles\b|"
    # resolved or healed: "its healing fine", "ya sano", "eso ya paso", "nothing physical"
    r"\bhealing (?:fine|well|ok|okay|up)\b|\bya (?:sano|se curo)\b|"
    r"\beso ya paso\b|\bya nos contentamos\b|\bnothing physical\b|\bnada grave\b|"
    r"\b(?:hes|shes|he is|she is|theyre) (?:ok|okay|fine) now\b|"
    r"\b(?:in|en|voy a|going to) (?:therapy|terapia|counseling)\b|"
    # "estoy bien" as a whole answer, not "estoy bien asustada" (bien = very)
    r"(?<!no )\b(?:estoy|estamos) (?:bien|mejor|tranquil[oa]s?)"
    r"(?=\s*(?:$|[,.!;)]|y\b|ya\b|gracias|ahora|solo|nomas))(?!.*\bpero\b)|"
    r"(?<!not )\bdoing (?:ok|okay|good|better|well|fine)\b(?!.*\bbut\b)|"
    r"\b(?:im|i am|were|we are) (?:doing )?(?:ok|okay|good|better|well|fine)(?: now)?"
    r"\b(?! (?:if|unless))(?!.*\bbut\b)")


# A weapon drawn or aimed at people, or a death threat beside it (round 5).
DRAWN = re.compile(
    r"\b(?:gun|knife|pistol|machete|rifle) out\b|\b(?:pulled|pulls|whipped) (?:out )?"
    r"(?:a |an |his |her |the )?(?:gun|knife|pistol|machete)\b|\b(?:saco|sacaron|saca|sacan) "
    r"(?:un |una |la |el |su )?(?:arma|pistola|cuchillo|navaja|machete)\b|\b(?:pointing|aiming|"
    r"apuntando|apunto)\b|\byelling at (?:us|me|all of us|everyone)\b|\b(?:el que|quien|whoever|"
    r"anyone who) (?:\w+ ){0,3}(?:se muere|dies|gets killed|lo mato|lo matan)\b|"
    r"\bno (?:para|deja) de sangrar\b|\bcant stop (?:the )?bleeding\b|\b(?:hirviendo|boiling|"
    r"ampollas|blisters|hueso|bone sticking)\b"
    # round 8b: a weapon shown to people as a threat
    r"|\b(?:standing|waiting|sitting|pacing) (?:\w+ ){0,4}with (?:a|the|his|her) (?:knife|gun|"
    r"machete|bat|pistol)\b"
    r"|\b(?:nos|me|les) (?:la|lo) (?:ensena|ensenan|muestra|muestran|saca)\b|\b(?:shows|showed|"
    r"flashes|flashed) (?:us |me )?(?:his|the|a) (?:gun|knife|pistol)\b")


# Round 7: the texter has reached emergency services already ("ok i called 911, the
# police are there"): the 911 advice again helps nobody. A new plea or "right now"
# beside it still counts (STRONG_PRESENT is read without these words).
ALREADY_CALLED = re.compile(
    r"\b(?:i|we|she|he|they|her \w+|his \w+|my \w+) (?:already |just )?(?:called|call(?:ed)? to|"
    r"texted|dialed|phoned) (?:the )?(?:911|police|cops)\b|\b(?:police|cops|911|ambulance) "
    r"(?:is|are) (?:there|here|on (?:the|their|its) way|coming|looking for)\b|\bpolice have "
    r"(?:her|him|them|the)\b|\bya (?:llame|llamamos|llamo|llamaron|marque|marcamos|marco) "
    r"(?:al|a la) (?:911|policia)\b|\bya (?:viene|vienen|llego|llegaron|esta|estan) (?:la )?"
    r"(?:policia|ambulancia|patrulla)\b")


# Round 8: remembering today is not the event today ("hace anos ..., hoy me acorde").
MEMORY = re.compile(
    r"\b(?:hoy|today|ahorita|now|tonight|esta noche) (?:me acorde|lo recorde|i remembered|"
    r"i thought about it|it came back|i keep thinking)\b|\b(?:me acorde|lo recorde|i remembered|"
    r"remembered it|reminded me) (?:hoy|today|ahorita|now|esta noche|tonight)\b|"
    # round 10: a wish now about the past ("ahora quiero contar mi historia")
    r"\b(?:ahora|now|hoy|today) (?:i )?(?:quiero|want to|wanna|im ready to|estoy lista para|estoy "
    r"listo para|me animo a) (?:contar|hablar|tell|talk|share|compartir|denunciar|report|saber|"
    r"know)\b")


# Round 9: "no es broma", "im not kidding": the texter says it is NOT a joke.
NOT_JOKE = re.compile(
    r"\b(?:no es (?:broma|chiste|juego|cotorreo)|not (?:a )?(?:joke|joking|kidding|playing)|"
    r"no (?:estoy )?(?:bromeando|jugando|vacilando)|(?:i|im|i am) not (?:joking|kidding|"
    r"playing)|i (?:actually |really |do )?mean it|lo digo en serio|hablo en serio)\b")
# Round 9: a threat to kill said to the texter or their child, now (it lifts the job's-tools
# veto: "hes saying hell kill me and the baby, he has the kitchen knife").
THREAT_TO_PEOPLE = re.compile(
    r"\b(?:saying|says|said|yelling|screaming|dice|dijo|grita\w*)\b.*\b(?:kill|stab|shoot|"
    r"matar\w*|mata|matan)\b|\b(?:he|she|they)(?:ll| will|s gonna| is gonna| are gonna|re gonna) "
    r"(?:kill|stab|shoot|cut) (?:me|us|the baby|my)\b|\bsi me ven \w+ me matan\b|"
    r"\b(?:me|nos) (?:van a|quiere|quieren) matar\b")


# Round 10: an armed man at the way out while people are kept in: a guard's or a farm's gun
# is no excuse then ("cerraron el porton y el de la pistola esta en la entrada").
GUARDED_EXIT = re.compile(
    r"^(?=.*\b(?:gun|rifle|shotgun|pistol|pistola|escopeta|arma|cuerno)\b.{0,40}\b(?:gate|door|"
    r"exit|entrance|porton|puerta|entrada|salida|reja)\b|.*\b(?:gate|door|exit|porton|puerta|"
    r"entrada|salida|reja)\b.{0,40}\b(?:gun|rifle|shotgun|pistol|pistola|escopeta|arma)\b)"
    r"(?=.*\b(?:nadie puede (?:irse|salir)|no one can (?:leave|go)|nobody can (?:leave|go)|cant "
    r"leave|no podemos (?:salir|irnos)|wont let|no nos dejan|locked|cerraron|moved us|nos "
    r"movieron|has our (?:ids|papers|passports)|tiene nuestros (?:papeles|documentos|"
    r"pasaportes))\b)")


# Round 8b: a past event that goes on: still there with the person, "next time worse".
ONGOING = re.compile(
    r"\bstill (?:work|live|stay|sleep)\w* (?:there|here|with (?:him|her|them)|for (?:him|her|"
    r"them))\b|\btodavia (?:trabajo|vivo|estoy) (?:ahi|alli|aqui|con (?:el|ella|ellos))\b|"
    r"\bsigo (?:trabajando|viviendo) (?:ahi|alli|aqui|con (?:el|ella|ellos))\b|"
    r"\bkeeps? (?:showing|turning) up\b|\bsigue apareciendo\b|"
    r"\bla proxima (?:va a ser|sera) peor\b|\bnext time (?:it |will |itll |ill |he |she )?"
    r"(?:be )?worse\b")


def is_benign(text: str) -> bool:
    """An idiom, a joke, a job's tools or a past year, and no present-time cue."""
    norm = normalise(text)
    called = ALREADY_CALLED.search(norm)
    rest = ALREADY_CALLED.sub(" ", norm) if called else norm
    strong = STRONG_PRESENT.search(rest)
    joke = JOKE.search(norm) and not NOT_JOKE.search(norm)
    if (joke or SAFE_NOW.search(norm) or any(p.search(norm) for p in IDIOMS)) \
            and not strong:
        return True
    if called and not strong and not pattern_hits(rest) and not DANGER.search(rest):
        return True  # help is with them already, and nothing else in the text is danger
    # A job's tools stop being benign when someone is at the door with them now, or
    # when they are drawn on people ("saco un cuchillo y dice que el que hable se muere"),
    # unless that was long ago (BENIGN[:2], the past-time patterns).
    if ONGOING.search(norm):
        return False  # "last month ... and i still work there": the danger goes on
    timed = MEMORY.sub(" ", norm)  # "hoy me acorde": remembered today, happened long ago
    hits = {i for i, p in enumerate(BENIGN) if p.search(norm)}
    if not hits or PRESENT.search(timed) or NOW.search(timed):
        return False
    if DRAWN.search(norm) and not hits & {0, 1}:
        return False
    # Round 9: a job's tools are no excuse for a threat to kill said to the texter now.
    # Round 10: nor for an armed man at the gate while people are kept in.
    return not (hits <= _JOB_TOOLS
                and (THREAT_TO_PEOPLE.search(norm) or GUARDED_EXIT.search(norm)))


# The BENIGN patterns that are a job's tools (knives in a kitchen, a guard's gun): the
# ones that name a weapon, found from their text so that a new BENIGN entry cannot shift them.
_JOB_TOOLS = frozenset(i for i, p in enumerate(BENIGN)
                       if re.search(r"gun|knife|arma|pistola|cuchillo|rifle|machete", p.pattern))


# A bare call for help, nothing else: "help me please", "ayudame por favor". The same
# answer in both languages: the Y/N check (it may be a visa question to come).
# "help help", "help!!", "auxilio" are still urgent patterns.
BARE_HELP = re.compile(
    r"^(?:please |pls |plz |por favor )?(?:help|ayuda|ayudame|ayudeme|ayudenme|ayudanme)"
    r"(?: me)?(?: please| pls| plz| por favor| porfa| porfavor)?[ .!]*$")


# A word of self-harm (the act, the means, the place, the farewell). The self-harm head
# alone calls an emergency only beside one: "ya no quiero seguir" in a form means stop.
SELF_HARM_CUE = re.compile(
    r"\b(?:die|dying|dead|death|live|living|alive|life|kill\w*|suicid\w*|end it|ending it|"
    r"pills|meds|bottle|rope|noose|razor|blade|knife|gun|cut\w*|wrists?|bridge|jump\w*|roof|"
    r"traffic|train|poison|bleach|goodbye|letters?|notes?|overdose|hang\w*|"
    r"morir\w*|muert[oa]|muero|vida|vivir|viv[oa]|mat[oa]r?\w*|pastillas|soga|cuerda|navaja|"
    r"cuchillo|pistola|cort\w*|venas|munecas|puente|tirarme|aventarme|brincar|veneno|cloro|"
    r"despedi\w*|carta|colgarme|acabo con|termino con|se acabe|se acaba)\b")


# Round 6: medicine taken as usual ("took my pills this morning"): no method on its own.
ROUTINE_MEDICINE = re.compile(
    r"\b(?:took|take|taking|tome|tomo|me tome|me tomo) (?:my|mis|la|las|the) (?:daily |usual |"
    r"morning |night )?(?:pills?|meds|medicine|medication|pastillas?|medicinas?)\b")
QUANTITY = re.compile(
    r"\b(?:all|whole|bottle|box|bunch|many|lot|too|extra|todas|todo|frasco|caja|muchas|montones|"
    r"\d+)\b")


def is_routine_medicine(text: str) -> bool:
    """Medicine taken as usual, with no amount that makes it an overdose."""
    norm = normalise(text)
    return bool(ROUTINE_MEDICINE.search(norm)) and not QUANTITY.search(norm)


# Round 6: a verb in the past ("he was hitting me", "me pegaba"): in a short text with no
# present cue, the classifier alone asks the check instead of deciding.
PAST_TENSE = re.compile(
    r"\b(?:was|were|used to|would|had) \w+|\b\w+(?:aba|aban)\b|\b(?:me|nos|le|les|la|lo) "
    r"\w+(?:ia|ian)\b")


def is_past_tense(text: str) -> bool:
    return bool(PAST_TENSE.search(normalise(text)))


def has_self_harm_cue(text: str) -> bool:
    return bool(SELF_HARM_CUE.search(normalise(text)))


def is_bare_help(text: str) -> bool:
    return bool(BARE_HELP.match(normalise(text)))


def has_danger_words(text: str) -> bool:
    return bool(DANGER.search(normalise(text)))


def has_now_cue(text: str) -> bool:
    """A narrow "now" (right now, tonight, he is still here, an ongoing symptom)."""
    return bool(NOW.search(normalise(text)))


def has_present_cue(text: str) -> bool:
    return bool(PRESENT.search(normalise(text)))


def has_fear_words(text: str) -> bool:
    """Fear or menace without a time: the Y/N check, never 911 alone."""
    norm = normalise(text)
    return bool(FEAR.search(norm)) and not _REPORTING.search(norm)


# Asking for the crisis line ("whats the suicide hotline", "la linea de prevencion del
# suicidio pa mi hermano") is a line request, answered with 988 by the assistant, unless
# the texter also says they mean to hurt themselves.
LINE_ASK = re.compile(
    r"\b(?:suicid\w*|crisis|prevencion del suicidio|suicide prevention) (?:hot ?line|line|"
    r"number|numbr|numero|#|text line|chat)\b|"
    r"\b(?:hot ?line|line|linea|number|numbr|numero|telefono|tel) (?:de |del |for |pa |para |"
    r"de la |of )?(?:la )?(?:\w+ )?(?:suicid\w*|crisis|prevencion del suicidio)\b|"
    r"\b(?:988)\b")
FIRST_PERSON_SELF_HARM = re.compile(
    r"\b(?:kill(?:ing)? my ?self|end(?:ing)? my life|i (?:want|wanna|am going|m going|"
    r"gonna) (?:to )?(?:die|end it)|im (?:suicidal|going to end it)|hurt(?:ing)? my ?self|"
    r"cut(?:ting)? my ?self|matarme|suicidarme|me quiero (?:morir|matar)|quiero morir\w*|"
    r"me voy a (?:matar|morir)|quitarme la vida|hacerme dano|no quiero vivir|i have (?:the|a) "
    r"(?:gun|rope|pills|knife)|tengo (?:la|el|las) (?:pistola|soga|cuerda|pastillas|cuchillo))\b")


def is_line_ask(text: str) -> bool:
    """A request for the crisis line, not a texter saying they will hurt themselves."""
    norm = normalise(text)
    return bool(LINE_ASK.search(norm)) and not FIRST_PERSON_SELF_HARM.search(norm)
