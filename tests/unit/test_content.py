"""Content files: sourcing, both languages, SMS budget, lock-screen safety, lookups."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml

from bot.content import render
from bot.content.loader import DEFAULT_ROOT, LANGS, Content, ContentError, load_content
from bot.content.lockscreen import alarming_hits, first_line, first_line_is_safe
from bot.content.sms import segment_count

TODAY = date(2026, 12, 1)


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content()


def all_rendered(content: Content) -> dict[str, str]:
    """Every reply the content layer can produce, keyed for error messages."""
    out: dict[str, str] = {}
    for lang in LANGS:
        out[f"menu/{lang}"] = render.rights_menu(content, lang)
        out[f"emergency/{lang}"] = render.emergency_message(content, lang)
        out[f"handoff/{lang}"] = render.handoff_message(content, lang, urgent=False)
        out[f"handoff_urgent/{lang}"] = render.handoff_message(content, lang, urgent=True)
        out[f"national/{lang}"] = render.national_resources(content, lang)
        out[f"minor/{lang}"] = render.minor_resources(content, lang)
        out[f"wages/{lang}"] = render.wages_resources(content, lang)
        out[f"state:none/{lang}"] = render.state_resources(content, None, lang, TODAY)
        for st in content.states:
            out[f"state:{st.code}/{lang}"] = render.state_resources(content, st, lang, TODAY)
        for topic in content.rights:
            for i in range(len(topic.parts[lang])):
                out[f"rights:{topic.id}[{i}]/{lang}"] = render.rights_part(topic, lang, i)[0]
        for line_id in content.lines:
            out[f"line:{line_id}/{lang}"] = render.line_message(content, line_id, lang)
        out[f"line_offer/{lang}"] = render.line_offer(content, lang)
        kinds = list(content.disclosures)
        for a in kinds:
            for b in kinds:
                reply = render.disclosure_reply(content, [a, b] if a != b else [a], lang)
                assert reply is not None, (a, b, lang)
                out[f"disclosure:{a}+{b}/{lang}"] = reply
    return out


# ----------------------------------------------------------------- sourcing


def test_default_content_loads_and_is_cached(content: Content) -> None:
    assert load_content() is load_content()
    assert {t.id for t in content.rights} == {
        "t_visa", "u_visa", "continued_presence", "documents", "wages",
        "minors", "vacatur", "victim_rights", "confidentiality",
        "reporting", "police", "status", "removal", "debt",
    }
    assert {
        "national_hotline", "emergency_911", "ncmec", "dol_whd", "eeoc",
        "lifeline_988", "fbi_tips", "dhs_hsi",
    } <= set(content.resources)


def test_every_entry_has_source_date_and_both_languages(content: Content) -> None:
    for t in content.rights:
        assert t.source.strip() and isinstance(t.last_reviewed, date), t.id
        for lang in LANGS:
            assert t.title[lang] and t.keywords[lang] and t.parts[lang], (t.id, lang)
            assert 1 <= len(t.parts[lang]) <= 3, (t.id, lang)
    for r in content.all_resources():
        assert r.source.strip() and isinstance(r.last_reviewed, date), r.id
        assert r.contact, r.id
        for lang in LANGS:
            assert r.name[lang].strip() and r.use[lang].strip(), (r.id, lang)
    for st in content.states:
        assert st.source.strip() and isinstance(st.last_reviewed, date), st.code
        assert st.names["en"] and st.names["es"], st.code
    for key, texts in content.templates.items():
        assert set(LANGS) <= set(texts), key


def test_spanish_is_actually_spanish(content: Content) -> None:
    # Guard against copy-paste of English into the es slot.
    for t in content.rights:
        for en, es in zip(t.parts["en"], t.parts["es"], strict=False):
            assert en != es, t.id
    assert content.template("handoff", "es") != content.template("handoff", "en")
    assert "í" in content.template("national", "es")  # "Línea": real accents


def test_contacts_match_the_brief(content: Content) -> None:
    hotline = content.resources["national_hotline"].contact
    assert hotline == {"call": "1-888-373-7888", "text": "233733", "tty": "711"}
    assert content.resources["ncmec"].contact["call"] == "1-800-843-5678"
    assert content.resources["ncmec"].contact["web"] == "report.cybertip.org"
    assert content.resources["dol_whd"].contact["call"] == "1-866-487-9243"
    assert content.resources["eeoc"].contact["call"] == "1-800-669-4000"
    assert content.resources["lifeline_988"].contact["call"] == "988"
    assert content.resources["fbi_tips"].contact["web"] == "tips.fbi.gov"
    assert "ICE" in content.resources["dhs_hsi"].use["en"]
    assert "ICE" in content.resources["dhs_hsi"].use["es"]


def test_placeholders_are_filled_from_resources(content: Content) -> None:
    texts = [content.template("emergency", "en"), *content.topic("t_visa").parts["es"]]
    assert all("{national_hotline" not in text for text in texts)
    assert "1-888-373-7888" in content.template("emergency", "es")
    assert "233733" in content.topic("documents").parts["en"][-1]


def test_verify_items_are_flagged_unreviewed(content: Content) -> None:
    pending = set(content.unreviewed())
    assert {"t_visa", "minors", "dhs_hsi", "national_hotline"} <= pending
    # BRIEF: verify all contacts before launch.
    assert all(r.id in pending for r in content.all_resources())
    # Facts the BRIEF states without VERIFY are reviewed.
    assert "documents" not in pending and "wages" not in pending


def test_verify_facts_are_not_stated_as_certain(content: Content) -> None:
    # T visa length of status and the safe-harbor state count are VERIFY.
    t_visa = " ".join(content.topic("t_visa").parts["en"]).lower()
    assert "4 years" not in t_visa and "four years" not in t_visa
    assert "how long it lasts" in t_visa
    minors = " ".join(content.topic("minors").parts["en"] + content.topic("minors").parts["es"])
    assert "35" not in minors


# ----------------------------------------------------------------- budget


def test_every_rights_part_is_at_most_three_segments(content: Content) -> None:
    for t in content.rights:
        for lang in LANGS:
            for i, part in enumerate(t.parts[lang]):
                assert segment_count(part) <= 3, (t.id, lang, i, segment_count(part))


def test_every_rendered_message_is_at_most_three_segments(content: Content) -> None:
    counts = {k: segment_count(v) for k, v in all_rendered(content).items()}
    too_long = {k: n for k, n in counts.items() if n > 3}
    assert too_long == {}


def test_rights_part_more_hint_and_bounds(content: Content) -> None:
    topic = content.topic("t_visa")
    n = len(topic.parts["es"])
    assert n == 3
    text, more = render.rights_part(topic, "es", 0)
    assert more is True and text.endswith("Responde MÁS para más.")
    text, more = render.rights_part(topic, "es", n - 1)
    assert more is False and "MÁS" not in text
    text, more = render.rights_part(topic, "en", 0)
    assert more and text.endswith("Reply MORE for more.")
    with pytest.raises(IndexError):
        render.rights_part(topic, "en", n)


def test_rights_menu_lists_every_topic_and_titles_route_back(content: Content) -> None:
    for lang in LANGS:
        menu = render.rights_menu(content, lang)
        for t in content.rights:
            assert t.title[lang] in menu, (lang, t.id)
            matched = content.match_rights_topic(t.title[lang])
            assert matched is not None and matched.id == t.id, (lang, t.title[lang])


# ----------------------------------------------------------------- lock screen


def test_all_rendered_first_lines_are_safe(content: Content) -> None:
    unsafe = {
        k: (first_line(v), alarming_hits(first_line(v), content))
        for k, v in all_rendered(content).items()
        if not first_line_is_safe(v, content)
    }
    assert unsafe == {}


def test_first_line_rules(content: Content) -> None:
    assert first_line("Hello.\nCall 911 now") == "Hello."
    assert first_line("Hi there. More text here") == "Hi there."
    assert not first_line_is_safe("Trafficking info\nmore", content)
    assert not first_line_is_safe("Call 911 now.", content)
    assert not first_line_is_safe("Línea de la POLICÍA\n...", content)  # accents/case
    assert not first_line_is_safe("Sexual exploitation help", content)  # prefix words
    assert not first_line_is_safe("Info sobre trata\n...", content)
    assert not first_line_is_safe("About your visa\n...", content)
    assert first_line_is_safe("Here is some info.\nCall 911 if you are in danger.", content)
    assert first_line_is_safe("Hi\ntrafficking", content)


# ----------------------------------------------------------------- matching


@pytest.mark.parametrize(
    ("text", "topic_id"),
    [
        ("t visa", "t_visa"),
        ("VISA T??", "t_visa"),
        ("what about the u visa", "u_visa"),
        ("my boss has my passport", "documents"),
        ("se quedaron con mi pasaporte", "documents"),
        ("they keep my ID", "documents"),
        ("papeles", "documents"),
        ("no me pagan el sueldo", "wages"),
        ("they dont pay me", "wages"),
        ("salario", "wages"),
        ("tengo antecedentes", "vacatur"),
        ("can i clear my criminal record", "vacatur"),
        ("im 16", "minors"),
        ("I'm 15 years old", "minors"),
        ("soy menor de edad", "minors"),
        ("do i have to testify in court", "victim_rights"),
        ("is this confidential", "confidentiality"),
        ("privacidad", "confidentiality"),
        ("presencia continuada", "continued_presence"),
        ("identificación", "documents"),
        ("identificacion", "documents"),
    ],
)
def test_match_rights_topic(content: Content, text: str, topic_id: str) -> None:
    topic = content.match_rights_topic(text)
    assert topic is not None and topic.id == topic_id


@pytest.mark.parametrize(
    "text", ["", "hola", "I'd like to talk", "idk", "visa", "paying attention? no", "ok"]
)
def test_match_rights_topic_none(content: Content, text: str) -> None:
    assert content.match_rights_topic(text) is None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("New York", "NY"),
        ("nueva york", "NY"),
        ("Vivo en Nuevo México", "NM"),
        ("nuevo mexico", "NM"),
        ("texas", "TX"),
        ("estoy en Luisiana", "LA"),
        ("california", "CA"),
        ("i live in ohio", "OH"),
        ("I LIVE IN OHIO", "OH"),
        ("west virginia", "WV"),
        ("virginia occidental", "WV"),
        ("virginia", "VA"),
        ("washington dc", "DC"),
        ("Washington", "WA"),
        ("Arkansas", "AR"),
        ("Kansas", "KS"),
        ("Carolina del Norte", "NC"),
        ("puerto rico", "PR"),
        ("houston", "TX"),
        ("tx", "TX"),
        ("TX", "TX"),
        ("i'm in tx", "TX"),
        ("I'm in PA", "PA"),
        ("pa", "PA"),
        ("OK", "OK"),
        ("IN", "IN"),
        ("77001", "TX"),
        ("zip 77001-1234", "TX"),
        ("10001", "NY"),
        ("00501", "NY"),
        ("00601", "PR"),
        ("73301", "TX"),  # 733 is Austin TX, inside OK's 730-749 block
        ("73101", "OK"),
        ("88510", "TX"),  # El Paso
        ("20001", "DC"),
        ("20101", "VA"),
        ("90210", "CA"),
        ("96101", "CA"),
        ("99501", "AK"),
        ("96801", "HI"),
        ("02108", "MA"),
        ("05501", "MA"),
        ("05401", "VT"),
        ("33101", "FL"),
        ("39901", "GA"),
    ],
)
def test_lookup_state(content: Content, text: str, code: str) -> None:
    st = content.lookup_state(text)
    assert st is not None and st.code == code, (text, st and st.code)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "ok",
        "Ok",
        "hi",
        "oh no",
        "i'm in pa",  # lower-case word-code inside a sentence
        "help me",
        "HELP ME",  # shouting: capitals carry no meaning
        "or maybe not",
        "i am in a house",
        "i work 16 hours",
        "call 5551234567",
        "34001",  # military (AA), no state
        "idk",
        "mi jefe",
    ],
)
def test_lookup_state_false_positives(content: Content, text: str) -> None:
    st = content.lookup_state(text)
    assert st is None, (text, st.code if st else None)


def test_all_jurisdictions_present_with_zip_prefixes(content: Content) -> None:
    codes = {s.code for s in content.states}
    assert len(codes & {
        "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN",
        "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV",
        "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN",
        "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY",
    }) == 50
    assert {"DC", "PR"} <= codes
    assert all(s.zip3 for s in content.states)
    # Every state name resolves to itself in both languages.
    for st in content.states:
        for lang in LANGS:
            found = content.lookup_state(st.names[lang])
            assert found is not None and found.code == st.code, (st.code, lang)


# ----------------------------------------------------------------- fallback


def test_state_fallback_for_unknown_empty_and_stale(content: Content) -> None:
    hotline = content.resources["national_hotline"].contact["call"]
    unknown = render.state_resources(content, None, "en", TODAY)
    assert hotline in unknown and "that place" in unknown
    tx = content.state_by_code("TX")
    assert tx is not None and tx.resources == ()
    empty = render.state_resources(content, tx, "es", TODAY)
    assert "Texas" in empty and hotline in empty and "Aquí" in empty
    ca = content.state_by_code("CA")
    assert ca is not None and ca.resources
    fresh = render.state_resources(content, ca, "en", TODAY)
    assert ca.resources[0].contact["call"] in fresh and hotline in fresh
    later = ca.last_reviewed + timedelta(days=400)
    assert ca.is_stale(later, 365) and not ca.is_stale(TODAY, 365)
    stale = render.state_resources(content, ca, "en", later, max_age_days=365)
    assert ca.resources[0].contact["call"] not in stale
    assert hotline in stale and "California" in stale


def test_unknown_language_falls_back_to_english(content: Content) -> None:
    assert render.national_resources(content, "fr") == render.national_resources(content, "en")


# ----------------------------------------------------------------- broken files


@pytest.fixture()
def content_copy(tmp_path: Path) -> Path:
    dst = tmp_path / "content"
    shutil.copytree(DEFAULT_ROOT, dst)
    return dst


def _edit(path: Path, fn) -> None:  # type: ignore[no-untyped-def]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    fn(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_copy_of_content_loads(content_copy: Path) -> None:
    assert len(load_content(content_copy).rights) == 14


@pytest.mark.parametrize(
    ("file", "mutate", "message"),
    [
        ("rights.yml", lambda d: d["topics"][0].pop("source"), "source"),
        ("rights.yml", lambda d: d["topics"][1].pop("last_reviewed"), "last_reviewed"),
        ("rights.yml", lambda d: d["topics"][2]["parts"].pop("es"), "'es'"),
        ("rights.yml", lambda d: d["topics"][3]["title"].update(en=""), "'en'"),
        ("rights.yml", lambda d: d["topics"][0].update(last_reviewed="yesterday"), "ISO date"),
        ("rights.yml", lambda d: d["topics"][0].pop("reviewed"), "reviewed"),
        ("rights.yml", lambda d: d["topics"][0]["parts"].update(en=["x" * 500]), "segments"),
        ("rights.yml", lambda d: d["topics"][0]["parts"].update(en=["{nope.call}"]), "nope"),
        ("rights.yml", lambda d: d["topics"][4]["keywords"]["en"].append("passport"), "both"),
        ("resources.yml", lambda d: d["resources"][0].pop("source"), "source"),
        ("resources.yml", lambda d: d["resources"][2]["use"].pop("es"), "'es'"),
        ("resources.yml", lambda d: d["templates"]["handoff"].pop("es"), "handoff"),
        ("resources.yml", lambda d: d["templates"]["emergency"].update(en="{ncmec.text}"), "text"),
        ("states.yml", lambda d: d["states"][0].update(zip3=["750"]), "750"),
        ("states.yml", lambda d: d["states"][0]["names"].pop("es"), "'es'"),
        ("states.yml", lambda d: d.pop("defaults"), "source"),
        ("lockscreen.yml", lambda d: d["alarming_words"].pop("es"), "'es'"),
    ],
)
def test_loader_rejects_broken_content(content_copy: Path, file: str, mutate, message: str) -> None:  # type: ignore[no-untyped-def]
    _edit(content_copy / file, mutate)
    with pytest.raises(ContentError, match=message):
        load_content(content_copy)


def test_loader_rejects_invalid_yaml_and_missing_file(content_copy: Path) -> None:
    (content_copy / "states.yml").write_text("states: [unclosed", encoding="utf-8")
    with pytest.raises(ContentError, match="states.yml"):
        load_content(content_copy)
    (content_copy / "states.yml").unlink()
    with pytest.raises(ContentError, match="missing"):
        load_content(content_copy)


# ----------------------------------------------------------------- answer first (issue 10)

ASKED_FOR_LINES = {"hotline", "domestic_violence", "child_abuse", "crisis", "labor", "legal",
                   "shelter", "spanish"}


def test_every_line_people_ask_for_is_there_sourced_and_flagged(content: Content) -> None:
    assert set(content.lines) >= ASKED_FOR_LINES
    pending = set(content.unreviewed())
    for line in content.lines.values():
        assert line.source.strip() and line.last_reviewed <= TODAY
        # Every line carries at least one contact still to verify before launch.
        assert f"line:{line.id}" in pending, line.id
    # Numbers not in the domain brief are marked VERIFY and unreviewed.
    for rid in ("dv_hotline", "childhelp", "immigration_legal"):
        assert rid in pending and "VERIFY" in content.resource(rid).source


@pytest.mark.parametrize("lang", LANGS)
def test_every_line_names_a_number_and_the_hotline_call_line(content: Content, lang: str) -> None:
    for line in content.lines.values():
        text = render.line_message(content, line.id, lang)
        assert "1-888-373-7888" in text or "233733" in text, (line.id, lang)
        assert first_line_is_safe(text, content) and segment_count(text) <= 3
    hotline = render.line_message(content, "hotline", lang)
    assert all(p in hotline for p in ("1-888-373-7888", "233733", "TTY 711"))


def test_unknown_line_falls_back_to_the_hotline(content: Content) -> None:
    hotline = render.line_message(content, "hotline", "es")
    assert render.line_message(content, "nope", "es") == hotline


def test_disclosure_replies_speak_to_what_was_said(content: Content) -> None:
    reply = render.disclosure_reply(content, ["documents"], "en")
    assert reply is not None and "Nobody may keep your ID" in reply
    es = render.disclosure_reply(content, ["no_pay", "immigration_threat", "debt"], "es")
    assert es is not None and es.startswith("Gracias por contármelo.") and segment_count(es) <= 3
    assert render.disclosure_reply(content, ["adult"], "en") is None  # nothing to say back


def test_new_rights_topics_answer_the_questions_people_ask(content: Content) -> None:
    first = {t: content.topic(t).parts["en"][0] for t in ("reporting", "police", "status",
                                                         "removal", "confidentiality")}
    assert "do not report you to ICE or the police" in first["reporting"]
    assert first["police"].startswith("No. You do not have to talk to the police")
    assert first["status"].startswith("Yes, there are ways")
    assert "lawyer" in first["removal"]
    assert "Only our team reads this chat" in first["confidentiality"]


@pytest.mark.parametrize(("text", "topic_id"), [
    ("are you ice", "reporting"), ("son de migracion?", "reporting"),
    ("do i have to talk to the police", "police"), ("green card", "status"),
    ("me van a deportar", "removal"), ("i owe them", "debt"),
])
def test_new_topic_keywords(content: Content, text: str, topic_id: str) -> None:
    topic = content.match_rights_topic(text)
    assert topic is not None and topic.id == topic_id
