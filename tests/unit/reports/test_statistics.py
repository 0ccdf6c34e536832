"""The de-identified statistics export: no small cell published, none recoverable.

The attacker here sees only the published CSV: every row with "Total" in some
dimension is the sum of the inner rows that match it elsewhere. We solve the
resulting linear system for every suppressed cell (numpy: is its row in the
row space of the published equations?) and bound each small cell with linear
programming (scipy: counts are never negative).
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import numpy as np
import pytest
import sqlalchemy as sa
from scipy.optimize import linprog

from bot.cli import main
from bot.demo.seed import seed
from bot.reports.stats import SUPPRESSED, TOTAL, StatsError, build_table, parse_by
from bot.reports.suppression import suppress
from bot.store.crypto import Keyring, set_keyring
from bot.store.db import session_scope
from bot.store.models import AuditEvent
from tests.conftest import TEST_DATA_KEY


@pytest.fixture(autouse=True)
def keyring():  # type: ignore[no-untyped-def]
    set_keyring(Keyring([TEST_DATA_KEY]))
    yield
    set_keyring(None)


def attack(rows: list[dict[str, str]], dims: list[str], multi: tuple[str, ...] = ()
           ) -> tuple[list[int], list[tuple[int, float, float]]]:
    """From the published rows only: (indices of suppressed rows whose value is
    determined, [(row index, low, high)] bounds of every suppressed row)."""
    inner = [i for i, r in enumerate(rows) if all(r[d] != TOTAL for d in dims)]
    col = {i: j for j, i in enumerate(inner)}
    m = np.zeros((len(rows), len(inner)))
    for i, r in enumerate(rows):
        for j in inner:
            if all(r[d] == TOTAL or r[d] == rows[j][d] for d in dims):
                m[i, col[j]] = 1.0
    value = np.array([np.nan if r["count"] == SUPPRESSED else float(r["count"]) for r in rows])
    known = ~np.isnan(value)
    unknown_inner = [col[j] for j in inner if not known[j]]
    known_inner = [col[j] for j in inner if known[j]]
    published = [i for i in range(len(rows)) if known[i] and i not in col]
    a = m[published][:, unknown_inner]
    b = value[published] - m[published][:, known_inner] @ value[[inner[k] for k in known_inner]]
    rank = np.linalg.matrix_rank(a) if a.size else 0
    determined, bounds = [], []
    for i in range(len(rows)):
        if known[i]:
            continue
        t = m[i, unknown_inner]
        if not t.any() or np.linalg.matrix_rank(np.vstack([a, t])) == rank:
            determined.append(i)
            continue
        lo = linprog(t, A_eq=a, b_eq=b, bounds=(0, None), method="highs")
        hi = linprog(-t, A_eq=a, b_eq=b, bounds=(0, None), method="highs")
        assert lo.status == 0
        bounds.append((i, lo.fun, -hi.fun if hi.status == 0 else np.inf))  # 3: unbounded
    return determined, bounds


def _rows(content: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content)))


def _two_way(counts: dict[tuple[str, ...], int]) -> list[dict[str, str]]:
    by = ("month", "state")
    table = build_table(counts, by)
    suppress(table, 10)
    from bot.reports.stats import table_csv

    return _rows(table_csv(table))


KNOWN = {("2026-01", "CA"): 40, ("2026-01", "TX"): 3, ("2026-01", "NY"): 25,
         ("2026-02", "CA"): 31, ("2026-02", "TX"): 18, ("2026-02", "NY"): 22,
         ("2026-03", "CA"): 12, ("2026-03", "TX"): 27, ("2026-03", "NY"): 7}


def test_primary_suppression_alone_is_undone_by_the_totals() -> None:
    """The test can fail: hiding only the small cells leaves them solvable."""
    table = build_table(KNOWN, ("month", "state"))
    for c in table.cells:
        c.suppressed = 0 < c.count < 10
    from bot.reports.stats import table_csv

    determined, _ = attack(_rows(table_csv(table)), ["month", "state"])
    assert len(determined) == 2  # TX in January and NY in March, from their row totals


def test_small_cells_are_suppressed_and_cannot_be_solved_for() -> None:
    rows = _two_way(KNOWN)
    published = [int(r["count"]) for r in rows if r["count"] != SUPPRESSED]
    assert not [v for v in published if 0 < v < 10]
    small = {(r["month"], r["state"]) for r in rows if r["count"] == SUPPRESSED}
    assert {("2026-01", "TX"), ("2026-03", "NY")} <= small
    assert len(small) >= 4  # complements
    determined, bounds = attack(rows, ["month", "state"])
    assert determined == []
    for _i, low, high in bounds:
        assert high - low >= 1


def test_seeded_year_export_from_the_cli_is_protected_and_audited(db_url, monkeypatch,  # type: ignore[no-untyped-def]
                                                                  capsys, tmp_path) -> None:
    with session_scope(db_url) as s:
        seed(s, 120, end=date(2026, 11, 30), seed=5, per_day=8)
    monkeypatch.setenv("HOTLINE_DATABASE_URL", db_url)
    monkeypatch.setenv("HOTLINE_SECRET_KEY", "stats-test")
    monkeypatch.setenv("HOTLINE_DATA_KEYS", TEST_DATA_KEY)
    from bot.config import get_settings

    get_settings.cache_clear()
    for by in ("month,channel,minor", "month,triage", "month,method_of_control,language"):
        out = tmp_path / f"{by}.csv"
        assert main(["stats", "export", "--from", "2026-08-03", "--to", "2026-11-30",
                     "--by", by, "--out", str(out)]) == 0
        assert (out.stat().st_mode & 0o777) == 0o600
        rows = _rows(out.read_text())
        dims = by.split(",")
        assert list(rows[0]) == [*dims, "count"]
        # Coarse values only: months, codes, Total; no ids, numbers or free text.
        for r in rows:
            assert re.fullmatch(r"2026-(0[89]|1[01])|Total", r["month"])
            for d in dims[1:]:
                assert re.fullmatch(r"[A-Za-z_]{1,32}", r[d]), (d, r[d])
            assert r["count"] == SUPPRESSED or (r["count"].isdigit()
                                                and not 0 < int(r["count"]) < 10)
        assert any(r["count"] == SUPPRESSED for r in rows), by  # the test data has small cells
        multi = ("method_of_control",) if "method_of_control" in dims else ()
        if multi:  # a method is never summed: its Total rows do not exist
            assert not [r for r in rows if r["method_of_control"] == TOTAL]
        determined, bounds = attack(rows, dims, multi)
        assert determined == [], by
        small = [i for i, (_n, lo, hi) in enumerate(bounds) if hi - lo < 1]
        assert small == [], by
    assert "suppressed" in capsys.readouterr().err
    with session_scope(db_url) as s:
        events = s.execute(sa.select(AuditEvent).where(AuditEvent.action == "stats_export")
                           ).scalars().all()
    assert len(events) == 3 and events[0].actor == "cli"
    assert events[0].details["by"] == ["month", "channel", "minor"]
    assert events[0].details["threshold"] == 10


def test_unknown_dimensions_are_refused() -> None:
    assert parse_by("state,month") == ("month", "state")
    with pytest.raises(StatsError):
        parse_by("month,phone")
    with pytest.raises(StatsError):
        parse_by("month,state,channel,language,triage")
