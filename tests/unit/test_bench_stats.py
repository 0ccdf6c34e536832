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


def _phase(inbound: float, p50: float, ack_p99: float = 0.02) -> dict:
    lat = {"count": 10, "mean": p50, "p50": p50, "p95": p50 * 2, "p99": p50 * 3, "max": p50 * 4}
    return {"texters": 5, "duration_s": 30.0, "warmup_s": 3.0, "messages_sent": 10,
            "errors": 0, "inbound_per_s": inbound, "replies_per_s": inbound,
            "ack_latency_s": {**lat, "p99": ack_p99}, "first_reply_latency_s": lat,
            "e2e_latency_s": lat, "memory_mib": {},
            "cpu": {"rasa": {"seconds": 27.0, "pct_of_one_core": 90.0}}}


def test_targets_are_ratios_to_raw_rasa_in_the_same_run() -> None:
    from bench.__main__ import targets
    from bench.report import render

    results = {
        "started": "2026-12-02T03:00:00", "cold_start_s": {},
        "config": {"cpus": 2, "texters": 50, "duration_s": 30.0, "think_s": 1.0,
                   "outbox_rate": 0, "light_texters": 5},
        "hotline": _phase(8.0, 5.0, ack_p99=0.08), "raw_rasa": _phase(10.0, 3.0),
        "light": {"hotline": _phase(1.0, 0.2), "raw_rasa": _phase(1.0, 0.19),
                  "e2e_ratio": {"p50": 0.2 / 0.19, "p95": 1.0}},
        "workers": {"count": 2, "hotline": _phase(17.0, 2.0),
                    "throughput_ratio_to_raw": {"1": 0.8, "2": 1.7}},
    }
    goals = targets(results)
    assert goals["light_e2e_p50_ratio"]["met"] is True
    assert goals["throughput_ratio_1_worker"] == {"measured": 0.8, "target": ">= 1.0",
                                                  "met": False}
    assert goals["throughput_ratio_2_workers"]["met"] is True
    assert goals["ack_p99_ms"]["measured"] == 80.0 and goals["ack_p99_ms"]["met"] is False
    results["targets"] = goals
    text = render(results)
    assert "throughput_ratio_1_worker" in text and "NOT met" in text
    assert "light load (5 texters)" in text and "rasa 90" in text
    del results["raw_rasa"]
    assert targets(results)["throughput_ratio_1_worker"]["met"] is None
