"""Time a full training run (`rasa train --force`, the command bot/training.py runs) into
a temporary folder, so the real model and its fingerprint are untouched."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from bench.stack import ROOT


def time_training(tmp: Path) -> dict[str, float | str]:
    from bot.paths import CONFIG_PATH, DOMAIN_PATH, TRAINING_DATA_DIRS

    out = tmp / "model"
    cmd = [sys.executable, "-m", "rasa", "train", "--config", str(CONFIG_PATH),
           "--domain", str(DOMAIN_PATH), "--data", *map(str, TRAINING_DATA_DIRS),
           "--out", str(out), "--fixed-model-name", "bench", "--force"]
    # Rasa caches trained components under ./.rasa by default; keep them out of the tree.
    env = {**os.environ, "RASA_CACHE_DIRECTORY": str(tmp / "rasa-cache")}
    log = tmp / "training.log"
    started = time.monotonic()
    with log.open("wb") as handle:
        result = subprocess.run(cmd, cwd=ROOT, env=env, stdout=handle,
                                stderr=subprocess.STDOUT, check=False)
    elapsed = time.monotonic() - started
    if result.returncode != 0:
        return {"error": f"rasa train exited {result.returncode}; see {log}"}
    return {"seconds": round(elapsed, 1), "command": " ".join(cmd[1:4]) + " ... --force"}
