"""/pause and /resume: stop and restart the scheduled nudges (holidays, illness)."""

from __future__ import annotations

from datetime import datetime

from bot.coaching.dates import local_day_bounds, local_today
from bot.coaching.domain import User
from bot.messages.common import format_day
from bot.usecases.replies import Reply, Response, sent
from storage import Store

MAX_PAUSE_DAYS = 365


async def pause(store: Store, user: User, now: datetime, argument: str) -> Response:
    """/pause [DAYS]: no scheduled messages until then (or until /resume)."""
    if argument and (not argument.isdecimal() or not 1 <= int(argument) <= MAX_PAUSE_DAYS):
        return sent(
            Reply(
                f"Send a number of days from 1 to {MAX_PAUSE_DAYS}, like <code>/pause 7</code>, "
                "or just /pause to pause until you /resume."
            )
        )
    if not argument:
        await store.pause(user.chat_id, now=now, until=None)
        return sent(
            Reply(
                "⏸ Paused. No nudges until you come back with /resume. Logging still works "
                "whenever you like. Take care of yourself."
            )
        )
    # The pause ends at the start of the day after the last paused day, in the user's zone.
    today = local_today(now, user.timezone)
    _, until = local_day_bounds(
        today.fromordinal(today.toordinal() + int(argument) - 1), user.timezone
    )
    await store.pause(user.chat_id, now=now, until=until)
    return sent(
        Reply(
            f"⏸ Paused for {argument} day{'s' if argument != '1' else ''}: nudges start again on "
            f"{format_day(until, user.timezone)}. /resume brings them back sooner."
        )
    )


async def resume(store: Store, user: User, now: datetime, _: None = None) -> Response:
    """/resume: scheduled messages again from the next one."""
    if not user.paused(now):
        return sent(Reply("You're not paused: your nudges are on. ▶️"))
    await store.resume(user.chat_id)
    return sent(Reply("▶️ Welcome back! Nudges are on again from your next morning."))
