"""Serve the console with waitress: `python -m bot.console` (started by `hotline run`)."""

from __future__ import annotations

import logging

from waitress import serve

from bot.config import get_settings
from bot.console.app import create_app
from bot.logs import configure_logging
from bot.store.crypto import keyring_from_settings, set_keyring

log = logging.getLogger("bot.console")


def main() -> None:
    settings = get_settings()
    configure_logging(settings.log_level)
    set_keyring(keyring_from_settings(settings))
    app = create_app(settings)
    log.info("advocate console on http://%s:%s/", settings.console_host, settings.console_port)
    # ident="" : no Server header naming the software.
    serve(app, host=settings.console_host, port=settings.console_port, ident="", threads=8)


if __name__ == "__main__":
    main()
