"""/settings: every setting in two or three taps, with the effect of a change shown."""

from __future__ import annotations

import asyncio

from telegram import InlineKeyboardMarkup, Update

from bot.coaching.dates import local_today
from bot.coaching.domain import User
from bot.coaching.errors import InputError
from bot.coaching.preferences import (
    BY_KEY,
    PLAN_FIELDS,
    PREFERENCES,
    SCHEDULE_FIELDS,
    WEEKDAYS,
    Preference,
)
from bot.context import CoachContext
from bot.delivery.scheduler import sync_schedules
from bot.messages.texts import active_days_text, esc, format_day, format_local_time, zone_label
from handlers.callback_data import ButtonAction
from handlers.common import Row, answer_button, button, current_user, keyboard, send, show
from handlers.progress import projection_summary

AWAIT_SETTING = "set:"


async def settings_command(update: Update, context: CoachContext) -> None:
    """/settings: the menu of every setting with its current value."""
    user = await current_user(update, context)
    await send(update, context, _menu_text(user), _menu_keyboard())


async def menu_button(update: Update, context: CoachContext, _action: ButtonAction) -> None:
    """Back to the settings menu."""
    user = await current_user(update, context)
    await answer_button(update)
    if user.awaiting and user.awaiting.startswith(AWAIT_SETTING):
        user = await context.store.update_user(user.chat_id, awaiting=None)
    await show(update, context, _menu_text(user), _menu_keyboard())


async def edit_button(update: Update, context: CoachContext, action: ButtonAction) -> None:
    """Open one setting: its value, quick choices, and an invitation to type a new one."""
    preference = BY_KEY.get(action.args[0])
    if preference is None:
        await answer_button(update, "That button has expired.")
        return
    user = await current_user(update, context)
    await answer_button(update)
    await context.store.update_user(user.chat_id, awaiting=AWAIT_SETTING + preference.key)
    await show(update, context, *_editor(user, preference))


async def choice_button(update: Update, context: CoachContext, action: ButtonAction) -> None:
    """A quick choice for a setting."""
    preference = BY_KEY.get(action.args[0])
    if preference is None:
        await answer_button(update, "That button has expired.")
        return
    user = await current_user(update, context)
    try:
        value = preference.parse(action.args[1], local_today(context.clock.now(), user.timezone))
    except InputError:
        await answer_button(update, "That button has expired.")
        return
    await answer_button(update, "Saved ✅")
    text = await _save(context, user, preference, value)
    await show(update, context, text, _back())


async def rest_day_button(update: Update, context: CoachContext, action: ButtonAction) -> None:
    """Toggle one weekday as a rest day."""
    day = action.int_arg(0)
    if day > 6:
        await answer_button(update, "That button has expired.")
        return
    user = await current_user(update, context)
    days = set(user.rest_days) ^ {day}
    if len(days) == 7:
        await answer_button(update, "Keep at least one active day (or /pause for a break).")
        return
    await answer_button(update)
    user = await context.store.update_user(user.chat_id, rest_days=tuple(sorted(days)))
    await show(update, context, *_editor(user, BY_KEY["rd"]))


async def awaited_setting(update: Update, context: CoachContext, user: User, text: str) -> bool:
    """A typed value for the setting being edited; False when no setting was being edited."""
    if not (user.awaiting or "").startswith(AWAIT_SETTING):
        return False
    preference = BY_KEY.get((user.awaiting or "").removeprefix(AWAIT_SETTING))
    if preference is None:
        await context.store.update_user(user.chat_id, awaiting=None)
        return False
    today = local_today(context.clock.now(), user.timezone)
    try:
        # The time zone index may still be loading: parse off the event loop.
        value = await asyncio.to_thread(preference.parse, text, today)
    except InputError as error:
        await send(update, context, error.message + " (Or tap ◀ All settings.)", _back())
        return True
    await context.store.update_user(user.chat_id, awaiting=None)
    await send(update, context, await _save(context, user, preference, value), _back())
    return True


async def _save(context: CoachContext, user: User, preference: Preference, value: object) -> str:
    """Store the new value, re-plan what depends on it, and say what changed."""
    now = context.clock.now()
    user = await context.store.update_user(user.chat_id, **{preference.field: value}, awaiting=None)
    lines = [f"✅ {preference.label}: {esc(_current(user, preference))}."]
    if preference.field in SCHEDULE_FIELDS:
        await sync_schedules(context.store, user, now)
        lines.append(await _next_messages_line(context, user))
    if preference.field == "timezone":
        lines.append(f"It's {format_local_time(now, user.timezone)} there now.")
    if preference.field in PLAN_FIELDS:
        lines.append(_plan_line(user))
        lines.append(await projection_summary(context.store, user, now))
    return "\n".join(line for line in lines if line)


async def _next_messages_line(context: CoachContext, user: User) -> str:
    if not user.onboarded:
        return "Scheduled messages start once you finish setting up with /start."
    schedules = await context.store.schedules_of(user.chat_id)
    parts = []
    for kind, label in (("morning", "morning message"), ("evening", "evening check-in")):
        if kind in schedules:
            at = schedules[kind]
            parts.append(
                f"next {label} {format_day(at, user.timezone)}, "
                f"{format_local_time(at, user.timezone)}"
            )
    if "weekly_review" in schedules:
        at = schedules["weekly_review"]
        parts.append(f"weekly review {format_day(at, user.timezone)}")
    return ("Coming up: " + "; ".join(parts) + ".") if parts else ""


def _plan_line(user: User) -> str:
    goal = f"{user.goal_count} coffee chats"
    if user.goal_date is not None:
        goal += f" by {BY_KEY['gd'].show(user.goal_date)}"
    return (
        f"Your plan: {user.daily_quota} reach-outs a day ({active_days_text(user.rest_days)}), "
        f"{user.weekly_chats} coffee chats a week, toward {goal}."
    )


def _current(user: User, preference: Preference) -> str:
    value = getattr(user, preference.field)
    return zone_label(value) if preference.field == "timezone" else preference.show(value)


def _menu_text(user: User) -> str:
    lines = ["<b>Your settings</b> — tap one to change it."]
    lines += [
        f"{preference.label}: {esc(_current(user, preference))}" for preference in PREFERENCES
    ]
    return "\n".join(lines)


def _menu_keyboard() -> InlineKeyboardMarkup:
    buttons = [button(preference.label, "se", preference.key) for preference in PREFERENCES]
    rows: list[Row] = [tuple(buttons[index : index + 2]) for index in range(0, len(buttons), 2)]
    return keyboard(*rows)


def _editor(user: User, preference: Preference) -> tuple[str, InlineKeyboardMarkup]:
    text = f"<b>{preference.label}</b>: {esc(_current(user, preference))} now.\n{preference.hint}"
    rows: list[Row]
    if preference.field == "rest_days":
        marks = [
            ("✓ " if day in user.rest_days else "") + name for day, name in enumerate(WEEKDAYS)
        ]
        rows = [
            tuple(button(marks[day], "sd", day) for day in range(0, 4)),
            tuple(button(marks[day], "sd", day) for day in range(4, 7)),
        ]
        text += "\nOr tap the days to switch them on and off."
    else:
        choices = [
            button(label, "sv", preference.key, token) for label, token in preference.choices
        ]
        rows = [tuple(choices[index : index + 4]) for index in range(0, len(choices), 4)]
    rows.append((button("◀ All settings", "sm"),))
    return text, keyboard(*rows)


def _back() -> InlineKeyboardMarkup:
    return keyboard((button("◀ All settings", "sm"),))
