"""When scheduled coaching is due: pure functions of the user's zone, settings and `now`.

Every function takes aware UTC datetimes and returns aware UTC datetimes; local time is used
only to decide "08:00 in the user's zone". A local time that does not exist on a
spring-forward day is moved to the first valid instant after the gap; a local time that
happens twice on a fall-back day is taken the first time.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.coaching.dates import is_rest_day
from bot.coaching.domain import User

# A morning message missed while the bot was down is still worth sending until local noon.
MORNING_CATCH_UP_UNTIL = time(12, 0)
# An evening check-in or a weekly review is worth sending up to this long after its time.
LATE_SEND_GRACE = timedelta(hours=3)


class MessageKind(StrEnum):
    """The scheduled messages, each with its own schedule row and sent-log key."""

    MORNING = "morning"
    RESTART = "restart"
    EVENING = "evening"
    WEEKLY_REVIEW = "weekly_review"


def local_instant(day: date, at: time, tz: str) -> datetime:
    """The UTC instant of wall time `at` on `day` in `tz` (gap: after it; repeat: the first)."""
    zone = ZoneInfo(tz)
    naive = datetime.combine(day, at)
    candidate = naive.replace(tzinfo=zone, fold=0)
    as_utc = candidate.astimezone(UTC)
    if as_utc.astimezone(zone).replace(tzinfo=None) != naive:
        # In a spring-forward gap: the wall time never happens. Take the first instant after
        # the gap, which is where the clock jumps to.
        return _end_of_gap(naive, zone)
    return as_utc


def next_daily(at: time, tz: str, after: datetime) -> datetime:
    """The first instant strictly after `after` whose local wall time is `at` (or past a gap)."""
    zone = ZoneInfo(tz)
    day = after.astimezone(zone).date() - timedelta(days=1)
    for offset in range(4):
        candidate = local_instant(day + timedelta(days=offset), at, tz)
        if candidate > after:
            return candidate
    raise AssertionError("unreachable: a wall time happens at least once in three days")


def next_weekly(weekday: int, at: time, tz: str, after: datetime) -> datetime:
    """The first instant strictly after `after` on local `weekday` (Monday 0) at wall time `at`."""
    zone = ZoneInfo(tz)
    day = after.astimezone(zone).date() - timedelta(days=1)
    for offset in range(10):
        current = day + timedelta(days=offset)
        if current.weekday() != weekday:
            continue
        candidate = local_instant(current, at, tz)
        if candidate > after:
            return candidate
    raise AssertionError("unreachable: every weekday happens within ten days")


def local_date_of(instant: datetime, tz: str) -> date:
    """The date in `tz` at a UTC instant."""
    return instant.astimezone(ZoneInfo(tz)).date()


def still_worth_sending(kind: MessageKind, scheduled_at: datetime, now: datetime, tz: str) -> bool:
    """Whether a message due at `scheduled_at` is still useful at `now` (late after downtime)."""
    if now < scheduled_at:
        return False
    if kind in (MessageKind.MORNING, MessageKind.RESTART):
        same_day = local_date_of(now, tz) == local_date_of(scheduled_at, tz)
        return same_day and now.astimezone(ZoneInfo(tz)).time() < MORNING_CATCH_UP_UNTIL
    return now - scheduled_at <= LATE_SEND_GRACE


def week_key(day: date) -> str:
    """The ISO week of a local date, as the weekly review's sent-log key: '2026-W48'."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def stalled_since(
    last_action_day: date | None,
    start_day: date,
    today: date,
    rest_days: Sequence[int],
    stall_days: int,
) -> date | None:
    """The day the current stall began, when `stall_days` active days have passed without
    outreach (counting from the last action, or from `start_day` for a user who never acted);
    None when the user is not stalled. Today does not count: it is not over yet.
    """
    since = last_action_day or start_day
    quiet_active_days = 0
    day = since + timedelta(days=1)
    while day < today:
        if not is_rest_day(day, rest_days):
            quiet_active_days += 1
        day += timedelta(days=1)
    return since if quiet_active_days >= stall_days else None


def _end_of_gap(naive: datetime, zone: ZoneInfo) -> datetime:
    """The first valid instant after a wall time that falls in a gap: the transition itself.

    In a gap, the two folds of the wall time map to UTC instants on either side of the
    transition; search between them, on whole seconds, for the first instant whose local
    wall time is past `naive`.
    """
    either_side = [
        int(naive.replace(tzinfo=zone, fold=fold).astimezone(UTC).timestamp()) for fold in (0, 1)
    ]
    low, high = min(either_side), max(either_side)
    while high - low > 1:
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, zone).replace(tzinfo=None) >= naive:
            high = middle
        else:
            low = middle
    return datetime.fromtimestamp(high, UTC)


LONGEST_PERIOD = timedelta(days=8)  # every kind happens at least once a week
SCHEDULED_KINDS = (MessageKind.MORNING, MessageKind.EVENING, MessageKind.WEEKLY_REVIEW)


def next_due(kind: MessageKind, user: User, after: datetime) -> datetime | None:
    """When `kind` is next due for `user`, strictly after `after`; None when it is off."""
    if kind is MessageKind.MORNING:
        return next_daily(user.morning_time, user.timezone, after)
    if kind is MessageKind.EVENING:
        return next_daily(user.evening_time, user.timezone, after) if user.evening_time else None
    if kind is MessageKind.WEEKLY_REVIEW:
        return next_weekly(user.review_day, user.review_time, user.timezone, after)
    return None


def latest_occurrence(
    kind: MessageKind, user: User, due_at: datetime, now: datetime
) -> datetime | None:
    """The last occurrence at or before `now`, starting from a schedule row due at `due_at`.

    After downtime the row may be days old; today's occurrence, not the oldest missed one,
    decides whether anything is still worth sending.
    """
    occurrence = due_at
    if now - occurrence > LONGEST_PERIOD:
        occurrence = next_due(kind, user, now - LONGEST_PERIOD) or occurrence
    while (following := next_due(kind, user, occurrence)) is not None and following <= now:
        occurrence = following
    return occurrence if following is not None else None
