"""Bot content: rights info, resources, states, SMS sizing and rendering.

Data lives in data/content/*.yml; this package loads, validates and renders it.
"""

from bot.content.loader import (
    Content,
    ContentError,
    Resource,
    RightsTopic,
    State,
    load_content,
    normalize,
)
from bot.content.sms import is_gsm7, segment_count, split_sms

__all__ = [
    "Content",
    "ContentError",
    "Resource",
    "RightsTopic",
    "State",
    "is_gsm7",
    "load_content",
    "normalize",
    "segment_count",
    "split_sms",
]
