"""Report aggregates for the console's reports page, computed by the database.

Each function answers one chart: a `Chart` of labels (the x axis, also the
table's first column) and named series of counts. Queries group plain
metadata columns (times, channels, statuses, codes) over indexed time ranges
(migration 0011); no encrypted column is read and no row is loaded into
Python. Every figure is counted at its own event's time: conversations at
creation, messages when received or written, escalations when raised,
dispositions when closed, consents when given or withdrawn. Days and hours
are UTC.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from bot.reports.sql import Dialect
from bot.store.models import (
    Consent,
    Conversation,
    HandoffRequest,
    InboundMessage,
    OutboundMessage,
    ReferralCase,
    ScreeningRecord,
    Tip,
)
from bot.store.statuses import HandoffStatus, OutboundStatus, Triage

CHANNELS = ("twilio", "telegram", "webchat")
LANGUAGES = ("en", "es")
WEEKDAYS = ("Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat")
QUEUE_STATUSES = tuple(HandoffStatus)
OUTBOUND_STATUSES = (OutboundStatus.SENT, OutboundStatus.FAILED, OutboundStatus.EXPIRED,
                     OutboundStatus.CANCELLED, OutboundStatus.SUPPRESSED, OutboundStatus.QUEUED,
                     OutboundStatus.SENDING)
TRIAGE_LEVELS = tuple(reversed(Triage))  # most urgent first
CASE_STATUSES = ("Active", "Referred", "Closed")


class ReportFilterError(ValueError):
    """A filter the reports cannot use (shown to the supervisor as a 400)."""


@dataclass(frozen=True)
class Filters:
    """A date range (inclusive, UTC days) and optional channel and language."""

    start: date
    end: date
    channel: str | None = None
    language: str | None = None

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ReportFilterError("the end date is before the start date")
        if (self.end - self.start).days > 3 * 366:
            raise ReportFilterError("the range is longer than three years")
        if self.channel is not None and self.channel not in CHANNELS:
            raise ReportFilterError("unknown channel")
        if self.language is not None and self.language not in LANGUAGES:
            raise ReportFilterError("unknown language")

    @property
    def since(self) -> datetime:
        return datetime.combine(self.start, time(), tzinfo=timezone.utc)

    @property
    def until(self) -> datetime:
        return datetime.combine(self.end + timedelta(days=1), time(), tzinfo=timezone.utc)

    def days(self) -> list[str]:
        return [(self.start + timedelta(days=i)).isoformat()
                for i in range((self.end - self.start).days + 1)]

    def as_dict(self) -> dict[str, str]:
        out = {"from": self.start.isoformat(), "to": self.end.isoformat()}
        if self.channel:
            out["channel"] = self.channel
        if self.language:
            out["language"] = self.language
        return out


@dataclass
class Chart:
    """One chart and its table: `labels` down the first column, a column per series."""

    id: str
    title: str
    kind: str  # "line" | "bar"
    label_name: str
    labels: list[str]
    series: dict[str, list[float | None]] = field(default_factory=dict)
    note: str = ""

    def columns(self) -> list[str]:
        return [self.label_name, *self.series]

    def rows(self) -> list[list[Any]]:
        return [[label, *(values[i] for values in self.series.values())]
                for i, label in enumerate(self.labels)]

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "kind": self.kind,
                "label_name": self.label_name, "labels": self.labels,
                "series": [{"name": k, "data": v} for k, v in self.series.items()],
                "note": self.note}


def _pivot(chart: Chart, rows: Iterable[tuple[Any, Any, Any]],
           series_order: Iterable[str] = ()) -> Chart:
    """Fill a chart from (label, series, count) rows; missing cells are 0."""
    cells: dict[str, dict[str, float]] = defaultdict(dict)
    extra_labels = []
    for label, name, count in rows:
        label, name = str(label if label is not None else "unknown"), str(
            name if name is not None else "unknown")
        cells[name][label] = cells[name].get(label, 0) + (count or 0)
        if label not in chart.labels and label not in extra_labels:
            extra_labels.append(label)
    chart.labels = [*chart.labels, *sorted(extra_labels)]
    order = list(series_order)
    names = order + sorted(n for n in cells if n not in order)
    for name in names or ["count"]:
        chart.series[name] = [cells.get(name, {}).get(label, 0) for label in chart.labels]
    return chart


def _single(chart: Chart, rows: Iterable[tuple[Any, Any]], name: str = "count") -> Chart:
    return _pivot(chart, ((label, name, n) for label, n in rows), [name])


class Reports:
    """All report queries for one session and one set of filters."""

    def __init__(self, session: Session, filters: Filters, *,
                 unclaimed_after: timedelta = timedelta(minutes=10)) -> None:
        self.s, self.f, self.sql = session, filters, Dialect.of(session)
        self.unclaimed_after = unclaimed_after

    # -- helpers ------------------------------------------------------------------------

    def _conv(self, query: Select, conversation_id: Any | None = None) -> Select:
        """Join the conversation (when needed) and apply the channel / language filters."""
        if not (self.f.channel or self.f.language):
            return query
        if conversation_id is not None:
            query = query.join(Conversation, Conversation.id == conversation_id)
        if self.f.channel:
            query = query.where(Conversation.channel == self.f.channel)
        if self.f.language:
            query = query.where(Conversation.language == self.f.language)
        return query

    def _in_range(self, col: Any) -> Any:
        return and_(col >= self.f.since, col < self.f.until)

    def _rows(self, query: Select) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self.s.execute(query).all()]

    # -- traffic ------------------------------------------------------------------------

    def conversations_per_day(self) -> Chart:
        day = self.sql.day(Conversation.created_at)
        q = (select(day, Conversation.channel, func.count())
             .where(self._in_range(Conversation.created_at)).group_by(day, Conversation.channel))
        return _pivot(Chart("conversations_per_day", "Conversations per day", "line", "day",
                            self.f.days()), self._rows(self._conv(q)), CHANNELS)

    def messages_per_day(self) -> Chart:
        rows: list[tuple[Any, Any, Any]] = []
        for model, col, direction in ((InboundMessage, InboundMessage.received_at, "in"),
                                      (OutboundMessage, OutboundMessage.created_at, "out")):
            day = self.sql.day(col)
            q = (select(day, model.channel, func.count()).where(self._in_range(col))
                 .group_by(day, model.channel))
            rows += [(d, f"{ch} {direction}", n)
                     for d, ch, n in self._rows(self._conv(q, model.conversation_id))]
        order = [f"{ch} {d}" for ch in CHANNELS for d in ("in", "out")]
        return _pivot(Chart("messages_per_day", "Messages per day (in: from texters, out: "
                            "to texters)", "line", "day", self.f.days()), rows, order)

    def hour_of_week(self) -> Chart:
        how = self.sql.hour_of_week(Conversation.created_at)
        q = (select(how, Conversation.channel, func.count())
             .where(self._in_range(Conversation.created_at)).group_by(how, Conversation.channel))
        labels = [f"{d} {h:02d}h" for d in WEEKDAYS for h in range(24)]
        rows = [(labels[int(h)], ch, n) for h, ch, n in self._rows(self._conv(q))]
        return _pivot(Chart("hour_of_week", "New conversations by hour of the week (UTC)",
                            "bar", "hour", labels), rows, CHANNELS)

    # -- the queue ----------------------------------------------------------------------

    def escalations(self) -> Chart:
        q = (select(HandoffRequest.reason, HandoffRequest.priority, func.count())
             .where(self._in_range(HandoffRequest.created_at))
             .group_by(HandoffRequest.reason, HandoffRequest.priority))
        rows = self._rows(self._conv(q, HandoffRequest.conversation_id))
        return _pivot(Chart("escalations", "Escalations by reason and priority", "bar",
                            "reason", []), rows,
                      ("emergency", "minor", "high", "normal"))

    def queue_outcomes(self) -> Chart:
        q = (select(HandoffRequest.status, func.count())
             .where(self._in_range(HandoffRequest.created_at)).group_by(HandoffRequest.status))
        return _single(Chart("queue_outcomes", "Escalations by what happened", "bar", "status",
                             list(QUEUE_STATUSES)),
                       self._rows(self._conv(q, HandoffRequest.conversation_id)))

    def queue_figures(self) -> Chart:
        """Wait to claim (median, 90th percentile), notices, off hours, left the queue."""
        h = HandoffRequest
        wait = self.sql.seconds_between(h.created_at, h.claimed_at)
        waits = self._conv(select(wait.label("w")).where(
            self._in_range(h.created_at), h.claimed_at.isnot(None)), h.conversation_id)
        ranked = select(waits.subquery().c.w).subquery()
        ordered = select(ranked.c.w, func.row_number().over(order_by=ranked.c.w).label("rn"),
                         func.count().over().label("n")).subquery()
        median, p90, claimed = self.s.execute(select(
            func.min(case((ordered.c.rn * 100 >= ordered.c.n * 50, ordered.c.w))),
            func.min(case((ordered.c.rn * 100 >= ordered.c.n * 90, ordered.c.w))),
            func.count())).one()
        notice = self.sql.seconds_between(h.created_at, h.unclaimed_notice_at)
        counts = self._conv(select(
            func.count(),
            func.count(h.unclaimed_notice_at),
            func.sum(case((notice < self.unclaimed_after.total_seconds(), 1), else_=0)),
            func.sum(case((h.status == HandoffStatus.LEFT, 1), else_=0)),
        ).where(self._in_range(h.created_at)), h.conversation_id)
        total, notices, off_hours, left = self.s.execute(counts).one()
        labels = ["escalations", "claimed", "wait to claim, median (minutes)",
                  "wait to claim, 90th percentile (minutes)", "told nobody was free",
                  "of which off hours", "texter left the queue"]
        values: list[float | None] = [
            total, claimed, _minutes(median), _minutes(p90), notices, off_hours or 0, left or 0]
        chart = Chart("queue_figures", "Waiting for a person", "bar", "figure", labels,
                      {"value": values},
                      note="Off hours: the notice went out before the unclaimed timeout, "
                           "which happens only outside staffed hours.")
        return chart

    # -- outcomes -----------------------------------------------------------------------

    def dispositions(self) -> Chart:
        q = (select(HandoffRequest.disposition, func.count())
             .where(self._in_range(HandoffRequest.closed_at),
                    HandoffRequest.disposition.isnot(None))
             .group_by(HandoffRequest.disposition))
        return _single(Chart("dispositions", "Dispositions (at close)", "bar", "disposition", []),
                       self._rows(self._conv(q, HandoffRequest.conversation_id)))

    def cases(self) -> Chart:
        from bot.reports.organisations import TYPES, organisation_type, organisation_types

        types = organisation_types(self.s)
        q = (select(ReferralCase.status, ReferralCase.receiving_org, func.count())
             .where(self._in_range(ReferralCase.opened_at))
             .group_by(ReferralCase.status, ReferralCase.receiving_org))
        rows = [(status, organisation_type(types, org), n)
                for status, org, n in self._rows(self._conv(q, ReferralCase.conversation_id))]
        return _pivot(Chart("cases", "Referral cases opened, by status and receiving "
                            "organisation type", "bar", "status", list(CASE_STATUSES)),
                      rows, TYPES)

    def consents(self) -> Chart:
        given = self._conv(select(func.count()).select_from(Consent)
                           .join(ReferralCase, ReferralCase.id == Consent.case_id)
                           .where(self._in_range(Consent.given_at)), ReferralCase.conversation_id)
        withdrawn = self._conv(select(func.count()).select_from(Consent)
                               .join(ReferralCase, ReferralCase.id == Consent.case_id)
                               .where(self._in_range(Consent.withdrawn_at)),
                               ReferralCase.conversation_id)
        return Chart("consents", "Consents to share", "bar", "consent", ["given", "withdrawn"],
                     {"count": [self.s.execute(given).scalar_one(),
                                self.s.execute(withdrawn).scalar_one()]})

    # -- screening and tips -------------------------------------------------------------

    def triage(self) -> Chart:
        r = ScreeningRecord
        q = (select(r.triage, case((r.minor, "minor flagged"), else_="not flagged"), func.count())
             .where(self._in_range(r.created_at)).group_by(r.triage, r.minor))
        return _pivot(Chart("triage", "Screenings by triage level (and minors flagged)", "bar",
                            "triage", list(TRIAGE_LEVELS)),
                      self._rows(self._conv(q, r.conversation_id)),
                      ("not flagged", "minor flagged"))

    def methods_of_control(self) -> Chart:
        r = ScreeningRecord
        each = self.sql.json_elements(r.indicators, "method")
        q = (select(each.c.value, func.count()).select_from(r).join(each, True)
             .where(self._in_range(r.created_at)).group_by(each.c.value))
        rows = [(str(v).removeprefix("MethodsOfControl"), n)
                for v, n in self._rows(self._conv(q, r.conversation_id))]
        return _single(Chart("methods_of_control", "HTCDS methods of control found in "
                             "screenings", "bar", "method", []), rows)

    def exploitation_types(self) -> Chart:
        r = ScreeningRecord
        q = (select(r.exploitation_type, func.count()).where(self._in_range(r.created_at))
             .group_by(r.exploitation_type))
        return _single(Chart("exploitation_types", "Types of exploitation found in screenings",
                             "bar", "type", ["labor", "sex", "both", "unclear"]),
                       self._rows(self._conv(q, r.conversation_id)))

    def tips(self) -> Chart:
        q = (select(Tip.state_code, case((Tip.urgent, "urgent"), else_="not urgent"),
                    func.count()).where(self._in_range(Tip.created_at))
             .group_by(Tip.state_code, Tip.urgent))
        return _pivot(Chart("tips", "Tips by state and urgency", "bar", "state", []),
                      self._rows(self._conv(q, Tip.conversation_id)), ("urgent", "not urgent"))

    # -- delivery -----------------------------------------------------------------------

    def delivery(self) -> Chart:
        o = OutboundMessage
        q = (select(o.status, func.count()).where(self._in_range(o.created_at))
             .group_by(o.status))
        return _single(Chart("delivery", "Outbound messages by delivery status", "bar",
                             "status", list(OUTBOUND_STATUSES[:4])),
                       self._rows(self._conv(q, o.conversation_id)))

    def delivery_figures(self) -> Chart:
        o = OutboundMessage
        retries, errors = self.s.execute(self._conv(select(
            func.coalesce(func.sum(case((o.attempts > 1, o.attempts - 1), else_=0)), 0),
            func.count(case((and_(o.status == "failed", o.last_error.isnot(None)), 1))),
        ).where(self._in_range(o.created_at)), o.conversation_id)).one()
        opt_outs = self.s.execute(self._conv(
            select(func.count()).select_from(Conversation)
            .where(self._in_range(Conversation.created_at), Conversation.unreachable))
        ).scalar_one()
        return Chart("delivery_figures", "Delivery health", "bar", "figure",
                     ["retries", "provider errors", "opted out or blocked"],
                     {"count": [retries, errors, opt_outs]},
                     note="Opted out or blocked: conversations started in the range that "
                          "are now unreachable (SMS STOP, Telegram block).")

    def all(self) -> list[Chart]:
        return [self.conversations_per_day(), self.messages_per_day(), self.hour_of_week(),
                self.escalations(), self.queue_outcomes(), self.queue_figures(),
                self.dispositions(), self.cases(), self.consents(), self.triage(),
                self.methods_of_control(), self.exploitation_types(), self.tips(),
                self.delivery(), self.delivery_figures()]

    def chart(self, chart_id: str) -> Chart:
        if chart_id not in CHART_IDS:
            raise ReportFilterError("unknown chart")
        return getattr(self, chart_id)()


CHART_IDS = ("conversations_per_day", "messages_per_day", "hour_of_week", "escalations",
             "queue_outcomes", "queue_figures", "dispositions", "cases", "consents", "triage",
             "methods_of_control", "exploitation_types", "tips", "delivery", "delivery_figures")


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(float(seconds) / 60.0, 1)
