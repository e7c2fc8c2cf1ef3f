"""/start and /help: onboarding step by step (state kept in the database), or the dashboard."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import time

from telegram import Update

from bot.coaching.dates import local_today, parse_target_date, parse_time_of_day
from bot.coaching.domain import DEFAULT_GOAL_COUNT, Tier, User
from bot.coaching.errors import InputError
from bot.coaching.names import clean_contact_name, name_key
from bot.coaching.zones import parse_timezone, timezone_for_location
from bot.context import CoachContext
from bot.delivery.scheduler import sync_schedules
from bot.messages.texts import HELP_TEXT, esc, format_local_time, plan_summary, zone_label
from handlers.callback_data import ButtonAction
from handlers.common import answer_button, button, current_user, keyboard, send, show
from handlers.progress import projection_summary
from handlers.today import send_today
from storage import DuplicateContactError

AWAITING_ONBOARDING = "onboarding"
STEPS = ("name", "timezone", "goal", "date", "weekly", "quota", "morning", "contacts")
MAX_GOAL = 1000
MAX_WEEKLY_CHATS = 30
MAX_DAILY_QUOTA = 50
MAX_CONTACTS_PER_MESSAGE = 20


@dataclass(frozen=True)
class StepPrompt:
    """The question of one onboarding step and its quick-answer buttons."""

    text: str
    buttons: tuple[tuple[str, str], ...]


async def start(update: Update, context: CoachContext) -> None:
    """/start: begin or resume onboarding; for a set-up user, today's dashboard."""
    user = await current_user(update, context)
    if user.onboarded:
        await send_today(update, context, user)
        return
    step = user.onboarding_step or STEPS[0]
    user = await context.store.update_user(
        user.chat_id, onboarding_step=step, awaiting=AWAITING_ONBOARDING
    )
    if step != STEPS[0]:
        await send(update, context, "Welcome back! Let's pick up where we left off.")
    await _ask(update, context, user, step)


async def help_command(update: Update, context: CoachContext) -> None:
    """/help: what the bot can do, with examples."""
    await send(update, context, HELP_TEXT)


async def onboarding_text(update: Update, context: CoachContext, user: User) -> None:
    """A typed answer to the current onboarding step."""
    step = user.onboarding_step or STEPS[0]
    text = (update.effective_message.text or "") if update.effective_message else ""
    try:
        changes: dict[str, object]
        if step == "timezone":  # the city index may still be loading: keep the loop free
            changes = {"timezone": await asyncio.to_thread(parse_timezone, text.strip())}
        else:
            changes = _changes_for_text(step, text, user, context)
    except InputError as error:
        await send(update, context, error.message)
        return
    if step == "contacts":
        await _add_warm_contacts(update, context, user, text)
        return
    await _advance(update, context, user, step, changes)


async def onboarding_location(update: Update, context: CoachContext, user: User) -> None:
    """A shared location answers the time zone step."""
    message = update.effective_message
    if message is None or message.location is None or user.onboarding_step != "timezone":
        return
    location = message.location
    zone = await asyncio.to_thread(timezone_for_location, location.latitude, location.longitude)
    await _advance(update, context, user, "timezone", {"timezone": zone})


async def onboarding_button(update: Update, context: CoachContext, action: ButtonAction) -> None:
    """A quick-answer button of an onboarding step."""
    user = await current_user(update, context)
    step, value = action.args
    if user.onboarding_step != step:
        await answer_button(update, "That step is done already.")
        return
    await answer_button(update)
    if step == "contacts":
        await _finish(update, context, user)
        return
    changes: dict[str, object] = {}
    if value != "skip":
        changes = _changes_for_button(step, value, user, update, context)
    await show(update, context, _prompt(user, step).text + f"\n\n<i>{_chosen(step, value)}</i>")
    await _advance(update, context, user, step, changes)


