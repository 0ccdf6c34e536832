"""Operator command line: `hotline run | train | doctor | db upgrade | nlu-report | purge | keys`.

Also available as `python -m bot ...`.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import SecretKeyError, Settings, get_settings
from bot.paths import CREDENTIALS_PATH, ENDPOINTS_PATH, MODEL_PATH, ROOT, VAR_DIR

if TYPE_CHECKING:
    from bot.supervise import Program


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


def rasa_worker_ports(settings: Settings) -> list[int]:
    """One loopback port per Rasa worker: HOTLINE_RASA_PORT, +1, +2, ... or free ones."""
    if settings.rasa_port:
        return [settings.rasa_port + i for i in range(settings.rasa_workers)]
    return [_free_loopback_port() for _ in range(settings.rasa_workers)]


def internal_channel_env(settings: Settings, ports: list[int]) -> dict[str, str]:
    """Where the gateway finds its Rasa workers, and the secret both sides check.

    The secret is new per run unless set; HOTLINE_RASA_URL lists one URL per worker.
    """
    urls = ",".join(f"http://127.0.0.1:{port}" for port in ports)
    return {
        "HOTLINE_RASA_PORT": str(ports[0]),
        "HOTLINE_RASA_URL": settings.rasa_url or urls,
        "HOTLINE_INTERNAL_SECRET": settings.internal_secret or secrets.token_urlsafe(32),
    }


def _free_loopback_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Each program is exec'd through bot.child: it dies with its supervisor.
CHILD = [sys.executable, "-m", "bot.child", sys.executable, "-m"]


def rasa_command(endpoints: Path, port: int) -> list[str]:
    """One Rasa server (NLU and dialogue) with only the internal channel, on loopback.

    `bot.nlu.rasa_main` is `rasa` with the fast model load (bot/nlu/fast_load.py).
    """
    return [*CHILD, "bot.nlu.rasa_main", "run", "--model", str(MODEL_PATH),
            "--credentials", str(CREDENTIALS_PATH), "--endpoints", str(endpoints),
            "--interface", "127.0.0.1", "--port", str(port)]


def server_commands(endpoints: Path = ENDPOINTS_PATH,
                    rasa_port: int | None = None) -> dict[str, list[str]]:
    """The four programs: the public gateway, Rasa (loopback), actions and the console."""
    port = rasa_port or get_settings().rasa_port
    return {
        "gateway": [*CHILD, "bot.gateway"],
        "rasa": rasa_command(endpoints, port),
        "actions": [*CHILD, "bot.actions_server"],
        "console": [*CHILD, "bot.console"],
    }


# Start order (supervisord priority): the gateway first, so webhooks are answered
# while Rasa loads its model; stop order is the reverse.
PRIORITY = {"gateway": 10, "actions": 20, "rasa": 30, "console": 40}


def programs_for(endpoints: Path, rasa_ports: list[int]) -> list[Program]:
    """The supervisord programs; several Rasa workers are rasa-0, rasa-1, ... (group rasa)."""
    from bot.supervise import Program

    commands = server_commands(endpoints, rasa_ports[0])
    programs = [Program(name, cmd, PRIORITY[name]) for name, cmd in commands.items()
                if name != "rasa" or len(rasa_ports) == 1]
    if len(rasa_ports) > 1:
        programs += [Program(f"rasa-{i}", rasa_command(endpoints, port), PRIORITY["rasa"],
                             group="rasa") for i, port in enumerate(rasa_ports)]
    return programs


def cmd_run(args: argparse.Namespace) -> int:
    from bot.endpoints import write_runtime_endpoints
    from bot.store.migrate import upgrade
    from bot.supervise import write_config
    from bot.training import train

    settings = get_settings()
    try:
        settings.resolved_secret_key()  # create the key files once, before the children start
    except SecretKeyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    from bot.store.crypto import keyring_from_settings

    keyring_from_settings(settings)
    upgrade(settings.database_url)
    from bot.store.keys import bind_tracker_store

    bind_tracker_store(settings)  # tracker events sealed to their rows (migration 0008)
    if not args.no_train:
        train()
    if not MODEL_PATH.exists():
        print("error: no trained model; run `hotline train`", file=sys.stderr)
        return 1
    # Tracker store and lock store from settings (bot/endpoints.py, docs/deploy.md).
    endpoints, endpoints_env = write_runtime_endpoints(settings)
    ports = rasa_worker_ports(settings)
    env = {**process_env(), **endpoints_env, **internal_channel_env(settings, ports)}
    programs = programs_for(endpoints, ports)
    conf, socket_path = write_config(programs, ROOT, VAR_DIR / "run")
    supervisord = [*CHILD, "supervisor.supervisord", "-n", "-c", str(conf)]
    print(f"[run] web chat: http://{settings.host}:{settings.port}/webhooks/webchat/  "
          "(Ctrl-C stops everything)", flush=True)
    process = subprocess.Popen(supervisord, env=env, cwd=str(ROOT))  # noqa: S603
    stopping = False

    def forward(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGTERM)

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, forward)
    try:
        code = process.wait()
    finally:
        for path in (endpoints, conf, socket_path, socket_path.with_suffix(".pid")):
            path.unlink(missing_ok=True)
    return 0 if stopping else code


def cmd_doctor(args: argparse.Namespace) -> int:
    from bot.doctor import run_checks

    return run_checks()


def cmd_nlu_report(args: argparse.Namespace) -> int:
    from bot.nlu.report import main as report_main

    return report_main([*(["--model", args.model] if args.model else [])]) or 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hotline", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("run", help="start the gateway (webhooks, web chat), Rasa, actions "
                                   "and the console under supervisord")
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
    from bot.directory.cli import register as register_directory

    register_directory(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
