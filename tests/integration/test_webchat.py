"""The web chat end to end: real Rasa server, real action server, real SQLite."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.conftest import RunningHotline, plain

pytestmark = pytest.mark.rasa


def sender() -> str:
    return f"web-{uuid.uuid4()}"



def conversation_id(hotline: RunningHotline, message_id: str) -> str:
    (row,) = hotline.rows("select conversation_id from inbound_messages "
                           "where provider_message_id = :m", m=message_id)
    return row[0]


def test_english_opening_then_menu(hotline: RunningHotline) -> None:
    s = sender()
    opening = hotline.texts(s, "hi")
    assert len(opening) == 1
    assert opening[0].startswith("Hi, thanks for writing.")
    assert "safe" in opening[0] and "(Y/N)" in opening[0]
    after_yes = hotline.texts(s, "y")
    joined = "\n".join(after_yes)
    assert "private" in joined and "child" in joined  # confidentiality and its limits
    for option in ("1 Get help", "2 Know your rights", "3 Report", "4 Talk to a person"):
        assert option in joined


def test_spanish_is_detected_and_answered_in_spanish(hotline: RunningHotline) -> None:
    s = sender()
    opening = hotline.texts(s, "hola")
    assert opening[0].startswith("Hola, gracias por escribir.")
    menu = "\n".join(hotline.texts(s, "sí"))
    assert "Pedir ayuda" in menu and "Hablar con una persona" in menu


def test_screening_in_sms_style_is_scored_and_stored(hotline: RunningHotline) -> None:
    s = sender()
    mid = str(uuid.uuid4())
    hotline.post(s, "i need help", message_id=mid)
    assert any("Y" in t for t in hotline.texts(s, "y"))
    answers = {  # can't leave, papers held, debt, threats: labor trafficking indicators
        "q_safe_leave": "n", "q_documents": "yes", "q_debt": "y", "q_threats": "yeah",
        "q_police_threats": "idk", "q_violence": "no", "q_false_promises": "y",
        "q_commercial_sex": "n", "q_under18": "no", "q_conditions": "y", "q_housing": "y",
    }
    replies: list[str] = []
    for answer in answers.values():
        replies = hotline.texts(s, answer)
    joined = "\n".join(replies)
    assert "can be a form of trafficking" in joined
    assert "1-888-373-7888" in joined  # handoff message with the 24/7 hotline
    conv = conversation_id(hotline, mid)
    (result,) = hotline.rows("select triage, exploitation_type, minor, complete, indicators "
                              "from screening_results where conversation_id = :c", c=conv)
    assert result[0] == "high"
    assert result[1] == "labor"
    assert not result[2] and result[3]
    assert "MethodsOfControlWithholdsDocuments" in result[4]
    assert "MethodsOfControlDebtBondage" in result[4]
    handoffs = hotline.rows("select reason, priority from handoff_requests "
                             "where conversation_id = :c", c=conv)
    assert handoffs == [("screening", "high")]


def test_emergency_interrupts_screening(hotline: RunningHotline) -> None:
    s = sender()
    mid = str(uuid.uuid4())
    hotline.post(s, "1", message_id=mid)
    hotline.texts(s, "y")
    hotline.texts(s, "n")
    replies = hotline.texts(s, "he is going to hurt me")
    # The numbers first; then, as on SMS, whether a person may text back later.
    assert len(replies) == 2 and "Reply YES or NO" in replies[1]
    assert "911" in replies[0] and "1-888-373-7888" in replies[0]
    assert not replies[0].splitlines()[0].count("911")  # lock-screen safe first line
    conv = conversation_id(hotline, mid)
    assert hotline.rows("select urgent from conversations where id = :c", c=conv) == [(1,)]
    assert hotline.rows("select priority from handoff_requests where conversation_id = :c",
                c=conv) == [("emergency",)]
    partial = hotline.rows("select complete from screening_results where conversation_id = :c",
                   c=conv)
    assert partial == [(0,)]
    # The form is over: the next message is not taken as a screening answer.
    assert "Question" not in "\n".join(hotline.texts(s, "menu"))


def test_spanish_emergency_pattern(hotline: RunningHotline) -> None:
    replies = hotline.texts(sender(), "estoy encerrada ayuda")
    assert "911" in replies[0] and "233733" in replies[0]
    assert replies[0].startswith("Aquí tienes")


def test_quick_exit_forgets_the_conversation(hotline: RunningHotline) -> None:
    s = sender()
    hotline.texts(s, "1")
    hotline.texts(s, "y")
    assert hotline.texts(s, "EXIT") == ["OK, bye."]
    # Dialogue state is gone: "y" is no longer an answer to question 1.
    assert hotline.texts(s, "hi")[0].startswith("Hi, thanks for writing.")


def test_language_switch_mid_screening(hotline: RunningHotline) -> None:
    s = sender()
    # ("help me" alone now gets the Y/N danger check first: docs/safety.md.)
    hotline.texts(s, "i need help")
    first_q = hotline.texts(s, "y")
    assert "Question 1" in "\n".join(first_q)
    switched = hotline.texts(s, "español")
    joined = "\n".join(switched)
    assert "español" in joined
    assert "Pregunta 1" in joined  # the same question again, now in Spanish


def test_handoff_mid_tip_keeps_the_partial_tip(hotline: RunningHotline) -> None:
    s = sender()
    mid = str(uuid.uuid4())
    hotline.post(s, "I want to report something", message_id=mid)
    hotline.texts(s, "a van drops workers at a house every night")
    replies = hotline.texts(s, "can I talk to a real person")
    assert "person" in "\n".join(replies) and "1-888-373-7888" in "\n".join(replies)
    conv = conversation_id(hotline, mid)
    tips = [(plain(w), c) for w, c in
            hotline.rows("select what, complete from tips where conversation_id = :c", c=conv)]
    assert tips == [("a van drops workers at a house every night", 0)]
    assert hotline.rows("select reason from handoff_requests where conversation_id = :c",
                c=conv) == [("asked",)]


def test_rights_topic_and_state_lookup(hotline: RunningHotline) -> None:
    s = sender()
    rights = "\n".join(hotline.texts(s, "my boss took my passport, is that legal?"))
    assert "ID" in rights or "passport" in rights.lower()
    resources = "\n".join(hotline.texts(s, "where can I get help in Texas"))
    assert "Texas" in resources and "1-888-373-7888" in resources


def test_every_message_is_recorded(hotline: RunningHotline) -> None:
    s = sender()
    mid = str(uuid.uuid4())
    replies = hotline.post(s, "hello there", message_id=mid)
    conv = conversation_id(hotline, mid)
    inbound = [(plain(b), st) for b, st in hotline.rows(
        "select body, status from inbound_messages where conversation_id = :c", c=conv)]
    assert inbound == [("hello there", "processed")]
    outbound = hotline.rows("select body, status from outbound_messages "
                             "where conversation_id = :c order by seq", c=conv)
    assert [plain(o[0]) for o in outbound] == [r["text"] for r in replies]
    assert {o[1] for o in outbound} == {"sent"}
    # The texter's address is stored only as a keyed hash, never as the key itself.
    (conv_row,) = hotline.rows("select contact_key from conversations where id = :c", c=conv)
    assert s not in conv_row[0] and len(conv_row[0]) == 64


def test_retried_request_is_answered_once(hotline: RunningHotline) -> None:
    s = sender()
    mid = str(uuid.uuid4())
    first = hotline.post(s, "hi", message_id=mid)
    again = hotline.post(s, "hi", message_id=mid)
    assert first == again
    conv = conversation_id(hotline, mid)
    assert hotline.rows("select count(*) from inbound_messages where conversation_id = :c",
                c=conv) == [(1,)]
    assert hotline.rows("select count(*) from outbound_messages where conversation_id = :c",
                c=conv) == [(len(first),)]


@pytest.mark.parametrize(
    ("body", "headers", "status"),
    [
        (b"{not json", {}, 400),
        (b"\xff\xfe\x00garbage", {}, 400),
        (b"[1, 2]", {}, 400),
        (b'{"message": "hi"}', {}, 400),
        (b'{"sender": "x"}', {}, 400),
        (b'{"sender": 5, "message": "hi"}', {}, 400),
        (b'{"sender": "x", "message": "hi", "message_id": ""}', {}, 400),
        (('{"sender": "x", "message": "' + "a" * 10_000 + '"}').encode(), {}, 413),
        (b"x" * 70_000, {}, 413),
    ],
)
def test_bad_input_gets_a_clear_4xx(hotline: RunningHotline, body: bytes, headers: dict,
                                    status: int) -> None:
    r = httpx.post(f"{hotline.base_url}/webhooks/webchat/webhook", content=body,
                   headers={"Content-Type": "application/json", **headers}, timeout=30)
    assert r.status_code == status
    assert r.json()["error"]


def test_empty_message_gets_a_polite_reply(hotline: RunningHotline) -> None:
    assert hotline.texts(sender(), "   ") == [
        "Please type a message. Reply MENU to see options."]


def test_chat_page_is_served_with_security_headers(hotline: RunningHotline) -> None:
    r = httpx.get(f"{hotline.base_url}/webhooks/webchat/", timeout=10)
    assert r.status_code == 200
    assert "<form" in r.text and "webchat.js" in r.text
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-frame-options"] == "DENY"
    js = httpx.get(f"{hotline.base_url}/webhooks/webchat/webchat.js", timeout=10)
    assert "message_id" in js.text


def test_logs_hold_no_message_text_or_sender(hotline: RunningHotline) -> None:
    s = f"web-secret-{uuid.uuid4()}"
    marker = f"zebra-{uuid.uuid4().hex[:8]} my boss keeps my passport"
    hotline.texts(s, marker)
    log = hotline.log_path.read_text(errors="replace")
    assert "Rasa server is up" in log  # the log is really being captured
    assert s not in log
    assert marker not in log


@pytest.fixture
def hotline_keys():  # type: ignore[no-untyped-def]
    """Read and write the hotline's encrypted columns from this process."""
    from bot.store.crypto import Keyring, set_keyring
    from tests.conftest import TEST_DATA_KEY

    set_keyring(Keyring([TEST_DATA_KEY]))
    yield
    set_keyring(None)


