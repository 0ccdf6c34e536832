"""The benchmark's percentile and summary maths (bench/stats.py): nearest rank, no
interpolation, so a reported p99 is a latency that really happened."""

from __future__ import annotations

import pytest

from bench.stats import growth, percentile, rate, ratio, summary


def test_nearest_rank_percentiles_of_one_to_a_hundred() -> None:
    samples = list(range(100, 0, -1))  # unsorted on purpose
    assert percentile(samples, 50) == 50
    assert percentile(samples, 95) == 95
    assert percentile(samples, 99) == 99
    assert percentile(samples, 100) == 100
    assert percentile(samples, 0) == 1


def test_percentile_is_always_an_observed_sample() -> None:
    samples = [0.010, 0.020, 0.500]
    assert percentile(samples, 50) == 0.020
    assert percentile(samples, 95) == 0.500  # not an interpolated 0.452
    assert percentile([7.0], 99) == 7.0


def test_percentile_of_nothing_is_none_and_bad_rank_is_refused() -> None:
    assert percentile([], 50) is None
    with pytest.raises(ValueError):
        percentile([1.0], 101)


def test_summary_reports_count_mean_percentiles_and_max() -> None:
    result = summary([1.0, 2.0, 3.0, 4.0])
    assert result == {"count": 4, "mean": 2.5, "p50": 2.0, "p95": 4.0, "p99": 4.0,
                      "max": 4.0}
    assert summary([]) == {"count": 0, "mean": None, "p50": None, "p95": None,
                           "p99": None, "max": None}


def test_rate_ratio_and_growth() -> None:
    assert rate(300, 60.0) == 5.0
    assert rate(3, 0.0) == 0.0
    assert ratio(0.3, 0.1) == pytest.approx(3.0)
    assert ratio(None, 0.1) is None
    assert ratio(0.3, 0.0) is None
    assert growth([100, 120, 90, 130]) == 30
    assert growth([100]) is None
