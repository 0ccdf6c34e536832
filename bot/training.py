"""Train the Rasa model only when its inputs changed.

The fingerprint covers config, domain and training data (not data/content,
which actions read at run time), plus the Rasa version.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

from bot.paths import (
    CONFIG_PATH,
    DOMAIN_PATH,
    FINGERPRINT_PATH,
    MODEL_PATH,
    MODELS_DIR,
    ROOT,
    TRAINING_DATA_DIRS,
)


def _inputs() -> list[Path]:
    files = [CONFIG_PATH]
    for folder in (DOMAIN_PATH, *TRAINING_DATA_DIRS):
        files.extend(sorted(p for p in folder.rglob("*")
                            if p.is_file() and p.suffix in (".yml", ".yaml")))
    return files


def fingerprint() -> str:
    import rasa

    digest = hashlib.sha256(f"rasa={rasa.__version__}".encode())
    for path in _inputs():
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def model_is_current() -> bool:
    return (MODEL_PATH.exists() and FINGERPRINT_PATH.exists()
            and FINGERPRINT_PATH.read_text().strip() == fingerprint())


def prepare_safety_layers() -> None:
    """Fit the safety classifiers into their cache (bot/safety/ngram.py) now, so no
    process fits them at start-up; a no-op when the cache matches the inputs."""
    from bot.safety import classifier, must_stop_classifier

    classifier.warm()
    must_stop_classifier.warm()
    print("[train] safety classifiers are up to date")


def train(force: bool = False) -> bool:
    """Train if needed; returns True when a new model was trained."""
    prepare_safety_layers()
    if not force and model_is_current():
        print(f"[train] model is up to date: {MODEL_PATH.relative_to(ROOT)}")
        return False
    MODELS_DIR.mkdir(parents=True, exist_ok=True)
    print("[train] training the model (data or config changed)...", flush=True)
    cmd = [sys.executable, "-m", "rasa", "train", "--config", str(CONFIG_PATH),
           "--domain", str(DOMAIN_PATH), "--data", *map(str, TRAINING_DATA_DIRS),
           "--out", str(MODELS_DIR), "--fixed-model-name", MODEL_PATH.name.removesuffix(".tar.gz"),
           "--force"]
    subprocess.run(cmd, cwd=ROOT, check=True)
    FINGERPRINT_PATH.write_text(fingerprint())
    print(f"[train] model written: {MODEL_PATH.relative_to(ROOT)}")
    return True