def test_handoff_holds_messages_and_an_advocate_reply_arrives_by_polling(
        hotline: RunningHotline, hotline_keys: None) -> None:
    """Real Rasa escalates and still answers while the request waits; once claimed, messages
    are held for the advocate (never reach Rasa); the page picks up the advocate's reply."""
    from bot.handoff import queue
    from bot.store.db import session_scope
    from bot.store.models import Advocate, HandoffRequest

    s = sender()
    mid = str(uuid.uuid4())
    escalation = "\n".join(t["text"] for t in hotline.post(s, "I want to talk to a person",
                                                            message_id=mid))
    assert "person" in escalation.lower()
    cid = conversation_id(hotline, mid)
    waiting = " ".join(hotline.texts(s, "while i wait, can they keep my passport?"))
    assert "passport" in waiting.lower()  # the assistant answers while nobody has claimed it
    with session_scope(hotline.database_url) as session:
        ana = Advocate(username=f"ana-{cid[:8]}", display_name="Ana", password_hash="x")
        session.add(ana)
        session.flush()
        request = session.query(HandoffRequest).filter_by(conversation_id=cid).one()
        assert queue.claim(session, request.id, ana)
    assert hotline.texts(s, "hello??") == []  # claimed: held for Ana, no automatic reply
    with session_scope(hotline.database_url) as session:
        request = session.query(HandoffRequest).filter_by(conversation_id=cid).one()
        ana = session.query(Advocate).filter_by(username=f"ana-{cid[:8]}").one()
        queue.advocate_reply(session, request.id, ana, "Hi, this is Ana from the team.")
    updates = hotline.updates(s)
    assert updates.status_code == 200
    # Marked as from a person, so the page never shows it as the assistant's.
    assert updates.json() == [{"text": "Hi, this is Ana from the team.", "from": "person"}]
    again = hotline.updates(s)
    assert again.json() == []
    handled = hotline.rows("select handled_by from inbound_messages where conversation_id = :c "
                           "order by id", c=cid)
    assert [h[0] for h in handled] == ["bot", "bot", "advocate"]
    assert httpx.post(f"{hotline.base_url}/webhooks/webchat/updates", json={"sender": ""},
                      timeout=10).status_code == 400


