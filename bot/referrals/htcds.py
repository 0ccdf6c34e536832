"""HTCDS names: the reference's field and value names, and how our case maps onto them.

The reference (IOM Human Trafficking Case Data Standard, CC BY 4.0) is kept in
docs/reference/htcds/. Two of its files carry names:

- ``htcds_xlsform.xml`` (an ODK XForm): the prefixed field names
  (``cas_Status``, ``vic_Methods_of_Control``...) with each picklist's value
  names (``Active``, ``PossibleVictimOfTrafficking``, ``DebtBondage``...);
- ``Field Definitions.md``: the Methods of Control field names
  (``MethodsOfControlDebtBondage``...), which the screening writes.

`load_reference` reads both, so code and tests check names against the
standard instead of a copy typed by hand. The constants below are the names
this module relies on; `check_mapping` (run by the tests and the export)
fails if the reference does not contain them.

The form lists no value for "restricts movement"; the Methods of Control
field ``MethodsOfControlRestrictsMovement`` (from the definitions) maps to the
form's ``Other``, and the export also carries each ``MethodsOfControl...``
field as TRUE/FALSE so nothing is lost (docs/referrals.md).
"""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

REFERENCE_DIR = Path(__file__).resolve().parents[2] / "docs" / "reference" / "htcds"
XLSFORM_FILE = "htcds_xlsform.xml"
DEFINITIONS_FILE = "Field Definitions.md"

_XF = "{http://www.w3.org/2002/xforms}"
_H = "{http://www.w3.org/1999/xhtml}"
_KINDS = {"select1": "select_one", "select": "select_multiple", "input": "text"}


class HtcdsReferenceError(ValueError):
    """The reference files are missing or do not contain a name we rely on."""


@dataclass(frozen=True)
class HtcdsField:
    """One field of the XForm: name, label, kind and (for picklists) value names."""

    name: str
    label: str
    kind: str  # "select_one" | "select_multiple" | "text"
    values: tuple[str, ...]


@dataclass(frozen=True)
class Reference:
    """The names read from the reference files."""

    fields: Mapping[str, HtcdsField]
    methods_of_control_fields: tuple[str, ...]  # MethodsOfControl... (Field Definitions.md)

    def values(self, field_name: str) -> tuple[str, ...]:
        return self.fields[field_name].values

    @property
    def field_names(self) -> frozenset[str]:
        """Every HTCDS field name: the form's fields and the Methods of Control fields."""
        return frozenset(self.fields) | frozenset(self.methods_of_control_fields)


def parse_xlsform(path: Path) -> dict[str, HtcdsField]:
    """Fields of the XForm body in order: ``<select1|select|input ref="/data/NAME">``."""
    # The file is the repository's own copy of the standard, not outside input.
    root = ET.parse(path).getroot()  # noqa: S314
    body = root.find(f"{_H}body")
    if body is None:
        raise HtcdsReferenceError(f"{path.name}: no form body")
    fields: dict[str, HtcdsField] = {}
    for element in body:
        tag = element.tag.removeprefix(_XF)
        if tag not in _KINDS:
            continue
        name = element.get("ref", "").rsplit("/", 1)[-1]
        label = (element.findtext(f"{_XF}label") or "").strip()
        values = tuple((item.findtext(f"{_XF}value") or "").strip()
                       for item in element.findall(f"{_XF}item"))
        fields[name] = HtcdsField(name=name, label=label, kind=_KINDS[tag], values=values)
    return fields


