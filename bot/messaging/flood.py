"""Per-sender flood control, so one texter's flood cannot starve everyone else.

Why: the assistant (Rasa, the action server, the outbox) is shared by every
texter on one small machine. A script, a stuck phone or an attacker sending
hundreds of messages a minute from one address would otherwise fill the
queue in front of people who may be in danger.

Policy (applied by bot/messaging/intake.py after dedup, in the inbox write's
transaction, so a provider's redelivery never counts):

- Every message is still written to the inbox: nothing is ever lost, and an
  advocate can read the whole conversation.
- Per contact (a keyed hash of channel + address, never the address itself),
  at most `max_per_minute` messages in any sliding 60-second window go to the
  assistant (`HOTLINE_FLOOD_MAX_PER_MINUTE`, default 20; 0 turns this off).
- The first message over the limit gets one polite reply (template
  `slow_down`); the rest are stored with `fixed_reply="silent"` (no reply, no
  assistant). As soon as the window has room again, messages reach the
  assistant again; the polite reply is sent again only after a whole minute
  without an over-limit message (so a sustained flood gets exactly one).
- Emergency messages (`bot.safety.emergency.is_emergency`) and the quick-exit
  word are never throttled: they always reach the assistant.

State is in memory, per process: a restart forgives every flood, which is the
safe direction. Throttled messages do not use up the window, so a sender who
keeps flooding still gets `max_per_minute` answered messages per minute.
The number of tracked contacts is bounded (least recently seen dropped first).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable

from bot.safety.emergency import is_emergency, is_quick_exit

ALLOW = "allow"    # send to the assistant as usual
NOTIFY = "notify"  # over the limit, first time in this flood: one polite reply
SILENT = "silent"  # over the limit again: store, answer nothing

SLOW_DOWN_TEMPLATE = "slow_down"  # data/content/resources.yml
WINDOW_SECONDS = 60.0
MAX_TRACKED_CONTACTS = 100_000


class FloodLimiter:
    """Sliding-window limiter keyed by contact; thread-safe, in memory."""

    def __init__(self, max_per_window: int, window_seconds: float = WINDOW_SECONDS, *,
                 clock: Callable[[], float] = time.monotonic,
                 max_contacts: int = MAX_TRACKED_CONTACTS,
                 exit_words: Iterable[str] = ("exit", "salir")) -> None:
        if max_per_window < 0:
            raise ValueError("max_per_window must be 0 (off) or more")
        if window_seconds <= 0:
            raise ValueError("window_seconds must be positive")
        self.max_per_window = max_per_window
        self.window_seconds = window_seconds
        self.clock = clock
        self.max_contacts = max(1, max_contacts)
        self.exit_words = tuple(exit_words)
        self._lock = threading.Lock()
        self._contacts: OrderedDict[str, _Contact] = OrderedDict()

    @property
    def enabled(self) -> bool:
        return self.max_per_window > 0

    def is_exempt(self, text: str | None) -> bool:
        """Messages that must always reach the assistant, whatever the rate."""
        if not isinstance(text, str):
            return False
        return is_emergency(text) or is_quick_exit(text, self.exit_words)

    def check(self, key: str, text: str | None = None) -> str:
        """ALLOW, NOTIFY or SILENT for one incoming message from `key`.

        Messages allowed under the limit are counted in the window; throttled
        ones and exempt ones over the limit are not. A flood ends after a whole window with no
        throttled message; the next one gets its polite reply again.
        """
        if not self.enabled:
            return ALLOW
        now = self.clock()
        with self._lock:
            entry = self._contacts.get(key)
            if entry is None:
                self._evict(now)
                entry = _Contact()
                self._contacts[key] = entry
            else:
                self._contacts.move_to_end(key)
            times = entry.times
            cutoff = now - self.window_seconds
            while times and times[0] <= cutoff:
                times.popleft()
            if len(times) < self.max_per_window:
                times.append(now)
                return ALLOW
            # Over the limit. The patterns run only now, when they matter; an exempt
            # message is not counted, so a window never holds more than the limit.
            if self.is_exempt(text):
                return ALLOW
            first = entry.last_throttled is None or entry.last_throttled <= cutoff
            entry.last_throttled = now
            return NOTIFY if first else SILENT

    def fixed_reply(self, key: str, text: str | None = None) -> str | None:
        """The fixed reply a throttled message gets: None, "slow_down" or "silent"."""
        verdict = self.check(key, text)
        if verdict == NOTIFY:
            return SLOW_DOWN_TEMPLATE
        if verdict == SILENT:
            return SILENT
        return None

    def tracked(self) -> int:
        with self._lock:
            return len(self._contacts)

    def _evict(self, now: float) -> None:
        """Before tracking a new contact: drop idle ones now and then, and keep the bound."""
        if len(self._contacts) % 1024 == 1023:
            cutoff = now - self.window_seconds
            idle = [k for k, c in self._contacts.items() if c.idle(cutoff)]
            for k in idle:
                del self._contacts[k]
        while len(self._contacts) >= self.max_contacts:
            self._contacts.popitem(last=False)  # least recently seen


class _Contact:
    __slots__ = ("times", "last_throttled")

    def __init__(self) -> None:
        self.times: deque[float] = deque()  # allowed messages in the window
        self.last_throttled: float | None = None

    def idle(self, cutoff: float) -> bool:
        return ((not self.times or self.times[-1] <= cutoff)
                and (self.last_throttled is None or self.last_throttled <= cutoff))


_limiters: dict[tuple[str, int, tuple[str, ...]], FloodLimiter] = {}
_limiters_lock = threading.Lock()


def limiter_for(settings) -> FloodLimiter:  # type: ignore[no-untyped-def]
    """The process-wide limiter for these settings (shared by all channels)."""
    key = (settings.database_url, settings.flood_max_per_minute, tuple(settings.exit_words))
    with _limiters_lock:
        limiter = _limiters.get(key)
        if limiter is None:
            limiter = _limiters[key] = FloodLimiter(settings.flood_max_per_minute,
                                                    exit_words=settings.exit_words)
        return limiter
