"""`python -m evaluation` (what `make eval` runs): the blind evaluation, end to end.

1. Loads the blind sets (tests/blind/<set>/<lang>.yml, format in tests/blind/FORMAT.md).
2. Starts the hotline as the integration tests do (evaluation/stack.py), or uses --url.
3. Sends every case through the web chat, each as a new texter (evaluation/driver.py).
4. Checks every labelled turn (evaluation/checks.py) and prints per-language and
   per-category pass rates, emergency recall, false alarms and the failing case ids.
   The full record, replies included, goes to var/eval/<timestamp>.json (git-ignored).
`--rescore RECORD` checks the replies of an earlier record again, without a stack (after
a change to the checks or to content).
Exit code 0 whatever the figures (a report, not a gate); 2 if the harness itself fails.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from evaluation.cases import LANGS, SetError, load_sets, set_names
from evaluation.driver import POLL_DELAY, print_progress, run_all
from evaluation.expectations import load_expectations
from evaluation.report import cases_from_record, record, render, write_json
from evaluation.scoring import score_case, summarize

ROOT = Path(__file__).resolve().parent.parent
BLIND_DIR = ROOT / "tests" / "blind"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m evaluation", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--set", action="append", dest="sets", metavar="NAME",
                   help="a set under tests/blind (repeatable; default: every set)")
    p.add_argument("--lang", choices=LANGS, action="append", dest="langs",
                   help="only this language (repeatable; default: en and es)")
    p.add_argument("--concurrency", type=int, default=3,
                   help="texters at a time (default 3; the stack shares 2 cores)")
    p.add_argument("--out", type=Path, default=None,
                   help="where to write the JSON record (default var/eval/<timestamp>.json)")
    p.add_argument("--url", default=None,
                   help="use a hotline already running here instead of starting one")
    p.add_argument("--rescore", type=Path, default=None, metavar="RECORD",
                   help="check the replies stored in an earlier record again (no stack)")
    p.add_argument("--blind-dir", type=Path, default=BLIND_DIR, help=argparse.SUPPRESS)
    p.add_argument("--poll-delay", type=float, default=POLL_DELAY,
                   help=f"seconds before the /updates poll after each turn ({POLL_DELAY})")
    return p.parse_args(argv)


def rescore(args: argparse.Namespace) -> int:
    """Score the replies of an earlier run with today's checks and content."""
    try:
        data = json.loads(args.rescore.read_text(encoding="utf-8"))
        cases, replies = cases_from_record(data)
    except (OSError, ValueError, KeyError) as exc:
        print(f"error: cannot read {args.rescore}: {exc.__class__.__name__}", file=sys.stderr)
        return 2
    invalid = [(i["id"], i["why"]) for i in data.get("invalid", [])]
    return finish(args, cases, replies, invalid, float(data["meta"].get("seconds", 0)),
                  {**data["meta"], "rescored_from": str(args.rescore)})


def finish(args: argparse.Namespace, cases: list, replies: list,
           invalid: list[tuple[str, str]], seconds: float, meta: dict) -> int:
    expectations = load_expectations()
    results = [score_case(case, turns, expectations)
               for case, turns in zip(cases, replies, strict=True)]
    summary = summarize(results)
    print(render(summary, results, invalid, seconds))
    path = write_json(record(summary, results, invalid, meta), args.out, ROOT)
    print(f"\nFull record (replies included): {path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.rescore:
        return rescore(args)
    try:
        blind = load_sets(args.blind_dir, args.sets, tuple(args.langs or LANGS))
    except SetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not blind.cases:
        print(f"error: no blind cases under {args.blind_dir} "
              f"(sets found: {', '.join(set_names(args.blind_dir)) or 'none'})", file=sys.stderr)
        return 2
    load_expectations()   # fail on unreadable content before starting anything
    started = time.monotonic()
    service = None
    with tempfile.TemporaryDirectory(prefix="hotline-eval-") as tmp:
        try:
            if args.url:
                base_url = args.url
            else:
                from evaluation import stack

                print("starting the hotline ...", file=sys.stderr, flush=True)
                service = stack.start(Path(tmp))
                base_url = service.base_url
            print(f"sending {len(blind.cases)} cases ({args.concurrency} at a time) ...",
                  file=sys.stderr, flush=True)
            replies = run_all(base_url, blind.cases, args.concurrency, args.poll_delay,
                              progress=print_progress)
        except RuntimeError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        finally:
            if service is not None:
                service.stop()
    seconds = time.monotonic() - started
    meta = {"when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "sets": sorted({c.set for c in blind.cases}), "langs": list(args.langs or LANGS),
            "concurrency": args.concurrency, "seconds": round(seconds, 1)}
    return finish(args, blind.cases, replies, blind.invalid, seconds, meta)


if __name__ == "__main__":
    raise SystemExit(main())
