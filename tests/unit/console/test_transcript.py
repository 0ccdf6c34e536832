"""bot/console/transcript.py against a real migrated database."""

from __future__ import annotations

from datetime import timedelta

from bot.console.transcript import (
    ADVOCATE,
    ASSISTANT,
    TEXTER,
    conversation_facts,
    delivery_label,
    format_wait,
    indicator_label,
    notes,
    screening_summary,
    texter_messages,
    tips,
    transcript,
    wait_seconds,
)
from bot.store.db import session_scope
from bot.store.models import AdvocateNote, Conversation, OutboundMessage
from tests.unit.console.seed import PHONE, T0, add_advocate, escalated_conversation


def test_transcript_merges_all_authors_in_time_order_with_delivery_status(db_url: str) -> None:
    seeded = escalated_conversation(db_url)
    advocate_id = add_advocate(db_url, "ana", display_name="Ana R.")
    with session_scope(db_url) as s:
        # Written after the second texter message but created between the two:
        # order must follow time, not id.
        s.add(OutboundMessage(conversation_id=seeded.conversation_id, seq=0, channel="twilio",
                              author="advocate", advocate_id=advocate_id, body="Hola, soy Ana.",
                              status="queued", created_at=T0 + timedelta(seconds=15)))
        s.add(OutboundMessage(conversation_id=seeded.conversation_id, seq=0, channel="twilio",
                              author="advocate", advocate_id=advocate_id, body="¿Estás bien?",
                              status="sent", delivery_status="undelivered",
                              created_at=T0 + timedelta(seconds=40)))
    with session_scope(db_url) as s:
        entries = transcript(s, seeded.conversation_id)
    assert [(e.author, e.text) for e in entries] == [
        (TEXTER, "hola, necesito ayuda"),
        (ASSISTANT, "Aquí tienes info."),
        (ADVOCATE, "Hola, soy Ana."),
        (TEXTER, "sí, pueden compartir mi estado"),
        (ADVOCATE, "¿Estás bien?"),
    ]
    assert [e.status for e in entries] == [None, "delivered", "queued", None, "undelivered"]
    assert entries[2].author_name == "Ana R." and entries[1].author_name == "Assistant"
    assert entries[3].held and not entries[0].held
    assert len({e.key for e in entries}) == len(entries)
    assert entries[0].as_json()["at"].startswith("2026-11-28T12:00:00")
    assert all(PHONE not in str(e.as_json()) for e in entries)


def test_texter_messages_are_only_the_texters(db_url: str) -> None:
    seeded = escalated_conversation(db_url)
    with session_scope(db_url) as s:
        mine = texter_messages(s, seeded.conversation_id)
    assert [m.message_id for m in mine] == list(seeded.inbound_ids)


def test_delivery_label_prefers_the_providers_report_once_sent() -> None:
    assert delivery_label("sent", "delivered") == "delivered"
    assert delivery_label("sent", None) == "sent"
    assert delivery_label("queued", None) == "queued"
    assert delivery_label("failed", "failed") == "failed"


def test_screening_summary_has_readable_indicators_and_answers(db_url: str) -> None:
    seeded = escalated_conversation(db_url, minor=True)
    with session_scope(db_url) as s:
        summary = screening_summary(s, seeded.conversation_id)
    assert summary is not None
    assert {(i.name, i.label) for i in summary.indicators} == {
        ("MethodsOfControlRestrictsMovement", "Restricts movement"),
        ("MethodsOfControlWithholdsDocuments", "Withholds documents"),
    }
    assert summary.minor and summary.exploitation_type == "labor"
    assert summary.htcds_types == ("ForcedLabour",)
    assert summary.triage == "high" and any("R5_" in r for r in summary.reasons)
    by_id = {a.question_id: a for a in summary.answers}
    assert by_id["q_safe_leave"].answer == "no" and by_id["q_under18"].answer == "yes"
    assert "passport" in by_id["q_documents"].theme


def test_no_screening_gives_none(db_url: str) -> None:
    with session_scope(db_url) as s:
        s.add(Conversation(id="c-empty", channel="twilio", contact_key="k-empty"))
    with session_scope(db_url) as s:
        assert screening_summary(s, "c-empty") is None
        assert tips(s, "c-empty") == [] and transcript(s, "c-empty") == []


def test_tip_details_are_decrypted(db_url: str) -> None:
    seeded = escalated_conversation(db_url)
    with session_scope(db_url) as s:
        (tip,) = tips(s, seeded.conversation_id)
    assert (tip.what, tip.location, tip.state_code, tip.danger) == (
        "workers locked in a barn", "Fresno", "CA", "yes")
    assert tip.urgent and not tip.contact_ok


def test_notes_and_facts_never_carry_the_address(db_url: str) -> None:
    seeded = escalated_conversation(db_url)
    advocate_id = add_advocate(db_url, "ben")
    with session_scope(db_url) as s:
        s.add(AdvocateNote(conversation_id=seeded.conversation_id, advocate_id=advocate_id,
                           body="called back later"))
    with session_scope(db_url) as s:
        (note,) = notes(s, seeded.conversation_id)
        facts = conversation_facts(s.get(Conversation, seeded.conversation_id))
    assert (note.author_name, note.text) == ("Ben", "called back later")
    assert (facts.channel, facts.language, facts.status) == ("twilio", "es", "queued")
    assert PHONE not in repr(facts)


def test_indicator_label_falls_back_to_split_words() -> None:
    assert indicator_label("MethodsOfControlThreatOfLawEnforcement") == (
        "Threat of police / immigration")
    assert indicator_label("MethodsOfControlSomethingNew") == "Something new"


def test_wait_formatting() -> None:
    assert wait_seconds(T0, T0 + timedelta(seconds=75)) == 75
    assert wait_seconds(T0 + timedelta(seconds=5), T0) == 0
    assert wait_seconds(T0.replace(tzinfo=None), T0 + timedelta(seconds=1)) == 1
    assert [format_wait(n) for n in (9, 185, 7620)] == ["9s", "3m 05s", "2h 07m"]


def test_screening_summary_marks_what_came_from_the_texters_words(db_url: str) -> None:
    from bot.screening.rules import evaluate, to_record
    from bot.store.models import ScreeningRecord

    answers = {"q_safe_leave": "yes", "q_documents": "yes", "q_debt": "yes"}
    result = to_record(evaluate(answers))
    result["from_texters_words"] = [
        {"kind": "documents", "question": "q_documents",
         "htcds": "MethodsOfControlWithholdsDocuments"}]
    with session_scope(db_url) as s:
        s.add(Conversation(id="c-heard", channel="twilio", contact_key="k-heard"))
        s.flush()
        s.add(ScreeningRecord(conversation_id="c-heard", answers=answers, complete=False,
                              indicators=list(result["indicators"]),
                              exploitation_type=result["exploitation_type"], minor=False,
                              triage=result["triage"], result=result))
    with session_scope(db_url) as s:
        summary = screening_summary(s, "c-heard")
    assert summary is not None
    heard = {i.name: i.from_texter for i in summary.indicators}
    assert heard["MethodsOfControlWithholdsDocuments"] is True
    assert heard["MethodsOfControlDebtBondage"] is False  # a Y/N answer
    assert summary.from_texters_words == ("MethodsOfControlWithholdsDocuments",)
    by_id = {a.question_id: a for a in summary.answers}
    assert by_id["q_documents"].from_texter and not by_id["q_debt"].from_texter
