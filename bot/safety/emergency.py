"""The public face of emergency detection (kept for callers of the old module).

`is_emergency` is the combined, layered detector (bot/safety/detector.py), not
the patterns alone; `is_quick_exit` is the quick-exit word check.
"""

from bot.safety.detector import Assessment, Level, assess, is_emergency
from bot.safety.quick_exit import is_quick_exit

__all__ = ["Assessment", "Level", "assess", "is_emergency", "is_quick_exit"]
