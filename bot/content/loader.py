"""Load and validate the bot's content files (data/content/*.yml).

Why: rights facts, phone numbers and state listings change and are edited by
non-programmers. Loading refuses anything without a source, a review date or
both languages, so a half-edited file fails at start-up instead of sending a
texter an unsourced claim or a message in the wrong language.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from bot.content.sms import segment_count

LANGS: tuple[str, ...] = ("en", "es")
MAX_PART_SEGMENTS = 3
DEFAULT_ROOT = Path(__file__).resolve().parents[2] / "data" / "content"


class ContentError(ValueError):
    """A content file is missing, malformed or fails validation."""


# --------------------------------------------------------------------------- text


def normalize(text: str) -> str:
    """Lower-case, strip accents and punctuation, collapse spaces.

    Why: texters type fast on cheap phones ("Pasaporte", "pasaporte",
    "PASAPORTE!!", "identificacion"); matching must not depend on any of that.
    "I'd" becomes "i would" so it never matches the keyword "id".
    """
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"\bi['’`]d\b", "i would", text)
    text = re.sub(r"['’`]", "", text)  # "i'm" -> "im", "don't" -> "dont"
    text = re.sub(r"[^\w]+|_", " ", text)
    return " ".join(text.split())


def contains_phrase(haystack_norm: str, phrase_norm: str) -> bool:
    """Whole-word / whole-phrase test on normalized strings."""
    return bool(phrase_norm) and f" {phrase_norm} " in f" {haystack_norm} "


# --------------------------------------------------------------------------- model


@dataclass(frozen=True)
class Resource:
    """A place a texter can contact. `contact` keys: call, text, tty, web."""

    id: str
    name: Mapping[str, str]
    contact: Mapping[str, str]
    use: Mapping[str, str]
    source: str
    last_reviewed: date
    reviewed: bool
    hours: str | None = None

    def is_stale(self, today: date, max_age_days: int) -> bool:
        """True when the entry has not been reviewed within max_age_days."""
        return (today - self.last_reviewed).days > max_age_days


@dataclass(frozen=True)
class RightsTopic:
    """One rights topic, pre-split into SMS-sized parts per language.

    `opener` and `more_hint` come from rights.yml's `ui` block so that
    rendering a part needs nothing but the topic.
    """

    id: str
    keywords: Mapping[str, tuple[str, ...]]
    title: Mapping[str, str]
    parts: Mapping[str, tuple[str, ...]]
    source: str
    last_reviewed: date
    reviewed: bool
    opener: Mapping[str, str] = field(default_factory=dict)
    more_hint: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Line:
    """A direct answer to "which number can I call?" (lines.yml), numbers already filled."""

    id: str
    text: Mapping[str, str]
    source: str
    last_reviewed: date
    reviewed: bool


@dataclass(frozen=True)
class State:
    """A US state or territory with its ZIP prefixes and local resources."""

    code: str
    names: Mapping[str, str]
    zip3: tuple[tuple[int, int], ...]
    resources: tuple[Resource, ...]
    source: str
    last_reviewed: date
    aliases: tuple[str, ...] = ()

    def name(self, lang: str) -> str:
        """Display name in the texter's language."""
        return self.names.get(lang) or self.names["en"]

    def has_zip3(self, prefix: int) -> bool:
        """True when a 3-digit ZIP prefix belongs to this state."""
        return any(lo <= prefix <= hi for lo, hi in self.zip3)

    def is_stale(self, today: date, max_age_days: int) -> bool:
        """True when the state entry or any of its resources is overdue for review.

        Why: local law and local numbers change; an old listing must give way
        to the national hotline rather than send someone to a dead number.
        """
        if (today - self.last_reviewed).days > max_age_days:
            return True
        return any(r.is_stale(today, max_age_days) for r in self.resources)


# Two-letter codes that are also everyday English/Spanish words (or common
# abbreviations). Inside a sentence they count only when written in capitals.
AMBIGUOUS_CODES: frozenset[str] = frozenset(
    {"al", "as", "co", "de", "hi", "id", "in", "la", "ma", "md", "me", "mi",
     "mo", "ms", "ne", "oh", "ok", "or", "pa", "va", "vi", "wi"}
)
# Codes that, even as the whole lower-case message, are more likely a reply
# ("ok", "hi", "oh") than a state.
_NOT_ALONE_LOWER: frozenset[str] = frozenset({"ok", "hi", "oh"})
_ZIP_RE = re.compile(r"(?<!\d)(\d{5})(?:-\d{4})?(?!\d)")


