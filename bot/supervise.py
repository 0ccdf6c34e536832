"""Run the hotline's processes under supervisord, which restarts a child that dies.

`hotline run` writes a supervisord configuration (a fresh temporary file, mode
600) and starts supervisord in the foreground as its own child. Why
supervisord: a crashed Rasa, action server, console or gateway is started
again with backoff while the others keep running (honcho stopped everything
when one child died). Each program is exec'd through `bot.child`, which asks
the kernel to stop it when supervisord dies, and supervisord itself is started
through `bot.child` too, so a SIGKILL of `hotline run` takes the whole tree
with it and the next start finds its ports free.

Children inherit supervisord's environment (set by `hotline run`), so no value
ever passes through the configuration file, where supervisord would expand `%`.
"""

from __future__ import annotations

import os
import shlex
import tempfile
from dataclasses import dataclass
from pathlib import Path

# Restart with backoff: supervisord waits 1, 2, 3, ... seconds between tries of a
# program that dies while starting, up to START_RETRIES tries; a program that ran
# for START_SECONDS counts as started and is restarted at once when it exits.
START_SECONDS = 1
START_RETRIES = 1000
STOP_WAIT_SECONDS = 20


@dataclass(frozen=True)
class Program:
    name: str
    command: list[str]
    priority: int  # lower starts first, stops last
    # Several Rasa workers form the group "rasa" (`supervisorctl restart rasa:*`, or
    # one at a time: `restart rasa:rasa-0`, then `rasa:rasa-1`).
    group: str | None = None


def config_text(programs: list[Program], directory: Path, socket_path: Path) -> str:
    """supervisord.conf for these programs, logging to this process's stdout."""
    lines = [
        "; Written by `hotline run` (bot/supervise.py); do not edit.",
        "[supervisord]",
        "nodaemon=true",
        "logfile=/dev/stdout",
        "logfile_maxbytes=0",
        "loglevel=warn",
        f"pidfile={socket_path.with_suffix('.pid')}",
        "[unix_http_server]",
        f"file={socket_path}",
        "chmod=0700",
        "[rpcinterface:supervisor]",
        "supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface",
        "[supervisorctl]",
        f"serverurl=unix://{socket_path}",
    ]
    for program in programs:
        lines += [
            f"[program:{program.name}]",
            "command=" + shlex.join(program.command).replace("%", "%%"),
            f"directory={directory}",
            f"priority={program.priority}",
            "autostart=true",
            "autorestart=true",
            f"startsecs={START_SECONDS}",
            f"startretries={START_RETRIES}",
            "stopsignal=TERM",
            f"stopwaitsecs={STOP_WAIT_SECONDS}",
            "stopasgroup=true",
            "killasgroup=true",
            "redirect_stderr=true",
            "stdout_logfile=/dev/stdout",
            "stdout_logfile_maxbytes=0",
        ]
    groups: dict[str, list[Program]] = {}
    for program in programs:
        if program.group:
            groups.setdefault(program.group, []).append(program)
    for group, members in groups.items():  # a group starts in its own priority's turn
        lines += [f"[group:{group}]", "programs=" + ",".join(p.name for p in members),
                  f"priority={min(p.priority for p in members)}"]
    return "\n".join(lines) + "\n"


def write_config(programs: list[Program], directory: Path, run_dir: Path) -> tuple[Path, Path]:
    """The configuration file and its control socket, both private to this run."""
    run_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(run_dir, 0o700)
    fd, name = tempfile.mkstemp(prefix="supervisord-", suffix=".conf", dir=run_dir)
    socket_path = Path(name).with_suffix(".sock")
    with os.fdopen(fd, "w") as fh:
        fh.write(config_text(programs, directory, socket_path))
    return Path(name), socket_path
