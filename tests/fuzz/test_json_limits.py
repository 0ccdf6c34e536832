"""Huge integers and absurd nesting in every JSON endpoint get a 400 (issue 13.4).

A number of thousands of digits made `json.loads` raise a bare ValueError, which the
web chat did not catch (HTTP 500 on /webhook and /updates). Hypothesis puts such
numbers, and nesting deeper than bot.safe_json.MAX_DEPTH, anywhere in otherwise valid
bodies of the web chat, the Telegram webhook and a console JSON endpoint.
"""

from __future__ import annotations

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import safe_json
from tests.fuzz.inprocess import TELEGRAM_SECRET, running_channels

LIMITS = settings(max_examples=60, deadline=None, database=None,
                  suppress_health_check=[HealthCheck.function_scoped_fixture,
                                         HealthCheck.too_slow])
TG = {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET, "Content-Type": "application/json"}
TG_MESSAGE = ('{"update_id": UPDATE, "message": {"message_id": 1, "date": 1, "text": "hi", '
              '"chat": {"id": CHAT, "type": "private"}, "from": {"id": 5, "is_bot": false, '
              '"first_name": "x"}}}')


def tg_message(update: str, chat: str) -> str:
    return TG_MESSAGE.replace("UPDATE", update).replace("CHAT", chat)


# (path, body template with one "N" slot, headers)
SLOTS = [
    ("/webhooks/webchat/webhook", '{"sender": "s", "message": "hi", "extra": N}', {}),
    ("/webhooks/webchat/webhook", '{"sender": "s", "message": "hi", "message_id": N}', {}),
    ("/webhooks/webchat/webhook", '{"sender": N, "message": "hi"}', {}),
    ("/webhooks/webchat/webhook", '{"sender": "s", "message": "hi", "x": [1, {"y": N}]}', {}),
    ("/webhooks/webchat/updates", '{"sender": "s", "n": N}', {}),
    ("/webhooks/webchat/updates", '{"sender": N}', {}),
    ("/webhooks/telegram/webhook", tg_message("N", "5"), TG),
    ("/webhooks/telegram/webhook", tg_message("7", "N"), TG),
]
huge_ints = st.builds(lambda sign, digits: sign + digits, st.sampled_from(["", "-"]),
                      st.integers(safe_json.MAX_INT_DIGITS + 1, 6000).map(lambda n: "9" * n))
nestings = st.tuples(st.integers(safe_json.MAX_DEPTH + 1, 900), st.booleans()).map(
    lambda t: "[" * t[0] + "]" * t[0] if t[1] else '{"a":' * t[0] + "1" + "}" * t[0])


@pytest.fixture(scope="module")
def hotline(tmp_path_factory):  # type: ignore[no-untyped-def]
    with running_channels(tmp_path_factory.mktemp("json-limits")) as running:
        yield running


@pytest.fixture(scope="module")
def client():  # type: ignore[no-untyped-def]
    with httpx.Client(timeout=20) as c:
        yield c


@pytest.fixture(scope="module")
def console(tmp_path_factory):  # type: ignore[no-untyped-def]
    """The console app with one JSON endpoint (the console reads JSON with app.json)."""
    from flask import Blueprint, request

    from bot.config import Settings
    from bot.console.app import create_app
    from bot.console.auth import public

    db = tmp_path_factory.mktemp("console-json") / "c.db"
    app = create_app(Settings.from_env({"HOTLINE_DATABASE_URL": f"sqlite:///{db}",
                                        "HOTLINE_SECRET_KEY": "x" * 32}), testing=True)
    app.config["WTF_CSRF_ENABLED"] = False
    bp = Blueprint("json_probe", __name__)

    @bp.post("/api/json-probe")
    @public
    def probe() -> dict:
        return {"keys": sorted(request.get_json())}

    app.register_blueprint(bp)
    return app.test_client()


@LIMITS
@given(slot=st.sampled_from(SLOTS), number=huge_ints)
def test_huge_integers_get_a_400(hotline, client, slot, number) -> None:  # type: ignore[no-untyped-def]
    path, template, headers = slot
    response = client.post(hotline.url(path), content=template.replace("N", number),
                           headers={"Content-Type": "application/json", **headers})
    assert response.status_code == 400, (path, response.text[:200])
    assert "error" in response.json()


@LIMITS
@given(slot=st.sampled_from(SLOTS), nested=nestings)
def test_absurd_nesting_gets_a_400(hotline, client, slot, nested) -> None:  # type: ignore[no-untyped-def]
    path, template, headers = slot
    response = client.post(hotline.url(path), content=template.replace("N", nested),
                           headers={"Content-Type": "application/json", **headers})
    assert response.status_code == 400, (path, response.text[:200])


@LIMITS
@given(body=st.one_of(huge_ints, nestings).map(lambda n: '{"a": ' + n + "}"))
def test_the_console_refuses_them_too(console, body) -> None:  # type: ignore[no-untyped-def]
    response = console.post("/api/json-probe", data=body,
                            headers={"Content-Type": "application/json"})
    assert response.status_code == 400


def test_ordinary_values_still_pass(hotline, client, console) -> None:  # type: ignore[no-untyped-def]
    big = "9" * 19  # an int64 id
    webchat = client.post(hotline.url("/webhooks/webchat/webhook"),
                          json={"sender": "limits", "message": "hi", "n": int(big),
                                "x": [[[[{"y": [1]}]]]]})
    assert webchat.status_code == 200
    update = tg_message("4242", big)
    assert client.post(hotline.url("/webhooks/telegram/webhook"), content=update,
                       headers=TG).status_code == 200
    assert console.post("/api/json-probe", json={"a": int(big), "b": [[[[1]]]]}
                        ).get_json() == {"keys": ["a", "b"]}