@dataclass
class Content:
    """Everything the bot says or refers to, validated and indexed."""

    rights: tuple[RightsTopic, ...]
    resources: Mapping[str, Resource]
    national_list: tuple[str, ...]
    templates: Mapping[str, Mapping[str, str]]
    states: tuple[State, ...]
    alarming_words: Mapping[str, tuple[str, ...]]
    lines: Mapping[str, Line] = field(default_factory=dict)
    line_offer: Mapping[str, str] = field(default_factory=dict)
    disclosures: Mapping[str, Line] = field(default_factory=dict)
    disclosure_header: Mapping[str, str] = field(default_factory=dict)
    root: Path | None = None
    _keyword_index: list[tuple[str, RightsTopic]] = field(default_factory=list, repr=False)
    _keyword_patterns: list[tuple[str, re.Pattern[str], RightsTopic]] = field(
        default_factory=list, repr=False)
    _state_names: list[tuple[str, State]] = field(default_factory=list, repr=False)
    _state_codes: dict[str, State] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        kws: dict[str, RightsTopic] = {}
        for topic in self.rights:
            for lang in LANGS:
                for kw in (*topic.keywords[lang], topic.title[lang]):
                    n = normalize(kw)
                    other = kws.get(n)
                    if other is not None and other.id != topic.id:
                        raise ContentError(
                            f"rights keyword {kw!r} is used by both {other.id} and {topic.id}"
                        )
                    kws[n] = topic
        # Longest first, so "antecedentes penales" beats "record" etc.
        self._keyword_index = sorted(kws.items(), key=lambda kv: -len(kv[0]))
        # Round 8b: a keyword of several words also matches with one word slipped in
        # ("quien mas lee", "who else reads"): texters rarely use our exact phrase.
        self._keyword_patterns = [
            (kw, re.compile(r"(?<!\S)" + r"(?: \S+)? ".join(map(re.escape, kw.split()))
                            + r"(?!\S)"), topic)
            for kw, topic in self._keyword_index]
        names: dict[str, State] = {}
        for st in self.states:
            self._state_codes[st.code.lower()] = st
            for nm in (*st.names.values(), *st.aliases):
                n = normalize(nm)
                other = names.get(n)
                if other is not None and other.code != st.code:
                    raise ContentError(f"state name {nm!r} is used by {other.code} and {st.code}")
                names[n] = st
        self._state_names = sorted(names.items(), key=lambda kv: -len(kv[0]))

    # ------------------------------------------------------------------ queries

    def template(self, key: str, lang: str) -> str:
        """A message template in one language (resource placeholders already filled)."""
        try:
            return self.templates[key][lang]
        except KeyError as exc:
            raise ContentError(f"missing template {key!r} for {lang!r}") from exc

    def resource(self, rid: str) -> Resource:
        """A national or state resource by id."""
        for r in self.all_resources():
            if r.id == rid:
                return r
        raise KeyError(rid)

    def all_resources(self) -> list[Resource]:
        """National resources followed by every state's resources."""
        return [*self.resources.values(), *(r for s in self.states for r in s.resources)]

    def topic(self, topic_id: str) -> RightsTopic:
        """A rights topic by id."""
        for t in self.rights:
            if t.id == topic_id:
                return t
        raise KeyError(topic_id)

    def match_rights_topic(self, text: str) -> RightsTopic | None:
        """The rights topic a message asks about, by keyword; None if unclear.

        The longest matching keyword wins ("criminal record" over "record");
        among equally long ones, the one written first in the message.
        """
        norm = normalize(text)
        if not norm:
            return None
        best: tuple[int, int, RightsTopic] | None = None
        for kw, pattern, topic in self._keyword_patterns:
            if best is not None and len(kw) < best[0]:
                break
            found = pattern.search(norm)
            if found is not None and (best is None or found.start() < best[1]):
                best = (len(kw), found.start(), topic)
        return best[2] if best else None

    def names_topic(self, topic_id: str, text: str) -> bool:
        """True when the message uses one of this topic's own keywords."""
        norm = normalize(text)
        return any(topic.id == topic_id and pattern.search(norm)
                   for _, pattern, topic in self._keyword_patterns)

    def lookup_state(self, text: str) -> State | None:
        """Which state a message names: by name (EN/ES/alias), ZIP, then code.

        Two-letter codes that are also words ("in", "me", "ok", "pa") only count
        when written in capitals inside a message that is not all capitals, or
        as the whole message (except lower-case "ok", "hi", "oh"), so
        "i live in ohio" is Ohio, not Indiana, and "HELP ME" is not Maine.
        """
        norm = normalize(text)
        if not norm:
            return None
        padded = f" {norm} "
        for name, st in self._state_names:  # longest first: "west virginia" > "virginia"
            if f" {name} " in padded:
                return st
        for m in _ZIP_RE.finditer(text):
            st = self.state_for_zip(m.group(1))
            if st is not None:
                return st
        return self._lookup_code(text, norm)

    def _lookup_code(self, text: str, norm: str) -> State | None:
        """Match a 2-letter code as a standalone token, cautious with word-codes."""
        tokens = norm.split()
        if len(tokens) == 1 and tokens[0] in self._state_codes:
            tok = tokens[0]
            if tok not in _NOT_ALONE_LOWER or re.search(rf"\b{tok.upper()}\b", text):
                return self._state_codes[tok]
            return None
        ambiguous_hit: State | None = None
        raw_tokens = re.findall(r"[A-Za-z]+", text)
        # In an all-caps message ("HELP ME NOW") capitals say nothing about intent.
        shouting = not any(ch.islower() for ch in text)
        for raw in raw_tokens:
            low = raw.lower()
            st = self._state_codes.get(low)
            if st is None or len(raw) != 2:
                continue
            if low not in AMBIGUOUS_CODES:
                return st
            if raw.isupper() and not shouting and ambiguous_hit is None:
                ambiguous_hit = st
        return ambiguous_hit

    def state_for_zip(self, zip_code: str) -> State | None:
        """State for a 5-digit ZIP (or ZIP+4) by its 3-digit prefix."""
        digits = re.sub(r"\D", "", zip_code)[:5]
        if len(digits) != 5:
            return None
        prefix = int(digits[:3])
        for st in self.states:
            if st.has_zip3(prefix):
                return st
        return None

    def state_by_code(self, code: str) -> State | None:
        """State by its 2-letter code, any case."""
        return self._state_codes.get(code.strip().lower())

    def line(self, line_id: str) -> Line:
        """A direct-answer line by id (raises KeyError for unknown ids)."""
        return self.lines[line_id]

    def unreviewed(self) -> list[str]:
        """Ids of entries still flagged `reviewed: false` (for the `doctor` command)."""
        return [t.id for t in self.rights if not t.reviewed] + [
            r.id for r in self.all_resources() if not r.reviewed
        ] + [f"line:{ln.id}" for ln in self.lines.values() if not ln.reviewed] + [
            f"disclosure:{d.id}" for d in self.disclosures.values() if not d.reviewed]


