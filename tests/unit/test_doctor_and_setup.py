"""The operator's tools: doctor says what is wrong; set-up finds Python 3.10 or explains."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from bot import doctor
from bot.config import Settings, get_settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def env(monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    for key in list(os.environ):
        if key.startswith(("TWILIO_", "TELEGRAM_", "HOTLINE_")):
            monkeypatch.delenv(key)
    monkeypatch.setenv("HOTLINE_DATABASE_URL", f"sqlite:///{tmp_path / 'd.db'}")
    monkeypatch.setenv("HOTLINE_SECRET_KEY_FILE", str(tmp_path / "secret.key"))
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


def test_doctor_reports_an_unmigrated_database(env) -> None:
    ok, message = doctor.check_database()
    assert not ok and "hotline db upgrade" in message


def test_doctor_accepts_a_migrated_database(env) -> None:
    from bot.store.migrate import head_revision, upgrade

    upgrade(get_settings().database_url)
    ok, message = doctor.check_database()
    assert ok and f"schema {head_revision()}" in message


def test_doctor_flags_half_configured_twilio(env) -> None:
    env.setenv("TWILIO_ACCOUNT_SID", "AC123")
    get_settings.cache_clear()
    ok, message = doctor.check_channels()
    assert not ok and "TWILIO_AUTH_TOKEN" in message


def test_doctor_wants_a_public_url_for_twilio(env) -> None:
    for key, value in {"TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": "t",
                       "TWILIO_FROM_NUMBER": "+15005550006"}.items():
        env.setenv(key, value)
    get_settings.cache_clear()
    ok, message = doctor.check_channels()
    assert not ok and "HOTLINE_PUBLIC_URL" in message
    env.setenv("HOTLINE_PUBLIC_URL", "https://hotline.example.org")
    get_settings.cache_clear()
    assert doctor.check_channels() == (True, "channels: web chat on, SMS (Twilio) on, "
                                             "Telegram off")


def test_secret_key_file_is_created_private(env, tmp_path) -> None:
    key = get_settings().resolved_secret_key()
    path = tmp_path / "secret.key"
    assert path.read_text().strip().encode() == key and len(key) > 40
    assert path.stat().st_mode & 0o077 == 0
    assert get_settings().resolved_secret_key() == key  # stable across calls


def test_bad_settings_are_refused_clearly() -> None:
    with pytest.raises(ValueError, match="HOTLINE_DEFAULT_LANGUAGE"):
        Settings.from_env({"HOTLINE_DEFAULT_LANGUAGE": "fr"})
    with pytest.raises(ValueError, match="TELEGRAM_MODE"):
        Settings.from_env({"TELEGRAM_MODE": "carrier-pigeon"})


def test_python_finder_explains_when_there_is_no_python_310(tmp_path) -> None:
    result = subprocess.run(["sh", str(ROOT / "scripts" / "find-python310")],
                            env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "Python 3.10 is required" in result.stderr and "pyenv install 3.10" in result.stderr


def test_python_finder_finds_310(tmp_path) -> None:
    result = subprocess.run(["sh", str(ROOT / "scripts" / "find-python310")],
                            capture_output=True, text=True)
    assert result.returncode == 0
    version = subprocess.run([result.stdout.strip(), "--version"], capture_output=True,
                             text=True).stdout
    assert version.startswith("Python 3.10.")


def test_doctor_wants_an_admin_account_and_loads_console_content(env) -> None:
    from bot.store.db import session_scope
    from bot.store.migrate import upgrade
    from bot.store.models import Advocate

    upgrade(get_settings().database_url)
    ok, message = doctor.check_console_accounts()
    assert not ok and "hotline advocate add" in message
    with session_scope(get_settings().database_url) as session:
        session.add(Advocate(username="root", display_name="Root", password_hash="x",
                             role="admin"))
    ok, message = doctor.check_console_accounts()
    assert ok and "1 admin(s)" in message
    ok, message = doctor.check_console_content()
    assert ok and "reporting steps" in message


def test_doctor_warns_before_the_disk_is_full(env) -> None:
    import shutil

    free_mb = shutil.disk_usage("/").free // (1024 * 1024)
    ok, message = doctor.check_disk_space()
    assert ok and "database" in message and "MB free" in message
    env.setenv("HOTLINE_DISK_WARN_MB", str(free_mb * 10 + 1))  # more than there is
    get_settings.cache_clear()
    ok, message = doctor.check_disk_space()
    assert not ok and "HOTLINE_DISK_WARN_MB" in message and "texts are refused" in message
