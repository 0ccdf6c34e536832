"""`python -m bench` (what `make bench` / `make bench-soak` run). See docs/performance.md.

1. Starts the local Twilio-like API and the hotline (`python -m bot run --no-train`) on a
   fresh database in a temporary folder, and times the cold start.
2. N texters hold short EN/ES conversations over signed Twilio webhooks for a while.
3. Checks that every message was answered exactly once (inbox, outbox, provider).
4. Starts raw Rasa (REST channel, same model, same action server) and drives the same
   conversations, for the overhead ratio of the durable layer.
5. Times a full training into a temporary folder (skip with --skip-training).
Prints a table and writes var/bench/<timestamp>.json.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

from bench import profile
from bench.drivers import InboxWatcher, RestDriver, SmsDriver
from bench.load import Phase, run_phase
from bench.provider import TimedTwilioApi
from bench.reconcile import reconcile
from bench.report import render, write_json
from bench.stack import MODEL, ROOT, Service, cpu_seconds, hotline_env, processes, rss_mib
from bench.stack import start_hotline as _start_hotline
from bench.stack import start_raw_rasa as _start_raw_rasa
from bench.stats import ratio
from bench.training import time_training


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--texters", type=int, default=50, help="concurrent texters (default 50)")
    p.add_argument("--duration", type=float, default=120.0,
                   help="seconds of load per phase (default 120)")
    p.add_argument("--think", type=float, default=1.0,
                   help="mean pause between a reply and the next message, s (default 1)")
    p.add_argument("--soak", type=float, default=0.0, metavar="SECONDS",
                   help="soak mode: only the hotline, this long; memory growth, loss and "
                        "duplicates (implies --skip-raw --skip-training)")
    p.add_argument("--outbox-rate", type=float, default=0.0,
                   help="HOTLINE_OUTBOX_RATE_PER_SECOND for the run (default 0 = no limit)")
    p.add_argument("--skip-raw", action="store_true", help="do not run the raw Rasa phase")
    p.add_argument("--light-texters", type=int, default=5,
                   help="texters of the light-load phases, hotline and raw Rasa "
                        "(default 5; 0 skips them)")
    p.add_argument("--workers", type=int, default=2,
                   help="Rasa workers (HOTLINE_RASA_WORKERS) of the extra workers run "
                        "(default 2; 1 skips it)")
    p.add_argument("--skip-training", action="store_true",
                   help="do not time a training (it takes minutes)")
    p.add_argument("--profile", action="store_true",
                   help="sample the Rasa servers and action server with py-spy meanwhile")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", type=Path, default=ROOT / "var" / "bench")
    p.add_argument("--keep", action="store_true", help="keep the temporary folder (logs)")
    args = p.parse_args(argv)
    if args.soak:
        args.duration, args.skip_raw, args.skip_training = args.soak, True, True
        args.light_texters, args.workers = 0, 1
    return args


async def _profiled(targets: dict[str, int], seconds: float, folder: Path, stamp: str,
                    enabled: bool) -> dict[str, tuple[Any, Path]]:
    if not enabled:
        return {}
    started = {}
    for role, pid in targets.items():
        out = folder / f"{stamp}-profile-{role}.txt"
        proc = profile.start(pid, seconds, out)
        if proc is None:
            print("py-spy not found: `.venv/bin/pip install py-spy` to profile",
                  file=sys.stderr)
            return {}
        started[role] = (proc, out)
    return started


async def _collect(profilers: dict[str, tuple[Any, Path]]) -> dict[str, Any]:
    found = {}
    for role, (proc, out) in profilers.items():
        await asyncio.to_thread(proc.wait)
        if out.exists() and out.stat().st_size:
            found[role] = {**profile.summarise(out), "collapsed_stacks": str(out)}
        else:
            err = proc.stderr.read().decode(errors="replace")[-500:] if proc.stderr else ""
            found[role] = {"error": err or "no samples"}
    return found


# Numbering of the texters' phone numbers / REST senders per phase (one fake provider).
MAIN_NUMBERS, LIGHT_NUMBERS, WORKERS_NUMBERS = 1, 4_000_000, 7_000_000


async def _sms_phase(name: str, args: argparse.Namespace, hotline: Service, env: dict,
                     fake: TimedTwilioApi, client: httpx.AsyncClient, texters: int,
                     first_number: int,
                     profilers_for: Any = None) -> tuple[Phase, dict[str, Any]]:
    """Drive `texters` over signed Twilio webhooks; memory and CPU per process meanwhile."""
    procs = processes(hotline)
    watcher = InboxWatcher(env["HOTLINE_DATABASE_URL"])
    watching = asyncio.create_task(watcher.run())
    t0 = time.monotonic()
    driver = SmsDriver(hotline.base_url, fake, watcher, client, t0, first_number)
    profilers = await profilers_for(procs) if profilers_for else {}
    try:
        phase = await run_phase(
            name, driver, texters=texters, duration=args.duration, think=args.think,
            seed=args.seed, t0=t0, read_memory=lambda: rss_mib(procs),
            memory_every=10.0 if args.soak else 5.0,
            warmup=min(60.0, args.duration / 5) if args.soak else None,
            read_cpu=lambda: cpu_seconds(procs))
    finally:
        watching.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watching
    return phase, profilers


async def run(args: argparse.Namespace) -> dict[str, Any]:
    stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
    tmp = Path(tempfile.mkdtemp(prefix="hotline-bench-"))
    results: dict[str, Any] = {
        "started": datetime.now().isoformat(timespec="seconds"),
        "config": {"texters": args.texters, "duration_s": args.duration, "think_s": args.think,
                   "outbox_rate": args.outbox_rate, "soak": bool(args.soak),
                   "light_texters": args.light_texters, "workers": args.workers,
                   "cpus": os.cpu_count(), "model": str(MODEL.relative_to(ROOT)),
                   "database": "SQLite (WAL)", "seed": args.seed,
                   "load_average_at_start": os.getloadavg()},
        "cold_start_s": {},
    }
    profiles: dict[str, Any] = {}
    fake = TimedTwilioApi(asyncio.get_running_loop())
    fake.start()
    env = hotline_env(tmp, fake.account_sid, fake.auth_token, fake.url, args.outbox_rate)
    hotline: Service | None = None
    limits = httpx.Limits(max_connections=args.texters + 10,
                          max_keepalive_connections=args.texters + 10)
    light: dict[str, Any] = {}
    try:
        print(f"[bench] starting the hotline in {tmp} ...", flush=True)
        hotline = await asyncio.to_thread(_start_hotline, tmp, env)
        results["cold_start_s"]["hotline"] = round(hotline.cold_start_seconds, 2)
        if hotline.gateway_ready_seconds is not None:
            results["cold_start_s"]["gateway"] = round(hotline.gateway_ready_seconds, 2)
        print(f"[bench] ready in {hotline.cold_start_seconds:.1f} s; {args.texters} texters "
              f"for {args.duration:.0f} s over Twilio webhooks ...", flush=True)
        async with httpx.AsyncClient(limits=limits, timeout=60) as client:

            async def profilers_for(procs: dict) -> dict:
                return await _profiled(
                    {k: procs[k].pid for k in ("gateway", "rasa", "actions") if k in procs},
                    args.duration, args.out, stamp, args.profile)

            phase, profilers = await _sms_phase("hotline", args, hotline, env, fake, client,
                                                args.texters, MAIN_NUMBERS, profilers_for)
            profiles.update({f"hotline {k}": v for k, v in (await _collect(profilers)).items()})
            results["hotline"] = phase.summary()
            results["sample_conversations"] = _samples(phase, fake)
            if args.soak:
                results["memory_series_mib"] = {"t_s": phase.memory_times, **phase.memory}
            print("[bench] checking every message was answered once ...", flush=True)
            results["reconciliation"] = await asyncio.to_thread(
                reconcile, env["HOTLINE_DATABASE_URL"], fake, phase.turns)
            if args.light_texters:
                print(f"[bench] light load: {args.light_texters} texters ...", flush=True)
                quiet, _ = await _sms_phase("hotline-light", args, hotline, env, fake,
                                            client, args.light_texters, LIGHT_NUMBERS)
                light["hotline"] = quiet.summary()
                light["reconciliation"] = await asyncio.to_thread(
                    reconcile, env["HOTLINE_DATABASE_URL"], fake, quiet.turns)
            if not args.skip_raw:
                results["raw_rasa"] = await _raw_phase(args, tmp, hotline, client, results,
                                                       profiles, stamp, light)
    finally:
        if hotline is not None:
            hotline.stop()
    try:
        if args.workers > 1:
            results["workers"] = await _workers_run(args, fake, limits, results)
    finally:
        fake.stop()
    if raw_summary := results.get("raw_rasa"):
        ours = results["hotline"]["e2e_latency_s"]
        theirs = raw_summary["e2e_latency_s"]
        results["overhead_ratio"] = {k: ratio(ours[k], theirs[k]) for k in ("p50", "p95")}
    if light:
        if "raw_rasa" in light:
            light["e2e_ratio"] = {k: ratio(light["hotline"]["e2e_latency_s"][k],
                                           light["raw_rasa"]["e2e_latency_s"][k])
                                  for k in ("p50", "p95")}
        results["light"] = light
    results["targets"] = targets(results)
    if not args.skip_training:
        print("[bench] timing a full training (several minutes; --skip-training skips) ...",
              flush=True)
        results["training"] = await asyncio.to_thread(time_training, tmp)
    if profiles:
        results["profile"] = profiles
    results["config"]["load_average_at_end"] = os.getloadavg()
    results["logs"] = str(tmp) if args.keep else None
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)
    results["json"] = str(write_json(results, args.out, stamp))
    return results


async def _workers_run(args: argparse.Namespace, fake: TimedTwilioApi, limits: httpx.Limits,
                       results: dict[str, Any]) -> dict[str, Any]:
    """The same load on a fresh hotline with HOTLINE_RASA_WORKERS = args.workers."""
    tmp = Path(tempfile.mkdtemp(prefix="hotline-bench-workers-"))
    env = {**hotline_env(tmp, fake.account_sid, fake.auth_token, fake.url, args.outbox_rate),
           "HOTLINE_RASA_WORKERS": str(args.workers)}
    print(f"[bench] starting the hotline with {args.workers} Rasa workers ...", flush=True)
    hotline = await asyncio.to_thread(_start_hotline, tmp, env)
    try:
        results["cold_start_s"][f"hotline_{args.workers}_workers"] = round(
            hotline.cold_start_seconds, 2)
        print(f"[bench] ready in {hotline.cold_start_seconds:.1f} s; {args.texters} texters "
              "...", flush=True)
        async with httpx.AsyncClient(limits=limits, timeout=60) as client:
            phase, _ = await _sms_phase(f"hotline-{args.workers}-workers", args, hotline, env,
                                     fake, client, args.texters, WORKERS_NUMBERS)
        summary = phase.summary()
        summary["reconciliation"] = await asyncio.to_thread(
            reconcile, env["HOTLINE_DATABASE_URL"], fake, phase.turns)
    finally:
        hotline.stop()
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    raw = results.get("raw_rasa")
    return {
        "count": args.workers,
        "hotline": summary,
        "throughput_ratio_to_raw": {
            "1": ratio(results["hotline"]["inbound_per_s"], raw["inbound_per_s"]) if raw
            else None,
            str(args.workers): ratio(summary["inbound_per_s"], raw["inbound_per_s"]) if raw
            else None},
    }


# The targets, as ratios to raw Rasa measured in the same run.
TARGETS = {
    "light_e2e_p50_ratio_max": 1.10,
    "throughput_ratio_1_worker_min": 1.0,
    "throughput_ratio_n_workers_min": 1.6,
    "ack_p99_ms_max": 50.0,
}


def targets(results: dict[str, Any]) -> dict[str, Any]:
    """Each target with the measured value and whether it is met (None: not measured)."""
    raw = results.get("raw_rasa")
    light = (results.get("light") or {}).get("e2e_ratio") or {}
    workers = (results.get("workers") or {}).get("throughput_ratio_to_raw") or {}
    n = str((results.get("workers") or {}).get("count", ""))
    ack = results["hotline"]["ack_latency_s"].get("p99")
    found = {
        "light_e2e_p50_ratio": (light.get("p50"), TARGETS["light_e2e_p50_ratio_max"], "<="),
        "throughput_ratio_1_worker": (
            ratio(results["hotline"]["inbound_per_s"], raw["inbound_per_s"]) if raw else None,
            TARGETS["throughput_ratio_1_worker_min"], ">="),
        f"throughput_ratio_{n or 'n'}_workers": (workers.get(n), TARGETS[
            "throughput_ratio_n_workers_min"], ">="),
        "ack_p99_ms": (None if ack is None else ack * 1000, TARGETS["ack_p99_ms_max"], "<="),
    }
    return {name: {"measured": None if value is None else round(value, 3), "target": f"{op} "
                   f"{limit}", "met": None if value is None else
                   (value <= limit if op == "<=" else value >= limit)}
            for name, (value, limit, op) in found.items()}


def _samples(phase: Phase, fake: TimedTwilioApi) -> dict[str, list[str]]:
    """What one texter of each script received (synthetic texts), to see the bench held
    real conversations rather than fallbacks."""
    found: dict[str, list[str]] = {}
    for turn in phase.turns:
        if turn.script not in found and turn.complete:
            found[turn.script] = [m["body"][:120] for m in fake.messages_to(turn.address)]
    return found


async def _raw_phase(args: argparse.Namespace, tmp: Path, hotline: Service,
                     client: httpx.AsyncClient, results: dict[str, Any],
                     profiles: dict[str, Any], stamp: str,
                     light: dict[str, Any]) -> dict[str, Any]:
    print("[bench] starting raw Rasa (REST channel, same model and action server) ...",
          flush=True)
    raw = await asyncio.to_thread(_start_raw_rasa, tmp, hotline)
    try:
        results["cold_start_s"]["raw_rasa"] = round(raw.cold_start_seconds, 2)
        procs = processes(hotline, raw)
        procs = {k: v for k, v in procs.items() if k in ("raw-rasa", "actions")}
        print(f"[bench] ready in {raw.cold_start_seconds:.1f} s; the same conversations "
              "over REST ...", flush=True)
        t0 = time.monotonic()
        profilers = await _profiled({"raw-rasa": raw.process.pid}, args.duration, args.out,
                                    stamp, args.profile)
        phase: Phase = await run_phase(
            "raw-rasa", RestDriver(raw.base_url, client, t0), texters=args.texters,
            duration=args.duration, think=args.think, seed=args.seed, t0=t0,
            read_memory=lambda: rss_mib(procs), read_cpu=lambda: cpu_seconds(procs))
        profiles.update({f"raw {k}": v for k, v in (await _collect(profilers)).items()})
        if args.light_texters:
            print(f"[bench] raw Rasa, light load: {args.light_texters} texters ...",
                  flush=True)
            t0 = time.monotonic()
            quiet = await run_phase(
                "raw-rasa-light", RestDriver(raw.base_url, client, t0, LIGHT_NUMBERS),
                texters=args.light_texters, duration=args.duration, think=args.think,
                seed=args.seed, t0=t0, read_memory=lambda: rss_mib(procs),
                read_cpu=lambda: cpu_seconds(procs))
            light["raw_rasa"] = quiet.summary()
        return phase.summary()
    finally:
        raw.stop()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    results = asyncio.run(run(args))
    print()
    print(render(results))
    print(f"\nresults: {results['json']}")
    rec = results.get("reconciliation") or {}
    return 1 if rec.get("replies_lost") or rec.get("replies_duplicated") else 0


if __name__ == "__main__":
    sys.exit(main())
