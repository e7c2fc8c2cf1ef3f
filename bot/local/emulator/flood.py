"""Telegram-like flood control for a local Bot API: a 429 with `retry_after` when the bot sends
faster than Telegram allows.

Telegram's published limits: about 30 messages a second overall (up to 1,000 a second for
messages sent with `allow_paid_broadcast`), and about one a second to one chat, short bursts
allowed. Here a send is refused when the current wall-clock second already holds the overall
cap (30, or 1,000 for a paid send), or when its chat's bucket (a burst of `chat_burst`,
refilled `chat_per_second`) is empty. A refused send counts nowhere but in `refusals`.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Callable

from bot.config import FREE_BROADCAST_RATE, PAID_BROADCAST_RATE
from bot.delivery.ratelimit import CHAT_BURST

SEND_METHODS = frozenset({"sendMessage", "sendPhoto", "sendDocument"})
"""The methods flood control applies to (as the spec spells them)."""


class FloodControl:
    """Counts sends by wall-clock second and by chat; `admit` says whether one may pass."""

    def __init__(
        self,
        *,
        free_per_second: int = FREE_BROADCAST_RATE,
        paid_per_second: int = PAID_BROADCAST_RATE,
        chat_per_second: float = 1.0,
        chat_burst: int = CHAT_BURST,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self.free_per_second = free_per_second
        self.paid_per_second = paid_per_second
        self.chat_per_second = chat_per_second
        self.chat_burst = chat_burst
        self.refusals = 0
        self.per_second: Counter[int] = Counter()
        """Sends admitted in each wall-clock second (Unix time, whole seconds)."""
        self._wall_clock = wall_clock
        self._chats: dict[int, tuple[float, float]] = {}  # chat -> (tokens, when counted)

    def admit(self, chat_id: int | None, *, paid: bool = False) -> int | None:
        """Count a send to `chat_id` and return None, or refuse it: the `retry_after` (whole
        seconds, at least 1) a 429 carries."""
        now = self._wall_clock()
        second = int(now)
        cap = self.paid_per_second if paid else self.free_per_second
        if self.per_second[second] >= cap:
            self.refusals += 1
            return 1
        if chat_id is not None:
            tokens, counted = self._chats.get(chat_id, (float(self.chat_burst), now))
            tokens = min(float(self.chat_burst), tokens + (now - counted) * self.chat_per_second)
            if tokens < 1:
                self.refusals += 1
                self._chats[chat_id] = (tokens, now)
                return max(1, math.ceil((1 - tokens) / self.chat_per_second))
            self._chats[chat_id] = (tokens - 1, now)
        self.per_second[second] += 1
        return None


def is_paid(params: dict[str, object]) -> bool:
    """Whether a call's parameters ask for a paid broadcast (decoded or as sent in a form)."""
    value = params.get("allow_paid_broadcast")
    return value is True or (isinstance(value, str) and value.lower() == "true")


def too_many_requests(retry_after: int) -> str:
    """Telegram's description of a 429."""
    return f"Too Many Requests: retry after {retry_after}"