def test_bodies_over_the_server_limit_are_refused_before_any_handler_reads_them(
        hotline: RunningHotline) -> None:
    """Sanic's own limit (bot/gateway/app.py PUBLIC_MAX_REQUEST_BYTES) answers 413 from the
    Content-Length alone, so a flood of huge posts costs no memory; smaller oversized
    bodies get the handler's own JSON error."""
    from bot.gateway.app import PUBLIC_MAX_REQUEST_BYTES

    huge = httpx.post(f"{hotline.base_url}/webhooks/webchat/webhook",
                      content=b"x" * (PUBLIC_MAX_REQUEST_BYTES + 1), timeout=30)
    assert huge.status_code == 413
    assert "Request Entity Too Large" in huge.text  # Sanic's page, not our handler's JSON
    mid = httpx.post(f"{hotline.base_url}/webhooks/webchat/webhook",
                     content=b"x" * 70_000, timeout=30)
    assert mid.status_code == 413 and mid.json()["error"].startswith("request body too large")


def _queue_advocate_line(hotline: RunningHotline, conversation: str, text: str) -> None:
    """A reply waiting for the page's next poll, as an advocate's reply leaves it."""
    from bot.store.db import session_scope
    from bot.store.models import OutboundMessage

    with session_scope(hotline.database_url) as session:
        session.add(OutboundMessage(conversation_id=conversation, channel="webchat",
                                    author="advocate", body=text, status="queued"))


