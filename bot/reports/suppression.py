"""Cell suppression for published count tables: primary and complementary.

A table is its inner cells (one per combination of dimension values) and its
margins (the same table with some dimensions summed to "Total"). Every cell is
a sum of inner cells, so anyone holding the published cells holds a system of
linear equations over the unpublished ones. Primary suppression hides every
count from 1 to threshold-1. Complementary suppression then hides more cells
until no hidden cell is determined by the published ones: a hidden cell is
recoverable exactly when its row (over the hidden inner cells) lies in the row
space of the published margins' rows, which we test with one SVD per round.
A last pass checks with linear programming (counts are never negative) that
each hidden cell can still take at least two values. docs/statistics.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

TOLERANCE = 1e-8


@dataclass
class Cell:
    key: tuple[str, ...]
    count: int
    members: frozenset[int]  # indices of the inner cells it sums
    inner: bool
    suppressed: bool = False
    primary: bool = False


@dataclass
class Table:
    """Inner cells first (cell i's members are {i}), then the margins."""

    dimensions: tuple[str, ...]
    cells: list[Cell] = field(default_factory=list)
    # Positions of the dimensions that have margins (a multi-valued one has none).
    summed: frozenset[int] = frozenset()


def _hidden_inner(table: Table) -> list[int]:
    return sorted(i for i, c in enumerate(table.cells) if c.inner and c.suppressed)


def membership(table: Table) -> np.ndarray:
    """cells x inner cells: 1 where the cell sums that inner cell."""
    inner = sum(c.inner for c in table.cells)
    m = np.zeros((len(table.cells), inner))
    for i, c in enumerate(table.cells):
        m[i, list(c.members)] = 1.0
    return m


def _system(table: Table, m: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The published margins as equations over the hidden inner cells (A x = b), and
    every cell's row over the hidden inner cells."""
    hidden = np.array(_hidden_inner(table), dtype=int)
    counts = np.array([c.count for c in table.cells], dtype=float)
    inner = m.shape[1]
    known = np.ones(inner, dtype=bool)
    known[hidden] = False
    published = np.array([not c.inner and not c.suppressed for c in table.cells])
    rows = m[published][:, hidden]
    rhs = counts[published] - m[published][:, known] @ counts[:inner][known]
    useful = rows.any(axis=1)
    return rows[useful], rhs[useful], m[:, hidden]


def recoverable(table: Table, m: np.ndarray | None = None) -> list[int]:
    """Indices of hidden cells whose value follows from the published ones."""
    m = membership(table) if m is None else m
    a, _rhs, targets = _system(table, m)
    suppressed = [i for i, c in enumerate(table.cells) if c.suppressed]
    if not suppressed:
        return []
    t = targets[suppressed]
    if a.shape[0]:
        _u, sv, vt = np.linalg.svd(a, full_matrices=False)
        basis = vt[sv > TOLERANCE * max(1.0, float(sv.max()))]
        residual = t - (t @ basis.T) @ basis
    else:
        residual = t
    empty = ~t.any(axis=1)  # every inner cell under it is published
    norms = np.linalg.norm(residual, axis=1)
    return [i for i, e, n in zip(suppressed, empty, norms, strict=True) if e or n < 1e-6]


def pinned_by_bounds(table: Table, m: np.ndarray | None = None) -> list[int]:
    """Primary-suppressed cells whose range, counts being non-negative, is one value."""
    from scipy.optimize import linprog

    m = membership(table) if m is None else m
    a, rhs, targets = _system(table, m)
    found = []
    for i, c in enumerate(table.cells):
        if not c.primary:
            continue
        t = targets[i]
        if not t.any():
            found.append(i)
            continue
        bounds = []
        for sign in (1.0, -1.0):
            res = linprog(sign * t, A_eq=a if a.shape[0] else None,
                          b_eq=rhs if a.shape[0] else None, bounds=(0, None), method="highs")
            bounds.append(sign * res.fun if res.status == 0 else None)
        low, high = bounds
        if low is not None and high is not None and high - low < 0.5:
            found.append(i)
    return found


def _adjacent(table: Table, a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """In one margin line: the keys differ in exactly one summed dimension."""
    differ = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    return len(differ) == 1 and differ[0] in table.summed


def _neighbours(table: Table, cell: Cell) -> list[int]:
    """Published cells that share a margin line with the hidden cell (best first).

    Best: a non-zero cell (a zero would pin the bounds) that also shares a line
    with other hidden cells (it closes a rectangle, so fewer cells are lost),
    then the smallest count.
    """
    hidden_keys = [c.key for c in table.cells if c.inner and c.suppressed]
    own = [table.cells[m].key for m in cell.members if table.cells[m].suppressed] \
        or [table.cells[m].key for m in cell.members]
    scored = []
    for i, c in enumerate(table.cells):
        if c.suppressed or not c.inner or not any(_adjacent(table, c.key, k) for k in own):
            continue
        closes = sum(_adjacent(table, c.key, k) for k in hidden_keys)
        scored.append(((c.count == 0, -closes, c.count, i), i))
    if not scored:  # a line of one cell: hide a margin it belongs to instead
        under = set(cell.members)
        scored = [((c.count, i), i) for i, c in enumerate(table.cells)
                  if not c.suppressed and not c.inner and under & c.members]
    return [i for _score, i in sorted(scored)]


def suppress(table: Table, threshold: int, *, check_bounds: bool = True) -> Table:
    """Mark cells to suppress (in place): counts 1..threshold-1, then complements."""
    for c in table.cells:
        if 0 < c.count < threshold:
            c.suppressed = c.primary = True
    checks = (recoverable, pinned_by_bounds) if check_bounds else (recoverable,)
    m = membership(table)
    while True:
        exposed = []
        for check in checks:
            exposed = check(table, m)
            if exposed:
                break
        if not exposed:
            return table
        # Complements for exposed cells in different lines this round, then look again
        # (one complement can protect several cells, e.g. by closing a rectangle).
        touched: list[tuple[str, ...]] = []
        for i in exposed:
            key = table.cells[i].key
            if any(k == key or _adjacent(table, k, key) for k in touched):
                continue
            candidates = _neighbours(table, table.cells[i])
            if candidates:
                table.cells[candidates[0]].suppressed = True
                touched.append(table.cells[candidates[0]].key)
        if not touched:  # nothing left to hide beside them: hide everything
            for c in table.cells:
                c.suppressed = True
    return table
