"""/settings: every setting in two or three taps, with the effect of a change shown."""

from __future__ import annotations

import asyncio
from datetime import datetime

from bot.coaching.dates import local_today
from bot.coaching.domain import PreferenceChanges, User
from bot.coaching.errors import InputError
from bot.coaching.pending import AwaitSetting
from bot.coaching.places import AmbiguousPlace
from bot.coaching.preferences import (
    BY_KEY,
    PLAN_FIELDS,
    PREFERENCES,
    SCHEDULE_FIELDS,
    WEEKDAYS,
    Preference,
)
from bot.messages.common import (
    active_days_text,
    esc,
    format_day,
    format_local_time,
    plural,
    zone_label,
)
from bot.usecases.actions import (
    ChooseSetting,
    EditSetting,
    PickSettingsCity,
    ShowSettings,
    ToggleRestDay,
)
from bot.usecases.progress import projection_summary
from bot.usecases.replies import Button, ButtonRow, Refusal, Reply, Response, edited, sent
from bot.usecases.schedules import sync_schedules
from bot.usecases.zones import chosen_city, city_choices
from storage import Store

BACK = ((Button("◀ All settings", ShowSettings()),),)


async def show_settings(store: Store, user: User, now: datetime, _: None = None) -> Response:
    """/settings: the menu of every setting with its current value."""
    return sent(_menu(user, now))


async def back_to_settings(store: Store, user: User, now: datetime, _: ShowSettings) -> Response:
    """Back to the settings menu, dropping a setting's question."""
    if isinstance(user.awaiting, AwaitSetting):
        user = await store.set_awaiting(user.chat_id, None)
    return edited(_menu(user, now))


async def edit_setting(store: Store, user: User, now: datetime, action: EditSetting) -> Response:
    """Open one setting: its value, quick choices, and an invitation to type a new one."""
    preference = BY_KEY[action.key]
    await store.set_awaiting(user.chat_id, AwaitSetting(preference.key))
    return edited(_editor(user, preference))


async def choose_setting(
    store: Store, user: User, now: datetime, action: ChooseSetting
) -> Response:
    """A quick choice for a setting."""
    preference = BY_KEY[action.key]
    value = preference.parse(action.token, local_today(now, user.timezone))
    text = await _save(store, user, now, preference, value)
    return edited(Reply(text, BACK), toast="Saved ✅")


async def toggle_rest_day(
    store: Store, user: User, now: datetime, action: ToggleRestDay
) -> Response:
    """Toggle one weekday as a rest day."""
    days = set(user.rest_days) ^ {action.weekday}
    if len(days) == len(WEEKDAYS):
        raise Refusal("Keep at least one active day (or /pause for a break).")
    user = await store.update_preferences(
        user.chat_id, PreferenceChanges(rest_days=tuple(sorted(days)))
    )
    return edited(_editor(user, BY_KEY["rd"]))


async def awaited_setting(
    store: Store, user: User, now: datetime, given: tuple[str, str]
) -> Response | None:
    """A typed value for the setting being edited; None when that setting no longer exists."""
    key, text = given
    preference = BY_KEY.get(key)
    if preference is None:
        await store.set_awaiting(user.chat_id, None)
        return None
    today = local_today(now, user.timezone)
    try:
        # The time zone index may still be loading: parse off the event loop.
        value = await asyncio.to_thread(preference.parse, text, today)
    except AmbiguousPlace as ambiguous:
        return sent(city_choices(ambiguous, PickSettingsCity).plus(rows=BACK))
    except InputError as error:
        return sent(Reply(error.message + " (Or tap ◀ All settings.)", BACK))
    await store.set_awaiting(user.chat_id, None)
    return sent(Reply(await _save(store, user, now, preference, value), BACK))


async def settings_city(
    store: Store, user: User, now: datetime, action: PickSettingsCity
) -> Response:
    """Which of several cities of one name is the user's: its zone becomes the time zone."""
    city = await chosen_city(action.city_id)
    text = await _save(store, user, now, BY_KEY["tz"], city.zone)
    return edited(Reply(f"📍 {esc(city.label)}.\n{text}", BACK), toast="Saved ✅")


async def _save(
    store: Store, user: User, now: datetime, preference: Preference, value: object
) -> str:
    """Store the new value, re-plan what depends on it, and say what changed."""
    user = await store.update_preferences(
        user.chat_id, PreferenceChanges.of(preference.field, value), drop_pending=True
    )
    lines = [f"✅ {preference.label}: {esc(_current(user, preference))}."]
    if preference.field in SCHEDULE_FIELDS:
        await sync_schedules(store, user, now)
        lines.append(await _next_messages_line(store, user))
    if preference.field == "timezone":
        lines.append(f"It's {format_local_time(now, user.timezone)} there now.")
    if preference.field in PLAN_FIELDS:
        lines.append(_plan_line(user))
        lines.append(await projection_summary(store, user, now))
    return "\n".join(line for line in lines if line)


async def _next_messages_line(store: Store, user: User) -> str:
    if not user.onboarded:
        return "Scheduled messages start once you finish setting up with /start."
    schedules = await store.schedules_of(user.chat_id)
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
    goal = plural(user.goal_count, "coffee chat")
    if user.goal_date is not None:
        goal += f" by {BY_KEY['gd'].show(user.goal_date)}"
    return (
        f"Your plan: {plural(user.daily_quota, 'reach-out')} a day "
        f"({active_days_text(user.rest_days)}), "
        f"{plural(user.weekly_chats, 'coffee chat')} a week, toward {goal}."
    )


def _current(user: User, preference: Preference) -> str:
    value = getattr(user, preference.field)
    return zone_label(value) if preference.field == "timezone" else preference.show(value)


def _menu(user: User, now: datetime) -> Reply:
    lines = ["<b>Your settings</b> — tap one to change it."]
    lines += [
        f"{preference.label}: {esc(_current(user, preference))}" for preference in PREFERENCES
    ]
    if user.paused(now):
        lines.append(_pause_line(user))
    buttons = [Button(preference.label, EditSetting(preference.key)) for preference in PREFERENCES]
    rows = tuple(tuple(buttons[index : index + 2]) for index in range(0, len(buttons), 2))
    return Reply("\n".join(lines), rows)


def _pause_line(user: User) -> str:
    if user.paused_until is None:
        return "⏸ Paused: no nudges until you /resume."
    back = format_day(user.paused_until, user.timezone)
    return f"⏸ Paused: nudges start again on {back}. /resume brings them back sooner."


def _editor(user: User, preference: Preference) -> Reply:
    text = f"<b>{preference.label}</b>: {esc(_current(user, preference))} now.\n{preference.hint}"
    rows: list[ButtonRow]
    if preference.field == "rest_days":
        marks = [
            ("✓ " if day in user.rest_days else "") + name for day, name in enumerate(WEEKDAYS)
        ]
        rows = [
            tuple(Button(marks[day], ToggleRestDay(day)) for day in range(0, 4)),
            tuple(Button(marks[day], ToggleRestDay(day)) for day in range(4, 7)),
        ]
        text += "\nOr tap the days to switch them on and off."
    else:
        choices = [
            Button(label, ChooseSetting(preference.key, token))
            for label, token in preference.choices
        ]
        rows = [tuple(choices[index : index + 4]) for index in range(0, len(choices), 4)]
    rows.append(BACK[0])
    return Reply(text, tuple(rows))
