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