# --------------------------------------------------------------------------- loading


def _read_yaml(path: Path) -> dict[str, Any]:
    """Parse one YAML file into a mapping, or raise ContentError naming the file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ContentError(f"content file missing: {path}") from exc
    except yaml.YAMLError as exc:
        raise ContentError(f"{path.name}: invalid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ContentError(f"{path.name}: top level must be a mapping")
    return data


def _req(entry: Mapping[str, Any], key: str, where: str) -> Any:
    """A required, non-empty field."""
    value = entry.get(key) if isinstance(entry, Mapping) else None
    if value is None or value == "" or value == [] or value == {}:
        raise ContentError(f"{where}: missing required field {key!r}")
    return value


def _str(entry: Mapping[str, Any], key: str, where: str) -> str:
    value = _req(entry, key, where)
    if not isinstance(value, str) or not value.strip():
        raise ContentError(f"{where}: {key!r} must be a non-empty string")
    return value


def _date(value: Any, where: str) -> date:
    """An ISO date (YAML may already have parsed it)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise ContentError(f"{where}: last_reviewed {value!r} is not an ISO date") from exc


def _bool(entry: Mapping[str, Any], key: str, where: str) -> bool:
    value = entry.get(key)
    if not isinstance(value, bool):
        raise ContentError(f"{where}: {key!r} must be true or false")
    return value


