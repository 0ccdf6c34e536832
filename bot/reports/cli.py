"""`hotline stats export --from --to [--by month,state,...] [--out FILE] [--min-cell N]`."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from bot.cli_args import iso_date


def cmd_stats_export(args: argparse.Namespace) -> int:
    from bot.config import get_settings
    from bot.reports.stats import StatsError, export_stats
    from bot.store.audit import CLI
    from bot.store.db import session_scope

    settings = get_settings()
    threshold = args.min_cell or settings.stats_min_cell
    try:
        with session_scope(settings.database_url) as session:
            result = export_stats(session, args.date_from, args.date_to, args.by,
                                  threshold=threshold, actor=CLI)
    except StatsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.out:
        fd = os.open(Path(args.out), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(result.content)
    else:
        sys.stdout.write(result.content)
    print(f"[stats] {result.cells} cell(s), {result.suppressed} suppressed "
          f"({result.primary} below {threshold})", file=sys.stderr)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `hotline stats export` (bot/cli.py)."""
    p = subparsers.add_parser("stats", help="de-identified statistics for partners")
    sub = p.add_subparsers(dest="stats_command", required=True)
    e = sub.add_parser("export", help="counts by month and coarse dimensions, small cells "
                                      "suppressed (docs/statistics.md); audited")
    e.add_argument("--from", dest="date_from", type=iso_date, required=True)
    e.add_argument("--to", dest="date_to", type=iso_date, required=True)
    e.add_argument("--by", default="month",
                   help="comma-separated: month, state, channel, language, exploitation_type, "
                        "method_of_control, minor, triage (month is always included)")
    e.add_argument("--out", default=None, help="file to write (mode 600); default stdout")
    e.add_argument("--min-cell", type=int, default=None,
                   help="suppress counts below this (default HOTLINE_STATS_MIN_CELL, 10)")
    e.set_defaults(func=cmd_stats_export)
