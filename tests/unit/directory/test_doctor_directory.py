"""`hotline doctor` says how much of the directory may reach texters."""

from __future__ import annotations

from bot.config import get_settings
from bot.doctor import check_directory


def test_doctor_counts_offered_stale_and_unverified(db_url, monkeypatch, session, listed):
    listed("Fresh Shelter", "shelter", [("state", "TX")])
    listed("Old Shelter", "shelter", [("state", "TX")], verified_days_ago=400)
    session.commit()
    monkeypatch.setenv("HOTLINE_DATABASE_URL", db_url)
    get_settings.cache_clear()
    try:
        ok, message = check_directory()
    finally:
        get_settings.cache_clear()
    assert ok
    assert message.startswith("directory: 1 service(s) offered to texters, 1 stale, "
                              "11 unverified")
