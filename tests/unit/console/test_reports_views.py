"""The reports page: supervisors and admins only, audited, JSON and CSV agree."""

from __future__ import annotations

import csv
import io

import sqlalchemy as sa

from bot.store.db import session_scope
from bot.store.models import AuditEvent
from tests.unit.console.seed import PHONE, escalated_conversation

RANGE = "from=2026-11-01&to=2026-11-30"


def _actions(url: str) -> list[tuple[str, dict]]:  # type: ignore[type-arg]
    with session_scope(url) as s:
        return [(e.action, e.details) for e in s.execute(
            sa.select(AuditEvent).where(AuditEvent.action.like("reports_%")
                                        | (AuditEvent.action == "stats_export"))
            .order_by(AuditEvent.id)).scalars()]


def test_advocates_cannot_open_reports(client, make_advocate, login) -> None:  # type: ignore[no-untyped-def]
    login(client, make_advocate("advocate"))
    assert client.get("/reports/").status_code == 403
    assert client.get(f"/reports/data.json?{RANGE}").status_code == 403
    assert client.get(f"/reports/chart.csv?chart=escalations&{RANGE}").status_code == 403
    assert client.get(f"/reports/stats.csv?{RANGE}").status_code == 403
    assert "Reports" not in client.get("/cases").get_data(as_text=True)


def test_anonymous_is_sent_to_log_in(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/reports/").status_code in (302, 401)
    assert client.get(f"/reports/data.json?{RANGE}",
                      headers={"Accept": "application/json"}).status_code == 401


def test_supervisor_sees_figures_csv_matches_and_every_read_is_audited(  # type: ignore[no-untyped-def]
        client, make_advocate, login, console_settings) -> None:
    url = console_settings.database_url
    escalated_conversation(url, reason="screening", priority="high", minor=True)
    login(client, make_advocate("supervisor"))
    page = client.get(f"/reports/?{RANGE}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="reports"' in html
    assert "vendor/chartjs/chart.umd.min.js" in html and "<script>" not in html
    data = client.get(f"/reports/data.json?{RANGE}&channel=twilio").get_json()
    charts = {c["id"]: c for c in data["charts"]}
    esc = charts["escalations"]
    assert esc["labels"] == ["screening"]
    assert dict((s["name"], s["data"]) for s in esc["series"])["high"] == [1]
    assert PHONE not in str(data) and "necesito" not in str(data)
    r = client.get(f"/reports/chart.csv?chart=escalations&{RANGE}&channel=twilio")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    table = list(csv.reader(io.StringIO(r.get_data(as_text=True))))
    assert table[0] == [esc["label_name"], *(s["name"] for s in esc["series"])]
    assert table[1] == ["screening", *(str(s["data"][0]) for s in esc["series"])]
    web = client.get(f"/reports/data.json?{RANGE}&channel=webchat").get_json()
    assert {c["id"]: c for c in web["charts"]}["escalations"]["labels"] == []
    assert client.get(f"/reports/data.json?{RANGE}&channel=fax").status_code == 400
    assert client.get("/reports/data.json?from=2026-13-01").status_code == 400
    assert client.get(f"/reports/chart.csv?chart=nope&{RANGE}").status_code == 404
    stats = client.get(f"/reports/stats.csv?{RANGE}&by=channel")
    rows = list(csv.DictReader(io.StringIO(stats.get_data(as_text=True))))
    assert rows and all(r["count"] == "suppressed" for r in rows)  # one conversation: < 10
    actions = _actions(url)
    assert [a for a, _ in actions] == ["reports_view", "reports_read", "reports_csv",
                                       "reports_read", "stats_export"]
    assert actions[1][1]["filters"] == {"from": "2026-11-01", "to": "2026-11-30",
                                        "channel": "twilio"}
    assert actions[4][1]["by"] == ["month", "channel"]


def test_admins_may_open_reports(client, make_advocate, login) -> None:  # type: ignore[no-untyped-def]
    login(client, make_advocate("admin"))
    assert client.get("/reports/").status_code == 200
    assert 'href="/reports/"' in client.get("/reports/").get_data(as_text=True)
