"""/pause and /resume: stop and restart the scheduled nudges (holidays, illness)."""

from __future__ import annotations

from telegram import Update

from bot.coaching.dates import local_day_bounds, local_today
from bot.context import CoachContext
from bot.messages.texts import format_day
from handlers.common import current_user, send

MAX_PAUSE_DAYS = 365


async def pause_command(update: Update, context: CoachContext) -> None:
    """/pause [DAYS]: no scheduled messages until then (or until /resume)."""
    user = await current_user(update, context)
    now = context.clock.now()
    argument = (context.args or [""])[0]
    if argument and (not argument.isdecimal() or not 1 <= int(argument) <= MAX_PAUSE_DAYS):
        await send(
            update,
            context,
            f"Send a number of days from 1 to {MAX_PAUSE_DAYS}, like <code>/pause 7</code>, "
            "or just /pause to pause until you /resume.",
        )
        return
    if not argument:
        await context.store.update_user(user.chat_id, paused_at=now, paused_until=None)
        await send(
            update,
            context,
            "⏸ Paused. No nudges until you come back with /resume. Logging still works "
            "whenever you like. Take care of yourself.",
        )
        return
    # The pause ends at the start of the day after the last paused day, in the user's zone.
    last_day = local_today(now, user.timezone).toordinal() + int(argument) - 1
    _, until = local_day_bounds(
        local_today(now, user.timezone).fromordinal(last_day), user.timezone
    )
    await context.store.update_user(user.chat_id, paused_at=now, paused_until=until)
    await send(
        update,
        context,
        f"⏸ Paused for {argument} day{'s' if argument != '1' else ''}: nudges start again on "
        f"{format_day(until, user.timezone)}. /resume brings them back sooner.",
    )


async def resume_command(update: Update, context: CoachContext) -> None:
    """/resume: scheduled messages again from the next one."""
    user = await current_user(update, context)
    if not user.paused(context.clock.now()):
        await send(update, context, "You're not paused: your nudges are on. ▶️")
        return
    await context.store.update_user(user.chat_id, paused_at=None, paused_until=None)
    await send(update, context, "▶️ Welcome back! Nudges are on again from your next morning.")