def _bilingual(entry: Mapping[str, Any], key: str, where: str) -> dict[str, str]:
    """A {en, es} mapping of non-empty strings."""
    value = _req(entry, key, where)
    if not isinstance(value, Mapping):
        raise ContentError(f"{where}: {key!r} must have 'en' and 'es'")
    out: dict[str, str] = {}
    for lang in LANGS:
        text = value.get(lang)
        if not isinstance(text, str) or not text.strip():
            raise ContentError(f"{where}: {key!r} is missing the {lang!r} text")
        out[lang] = text
    return out


def _bilingual_list(entry: Mapping[str, Any], key: str, where: str) -> dict[str, tuple[str, ...]]:
    """A {en: [...], es: [...]} mapping of non-empty string lists."""
    value = _req(entry, key, where)
    if not isinstance(value, Mapping):
        raise ContentError(f"{where}: {key!r} must have 'en' and 'es' lists")
    out: dict[str, tuple[str, ...]] = {}
    for lang in LANGS:
        items = value.get(lang)
        if not isinstance(items, list) or not items:
            raise ContentError(f"{where}: {key!r} is missing the {lang!r} list")
        if not all(isinstance(i, str) and i.strip() for i in items):
            raise ContentError(f"{where}: {key!r}.{lang} must contain only non-empty strings")
        out[lang] = tuple(items)
    return out


_REF_RE = re.compile(r"\{([a-z0-9_]+)\.([a-z0-9_]+)\}")


def _fill_refs(text: str, resources: Mapping[str, Resource], where: str) -> str:
    """Replace {resource_id.field} with the resource's contact (or hours).

    Why: a phone number is written once, in resources.yml; templates and rights
    parts cannot drift from it.
    """

    def sub(m: re.Match[str]) -> str:
        rid, fld = m.group(1), m.group(2)
        res = resources.get(rid)
        if res is None:
            raise ContentError(f"{where}: unknown resource {rid!r} in {m.group(0)}")
        if fld == "hours" and res.hours:
            return res.hours
        if fld not in res.contact:
            raise ContentError(f"{where}: resource {rid!r} has no contact field {fld!r}")
        return res.contact[fld]

    return _REF_RE.sub(sub, text)


def _parse_resource(entry: Any, where: str) -> Resource:
    if not isinstance(entry, Mapping):
        raise ContentError(f"{where}: each resource must be a mapping")
    rid = _str(entry, "id", where)
    where = f"{where} {rid}"
    contact = _req(entry, "contact", where)
    if not isinstance(contact, Mapping) or not all(
        isinstance(v, str) and v.strip() for v in contact.values()
    ):
        raise ContentError(f"{where}: 'contact' must map fields to quoted strings")
    hours = entry.get("hours")
    return Resource(
        id=rid,
        name=_bilingual(entry, "name", where),
        contact=dict(contact),
        use=_bilingual(entry, "use", where),
        source=_str(entry, "source", where),
        last_reviewed=_date(_req(entry, "last_reviewed", where), where),
        reviewed=_bool(entry, "reviewed", where),
        hours=str(hours) if hours is not None else None,
    )


def _parse_zip3(values: Any, where: str) -> tuple[tuple[int, int], ...]:
    if not isinstance(values, list) or not values:
        raise ContentError(f"{where}: 'zip3' must be a non-empty list of \"NNN\" or \"NNN-NNN\"")
    out: list[tuple[int, int]] = []
    for v in values:
        m = re.fullmatch(r"(\d{3})(?:-(\d{3}))?", str(v)) if isinstance(v, str) else None
        if m is None:
            raise ContentError(f"{where}: bad zip3 entry {v!r} (quote it, e.g. \"005\")")
        lo = int(m.group(1))
        hi = int(m.group(2) or m.group(1))
        if hi < lo:
            raise ContentError(f"{where}: zip3 range {v!r} is reversed")
        out.append((lo, hi))
    return tuple(out)


