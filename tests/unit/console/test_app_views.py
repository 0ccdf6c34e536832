"""The console refuses to start without one of its views modules (issue 13.5)."""

from __future__ import annotations

import pytest

from bot.console import app as console_app_module


def test_a_missing_views_module_stops_the_console(console_settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(console_app_module, "VIEW_MODULES",
                        (*console_app_module.VIEW_MODULES, "renamed_cases"))
    with pytest.raises(ModuleNotFoundError, match="renamed_cases"):
        console_app_module.create_app(console_settings, testing=True)


def test_every_listed_module_is_registered(console_settings) -> None:  # type: ignore[no-untyped-def]
    app = console_app_module.create_app(console_settings, testing=True)
    names = {name.removesuffix("_views") for name in console_app_module.VIEW_MODULES}
    assert names <= set(app.blueprints)