def _changes_for_text(step: str, text: str, user: User, context: CoachContext) -> dict[str, object]:
    text = text.strip()
    if step == "name":
        return {"name": clean_contact_name(text)}
    if step == "goal":
        return {"goal_count": _parse_count(text, 1, MAX_GOAL, "coffee chats as your goal", "50")}
    if step == "date":
        today = local_today(context.clock.now(), user.timezone)
        return {"goal_date": parse_target_date(text, today)}
    if step == "weekly":
        return {"weekly_chats": _parse_count(text, 1, MAX_WEEKLY_CHATS, "coffee chats a week", "2")}
    if step == "quota":
        return {"daily_quota": _parse_count(text, 1, MAX_DAILY_QUOTA, "reach-outs a day", "3")}
    if step == "morning":
        return {"morning_time": parse_time_of_day(text)}
    return {}


def _changes_for_button(
    step: str, value: str, user: User, update: Update, context: CoachContext
) -> dict[str, object]:
    if step == "name":
        first_name = update.effective_user.first_name if update.effective_user else None
        return {"name": clean_contact_name(first_name)} if first_name else {}
    if step == "goal":
        return {"goal_count": int(value)}
    if step == "date":
        today = local_today(context.clock.now(), user.timezone)
        return {"goal_date": parse_target_date(f"in {value.removesuffix('m')} months", today)}
    if step == "weekly":
        return {"weekly_chats": int(value)}
    if step == "quota":
        return {"daily_quota": int(value)}
    if step == "morning":
        return {"morning_time": time(int(value[:2]), int(value[2:]))}
    return {}


def _chosen(step: str, value: str) -> str:
    """The answer a button gave, said back under the question."""
    if value == "skip":
        return {
            "date": "No end date for now.",
            "contacts": "Later, then.",
        }.get(step, "Skipped: the default it is.")
    return {
        "name": "Nice to meet you!",
        "goal": f"Goal: {value} coffee chats.",
        "date": f"In {value.removesuffix('m')} months.",
        "weekly": f"{value} a week.",
        "quota": f"{value} a day.",
        "morning": f"At {value[:2]}:{value[2:]}.",
    }.get(step, f"{value}.")


async def _advance(
    update: Update,
    context: CoachContext,
    user: User,
    step: str,
    changes: dict[str, object],
) -> None:
    next_step = STEPS[STEPS.index(step) + 1]
    user = await context.store.update_user(
        user.chat_id, **changes, onboarding_step=next_step, awaiting=AWAITING_ONBOARDING
    )
    if "timezone" in changes:
        local = format_local_time(context.clock.now(), user.timezone)
        await send(update, context, f"🕐 {zone_label(user.timezone)}: it's {local} there now.")
    await _ask(update, context, user, next_step)


async def _ask(update: Update, context: CoachContext, user: User, step: str) -> None:
    prompt = _prompt(user, step)
    await send(update, context, prompt.text, keyboard(prompt.buttons) if prompt.buttons else None)


def _prompt(user: User, step: str) -> StepPrompt:
    hello = f", {esc(user.name)}" if user.name else ""
    if step == "name":
        return StepPrompt(
            "Hi, I'm your outreach coach 👋\n"
            "I'll help you turn networking into a few small actions a day: reach out, "
            "follow up, and keep going until the right conversation happens.\n\n"
            "Setting up takes about a minute and every step can be skipped. "
            "First: what should I call you?",
            (
                button("Use my Telegram name", "ob", "name", "tg"),
                button("Skip", "ob", "name", "skip"),
            ),
        )
    if step == "timezone":
        return StepPrompt(
            f"Nice to meet you{hello}! Where are you? Send a city (Lisbon), a time zone "
            "(Europe/Berlin), an offset (UTC+2) or share your location, so my messages "
            "arrive in your morning.",
            (button(f"Keep {zone_label(user.timezone)}", "ob", "timezone", "skip"),),
        )
    if step == "goal":
        return StepPrompt(
            "What's your goal? Most people count coffee chats: 50 conversations usually "
            "turn up a few real openings. Pick a number or type your own.",
            (
                button("20", "ob", "goal", 20),
                button("30", "ob", "goal", 30),
                button("50", "ob", "goal", 50),
                button(f"Skip ({DEFAULT_GOAL_COUNT})", "ob", "goal", "skip"),
            ),
        )
    if step == "date":
        return StepPrompt(
            f"By when would you like to reach {user.goal_count}? "
            "Send a date like 31 March, 2027-03-31 or “in 12 weeks”.",
            (
                button("In 3 months", "ob", "date", "3m"),
                button("In 6 months", "ob", "date", "6m"),
                button("No date", "ob", "date", "skip"),
            ),
        )
    if step == "weekly":
        return StepPrompt(
            "How many coffee chats a week feels doable? Two is a steady pace.",
            tuple(button(str(count), "ob", "weekly", count) for count in (1, 2, 3, 4, 5)),
        )
    if step == "quota":
        return StepPrompt(
            "And how many reach-outs on a working day? Small and daily beats big and rare.",
            (
                *(button(str(count), "ob", "quota", count) for count in (1, 2, 3, 5)),
                button("Skip (3)", "ob", "quota", "skip"),
            ),
        )
    if step == "morning":
        return StepPrompt(
            f"When should your morning message arrive ({zone_label(user.timezone)} time)? "
            "Pick one or send a time like 07:30.",
            (
                *(button(f"{hour:02d}:00", "ob", "morning", f"{hour:02d}00") for hour in (7, 8, 9)),
                button("Skip (08:00)", "ob", "morning", "skip"),
            ),
        )
    return StepPrompt(
        "Last step: who are about five warm people you could message this week? Friends, "
        "relatives, former colleagues or managers, teachers: people who'll be glad to hear "
        "from you. They're your practice reps before strangers.\n\n"
        "Send their names, one per line or separated by commas.",
        (button("I'll add them later", "ob", "contacts", "skip"),),
    )


