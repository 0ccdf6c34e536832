"""`rasa` on the command line, with the fast model load (bot.nlu.fast_load) installed.

`hotline run` starts its Rasa workers as `python -m bot.nlu.rasa_main run ...`: the
same arguments and behaviour as `rasa run`, but a start, crash restart or model
deploy is up in seconds instead of about a minute.
"""

from __future__ import annotations

from bot.nlu import fast_load


def main() -> None:
    fast_load.install()
    from rasa.__main__ import main as rasa_cli

    rasa_cli()


if __name__ == "__main__":
    main()
