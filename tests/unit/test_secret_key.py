"""The hotline secret (issue 13.5): created whole and private, refused when too short."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bot import config
from bot.config import MIN_SECRET_CHARS, SecretKeyError, Settings

ROOT = Path(__file__).resolve().parents[2]


def test_a_reader_never_sees_a_half_made_key_file(tmp_path, monkeypatch) -> None:
    """Generating the key is slowed down: with the file created empty first, the second
    process read "" and keyed every contact hash (and the console) with it."""
    made = config.secrets.token_urlsafe

    def slow(n: int) -> str:
        time.sleep(0.3)
        return made(n)

    monkeypatch.setattr(config.secrets, "token_urlsafe", slow)
    settings = Settings(secret_key_file=tmp_path / "secret.key")
    keys: list[bytes] = []
    first = threading.Thread(target=lambda: keys.append(settings.resolved_secret_key()))
    first.start()
    time.sleep(0.1)  # the first one is generating its key now
    keys.append(settings.resolved_secret_key())
    first.join()
    assert keys[0] == keys[1] and len(keys[0]) >= MIN_SECRET_CHARS
    assert (tmp_path / "secret.key").stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["secret.key"]  # no temporary left


@pytest.mark.parametrize("secret", ["x", "integration", " " * 20, "a" * (MIN_SECRET_CHARS - 1)])
def test_a_short_secret_is_refused_with_a_clear_message(secret: str) -> None:
    with pytest.raises(SecretKeyError, match=f"at least {MIN_SECRET_CHARS}") as refused:
        Settings(secret_key=secret).resolved_secret_key()
    assert "HOTLINE_SECRET_KEY is too short" in str(refused.value)
    assert secret.strip() not in str(refused.value) or not secret.strip()


def test_a_short_or_empty_key_file_is_refused(tmp_path) -> None:
    path = tmp_path / "secret.key"
    for text in ("", "short\n"):
        path.write_text(text)
        with pytest.raises(SecretKeyError, match="secret key file .* is too short"):
            Settings(secret_key_file=path).resolved_secret_key()


def test_a_long_enough_secret_is_used_as_given() -> None:
    secret = "a" * MIN_SECRET_CHARS
    assert Settings(secret_key=secret).resolved_secret_key() == secret.encode()


def test_hotline_run_stops_before_starting_anything(tmp_path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOTLINE_")}
    env.update(HOTLINE_SECRET_KEY="too-short", HOTLINE_DATABASE_URL=f"sqlite:///{tmp_path}/d.db")
    result = subprocess.run([sys.executable, "-m", "bot", "run", "--no-train"], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "HOTLINE_SECRET_KEY is too short (9 characters" in result.stderr
    assert "too-short" not in result.stderr.replace("is too short", "")
    assert not (tmp_path / "d.db").exists()
