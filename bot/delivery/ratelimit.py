"""One rate limiter for every request: about one send a second per chat, about 30 a second
overall for scheduled messages, and the one place that decides what is safe to retry.

PTB's AIORateLimiter paces groups but not private chats; a coach talks to private chats,
so this limiter gives each chat a small token bucket (a short burst, then one a second).
Scheduled messages, sent to many chats at once, also share an overall pace (Telegram's
limit for bulk notifications); the cap is per bot, so replicas on one PostgreSQL database
share it through the database (`SharedBroadcastCap`). A reply to a user's own update is
paced per chat only: it
never queues behind a broadcast, and a chat that waits for its pace holds no other chat
(updates of different chats run concurrently, `bot.delivery.chat_order`). A 429 pauses every
request for its `retry_after`, then retries.
Network trouble is retried only where a repeat cannot double anything: idempotent methods
(get, set, delete, edit) always, a send only when it surely did not take effect (a 5xx, or
a connection that never opened). A timed-out or dropped send may have arrived: not retried.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections.abc import Callable, Coroutine, Iterator
from contextvars import ContextVar
from datetime import timedelta
from typing import Any, Protocol

from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
from telegram.ext import BaseRateLimiter

from bot.delivery.transport import ConnectionLost

logger = logging.getLogger(__name__)

JSONResult = bool | dict[str, Any] | list[dict[str, Any]]

CHAT_BURST = 5
"""Sends to one chat at once before its pace of one a second. Telegram allows short bursts
to a chat (it does not publish their size); a person who sends a few messages in a row is
answered at once (a /progress answer alone is two messages: its words and the chart)."""

# Set while an update is handled: its requests are replies, not broadcast.
_answering = ContextVar("answering_an_update", default=False)


@contextlib.contextmanager
def answering_an_update() -> Iterator[None]:
    """Mark the requests made inside (and in tasks started inside) as replies to an update."""
    token = _answering.set(True)
    try:
        yield
    finally:
        _answering.reset(token)


class ChatBucket:
    """A token bucket: up to `burst` sends at once, refilled at `per_second`."""

    def __init__(self, burst: float, per_second: float) -> None:
        self.burst = burst
        self.per_second = per_second
        self.tokens = burst
        self.updated = time.monotonic()
        self.lock = asyncio.Lock()

    async def take(self) -> None:
        """Wait until a token is free, then take it."""
        async with self.lock:
            while True:
                now = time.monotonic()
                self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.per_second)
                self.updated = now
                if self.tokens >= 1:
                    self.tokens -= 1
                    return
                await asyncio.sleep((1 - self.tokens) / self.per_second)

    def idle_since(self, now: float) -> float:
        """Seconds since the bucket was last used."""
        return now - self.updated


class BroadcastSlots(Protocol):
    """Where replicas count the sends of each wall-clock second (the Store, on PostgreSQL)."""

    async def take_broadcast_slots(self, second: int, wanted: int, cap: int) -> int: ...


# A slot is used only in the first half of its second, so that a send still reaches Telegram
# within that second (and never counts against the next one's cap) even when the process is
# busy and the request leaves a few hundred milliseconds after it took its slot.
SLOT_USE_WINDOW = 0.5
# Slots are taken a few at a time (a tenth of the cap, at most 50): few round trips to the
# database, and little of a second's cap held by one replica that may not use it.
MAX_SLOTS_PER_REQUEST = 50
SLOT_ATTEMPTS = 10


class SharedBroadcastCap:
    """The broadcast cap of every replica together: each send takes a slot of the current
    wall-clock second from the database, where at most `per_second` are granted per second
    across all processes. Slots are taken a few at a time and unused ones lapse with their
    second, so the processes never exceed the cap together; each may use all of it alone."""

    def __init__(
        self,
        slots: BroadcastSlots,
        per_second: float,
        *,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self._slots = slots
        self._cap = max(1, int(per_second))
        self._batch = max(1, min(self._cap // 10, MAX_SLOTS_PER_REQUEST))
        self._wall_clock = wall_clock
        self._second = -1
        self._left = 0  # slots in hand for `_second`
        self._full = False  # the database has no more for `_second`
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        """Wait for a slot of the current second, then take it."""
        async with self._lock:
            while True:
                now = self._wall_clock()
                second = int(now)
                if now - second >= SLOT_USE_WINDOW or (second == self._second and self._full):
                    await asyncio.sleep(second + 1 - now + 0.001)
                    continue
                if second != self._second:
                    self._second, self._left, self._full = second, 0, False
                if self._left > 0:
                    self._left -= 1
                    return
                granted = await self._take(second)
                if int(self._wall_clock()) == second:  # else they lapsed on the way
                    self._left = granted
                    self._full = granted < self._batch

    async def _take(self, second: int) -> int:
        """Slots from the database; a failing database is waited for (nothing was sent yet),
        and after SLOT_ATTEMPTS the send fails as one that surely did not arrive."""
        for attempt in range(1, SLOT_ATTEMPTS + 1):
            try:
                return await self._slots.take_broadcast_slots(second, self._batch, self._cap)
            except Exception as error:  # the database's own errors; the send has not left
                if attempt == SLOT_ATTEMPTS:
                    raise NetworkError(f"shared broadcast cap unavailable: {error}") from None
                logger.warning("The shared broadcast cap is unavailable (%s): waiting", error)
                await asyncio.sleep(1)
        raise AssertionError("unreachable: the last attempt returns or raises")


class SteadyPace:
    """Sends `per_second` a second on a grid fixed to the wall clock: a second's slots are
    evenly spread over all of it but its last ARRIVAL_MARGIN, half a slot from either end, so a
    request's trip to Telegram (a millisecond or a few) does not carry it into the next
    second, where Telegram would count it. Each send takes the first free slot at or after
    now, so an event loop that wakes late does not push the later slots back and no pace is
    lost to it; a send that woke too late to arrive within its slot's second takes the next
    free slot instead. A wall-clock second never holds more than `per_second` of them."""

    ARRIVAL_MARGIN = 0.02
    """Seconds a send must leave before its slot's second ends: its trip to Telegram, with
    the sends ahead of it on the way (at 300 a second, 5 ms let a few arrive in the next)."""

    def __init__(self, per_second: float, *, wall_clock: Callable[[], float] = time.time) -> None:
        self._slots = max(1, int(per_second))  # in each wall-clock second
        self._spacing = (1 - self.ARRIVAL_MARGIN) / self._slots
        self._wall_clock = wall_clock
        self._next_free = 0.0

    async def acquire(self) -> None:
        """Wait for this send's slot."""
        while True:
            now = self._wall_clock()
            slot = self._slot_at_or_after(max(self._next_free, now))
            self._next_free = slot + self._spacing / 2  # after it, before the next one
            if slot > now:
                await asyncio.sleep(slot - now)
            if self._wall_clock() < math.floor(slot) + 1 - self.ARRIVAL_MARGIN:
                return

    def _slot_at_or_after(self, instant: float) -> float:
        second = math.floor(instant)
        index = max(0, math.ceil((instant - second) / self._spacing - 0.5))
        if index >= self._slots:
            second, index = second + 1, 0
        return second + (index + 0.5) * self._spacing


