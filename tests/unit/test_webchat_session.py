"""Web chat sessions (issue 13.1) on the real channel blueprint, in process, real HTTP."""

from __future__ import annotations

import httpx
import pytest

from bot.channels import webchat_session


@pytest.fixture()
def server(tmp_path):  # type: ignore[no-untyped-def]
    from tests.fuzz.inprocess import running_channels

    with running_channels(tmp_path) as hotline:
        yield hotline


def _conversations(server) -> int:  # type: ignore[no-untyped-def]
    return server.rows("select count(*) from conversations where channel = 'webchat'")[0][0]


def test_tokens_are_signed_by_this_server() -> None:
    token = webchat_session.new_token(b"k" * 32)
    assert webchat_session.verified(b"k" * 32, token) == token
    assert webchat_session.verified(b"other" * 8, token) is None
    nonce = token.split(".")[0]
    for forged in ("", "demo-1", f"{nonce}.", f"{nonce}.AAAA", f"{token}.x", "x" * 500):
        assert webchat_session.verified(b"k" * 32, forged) is None
    # The stored address holds a digest of the token, never the token.
    assert nonce not in webchat_session.address(b"k" * 32, token, "web-1")


def test_same_sender_without_the_session_gets_its_own_conversation(server) -> None:  # type: ignore[no-untyped-def]
    url = server.url("/webhooks/webchat")
    with httpx.Client(timeout=20) as texter, httpx.Client(timeout=20) as intruder:
        first = texter.post(f"{url}/webhook", json={"sender": "demo-1", "message": "one"})
        token = first.headers[webchat_session.HEADER]
        texter.post(f"{url}/webhook", json={"sender": "demo-1", "message": "two"})
        assert _conversations(server) == 1
        # Same sender, no cookie: a second conversation, and its own, different token.
        other = intruder.post(f"{url}/webhook", json={"sender": "demo-1", "message": "me"})
        assert other.status_code == 200
        assert other.headers[webchat_session.HEADER] != token
        assert _conversations(server) == 2
        # The header works instead of the cookie (scripted clients).
        scripted = httpx.post(f"{url}/webhook", json={"sender": "demo-1", "message": "three"},
                              headers={webchat_session.HEADER: token}, timeout=20)
        assert scripted.headers[webchat_session.HEADER] == token
        assert _conversations(server) == 2
    per_conversation = sorted(n for (n,) in server.rows(
        "select count(*) from inbound_messages where channel = 'webchat' "
        "group by conversation_id"))
    assert per_conversation == [1, 3]


def test_updates_need_the_session(server) -> None:  # type: ignore[no-untyped-def]
    url = server.url("/webhooks/webchat")
    with httpx.Client(timeout=20) as texter:
        texter.post(f"{url}/webhook", json={"sender": "demo-2", "message": "hi"})
        (conv,) = server.rows("select id from conversations where channel = 'webchat'")[0]
        from bot.store.db import session_scope
        from bot.store.models import OutboundMessage

        with session_scope(server.settings.database_url) as session:
            session.add(OutboundMessage(conversation_id=conv, channel="webchat",
                                        author="advocate", body="from Ana", status="queued"))
        assert httpx.post(f"{url}/updates", json={"sender": "demo-2"}, timeout=20).json() == []
        assert httpx.post(f"{url}/updates", json={"sender": "demo-2"}, timeout=20,
                          headers={webchat_session.HEADER: "a.b"}).json() == []
        assert texter.post(f"{url}/updates", json={"sender": "demo-2"}).json() == [
            {"text": "from Ana", "from": "person"}]


def test_leave_deletes_the_session_cookie(server) -> None:  # type: ignore[no-untyped-def]
    url = server.url("/webhooks/webchat")
    with httpx.Client(timeout=20) as page:
        page.post(f"{url}/webhook", json={"sender": "demo-3", "message": "hi"})
        assert page.cookies.get(webchat_session.COOKIE)
        left = page.post(f"{url}/leave")
        # Where the page goes next: the operator's neutral page (HOTLINE_WEBCHAT_LEAVE_URL).
        assert left.status_code == 200 and left.json()["next"].startswith("https://")
        assert "Max-Age=0" in left.headers["set-cookie"]
        assert not page.cookies.get(webchat_session.COOKIE)
