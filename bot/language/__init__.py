"""Language handling: explicit switch requests and light-weight EN/ES detection."""

from bot.language.detect import detect_language, explicit_switch

__all__ = ["detect_language", "explicit_switch"]
