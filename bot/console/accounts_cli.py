"""`hotline advocate add | list | deactivate`: console accounts from the shell.

The first admin is created here; after that admins manage accounts in the
console. Passwords are prompted twice (getpass) or read from stdin with
--password-stdin (scripts, tests); never taken as an argument, which would
land in the shell history and the process list.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from bot.console import accounts


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password (12+ characters): ")
    if getpass.getpass("Same password again: ") != first:
        raise accounts.AccountError("the two passwords differ")
    return first


def _session():  # type: ignore[no-untyped-def]
    from bot.config import get_settings
    from bot.store.db import session_scope
    from bot.store.migrate import upgrade

    settings = get_settings()
    upgrade(settings.database_url)  # a fresh install has no database yet
    return session_scope(settings.database_url)


def cmd_add(args: argparse.Namespace) -> int:
    password = _read_password(args)
    with _session() as s:
        advocate = accounts.create(s, args.username, password, role=args.role,
                                   display_name=args.display_name or "",
                                   by=accounts.Actor(name="cli"))
        print(f"[advocate] created {advocate.username} ({advocate.role})")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    with _session() as s:
        rows = accounts.list_all(s)
        if not rows:
            print("no accounts; create the first admin with "
                  "`hotline advocate add USERNAME --role admin`")
        for a in rows:
            state = "active" if a.active else "deactivated"
            last = a.last_login_at.strftime("%Y-%m-%d %H:%M") if a.last_login_at else "never"
            print(f"{a.username:24} {a.role:10} {state:12} last log-in: {last}")
    return 0


def cmd_deactivate(args: argparse.Namespace) -> int:
    with _session() as s:
        advocate = accounts.find(s, args.username)
        if advocate is None:
            raise accounts.AccountError(f"no account {args.username!r}")
        accounts.deactivate(s, advocate, by=accounts.Actor(name="cli"))
        print(f"[advocate] deactivated {advocate.username}")
    return 0


def _guarded(func):  # type: ignore[no-untyped-def]
    def run(args: argparse.Namespace) -> int:
        try:
            return func(args)
        except accounts.AccountError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1

    return run


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("advocate", help="console accounts: add, list, deactivate")
    commands = p.add_subparsers(dest="advocate_command", required=True)
    add = commands.add_parser("add", help="create an account (the first admin, for one)")
    add.add_argument("username")
    add.add_argument("--role", choices=accounts.ROLES, default="advocate")
    add.add_argument("--display-name", default="")
    add.add_argument("--password-stdin", action="store_true",
                     help="read the password from the first line of stdin")
    add.set_defaults(func=_guarded(cmd_add))
    ls = commands.add_parser("list", help="list accounts")
    ls.set_defaults(func=_guarded(cmd_list))
    off = commands.add_parser("deactivate", help="stop an account logging in; ends its sessions")
    off.add_argument("username")
    off.set_defaults(func=_guarded(cmd_deactivate))
