"""Our small need taxonomy: what texters and advocates ask for, in both languages.

Why our own: HSDS leaves the taxonomy to the publisher, and the big ones (211
LA, Open Eligibility) are far finer than the eight things a hotline refers to.
Each service carries one code; HSDS export writes it as an attribute with a
taxonomy_term of taxonomy "hotline-needs" (bot/directory/hsds_json.py).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import Enum

from bot.content.loader import contains_phrase, normalize

TAXONOMY_NAME = "hotline-needs"
# Stable ids for our taxonomy and its terms in HSDS exports (uuid5 of the code).
_NS = uuid.UUID("7b0c5e1e-6a0e-4c43-9a55-2f1f0d6a4f21")
TAXONOMY_ID = str(uuid.uuid5(_NS, TAXONOMY_NAME))


class Need(str, Enum):
    SHELTER = "shelter"
    LEGAL = "legal"
    LABOR = "labor"
    MINORS = "minors"
    HEALTH = "health"
    LAW_ENFORCEMENT = "law_enforcement"
    VICTIM_SERVICES = "victim_services"
    BASIC_NEEDS = "basic_needs"


@dataclass(frozen=True)
class NeedInfo:
    label: dict[str, str]
    keywords: dict[str, tuple[str, ...]]


NEEDS: dict[Need, NeedInfo] = {
    Need.SHELTER: NeedInfo(
        {"en": "Emergency shelter and housing", "es": "Refugio y vivienda"},
        {"en": ("shelter", "housing", "place to stay", "somewhere to stay", "a bed", "homeless",
                "safe place", "sleep"),
         "es": ("refugio", "albergue", "vivienda", "donde quedarme", "lugar seguro", "dormir",
                "casa de acogida")}),
    Need.LEGAL: NeedInfo(
        {"en": "Legal and immigration help", "es": "Ayuda legal y migratoria"},
        {"en": ("legal", "lawyer", "attorney", "immigration", "visa", "papers", "court"),
         "es": ("legal", "abogado", "abogada", "migratoria", "inmigracion", "visa", "papeles",
                "corte")}),
    Need.LABOR: NeedInfo(
        {"en": "Labor and wages", "es": "Trabajo y salarios"},
        {"en": ("wages", "unpaid", "paycheck", "labor", "labour", "my boss", "employer"),
         "es": ("salario", "sueldo", "no me pagan", "trabajo", "patron", "jefe")}),
    Need.MINORS: NeedInfo(
        {"en": "Minors and child welfare", "es": "Menores y protección infantil"},
        {"en": ("child", "minor", "under 18", "kid", "teen"),
         "es": ("menor", "nino", "nina", "menores", "adolescente")}),
    Need.HEALTH: NeedInfo(
        {"en": "Health and mental health", "es": "Salud y salud mental"},
        {"en": ("health", "doctor", "clinic", "medical", "mental health", "counseling",
                "therapy", "hospital"),
         "es": ("salud", "medico", "clinica", "salud mental", "terapia", "hospital")}),
    Need.LAW_ENFORCEMENT: NeedInfo(
        {"en": "Law enforcement and task forces", "es": "Policía y grupos especiales"},
        {"en": ("police", "report", "task force", "fbi"),
         "es": ("policia", "denunciar", "denuncia", "fbi")}),
    Need.VICTIM_SERVICES: NeedInfo(
        {"en": "Victim services and case management", "es": "Servicios a víctimas"},
        {"en": ("victim services", "case manager", "case management", "advocate", "survivor"),
         "es": ("servicios a victimas", "sobreviviente", "acompanamiento")}),
    Need.BASIC_NEEDS: NeedInfo(
        {"en": "Food and basic needs", "es": "Comida y necesidades básicas"},
        {"en": ("food", "hungry", "clothes", "clothing", "groceries", "eat"),
         "es": ("comida", "hambre", "ropa", "alimentos", "comer", "despensa")}),
}

# find_resources retrieval keys (data/content/lines.yml) -> the need they ask for.
NEED_FOR_LINE: dict[str, Need] = {
    "shelter": Need.SHELTER, "legal": Need.LEGAL, "labor": Need.LABOR,
    "child_abuse": Need.MINORS, "crisis": Need.HEALTH,
}


def term_id(need: Need) -> str:
    """The HSDS taxonomy_term id of a need (stable across exports)."""
    return str(uuid.uuid5(_NS, need.value))


def label(need: Need | str, lang: str) -> str:
    info = NEEDS[Need(need)]
    return info.label.get(lang) or info.label["en"]


def parse_need(value: str | None) -> Need | None:
    """A need code ("shelter"), or None for an empty or unknown one."""
    try:
        return Need(value) if value else None
    except ValueError:
        return None


def need_in_text(text: str) -> Need | None:
    """The need a texter's words name ("a shelter near me", "abogado gratis"), or None.

    Longest keyword first, either language: a texter may mix them.
    """
    norm = normalize(text)
    best: tuple[int, Need] | None = None
    for need, info in NEEDS.items():
        for words in info.keywords.values():
            for kw in words:
                n = normalize(kw)
                if contains_phrase(norm, n) and (best is None or len(n) > best[0]):
                    best = (len(n), need)
    return best[1] if best else None
