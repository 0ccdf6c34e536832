"""`hotline directory import PATH | export PATH | validate PATH` (HSDS 3.0, docs/directory.md).

PATH: a folder holding an HSDS CSV data package, or an HSDS JSON file (.json).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _print_errors(errors: list[str]) -> None:
    for line in errors:
        print(f"  {line}", file=sys.stderr)


def cmd_validate(args: argparse.Namespace) -> int:
    from bot.directory.validate import validate_path

    path = Path(args.path)
    if not path.exists():
        print(f"error: {path}: no such file or folder", file=sys.stderr)
        return 2
    errors = validate_path(path)
    if errors:
        print(f"{path}: not valid HSDS 3.0:", file=sys.stderr)
        _print_errors(errors)
        return 1
    print(f"{path}: valid HSDS 3.0")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from bot.config import get_settings
    from bot.directory.transfer import TransferError, import_path
    from bot.store.audit import CLI
    from bot.store.db import session_scope

    try:
        with session_scope(get_settings().database_url) as session:
            result = import_path(session, Path(args.path), actor=CLI)
    except TransferError as exc:
        print(f"error: {exc}", file=sys.stderr)
        _print_errors(exc.errors)
        return 1
    added, updated = sum(result.added.values()), sum(result.updated.values())
    print(f"[directory] imported: {added} row(s) added, {updated} updated, "
          f"{len(result.skipped)} skipped")
    _print_errors(result.skipped)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from bot.config import get_settings
    from bot.directory.transfer import export_path
    from bot.store.audit import CLI
    from bot.store.db import session_scope

    with session_scope(get_settings().database_url) as session:
        result = export_path(session, Path(args.path), actor=CLI)
    if result.errors:  # our own export must validate; say so loudly if it does not
        print("error: the export does not validate:", file=sys.stderr)
        _print_errors(result.errors)
        return 1
    print(f"[directory] exported {result.services} service(s) to {args.path}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `hotline directory ...` (bot/cli.py)."""
    p = subparsers.add_parser("directory", help="the resource directory in Open Referral "
                                                "HSDS 3.0 (docs/directory.md)")
    sub = p.add_subparsers(dest="directory_command", required=True)
    for name, func, text in (
            ("import", cmd_import, "validate, then add or update entries by HSDS id; audited"),
            ("export", cmd_export, "write every entry (a folder: CSV data package; "
                                   "a .json file: HSDS JSON); audited"),
            ("validate", cmd_validate, "check a CSV data package or JSON file against the "
                                       "HSDS 3.0 schemas")):
        c = sub.add_parser(name, help=text)
        c.add_argument("path", help="a folder (HSDS CSV data package) or an HSDS .json file")
        c.set_defaults(func=func)
