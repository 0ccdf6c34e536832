"""Safety checks that run before any other understanding of a message.

See docs/safety.md: emergency layers (patterns, model, classifier), the Y/N
danger check, must-stop-now, and the quick exit.
"""

from bot.safety.emergency import Assessment, Level, assess, is_emergency, is_quick_exit
from bot.safety.must_stop import is_must_stop

__all__ = ["Assessment", "Level", "assess", "is_emergency", "is_must_stop", "is_quick_exit"]