def test_a_sender_id_without_its_session_reaches_nobody(
        hotline: RunningHotline, hotline_keys: None) -> None:
    """Issue 13.1: naming a texter's `sender` is not enough to read or write their chat."""
    s = sender()
    mid = str(uuid.uuid4())
    hotline.post(s, "hi", message_id=mid)
    victim = conversation_id(hotline, mid)
    _queue_advocate_line(hotline, victim, "Hi, this is Ana from the team.")
    url = f"{hotline.base_url}/webhooks/webchat"
    inbound_before = hotline.rows("select count(*) from inbound_messages "
                                  "where conversation_id = :c", c=victim)
    # No token, a forged token, another client's own real token: nothing handed over.
    stranger = httpx.post(f"{url}/webhook", json={"sender": "someone", "message": "hi"},
                          timeout=60).headers["X-Webchat-Session"]
    for headers in ({}, {"X-Webchat-Session": "forged.token"},
                    {"X-Webchat-Session": stranger}):
        polled = httpx.post(f"{url}/updates", json={"sender": s}, headers=headers, timeout=10)
        assert polled.status_code == 200 and polled.json() == []
    # Writing as the victim from another client starts a conversation of its own.
    hijack_mid = str(uuid.uuid4())
    r = httpx.post(f"{url}/webhook", json={"sender": s, "message": "it's me, any news?",
                                           "message_id": hijack_mid}, timeout=60)
    assert r.status_code == 200 and r.json()
    assert conversation_id(hotline, hijack_mid) != victim
    assert hotline.rows("select count(*) from inbound_messages where conversation_id = :c",
                        c=victim) == inbound_before
    # Replaying the victim's message_id replays none of the victim's replies.
    replay = httpx.post(f"{url}/webhook", json={"sender": s, "message": "hi",
                                                "message_id": mid}, timeout=60)
    assert replay.status_code == 409 and "error" in replay.json()
    # The real texter still gets the advocate's line, once.
    assert hotline.updates(s).json() == [{"text": "Hi, this is Ana from the team.",
                                          "from": "person"}]
    assert hotline.updates(s).json() == []


