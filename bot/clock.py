"""The one clock that handlers, rules and the scheduler share."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Anything that tells the current time as an aware UTC datetime."""

    def now(self) -> datetime: ...


class SystemClock:
    """The real time, in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class OffsetClock:
    """The real time moved by an adjustable offset: the terminal chat's way to skip ahead."""

    def __init__(self, offset: timedelta = timedelta(0)) -> None:
        self.offset = offset

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward (or back, with a negative delta)."""
        self.offset += delta

    def move_to(self, instant: datetime) -> None:
        """Make `now()` return `instant` at this moment, then keep ticking from there."""
        self.offset = _as_utc(instant) - datetime.now(UTC)


class FrozenClock:
    """A clock that only moves when told to: for tests."""

    def __init__(self, instant: datetime) -> None:
        self._now = _as_utc(instant)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> None:
        """Move the clock by `delta`."""
        self._now += delta

    def move_to(self, instant: datetime) -> None:
        """Set the clock to `instant` (an aware datetime)."""
        self._now = _as_utc(instant)


def _as_utc(instant: datetime) -> datetime:
    if instant.tzinfo is None:
        raise ValueError("the clock takes aware datetimes only")
    return instant.astimezone(UTC)
