"""Operator command line: `hotline run | train | doctor | db upgrade | nlu-report | purge | keys`.

Also available as `python -m bot ...`.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from pathlib import Path

from bot.config import get_settings
from bot.paths import CREDENTIALS_PATH, ENDPOINTS_PATH, MODEL_PATH, ROOT, VAR_DIR


def cmd_train(args: argparse.Namespace) -> int:
    from bot.training import train

    train(force=args.force)
    return 0


def cmd_db(args: argparse.Namespace) -> int:
    from bot.store.migrate import upgrade

    settings = get_settings()
    upgrade(settings.database_url)
    print("[db] schema is up to date")
    return 0


def process_env() -> dict[str, str]:
    """Environment for the child processes (settings made explicit)."""
    settings = get_settings()
    env = dict(os.environ)
    env.setdefault("HOTLINE_ACTIONS_PORT", str(settings.actions_port))
    env.setdefault("HOTLINE_TRACKER_DB", str(VAR_DIR / "rasa_tracker.db"))
    env.setdefault("SANIC_HOST", settings.actions_host)
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


# The public server's body limit. Sanic reads a whole body (100 MB by default)
# before any handler's own size check runs; webhooks and web chat messages are a
# few KB, so anything over 1 MiB is refused with 413 as it arrives. The action
# server keeps Sanic's default: Rasa sends it the whole tracker.
PUBLIC_MAX_REQUEST_BYTES = 1024 * 1024


def process_env_for(name: str, env: dict[str, str]) -> dict[str, str]:
    if name == "rasa":
        return {"SANIC_REQUEST_MAX_SIZE": str(PUBLIC_MAX_REQUEST_BYTES), **env}
    return env


def server_commands(endpoints: Path = ENDPOINTS_PATH) -> dict[str, list[str]]:
    settings = get_settings()
    child = [sys.executable, "-m", "bot.child", sys.executable, "-m"]
    return {
        "rasa": [*child, "rasa", "run", "--model", str(MODEL_PATH),
                 "--credentials", str(CREDENTIALS_PATH), "--endpoints", str(endpoints),
                 "--interface", settings.host, "--port", str(settings.port)],
        "actions": [*child, "bot.actions_server"],
        "console": [*child, "bot.console"],
    }


def cmd_run(args: argparse.Namespace) -> int:
    from honcho.manager import Manager

    from bot.endpoints import write_runtime_endpoints
    from bot.store.migrate import upgrade
    from bot.training import train

    settings = get_settings()
    settings.resolved_secret_key()  # create the key files once, before the children start
    from bot.store.crypto import keyring_from_settings

    keyring_from_settings(settings)
    upgrade(settings.database_url)
    if not args.no_train:
        train()
    if not MODEL_PATH.exists():
        print("error: no trained model; run `hotline train`", file=sys.stderr)
        return 1
    # Tracker store and lock store from settings (bot/endpoints.py, docs/deploy.md).
    endpoints, endpoints_env = write_runtime_endpoints(settings)
    env = {**process_env(), **endpoints_env}
    try:
        manager = Manager()
        for name, cmd in server_commands(endpoints).items():
            manager.add_process(name, shlex.join(cmd), env=process_env_for(name, env),
                                cwd=str(ROOT))
        print(f"[run] web chat: http://{settings.host}:{settings.port}/webhooks/webchat/  "
              "(Ctrl-C stops everything)", flush=True)
        manager.loop()
    finally:
        endpoints.unlink(missing_ok=True)
    return manager.returncode or 0


def cmd_doctor(args: argparse.Namespace) -> int:
    from bot.doctor import run_checks

    return run_checks()


def cmd_nlu_report(args: argparse.Namespace) -> int:
    from bot.nlu.report import main as report_main

    return report_main([*(["--model", args.model] if args.model else [])]) or 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hotline", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("run", help="start the Rasa server, action server and web chat")
    p.add_argument("--no-train", action="store_true", help="do not train even if data changed")
    p.set_defaults(func=cmd_run)
    p = sub.add_parser("train", help="train the model if data or config changed")
    p.add_argument("--force", action="store_true", help="train even if nothing changed")
    p.set_defaults(func=cmd_train)
    p = sub.add_parser("doctor", help="check Python, model, database and channel settings")
    p.set_defaults(func=cmd_doctor)
    p = sub.add_parser("db", help="database schema")
    p.add_argument("action", choices=["upgrade"])
    p.set_defaults(func=cmd_db)
    p = sub.add_parser("nlu-report", help="intent accuracy and macro-F1 per language (held-out)")
    p.add_argument("--model", default=None)
    p.set_defaults(func=cmd_nlu_report)
    from bot.console.accounts_cli import register as register_advocate
    from bot.retention import register as register_purge
    from bot.store.keys import register as register_keys

    register_purge(sub)
    register_keys(sub)
    register_advocate(sub)
    from bot.referrals.cli import register as register_export

    register_export(sub)
    from bot.demo.cli import register as register_demo

    register_demo(sub)
    from bot.reports.cli import register as register_stats

    register_stats(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
