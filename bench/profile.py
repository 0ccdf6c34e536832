"""Sample a running server with py-spy (out of process, no code change) and say where its
CPU time goes: Rasa (NLU, policies, tracker store), the durable layer (inbox, router,
outbox, worker, channel adapters, our tracker store encryption), or the plumbing."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

# (category, pattern on a frame's file); the first match from the innermost frame wins
# for "leaf", so a SQLAlchemy call made by the outbox counts as database time.
LEAF_CATEGORIES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("model inference (TensorFlow, NumPy, scikit-learn)",
     re.compile(r"(tensorflow|keras|numpy|scipy|sklearn)/")),
    ("database (SQLAlchemy, sqlite3)", re.compile(r"(sqlalchemy|sqlite3|alembic)/")),
    ("encryption (Fernet, HMAC)", re.compile(r"(cryptography/|bot/store/crypto\.py|hmac\.py)")),
    ("HTTP (Sanic, aiohttp, requests, twilio)",
     re.compile(r"(sanic|aiohttp|requests|urllib3|twilio|httpx|httpcore|http/|multidict|"
                r"yarl|websockets|email/)")),
    ("Rasa (dialogue, NLU glue, tracker)", re.compile(r"rasa/")),
    ("durable layer code (bot/)", re.compile(r"(^|/)bot/")),
    ("actions code (actions/, rasa_sdk)", re.compile(r"(^|/)(actions|rasa_sdk)/")),
    ("event loop, threads (asyncio, concurrent)",
     re.compile(r"(asyncio|concurrent|threading\.py|selectors\.py|queue\.py)")),
    ("logging, serialisation (json, yaml, pickle)",
     re.compile(r"(logging/|json/|ruamel|yaml|pickle|copy\.py|jsonpickle|structlog)")),
)
# Inclusive split: a sample is "Rasa" if Rasa's message handling is on the stack, else
# "durable layer" if our inbox / router / outbox / channel code is, else "server plumbing".
RASA_FRAMES = re.compile(r"rasa/(core/(processor|agent|policies|actions|tracker_store|"
                         r"lock_store|featurizers|nlg)|nlu|engine|shared)")
DURABLE_FRAMES = re.compile(r"bot/(messaging|channels|store)/")
# Innermost frames of threads that are waiting, not working (py-spy's own idle
# detection misses threads blocked in C: a pool thread on its queue, uvloop in epoll).
IDLE_LEAVES = re.compile(
    r"^(_worker \(concurrent/futures/thread\.py|serve \(sanic/server/runners\.py|"
    r"select \(selectors\.py|wait \(threading\.py|get \(queue\.py|"
    r"run_forever \(asyncio/base_events\.py|_run_once \(asyncio/base_events\.py)")
FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")


def py_spy() -> str | None:
    venv = Path(sys.executable).with_name("py-spy")
    return str(venv) if venv.exists() else shutil.which("py-spy")


def start(pid: int, seconds: float, out: Path, rate: int = 50) -> subprocess.Popen | None:
    """Start sampling `pid` for `seconds` into collapsed stacks at `out` (None: no py-spy)."""
    binary = py_spy()
    if binary is None:
        return None
    return subprocess.Popen(
        [binary, "record", "--pid", str(pid), "--duration", str(int(seconds)),
         "--rate", str(rate), "--format", "raw", "--nonblocking", "--output", str(out)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _frames(stack: str) -> list[str]:
    """Files of a collapsed stack, outermost first."""
    files = []
    for frame in stack.split(";"):
        m = FRAME.match(frame.strip())
        files.append(m["file"] if m else frame)
    return files


def summarise(collapsed: Path, top: int = 12) -> dict[str, Any]:
    """Shares of busy samples by leaf category, by Rasa / durable layer / plumbing, and the
    hottest functions of the durable layer."""
    leaf: Counter[str] = Counter()
    split: Counter[str] = Counter()
    ours: Counter[str] = Counter()
    total = idle = 0
    for line in collapsed.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        if IDLE_LEAVES.match(stack.rsplit(";", 1)[-1].strip()):
            idle += count
            continue
        total += count
        files = _frames(stack)
        category = "other"
        for file in reversed(files):
            hit = next((name for name, pattern in LEAF_CATEGORIES if pattern.search(file)),
                       None)
            if hit:
                category = hit
                break
        leaf[category] += count
        if any(RASA_FRAMES.search(f) for f in files):
            split["Rasa message handling"] += count
        elif any(DURABLE_FRAMES.search(f) for f in files):
            split["durable layer (inbox, router, outbox, channels, store)"] += count
            frames = stack.split(";")
            for frame in reversed(frames):
                if DURABLE_FRAMES.search(frame):
                    ours[frame.strip()] += count
                    break
        else:
            split["server plumbing (Sanic, asyncio, other)"] += count

    def shares(counter: Counter[str]) -> dict[str, float]:
        return {k: round(100 * v / total, 1) for k, v in counter.most_common()} if total else {}

    return {"samples": total, "idle_samples_dropped": idle, "by_leaf_pct": shares(leaf),
            "inclusive_pct": shares(split),
            "durable_hot_frames_pct": dict(list(shares(ours).items())[:top])}
