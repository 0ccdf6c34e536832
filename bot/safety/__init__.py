"""Safety checks that run before any other understanding of a message."""

from bot.safety.emergency import is_emergency, is_quick_exit

__all__ = ["is_emergency", "is_quick_exit"]