def parse_markdown_table_names(path: Path, heading: str) -> tuple[str, ...]:
    """First-column names of the table under a ``## heading`` of a markdown file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    try:
        start = next(i for i, line in enumerate(lines)
                     if line.lstrip("#").strip().lower() == heading.lower()
                     and line.startswith("#"))
    except StopIteration as exc:
        raise HtcdsReferenceError(f"{path.name}: no section {heading!r}") from exc
    names: list[str] = []
    in_table = False
    for line in lines[start + 1:]:
        if line.startswith("#"):
            break
        if not line.startswith("|"):
            if in_table:
                break
            continue
        in_table = True
        cell = line.split("|")[1].strip()
        if cell and not re.fullmatch(r"-+", cell) and cell not in ("Field Name", "Field Label"):
            names.append(cell)
    return tuple(names)


@functools.lru_cache(maxsize=4)
def load_reference(directory: Path = REFERENCE_DIR) -> Reference:
    """Read the HTCDS field and value names from the reference files (cached)."""
    directory = Path(directory)
    if not (directory / XLSFORM_FILE).exists():
        raise HtcdsReferenceError(f"HTCDS reference not found in {directory}")
    return Reference(
        fields=parse_xlsform(directory / XLSFORM_FILE),
        methods_of_control_fields=parse_markdown_table_names(
            directory / DEFINITIONS_FILE, "Methods Of Control"),
    )


# ---- names we rely on (checked against the reference by check_mapping) -------------

CAS_STATUS = "cas_Status"
CAS_REFERRAL_DATE = "cas_IncomingReferralDate"
CAS_REASON = "cas_ReasonForIncomingReferral"
CAS_DETAILS = "cas_IncomingReferralDetails"
CON_CONSENT = "con_Consent"
VIC_TRAFFICKING_STATUS = "vic_TraffickingStatus"
VIC_STATUS_ORG = "vic_TraffickingStatusDecisionMakingOrg"
VIC_METHODS_OF_CONTROL = "vic_Methods_of_Control"
VIC_TYPE_OF_EXPLOITATION = "vic_TypeOfExploitation"
VIC_LABOUR_INDUSTRY = "vic_ForcedLabourIndustry"
VIC_SEX_EXPLOITATION = "vic_TypeOfSexExploitation"
VIC_RECRUITMENT = "vic_MethodOfRecruitment"
VIC_LOCATION = "vic_LocationOfExploitation"

# cas_Status values.
ACTIVE, FOLLOW_UP, CLOSED, CLOSED_REFERRED = "Active", "FollowUp", "Closed", "ClosedReferred"
CASE_STATUSES: tuple[str, ...] = (ACTIVE, FOLLOW_UP, CLOSED, CLOSED_REFERRED)
OPEN_STATUSES: tuple[str, ...] = (ACTIVE, FOLLOW_UP)
# vic_TraffickingStatus values: a helpline cannot verify, so every case starts as possible.
POSSIBLE_VICTIM = "PossibleVictimOfTrafficking"
VERIFIED_STATUSES: tuple[str, ...] = ("ActualVictimOfTrafficking", "NotAVictimOfTrafficking")
# con_Consent values (also used for every yes/no field we export).
TRUE, FALSE = "TRUE", "FALSE"

# Field Definitions.md Methods of Control field -> the XForm's vic_Methods_of_Control value.
METHODS_OF_CONTROL_VALUES: dict[str, str] = {
    "MethodsOfControlDebtBondage": "DebtBondage",
    "MethodsOfControlTakesEarnings": "TakesEarnings",
    "MethodsOfControlRestrictsFinancialAccess": "RestrictsFinancialAccess",
    "MethodsOfControlThreats": "PhysicalThreats",
    "MethodsOfControlPsychologicalAbuse": "PsychologicalAbuse",
    "MethodsOfControlPhysicalAbuse": "PhysicalAbuse",
    "MethodsOfControlSexualAbuse": "SexualAbuse",
    "MethodsOfControlFalsePromises": "FalsePromises",
    "MethodsOfControlPsychoactiveSubstances": "PsychoactiveSubstance",
    "MethodsOfControlRestrictsMovement": "Other",  # the form has no such value
    "MethodsOfControlRestrictsMedicalCare": "RestrictsMedicalCare",
    "MethodsOfControlExcessiveWorkingHours": "ExcessiveWorkingHours",
    "MethodsOfControlUsesChildren": "ThreatensChildrenFamily",
    "MethodsOfControlThreatOfLawEnforcement": "ThreatsLawEnforcement",
    "MethodsOfControlWithholdsNecessities": "WithholdsNecessities",
    "MethodsOfControlWithholdsDocuments": "WithholdsDocuments",
    "MethodsOfControlOther": "Other",
}

# Case column -> the XForm picklist its values come from.
PICKLIST_COLUMNS: dict[str, str] = {
    "status": CAS_STATUS,
    "trafficking_status": VIC_TRAFFICKING_STATUS,
    "trafficking_status_org": VIC_STATUS_ORG,
    "types_of_exploitation": VIC_TYPE_OF_EXPLOITATION,
    "forced_labour_industry": VIC_LABOUR_INDUSTRY,
    "types_of_sex_exploitation": VIC_SEX_EXPLOITATION,
    "methods_of_recruitment": VIC_RECRUITMENT,
}

# Our own fields where HTCDS has none (documented in docs/referrals.md).
EXT_CASE_ID = "ext_CaseId"
EXT_RECEIVING_ORG = "ext_ReceivingOrganisation"
EXT_RECEIVING_ORG_NAME = "ext_ReceivingOrganisationName"  # its name in the directory
EXT_LANGUAGE = "ext_Language"
EXT_MINOR = "ext_Minor"
EXT_IMMINENT_DANGER = "ext_ImminentDanger"
EXT_DATE_OPENED = "ext_DateOpened"
EXT_DATE_CLOSED = "ext_DateClosed"
EXTENSION_FIELDS: tuple[str, ...] = (
    EXT_CASE_ID, EXT_RECEIVING_ORG, EXT_RECEIVING_ORG_NAME, EXT_LANGUAGE, EXT_MINOR,
    EXT_IMMINENT_DANGER, EXT_DATE_OPENED, EXT_DATE_CLOSED,
)

# Always in an exported record: which case, for whom, on what basis.
FRAME_FIELDS: tuple[str, ...] = (EXT_CASE_ID, EXT_RECEIVING_ORG, EXT_RECEIVING_ORG_NAME,
                                  CON_CONSENT)

# What a texter can agree to share (consent names these), with a label for the console.
SHAREABLE_FIELDS: dict[str, str] = {
    CAS_STATUS: "Case status",
    CAS_REFERRAL_DATE: "Referral date",
    CAS_REASON: "Reason for referral",
    CAS_DETAILS: "Referral details (advocate's text)",
    VIC_TRAFFICKING_STATUS: "Trafficking status",
    VIC_STATUS_ORG: "Who decided the trafficking status",
    VIC_METHODS_OF_CONTROL: "Methods of control",
    VIC_TYPE_OF_EXPLOITATION: "Type of exploitation",
    VIC_LABOUR_INDUSTRY: "Forced labour industry",
    VIC_SEX_EXPLOITATION: "Type of sex exploitation",
    VIC_RECRUITMENT: "Method of recruitment",
    VIC_LOCATION: "Location (state)",
    EXT_LANGUAGE: "Language",
    EXT_MINOR: "Under 18",
    EXT_IMMINENT_DANGER: "Imminent danger",
    EXT_DATE_OPENED: "Date the case opened",
    EXT_DATE_CLOSED: "Date the case closed",
}

# The safety path (minor / imminent danger without consent): the least a
# mandatory report or an emergency response needs; never free text.
SAFETY_FIELDS: tuple[str, ...] = (
    CAS_STATUS, CAS_REFERRAL_DATE, VIC_TRAFFICKING_STATUS, VIC_METHODS_OF_CONTROL,
    VIC_TYPE_OF_EXPLOITATION, VIC_LOCATION, EXT_LANGUAGE, EXT_MINOR, EXT_IMMINENT_DANGER,
)


def export_columns(reference: Reference | None = None) -> tuple[str, ...]:
    """Every column of an export, in order: the frame, the shareable fields, then one
    TRUE/FALSE column per Methods of Control field (shared with vic_Methods_of_Control)."""
    reference = reference or load_reference()
    return (*FRAME_FIELDS, *SHAREABLE_FIELDS, *reference.methods_of_control_fields)


def check_mapping(reference: Reference | None = None) -> None:
    """Fail loudly if a name we rely on is not in the reference."""
    reference = reference or load_reference()
    missing: list[str] = []
    for name in (CAS_STATUS, CON_CONSENT, VIC_METHODS_OF_CONTROL, *PICKLIST_COLUMNS.values(),
                 *(f for f in SHAREABLE_FIELDS if not f.startswith("ext_"))):
        if name not in reference.fields:
            missing.append(name)
    wanted = {CAS_STATUS: CASE_STATUSES,
              VIC_TRAFFICKING_STATUS: (POSSIBLE_VICTIM, *VERIFIED_STATUSES),
              CON_CONSENT: (TRUE, FALSE),
              VIC_METHODS_OF_CONTROL: tuple(METHODS_OF_CONTROL_VALUES.values())}
    for field_name, values in wanted.items():
        if field_name in reference.fields:
            missing += [f"{field_name}={v}" for v in values
                        if v not in reference.values(field_name)]
    missing += [m for m in METHODS_OF_CONTROL_VALUES
                if m not in reference.methods_of_control_fields]
    missing += [m for m in reference.methods_of_control_fields
                if m not in METHODS_OF_CONTROL_VALUES]
    if missing:
        raise HtcdsReferenceError(f"HTCDS names not in the reference: {', '.join(missing)}")


def allowed_values(column: str) -> tuple[str, ...]:
    """HTCDS value names allowed in a case column (picklists and methods of control)."""
    if column == "methods_of_control":
        return load_reference().methods_of_control_fields
    return load_reference().values(PICKLIST_COLUMNS[column])
