"""Percentiles and summaries of latency samples (nearest-rank, no interpolation)."""

from __future__ import annotations

import math
from collections.abc import Sequence

PERCENTILES = (50, 95, 99)


def percentile(samples: Sequence[float], pct: float) -> float | None:
    """Nearest-rank percentile: the smallest sample with at least pct % of samples <= it.

    None for no samples. pct 0 is the minimum, 100 the maximum.
    """
    if not samples:
        return None
    if not 0 <= pct <= 100:
        raise ValueError(f"percentile must be within 0..100, not {pct}")
    ordered = sorted(samples)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def summary(samples: Sequence[float]) -> dict[str, float | int | None]:
    """Count, mean, p50/p95/p99 and max of samples (seconds in, seconds out)."""
    result: dict[str, float | int | None] = {"count": len(samples)}
    result["mean"] = sum(samples) / len(samples) if samples else None
    for pct in PERCENTILES:
        result[f"p{pct}"] = percentile(samples, pct)
    result["max"] = max(samples) if samples else None
    return result


def rate(count: int, seconds: float) -> float:
    """Events per second over a window (0 for an empty window)."""
    return count / seconds if seconds > 0 else 0.0


def ratio(ours: float | None, theirs: float | None) -> float | None:
    """ours / theirs, or None when either is missing or theirs is zero."""
    if ours is None or not theirs:
        return None
    return ours / theirs


def growth(series: Sequence[int]) -> int | None:
    """Last minus first value of a series (e.g. resident memory over a soak)."""
    return series[-1] - series[0] if len(series) >= 2 else None
