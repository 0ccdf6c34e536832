"""The results table on the terminal, and the same figures as JSON under var/bench/."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value * 1000:.0f}"


def _pcts(summary: dict[str, Any]) -> str:
    return " / ".join(_ms(summary.get(k)) for k in ("p50", "p95", "p99"))


def _num(value: float | None, fmt: str = "{:.1f}") -> str:
    return "-" if value is None else fmt.format(value)


def render(results: dict[str, Any]) -> str:
    cfg = results["config"]
    lines = [f"Hotline benchmark  {results['started']}  ({cfg['cpus']} CPUs)",
             f"{cfg['texters']} texters, {cfg['duration_s']:.0f} s per phase "
             f"(first {results['hotline']['warmup_s']:.0f} s warm-up not counted), "
             f"think time ~{cfg['think_s']} s, outbox rate "
             f"{cfg['outbox_rate'] or 'unlimited'}/s", ""]
    ours, raw = results["hotline"], results.get("raw_rasa")
    row = "{:<30}{:>24}{:>24}{:>14}"
    lines.append(row.format("", "hotline (Twilio SMS)", "raw Rasa (REST)", "ours/raw"))

    def add(label: str, a: str, b: str = "", r: str = "") -> None:
        lines.append(row.format(label, a, b, r))

    add("messages in / s", _num(ours["inbound_per_s"]),
        _num(raw["inbound_per_s"]) if raw else "")
    add("replies out / s", _num(ours["replies_per_s"]),
        _num(raw["replies_per_s"]) if raw else "")
    add("webhook ack p50/p95/p99 ms", _pcts(ours["ack_latency_s"]))
    add("first reply p50/p95/p99 ms", _pcts(ours["first_reply_latency_s"]),
        _pcts(raw["first_reply_latency_s"]) if raw else "")
    ratio = results.get("overhead_ratio") or {}
    add("end-to-end p50/p95/p99 ms", _pcts(ours["e2e_latency_s"]),
        _pcts(raw["e2e_latency_s"]) if raw else "",
        (f"{_num(ratio.get('p50'), '{:.2f}')} / {_num(ratio.get('p95'), '{:.2f}')}"
         if raw else ""))
    add("messages sent (errors)", f"{ours['messages_sent']} ({ours['errors']})",
        f"{raw['messages_sent']} ({raw['errors']})" if raw else "")
    cold = results["cold_start_s"]
    add("cold start to first reply s", _num(cold.get("hotline")), _num(cold.get("raw_rasa")))
    lines.append("")
    lines.append("resident memory MiB        start      peak       end    growth")
    for phase_name, phase in (("hotline", ours), ("raw Rasa phase", raw)):
        if not phase:
            continue
        for role, mem in phase["memory_mib"].items():
            lines.append(f"  {role:<22}{mem['start']:>8.0f}{mem['peak']:>10.0f}"
                         f"{mem['end']:>10.0f}{mem['growth']:>+10.0f}   ({phase_name})")
    light = results.get("light")
    if light:
        lines.append("")
        q_ours, q_raw = light.get("hotline") or {}, light.get("raw_rasa")
        r = light.get("e2e_ratio") or {}
        lines.append(f"light load ({cfg.get('light_texters')} texters):")
        add("  messages in / s", _num(q_ours.get("inbound_per_s")),
            _num(q_raw["inbound_per_s"]) if q_raw else "")
        add("  webhook ack p50/p95/p99 ms", _pcts(q_ours.get("ack_latency_s") or {}))
        add("  end-to-end p50/p95/p99 ms", _pcts(q_ours.get("e2e_latency_s") or {}),
            _pcts(q_raw["e2e_latency_s"]) if q_raw else "",
            f"{_num(r.get('p50'), '{:.2f}')} / {_num(r.get('p95'), '{:.2f}')}" if r else "")
    workers = results.get("workers")
    if workers:
        w = workers["hotline"]
        t = workers.get("throughput_ratio_to_raw") or {}
        lines.append("")
        lines.append(f"{workers['count']} Rasa workers ({cfg['texters']} texters):")
        add("  messages in / s", _num(w["inbound_per_s"]), "",
            _num(t.get(str(workers["count"])), "{:.2f}"))
        add("  webhook ack p50/p95/p99 ms", _pcts(w["ack_latency_s"]))
        add("  end-to-end p50/p95/p99 ms", _pcts(w["e2e_latency_s"]))
        wrec = w.get("reconciliation") or {}
        lines.append(f"  delivery: lost {wrec.get('replies_lost')}, duplicated "
                     f"{wrec.get('replies_duplicated')}, unprocessed "
                     f"{wrec.get('inbound_unprocessed')}")
    cpu_phases = [("hotline", ours), ("raw Rasa", raw),
                  ("hotline light", (light or {}).get("hotline")),
                  ("raw Rasa light", (light or {}).get("raw_rasa")),
                  ("hotline workers", (workers or {}).get("hotline"))]
    if any(p and p.get("cpu") for _, p in cpu_phases):
        lines.append("")
        lines.append("CPU per process (% of one core over the phase)")
        for phase_name, phase in cpu_phases:
            if phase and phase.get("cpu"):
                cells = ", ".join(f"{role} {c['pct_of_one_core']:.0f}"
                                  for role, c in phase["cpu"].items()
                                  if c.get("pct_of_one_core") is not None)
                lines.append(f"  {phase_name:<18}{cells}")
    goals = results.get("targets")
    if goals:
        lines.append("")
        lines.append("targets (ratios to raw Rasa in this run):")
        for name, goal in goals.items():
            met = {True: "met", False: "NOT met", None: "not measured"}[goal["met"]]
            lines.append(f"  {name:<32}{_num(goal['measured'], '{:.3f}'):>10}  "
                         f"target {goal['target']:<8} {met}")
    rec = results.get("reconciliation")
    if rec:
        lines.append("")
        lines.append(f"delivery: {rec['inbound_sent']} webhooks accepted, "
                     f"{rec['inbound_stored']} stored, {rec['inbound_unprocessed']} "
                     f"unprocessed; {rec['replies_owed']} replies owed, "
                     f"{rec['replies_received_at_provider']} received at the provider, "
                     f"lost {rec['replies_lost']}, duplicated {rec['replies_duplicated']}; "
                     f"outbox rows {rec['outbox_rows']}")
    training = results.get("training")
    lines.append("")
    if training is None:
        lines.append("training: skipped (--skip-training)")
    elif "seconds" in training:
        lines.append(f"training (rasa train --force): {training['seconds']:.0f} s")
    else:
        lines.append(f"training: {training['error']}")
    for role, prof in (results.get("profile") or {}).items():
        lines.append("")
        lines.append(f"profile of {role} ({prof.get('samples', 0)} samples, CPU only):")
        for name, pct in (prof.get("inclusive_pct") or {}).items():
            lines.append(f"  {pct:5.1f} %  {name}")
        lines.append("  by innermost library:")
        for name, pct in (prof.get("by_leaf_pct") or {}).items():
            lines.append(f"    {pct:5.1f} %  {name}")
    return "\n".join(lines)


def write_json(results: dict[str, Any], folder: Path, stamp: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stamp}.json"
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str))
    return path