class PacedRateLimiter(BaseRateLimiter[int]):
    """Per-chat pacing, an overall pace for broadcast, `retry_after` honoured; None rates
    lift a limit."""

    def __init__(
        self,
        *,
        overall_per_second: float | None = 30,
        chat_per_second: float | None = 1,
        chat_burst: int = CHAT_BURST,
        max_retries: int = 3,
        network_retries: int = 2,
        network_backoff: float = 0.5,
    ) -> None:
        self._overall = SteadyPace(overall_per_second) if overall_per_second else None
        self._overall_per_second = overall_per_second
        self._shared: SharedBroadcastCap | None = None
        self._chat_per_second = chat_per_second
        self._chat_burst = chat_burst
        self._max_retries = max_retries
        self._network_retries = network_retries
        self._network_backoff = network_backoff
        self._buckets: dict[int, ChatBucket] = {}
        self._not_paused = asyncio.Event()
        self._not_paused.set()

    @property
    def broadcast_per_second(self) -> float | None:
        """The overall pace of scheduled messages (None: not limited)."""
        return self._overall_per_second

    async def initialize(self) -> None:
        """Nothing to open."""

    def share_cap(self, slots: BroadcastSlots) -> None:
        """Share the overall pace with the other replicas through `slots` (the PostgreSQL
        store) instead of pacing this process alone; nothing to share when it is lifted."""
        if self._overall_per_second:
            self._shared = SharedBroadcastCap(slots, self._overall_per_second)

    async def shutdown(self) -> None:
        """Forget every bucket."""
        self._buckets.clear()

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSONResult]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> JSONResult:
        """Pace the request, run it, and retry it after a 429's `retry_after`."""
        chat_id = _chat_id(data.get("chat_id"))
        retries = self._max_retries if rate_limit_args is None else rate_limit_args
        for attempt in range(retries + 1):
            await self._not_paused.wait()
            if chat_id is not None:
                await self._pace(chat_id)
            try:
                return await self._with_network_retries(callback, args, kwargs, endpoint)
            except RetryAfter as error:
                if attempt == retries:
                    raise
                seconds = retry_after_seconds(error)
                logger.warning(
                    "Telegram asked to slow down (%s): retrying in %.1f s", endpoint, seconds
                )
                self._not_paused.clear()
                try:
                    await asyncio.sleep(seconds + 0.1)
                finally:
                    self._not_paused.set()
        raise AssertionError("unreachable: the last attempt returns or raises")

    async def _with_network_retries(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSONResult]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
    ) -> JSONResult:
        for attempt in range(self._network_retries + 1):
            try:
                return await callback(*args, **kwargs)
            except NetworkError as error:
                if attempt == self._network_retries or not safe_to_retry(endpoint, error):
                    raise
                logger.warning("Telegram: %s failed (%s): retrying", endpoint, error)
                await asyncio.sleep(self._network_backoff * (attempt + 1))
        raise AssertionError("unreachable: the last attempt returns or raises")

    async def _pace(self, chat_id: int) -> None:
        if self._chat_per_second:
            bucket = self._buckets.get(chat_id)
            if bucket is None:
                self._forget_idle_buckets()
                bucket = self._buckets[chat_id] = ChatBucket(
                    self._chat_burst, self._chat_per_second
                )
            await bucket.take()
        if _answering.get():
            return
        if self._shared is not None:
            await self._shared.acquire()
        elif self._overall is not None:
            await self._overall.acquire()

    def _forget_idle_buckets(self) -> None:
        if len(self._buckets) < 10_000:
            return
        now = time.monotonic()
        idle = [key for key, bucket in self._buckets.items() if bucket.idle_since(now) > 60]
        for key in idle:
            del self._buckets[key]