_Templates = dict[str, dict[str, str]]


def _load_resources(root: Path) -> tuple[dict[str, Resource], tuple[str, ...], _Templates]:
    data = _read_yaml(root / "resources.yml")
    entries = _req(data, "resources", "resources.yml")
    if not isinstance(entries, list):
        raise ContentError("resources.yml: 'resources' must be a list")
    resources: dict[str, Resource] = {}
    for i, entry in enumerate(entries):
        res = _parse_resource(entry, f"resources.yml resource #{i + 1}")
        if res.id in resources:
            raise ContentError(f"resources.yml: duplicate id {res.id!r}")
        resources[res.id] = res
    national = tuple(data.get("national_list") or ())
    for rid in national:
        if rid not in resources:
            raise ContentError(f"resources.yml: national_list names unknown resource {rid!r}")
    raw_templates = _req(data, "templates", "resources.yml")
    if not isinstance(raw_templates, Mapping):
        raise ContentError("resources.yml: 'templates' must be a mapping")
    templates: _Templates = {}
    for key in raw_templates:
        where = f"resources.yml template {key}"
        templates[key] = {
            lang: _fill_refs(text, resources, f"{where}.{lang}")
            for lang, text in _bilingual(raw_templates, key, where).items()
        }
    return resources, national, templates


def _load_rights(root: Path, resources: Mapping[str, Resource]) -> tuple[RightsTopic, ...]:
    data = _read_yaml(root / "rights.yml")
    ui = _req(data, "ui", "rights.yml")
    opener = _bilingual(ui, "opener", "rights.yml ui")
    more_hint = _bilingual(ui, "more_hint", "rights.yml ui")
    entries = _req(data, "topics", "rights.yml")
    if not isinstance(entries, list):
        raise ContentError("rights.yml: 'topics' must be a list")
    topics: list[RightsTopic] = []
    for i, entry in enumerate(entries):
        where = f"rights.yml topic #{i + 1}"
        if not isinstance(entry, Mapping):
            raise ContentError(f"{where}: must be a mapping")
        tid = _str(entry, "id", where)
        where = f"rights.yml {tid}"
        parts = _bilingual_list(entry, "parts", where)
        filled: dict[str, tuple[str, ...]] = {}
        for lang, texts in parts.items():
            if len(texts) > 3:
                raise ContentError(f"{where}: at most 3 parts per language, got {len(texts)}")
            filled[lang] = tuple(_fill_refs(t, resources, f"{where} part ({lang})") for t in texts)
            for n, t in enumerate(filled[lang], 1):
                segs = segment_count(t)
                if segs > MAX_PART_SEGMENTS:
                    raise ContentError(
                        f"{where}: {lang} part {n} is {segs} SMS segments"
                        f" (max {MAX_PART_SEGMENTS})"
                    )
        topics.append(
            RightsTopic(
                id=tid,
                keywords=_bilingual_list(entry, "keywords", where),
                title=_bilingual(entry, "title", where),
                parts=filled,
                source=_str(entry, "source", where),
                last_reviewed=_date(_req(entry, "last_reviewed", where), where),
                reviewed=_bool(entry, "reviewed", where),
                opener=opener,
                more_hint=more_hint,
            )
        )
    return tuple(topics)