def test_the_session_rides_in_a_strict_httponly_cookie(hotline: RunningHotline) -> None:
    """The page relies on the cookie alone: no token in JavaScript's reach."""
    s = sender()
    with httpx.Client(base_url=f"{hotline.base_url}/webhooks/webchat", timeout=60) as page:
        first = page.post("/webhook", json={"sender": s, "message": "hi"})
        cookie = first.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
        assert "Path=/webhooks/webchat" in cookie
        token = first.headers["X-Webchat-Session"]
        assert f"hotline_webchat={token}" in cookie and "Secure" not in cookie  # http here
        assert first.json()[0]["text"].startswith("Hi, thanks for writing.")
        # The cookie alone keeps the conversation: "y" answers the opening question.
        menu = "\n".join(m["text"] for m in page.post("/webhook",
                                                      json={"sender": s, "message": "y"}).json())
        assert "1 Get help" in menu
        assert page.post("/updates", json={"sender": s}).headers["X-Webchat-Session"] == token


def test_leave_ends_the_conversation_on_the_server_like_exit(hotline: RunningHotline) -> None:
    """POST /leave: the request leaves the queue for the missed list, queued sends cancelled."""
    s = sender()
    mid = str(uuid.uuid4())
    hotline.post(s, "I want to talk to a person", message_id=mid)
    cid = conversation_id(hotline, mid)
    assert hotline.rows("select status from handoff_requests where conversation_id = :c",
                        c=cid) == [("open",)]
    left = httpx.post(f"{hotline.base_url}/webhooks/webchat/leave", json={"sender": s},
                      headers={"X-Webchat-Session": hotline.sessions[s]}, timeout=10)
    assert left.status_code == 200 and left.json()["next"].startswith("http")
    assert hotline.rows("select status, missed_reason from handoff_requests "
                        "where conversation_id = :c", c=cid) == [("left", "texter_left")]
    pending = hotline.rows("select count(*) from outbound_messages where conversation_id = :c "
                           "and status = 'queued'", c=cid)
    assert pending == [(0,)]
    for bad in ({"sender": ""}, {"sender": 5}, []):
        assert httpx.post(f"{hotline.base_url}/webhooks/webchat/leave", json=bad,
                          timeout=10).status_code == 400
    # EXIT answers with the header that tells the page to clear itself.
    exit_ = httpx.post(f"{hotline.base_url}/webhooks/webchat/webhook",
                       json={"sender": s, "message": "EXIT"},
                       headers={"X-Webchat-Session": hotline.sessions[s]}, timeout=60)
    assert exit_.status_code == 200 and exit_.headers["X-Webchat-Ended"] == "1"
    page = httpx.get(f"{hotline.base_url}/webhooks/webchat/", timeout=10).text
    assert 'data-leave-url="http' in page and "{{LEAVE_URL}}" not in page


def test_a_verified_local_service_reaches_the_texter_an_unverified_one_never(
        hotline: RunningHotline) -> None:
    from datetime import date

    from bot.directory.edit import ServiceForm, add_service, verify_service
    from bot.store.db import session_scope
    from bot.store.models import Advocate

    with session_scope(hotline.database_url) as s:
        sup = Advocate(username=f"sup-{uuid.uuid4().hex[:6]}", display_name="Sup",
                       password_hash="x", role="supervisor")
        s.add(sup)
        s.flush()
        verified = add_service(s, ServiceForm(
            organization_name="Houston Shelter House", name="Houston Shelter House",
            need="shelter", phones=[("voice", "713-555-0177")],
            areas=[("city", "TX/Houston")]), sup)
        verify_service(s, verified, sup, assurer_email="sup@example.org", on=date.today())
        add_service(s, ServiceForm(
            organization_name="Unchecked Houston Beds", name="Unchecked Houston Beds",
            need="shelter", phones=[("voice", "713-555-0178")],
            areas=[("city", "TX/Houston")]), sup)
    reply = "\n".join(hotline.texts(sender(), "I need a shelter in Houston"))
    assert "Houston Shelter House" in reply and "713-555-0177" in reply
    assert "Unchecked" not in reply and "713-555-0178" not in reply
    assert "1-888-373-7888" in reply
    spanish = "\n".join(hotline.texts(sender(), "necesito un refugio en Houston"))
    assert "Houston Shelter House (Refugio y vivienda)" in spanish
