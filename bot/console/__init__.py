"""The advocate console: an authenticated Flask app for the handoff queue.

A separate process (`python -m bot.console`, started by `hotline run`) on
HOTLINE_CONSOLE_HOST:HOTLINE_CONSOLE_PORT. See docs/console.md.
"""
