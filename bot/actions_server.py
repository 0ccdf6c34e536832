"""Run the rasa-sdk action server on loopback only, without CORS.

rasa-sdk's own launcher listens on 0.0.0.0 with CORS "*"; the action server
has no authentication, so it must not be reachable from the LAN or a browser.
"""

from __future__ import annotations

from rasa_sdk.endpoint import create_app

from bot.config import get_settings
from bot.logs import configure_logging


def main() -> None:
    settings = get_settings()
    configure_logging(settings.log_level)
    app = create_app("actions", cors_origins=[])
    app.run(settings.actions_host, settings.actions_port, workers=1, access_log=False)


if __name__ == "__main__":
    main()