IDEMPOTENT_PREFIXES = ("get", "set", "delete", "edit")


def may_have_arrived(error: NetworkError) -> bool:
    """Whether a failed request may still have reached Telegram and taken effect: a timeout,
    or a connection that dropped once the request was on its way. A refusal (400, 429), a
    5xx, or a connection that never opened surely did not."""
    if isinstance(error, (BadRequest, RetryAfter)):
        return False
    # A 5xx (PTB's NetworkError with the status text) and a connection that never opened
    # (ConnectionFailed) surely did not.
    return isinstance(error, (TimedOut, ConnectionLost))


def safe_to_retry(endpoint: str, error: NetworkError) -> bool:
    """Whether repeating a failed request can do no harm (see the module docstring)."""
    if isinstance(error, (BadRequest, RetryAfter)) or endpoint == "getUpdates":
        return False  # a refusal is final; the updater retries polling on its own
    return endpoint.startswith(IDEMPOTENT_PREFIXES) or not may_have_arrived(error)


def retry_after_seconds(error: RetryAfter) -> float:
    """The pause a 429 asks for, in seconds (PTB_TIMEDELTA makes it a timedelta)."""
    pause = error.retry_after
    return pause.total_seconds() if isinstance(pause, timedelta) else float(pause)


def _chat_id(value: object) -> int | None:
    with contextlib.suppress(TypeError, ValueError):
        return int(value)  # type: ignore[call-overload, no-any-return]
    return None
