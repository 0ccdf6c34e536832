"""`hotline demo seed --days N [--seed S] [--end YYYY-MM-DD] [--per-day M]`."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timezone

from bot.cli_args import iso_date


def cmd_seed(args: argparse.Namespace) -> int:
    from bot.config import get_settings
    from bot.demo.seed import RealDataPresent, analyze, seed
    from bot.store.crypto import keyring_from_settings, set_keyring
    from bot.store.db import session_scope
    from bot.store.migrate import upgrade

    settings = get_settings()
    set_keyring(keyring_from_settings(settings))  # demo rows are encrypted like real ones
    upgrade(settings.database_url)
    end = args.end or datetime.now(timezone.utc).date()
    try:
        with session_scope(settings.database_url) as session:
            summary = seed(session, args.days, end=end, seed=args.seed, per_day=args.per_day)
    except RealDataPresent as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    with session_scope(settings.database_url) as session:
        analyze(session)
    counts = ", ".join(f"{v} {k}" for k, v in sorted(summary.counts.items()))
    print(f"[demo] {args.days} day(s) to {end.isoformat()}: {counts}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `hotline demo seed` (bot/cli.py)."""
    p = subparsers.add_parser("demo", help="synthetic traffic for demos, tests and benchmarks")
    demo_sub = p.add_subparsers(dest="demo_command", required=True)
    s = demo_sub.add_parser("seed", help="fill the database with N days of synthetic traffic "
                                         "(refuses a database holding real conversations)")
    s.add_argument("--days", type=int, required=True)
    s.add_argument("--seed", type=int, default=1, help="same seed and end: same rows")
    s.add_argument("--end", type=iso_date, default=None, help="last day (UTC; default today)")
    s.add_argument("--per-day", type=float, default=30.0, help="mean conversations a day")
    s.set_defaults(func=cmd_seed)
