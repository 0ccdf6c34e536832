"""`python -m bot.gateway`: the public server (started by `hotline run`)."""

from __future__ import annotations

from bot.config import get_settings
from bot.logs import configure_logging


def main() -> None:
    settings = get_settings()
    configure_logging(settings.log_level)
    from bot.gateway.app import build_app

    app, _ = build_app(settings, name="hotline_gateway")
    app.run(host=settings.host, port=settings.port, workers=1, access_log=False,
            motd=False)


if __name__ == "__main__":
    main()
