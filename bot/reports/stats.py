"""De-identified statistics for partners: contact counts by month and coarse dimensions.

The unit is a conversation (one texter's contact with the hotline) started in
the range; with `method_of_control` a conversation is counted once per method
found, and that dimension is never summed to a total. Values are months and
codes only (no free text, numbers, ids or exact times), computed by the
database, then protected by bot/reports/suppression.py. Method:
docs/statistics.md. Every export is audited by the caller's actor.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import and_, case, exists, func, literal, select
from sqlalchemy.orm import Session

from bot.reports.sql import Dialect
from bot.reports.suppression import Cell, Table, suppress
from bot.store.audit import record_event
from bot.store.models import Advocate, Conversation, HandoffRequest, ScreeningRecord, Tip

DIMENSIONS = ("month", "state", "channel", "language", "exploitation_type",
              "method_of_control", "minor", "triage")
MULTI_VALUED = ("method_of_control",)
TOTAL = "Total"
SUPPRESSED = "suppressed"
MAX_DIMENSIONS = 4


class StatsError(ValueError):
    """Export arguments the statistics cannot use."""


@dataclass(frozen=True)
class StatsExport:
    content: str
    cells: int
    suppressed: int
    primary: int


def parse_by(text: str | Sequence[str] | None) -> tuple[str, ...]:
    """`month,state` -> ("month", "state"); month always comes first."""
    items = text.split(",") if isinstance(text, str) else list(text or [])
    names = [n.strip() for n in items if n and n.strip()]
    unknown = [n for n in names if n not in DIMENSIONS]
    if unknown:
        raise StatsError(f"unknown dimension(s): {', '.join(unknown)}; "
                         f"choose from {', '.join(DIMENSIONS)}")
    out = ("month", *dict.fromkeys(n for n in names if n != "month"))
    if len(out) > MAX_DIMENSIONS:
        raise StatsError(f"at most {MAX_DIMENSIONS} dimensions (month included)")
    return out


def _expressions(session: Session, by: Sequence[str]) -> tuple[dict, object]:  # type: ignore[type-arg]
    sql = Dialect.of(session)
    c = Conversation
    latest = (select(func.max(ScreeningRecord.id)).where(ScreeningRecord.conversation_id == c.id)
              .correlate(c).scalar_subquery())
    screening = ScreeningRecord
    minor = case((exists().where(HandoffRequest.conversation_id == c.id, HandoffRequest.minor),
                  "yes"), (screening.minor, "yes"), else_="no")
    state = func.coalesce(
        select(func.max(Tip.state_code)).where(Tip.conversation_id == c.id).correlate(c)
        .scalar_subquery(), "unknown")
    exprs = {
        "month": sql.month(c.created_at),
        "state": state,
        "channel": c.channel,
        "language": func.coalesce(c.language, "unknown"),
        "exploitation_type": func.coalesce(screening.exploitation_type, "not_screened"),
        "minor": minor,
        "triage": func.coalesce(screening.triage, "not_screened"),
    }
    query = (select().select_from(c)
             .outerjoin(screening, and_(screening.conversation_id == c.id, screening.id == latest)))
    if "method_of_control" in by:
        each = sql.json_elements(screening.indicators, "method")
        query = query.outerjoin(each, literal(True))
        exprs["method_of_control"] = func.coalesce(each.c.value, "none")
    return exprs, query


def inner_counts(session: Session, start: date, end: date, by: Sequence[str]
                 ) -> dict[tuple[str, ...], int]:
    """Counts per combination of the dimension values (the database groups them)."""
    exprs, query = _expressions(session, by)
    cols = [exprs[d].label(d) for d in by]
    since = datetime.combine(start, time(), tzinfo=timezone.utc)
    until = datetime.combine(end + timedelta(days=1), time(), tzinfo=timezone.utc)
    q = (query.add_columns(*cols, func.count(func.distinct(Conversation.id)))
         .where(Conversation.created_at >= since, Conversation.created_at < until)
         .group_by(*cols))
    out: dict[tuple[str, ...], int] = {}
    for row in session.execute(q).all():
        key = tuple(str(v).removeprefix("MethodsOfControl") for v in row[:-1])
        out[key] = out.get(key, 0) + int(row[-1])
    return out


def build_table(counts: dict[tuple[str, ...], int], by: Sequence[str]) -> Table:
    """Inner cells (every combination of seen values, zeros included) and all margins."""
    values = [sorted({k[i] for k in counts}) for i in range(len(by))]
    collapsible = [i for i, d in enumerate(by) if d not in MULTI_VALUED]
    table = Table(tuple(by), summed=frozenset(collapsible))
    for key in itertools.product(*values):
        table.cells.append(Cell(key, counts.get(key, 0), frozenset({len(table.cells)}), True))
    inner = list(table.cells)
    for r in range(1, len(collapsible) + 1):
        for collapsed in itertools.combinations(collapsible, r):
            groups: dict[tuple[str, ...], set[int]] = {}
            for idx, cell in enumerate(inner):
                key = tuple(TOTAL if i in collapsed else v for i, v in enumerate(cell.key))
                groups.setdefault(key, set()).add(idx)
            for key, members in groups.items():
                table.cells.append(Cell(key, sum(inner[m].count for m in members),
                                        frozenset(members), False))
    return table


def table_csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*table.dimensions, "count"])
    for c in table.cells:
        writer.writerow([*c.key, SUPPRESSED if c.suppressed else c.count])
    return out.getvalue()


def export_stats(session: Session, start: date, end: date, by: Sequence[str], *,
                 threshold: int, advocate: Advocate | None = None,
                 actor: str | None = None) -> StatsExport:
    """The protected CSV, with one audit row (advocate or actor) in the caller's transaction."""
    if end < start:
        raise StatsError("the end date is before the start date")
    if threshold < 1:
        raise StatsError("the threshold must be at least 1")
    by = parse_by(by)
    table = suppress(build_table(inner_counts(session, start, end, by), by), threshold)
    result = StatsExport(table_csv(table), len(table.cells),
                         sum(c.suppressed for c in table.cells),
                         sum(c.primary for c in table.cells))
    record_event(session, "stats_export", advocate=advocate, actor=actor,
                 date_from=start.isoformat(), date_to=end.isoformat(), by=list(by),
                 threshold=threshold, cells=result.cells, suppressed=result.suppressed)
    return result