def _load_states(root: Path) -> tuple[State, ...]:
    data = _read_yaml(root / "states.yml")
    defaults = data.get("defaults") or {}
    entries = _req(data, "states", "states.yml")
    if not isinstance(entries, list):
        raise ContentError("states.yml: 'states' must be a list")
    states: list[State] = []
    seen_prefix: dict[int, str] = {}
    for i, entry in enumerate(entries):
        where = f"states.yml state #{i + 1}"
        if not isinstance(entry, Mapping):
            raise ContentError(f"{where}: must be a mapping")
        code = _str(entry, "code", where)
        if not re.fullmatch(r"[A-Z]{2}", code):
            raise ContentError(f"{where}: code {code!r} must be 2 capital letters (quote it)")
        where = f"states.yml {code}"
        merged = {**defaults, **entry}
        zip3 = _parse_zip3(entry.get("zip3"), where)
        for lo, hi in zip3:
            for p in range(lo, hi + 1):
                if p in seen_prefix:
                    raise ContentError(
                        f"{where}: ZIP prefix {p:03d} already belongs to {seen_prefix[p]}"
                    )
                seen_prefix[p] = code
        raw_resources = entry.get("resources") or []
        if not isinstance(raw_resources, list):
            raise ContentError(f"{where}: 'resources' must be a list")
        aliases = entry.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise ContentError(f"{where}: 'aliases' must be a list of strings")
        states.append(
            State(
                code=code,
                names=_bilingual(entry, "names", where),
                zip3=zip3,
                resources=tuple(
                    _parse_resource(r, f"{where} resource #{n + 1}")
                    for n, r in enumerate(raw_resources)
                ),
                source=_str(merged, "source", where),
                last_reviewed=_date(_req(merged, "last_reviewed", where), where),
                aliases=tuple(aliases),
            )
        )
    codes = [s.code for s in states]
    if len(set(codes)) != len(codes):
        raise ContentError("states.yml: duplicate state code")
    return tuple(states)


def _load_lockscreen(root: Path) -> dict[str, tuple[str, ...]]:
    data = _read_yaml(root / "lockscreen.yml")
    _str(data, "source", "lockscreen.yml")
    _date(_req(data, "last_reviewed", "lockscreen.yml"), "lockscreen.yml")
    words = _bilingual_list(data, "alarming_words", "lockscreen.yml")
    return {lang: tuple(str(w) for w in ws) for lang, ws in words.items()}


def _load_lines(root: Path, resources: Mapping[str, Resource], file: str = "lines.yml",
                extra: str = "offer") -> tuple[dict[str, Line], dict[str, str]]:
    """Sourced texts (lines.yml: direct answers; disclosures.yml: what we say back),
    each within the SMS budget; `extra` names the file's one bilingual helper text."""
    data = _read_yaml(root / file)
    entries = _req(data, "lines", file)
    if not isinstance(entries, list):
        raise ContentError(f"{file}: 'lines' must be a list")
    lines: dict[str, Line] = {}
    for i, entry in enumerate(entries):
        where = f"{file} line #{i + 1}"
        if not isinstance(entry, Mapping):
            raise ContentError(f"{where}: must be a mapping")
        lid = _str(entry, "id", where)
        where = f"{file} {lid}"
        if lid in lines:
            raise ContentError(f"{file}: duplicate id {lid!r}")
        text = {lang: _fill_refs(t, resources, f"{where}.{lang}")
                for lang, t in _bilingual(entry, "text", where).items()}
        for lang, t in text.items():
            segs = segment_count(t)
            if segs > MAX_PART_SEGMENTS:
                raise ContentError(f"{where}: {lang} text is {segs} SMS segments"
                                   f" (max {MAX_PART_SEGMENTS})")
        lines[lid] = Line(
            id=lid, text=text, source=_str(entry, "source", where),
            last_reviewed=_date(_req(entry, "last_reviewed", where), where),
            reviewed=_bool(entry, "reviewed", where),
        )
    return lines, _bilingual(data, extra, file)


def _load(root: Path) -> Content:
    resources, national, templates = _load_resources(root)
    rights = _load_rights(root, resources)
    lines, line_offer = _load_lines(root, resources)
    disclosures, disclosure_header = _load_lines(root, resources, "disclosures.yml", "header")
    states = _load_states(root)
    content = Content(
        rights=rights,
        resources=resources,
        national_list=national,
        templates=templates,
        states=states,
        alarming_words=_load_lockscreen(root),
        lines=lines,
        line_offer=line_offer,
        disclosures=disclosures,
        disclosure_header=disclosure_header,
        root=root,
    )
    ids = [t.id for t in rights] + [r.id for r in content.all_resources()]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ContentError(f"ids must be unique across content files: {dupes}")
    return content


@functools.lru_cache(maxsize=1)
def _load_default() -> Content:
    return _load(DEFAULT_ROOT)


def load_content(root: Path | None = None) -> Content:
    """Load and validate all content; the default location is cached.

    Why cached: actions call this on every turn; the files only change with a
    deploy (restart). Pass `root` (e.g. a test's temp dir) to bypass the cache.
    """
    if root is None:
        return _load_default()
    return _load(Path(root))
