"""/followups: due and upcoming follow-ups, each due one with Done / Snooze / Replied / Rest."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardMarkup, Update

from bot.coaching.domain import Channel, Contact, FollowUp, FollowUpStatus, User
from bot.coaching.followups import is_due, rest_until, snooze_until
from bot.context import CoachContext
from bot.messages.texts import esc, follow_ups_text, format_day
from handlers.callback_data import ButtonAction
from handlers.common import Row, answer_button, button, current_user, keyboard, send, show
from handlers.outreach import log_reach, replied_button

MAX_ROWS = 8


async def followups_command(update: Update, context: CoachContext) -> None:
    """/followups."""
    user = await current_user(update, context)
    text, markup = await _follow_up_list(context, user)
    await send(update, context, text, markup)


async def list_button(update: Update, context: CoachContext, _action: ButtonAction) -> None:
    """The follow-up list, as a fresh message."""
    await answer_button(update)
    user = await current_user(update, context)
    text, markup = await _follow_up_list(context, user)
    await send(update, context, text, markup)


async def follow_up_button(update: Update, context: CoachContext, action: ButtonAction) -> None:
    """One of the four actions on a due follow-up, then the list again, updated in place."""
    user = await current_user(update, context)
    follow_up_id, verb = action.int_arg(0), action.args[1]
    follow_up = await context.store.get_follow_up(user.chat_id, follow_up_id)
    contact = (
        await context.store.get_contact(user.chat_id, follow_up.contact_id) if follow_up else None
    )
    if follow_up is None or contact is None or verb not in "dsrx" or len(verb) != 1:
        await answer_button(update, "That follow-up is no longer here.")
        return
    if follow_up.status is not FollowUpStatus.OPEN:
        await answer_button(update, "Already done ✅")
        return
    now = context.clock.now()
    if verb == "r":
        await replied_button(update, context, ButtonAction("ry", (str(contact.id),)))
        return
    if verb == "d":
        text, _ = await log_reach(context, user, contact, Channel.MESSAGE, None, None)
        await answer_button(update, "Followed up ✅")
        await send(update, context, text)
    elif verb == "s":
        until = snooze_until(now)
        await context.store.snooze_follow_up(user.chat_id, follow_up.id, until)
        await answer_button(update, f"Snoozed to {format_day(until, user.timezone)} ⏰")
    else:
        until = rest_until(now)
        await context.store.rest_contact(user.chat_id, contact.id, now=now, until=until)
        await answer_button(update, "Resting for a month 🌙")
        await send(
            update,
            context,
            f"🌙 Letting <b>{esc(contact.name)}</b> rest until "
            f"{format_day(until, user.timezone)}. No blame: timing is everything.",
        )
    text, markup = await _follow_up_list(context, user)
    await show(update, context, text, markup)


async def _follow_up_list(
    context: CoachContext, user: User
) -> tuple[str, InlineKeyboardMarkup | None]:
    now = context.clock.now()
    items = await context.store.open_follow_ups(user.chat_id)
    due = [(item, contact) for item, contact in items if is_due(item.due_at, now, user.timezone)]
    upcoming = [pair for pair in items if pair not in due]
    rows = follow_up_rows(due)
    markup = keyboard(*rows) if rows else None
    return follow_ups_text(due, upcoming, user), markup


def follow_up_rows(due: Sequence[tuple[FollowUp, Contact]]) -> list[Row]:
    """One row of one-tap actions per due follow-up: done, snooze, replied, let it rest."""
    return [
        (
            button(f"✅ {contact.name[:18]}", "fu", item.id, "d"),
            button("⏰", "fu", item.id, "s"),
            button("💬", "fu", item.id, "r"),
            button("🌙", "fu", item.id, "x"),
        )
        for item, contact in due[:MAX_ROWS]
    ]
