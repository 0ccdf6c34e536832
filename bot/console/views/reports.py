"""The reports page: how the hotline is doing, for supervisors and admins.

The page is a shell; static/reports.js draws each chart (vendored Chart.js,
no CDN, no inline script) from `data.json` and puts its table beside it.
Figures come from bot/reports/queries.py (computed by the database, never
from decrypted rows). Every view, data read, CSV download and statistics
export is audited with its filters. The statistics export (bot/reports/stats.py)
is the only thing meant to leave the hotline.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta, timezone
from typing import Any

from flask import Blueprint, Response, abort, render_template, request

from bot.console.auth import current_advocate, db, role_required, settings
from bot.reports.queries import (
    CHANNELS,
    LANGUAGES,
    Chart,
    Filters,
    ReportFilterError,
    Reports,
)
from bot.store.audit import record_event
from bot.store.models import Advocate

bp = Blueprint("reports", __name__, url_prefix="/reports")

DEFAULT_DAYS = 30


def _day(name: str, default: date) -> date:
    value = request.args.get(name, "").strip()
    if not value:
        return default
    try:
        return date.fromisoformat(value)
    except ValueError:
        abort(400, description=f"{name}: not a YYYY-MM-DD date")


def filters_from_request() -> Filters:
    today = datetime.now(timezone.utc).date()
    end = _day("to", today)
    start = _day("from", end - timedelta(days=DEFAULT_DAYS - 1))
    try:
        return Filters(start, end, channel=request.args.get("channel") or None,
                       language=request.args.get("language") or None)
    except ReportFilterError as exc:
        abort(400, description=str(exc))


def _reports(session: Any, filters: Filters) -> Reports:
    minutes = settings().handoff_unclaimed_minutes
    return Reports(session, filters, unclaimed_after=timedelta(minutes=minutes))


def _audit(session: Any, action: str, filters: Filters, **details: Any) -> None:
    record_event(session, action, advocate=session.get(Advocate, current_advocate().id),
                 filters=filters.as_dict(), **details)


def chart_csv(chart: Chart) -> str:
    """The chart's table as CSV (labels are codes and dates, never free text)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(chart.columns())
    for row in chart.rows():
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue()


@bp.get("/")
@role_required("supervisor")
def index() -> str:
    filters = filters_from_request()
    with db() as s:
        _audit(s, "reports_view", filters)
    from bot.reports.stats import DIMENSIONS

    return render_template("reports/index.html", filters=filters, channels=CHANNELS,
                           languages=LANGUAGES, dimensions=DIMENSIONS,
                           threshold=settings().stats_min_cell)


@bp.get("/data.json")
@role_required("supervisor")
def data() -> dict[str, Any]:
    filters = filters_from_request()
    with db() as s:
        charts = _reports(s, filters).all()
        _audit(s, "reports_read", filters)
    return {"filters": filters.as_dict(), "charts": [c.as_dict() for c in charts]}


@bp.get("/chart.csv")
@role_required("supervisor")
def chart_download() -> Response:
    filters = filters_from_request()
    chart_id = request.args.get("chart", "")
    with db() as s:
        try:
            chart = _reports(s, filters).chart(chart_id)
        except ReportFilterError:
            abort(404)
        _audit(s, "reports_csv", filters, chart=chart_id)
    name = f"{chart_id}_{filters.start.isoformat()}_{filters.end.isoformat()}.csv"
    return Response(chart_csv(chart), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/stats.csv")
@role_required("supervisor")
def stats_export() -> Response:
    """The de-identified statistics CSV (bot/reports/stats.py), audited by the export."""
    from bot.reports.stats import StatsError, export_stats

    filters = filters_from_request()
    with db() as s:
        try:
            result = export_stats(s, filters.start, filters.end, request.args.getlist("by"),
                                  threshold=settings().stats_min_cell,
                                  advocate=s.get(Advocate, current_advocate().id))
        except StatsError as exc:
            abort(400, description=str(exc))
    name = f"hotline_statistics_{filters.start.isoformat()}_{filters.end.isoformat()}.csv"
    return Response(result.content, mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
