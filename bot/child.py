"""Exec a child process that dies with its supervisor.

If the supervisor (supervisord, or `hotline run` above it) is killed (SIGKILL,
OOM), its children would live on under init, holding the ports. On Linux,
PR_SET_PDEATHSIG (kept across exec) makes the kernel send SIGTERM to the child
when its parent dies. Usage: python -m bot.child <command> [args...]
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1


def main(argv: list[str]) -> None:
    if not argv:
        raise SystemExit("usage: python -m bot.child <command> [args...]")
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        if os.getppid() == 1:  # the supervisor died before prctl took effect
            raise SystemExit(1)
    os.execvp(argv[0], argv)  # noqa: S606 - replacing this process is the point


if __name__ == "__main__":
    main(sys.argv[1:])