async def _add_warm_contacts(update: Update, context: CoachContext, user: User, text: str) -> None:
    raw_names = [part for line in text.splitlines() for part in line.split(",")]
    raw_names = [part for part in raw_names if part.strip()]
    if not raw_names:
        await send(update, context, "Send at least one name, like: Ana, Bob, Priya")
        return
    added: list[str] = []
    problems: list[str] = []
    for raw in raw_names[:MAX_CONTACTS_PER_MESSAGE]:
        try:
            name = clean_contact_name(raw)
            await context.store.add_contact(
                user.chat_id,
                name=name,
                name_key=name_key(name),
                tier=Tier.WARM,
                note=None,
                now=context.clock.now(),
            )
            added.append(esc(name))
        except InputError as error:
            problems.append(error.message)
        except DuplicateContactError as error:
            problems.append(f"{esc(error.existing.name)} is already on your list.")
    if len(raw_names) > MAX_CONTACTS_PER_MESSAGE:
        problems.append(f"I took the first {MAX_CONTACTS_PER_MESSAGE}; send the rest next.")
    lines = [f"Added {', '.join(added)}. 👥" if added else "No one new added."]
    lines += problems
    lines.append("Send more names, or tap Done when you have your first few.")
    await send(
        update,
        context,
        "\n".join(lines),
        keyboard((button("Done", "ob", "contacts", "done"),)),
    )


async def _finish(update: Update, context: CoachContext, user: User) -> None:
    now = context.clock.now()
    user = await context.store.update_user(
        user.chat_id, onboarding_step=None, onboarded_at=now, awaiting=None
    )
    await sync_schedules(context.store, user, now)
    warm = await context.store.list_contacts(user.chat_id, Tier.WARM)
    markup = (
        keyboard(
            (button(f"📨 I reached out to {warm[0].name[:20]}", "ra", warm[0].id),),
            (button("📋 Today", "td"),),
        )
        if warm
        else keyboard((button("📋 Today", "td"),))
    )
    projection = await projection_summary(context.store, user, now)
    await send(update, context, plan_summary(user, warm, projection), markup)


def _parse_count(text: str, low: int, high: int, what: str, example: str) -> int:
    cleaned = text.strip()
    if not cleaned.isdecimal() or not low <= int(cleaned) <= high:
        raise InputError(f"Send a number of {what} from {low} to {high}, like {example}.")
    return int(cleaned)


async def location_message(update: Update, context: CoachContext) -> None:
    """A shared location outside onboarding: a hint for now."""
    user = await current_user(update, context)
    if user.onboarding_step == "timezone":
        await onboarding_location(update, context, user)
        return
    await send(
        update, context, "Thanks! I use a shared location only to set your time zone in /start."
    )


def is_onboarding_text(user: User) -> bool:
    """Whether the next plain text answers an onboarding question."""
    return user.awaiting == AWAITING_ONBOARDING and user.onboarding_step is not None
