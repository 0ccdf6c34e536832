"""Create or replace a private file (mode 600) atomically.

The text is written to a temporary file in the same folder (mode 600 from the
start), flushed to disk, then linked or renamed into place, so a concurrent
reader sees either no file or the whole file: never an empty or half-written
secret.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_private(path: Path, text: str, *, exclusive: bool) -> bool:
    """Write `text` to `path` with mode 600.

    exclusive=True: only create; if another process created the file first, keep
    its file and return False. exclusive=False: replace whatever is there.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if exclusive:
            try:
                os.link(tmp, path)  # atomic, and fails if the file exists
            except FileExistsError:
                return False
        else:
            os.replace(tmp, path)
            tmp = ""
        return True
    finally:
        if tmp:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
