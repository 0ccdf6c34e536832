"""`hotline export`: referral cases as HTCDS CSV / JSON from the command line.

Same rules as the console (bot/referrals/export.py): only consented fields,
the safety path only with --safety-reason, and one audit row with actor "cli".
The file is written with mode 600: it holds case data.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from bot.cli_args import iso_date


def _write_private(path: Path, content: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
        fh.write(content)


def cmd_export(args: argparse.Namespace) -> int:
    from bot.config import get_settings
    from bot.referrals.export import ExportError, export_cases
    from bot.store.audit import CLI
    from bot.store.db import session_scope

    settings = get_settings()
    try:
        with session_scope(settings.database_url) as session:
            result = export_cases(session, args.date_from, args.date_to, args.format,
                                  actor=CLI, receiving_org=args.receiving_org,
                                  safety_reason=args.safety_reason)
    except ExportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.out:
        _write_private(Path(args.out), result.content)
    else:
        sys.stdout.write(result.content)
    print(f"[export] {len(result.case_ids)} case(s) exported"
          f" ({len(result.safety_case_ids)} on the safety path),"
          f" {len(result.withheld_case_ids)} withheld without consent;"
          f" audit event {result.audit_event_id}", file=sys.stderr)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `hotline export --from --to --format csv|json [--out FILE]` (bot/cli.py)."""
    from bot.referrals.export import FORMATS, SAFETY_REASONS

    p = subparsers.add_parser("export", help="export referral cases (HTCDS names, consented "
                              "fields only; audited)")
    p.add_argument("--from", dest="date_from", type=iso_date, required=True,
                   help="first day (YYYY-MM-DD, UTC) a case was opened")
    p.add_argument("--to", dest="date_to", type=iso_date, required=True,
                   help="last day (YYYY-MM-DD, UTC), inclusive")
    p.add_argument("--format", choices=FORMATS, required=True)
    p.add_argument("--out", default=None, help="file to write (mode 600); default: stdout")
    p.add_argument("--receiving-org", default=None,
                   help="only cases referred to this resource id")
    p.add_argument("--safety-reason", choices=tuple(SAFETY_REASONS), default=None,
                   help="also export flagged cases without consent (docs/referrals.md)")
    p.set_defaults(func=cmd_export)
