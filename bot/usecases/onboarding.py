"""/start and /help: onboarding step by step (state kept in the database), or the dashboard."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime

from bot.coaching.dates import local_today, parse_target_date
from bot.coaching.domain import (
    DEFAULT_GOAL_COUNT,
    NO_CHANGES,
    OnboardingStep,
    PreferenceChanges,
    Tier,
    User,
)
from bot.coaching.errors import InputError
from bot.coaching.names import clean_contact_name, split_names
from bot.coaching.parsing import AddArgs
from bot.coaching.pending import AwaitOnboarding
from bot.coaching.places import AmbiguousPlace
from bot.coaching.preferences import BY_KEY
from bot.coaching.text import short_name
from bot.coaching.zones import parse_timezone, timezone_for_location
from bot.messages.common import esc, format_local_time, zone_label
from bot.messages.onboarding import HELP_TEXT, plan_review, plan_summary
from bot.usecases.actions import (
    OnboardingAnswer,
    PickOnboardingCity,
    ReachedOut,
    ReviewPlan,
    ShowSettings,
    ShowToday,
)
from bot.usecases.contacts import add_names
from bot.usecases.progress import projection_summary
from bot.usecases.replies import Button, Edit, Refusal, Reply, Response, sent
from bot.usecases.schedules import sync_schedules
from bot.usecases.today import today_dashboard
from bot.usecases.zones import chosen_city, city_choices
from storage import Store

STEPS = tuple(OnboardingStep)
MAX_CONTACTS_PER_MESSAGE = 20
STEP_DONE = "That step is done already."
# The setting each step asks for, read and bounded as /settings reads it.
STEP_PREFERENCES = {
    OnboardingStep.GOAL: BY_KEY["gc"],
    OnboardingStep.DATE: BY_KEY["gd"],
    OnboardingStep.WEEKLY: BY_KEY["wc"],
    OnboardingStep.QUOTA: BY_KEY["dq"],
    OnboardingStep.MORNING: BY_KEY["mt"],
}


@dataclass(frozen=True)
class Location:
    """A shared location."""

    latitude: float
    longitude: float


async def start(store: Store, user: User, now: datetime, _: None = None) -> Response:
    """/start: begin or resume onboarding; for a set-up user, today's dashboard."""
    if user.onboarded:
        dashboard = await today_dashboard(store, user, now)
        review = (Button("🧭 Review my plan", ReviewPlan()),)
        return sent(dashboard.plus("Want to look over your plan, or change it?", (review,)))
    step = user.onboarding_step or STEPS[0]
    user = await store.set_onboarding(user.chat_id, step)
    steps: list[Reply] = []
    if step is not STEPS[0]:
        steps.append(Reply("Welcome back! Let's pick up where we left off."))
    steps.append(_question(user, step))
    return sent(*steps)


async def review_plan(store: Store, user: User, now: datetime, _: ReviewPlan) -> Response:
    """The plan as set up, with where it leads and a way to change it."""
    projection = await projection_summary(store, user, now)
    change = (Button("⚙️ Change something", ShowSettings()),)
    return sent(Reply(plan_review(user, projection), (change,)))


def help_text() -> Response:
    """/help: what the bot can do, with examples."""
    return sent(Reply(HELP_TEXT))


async def onboarding_text(store: Store, user: User, now: datetime, text: str) -> Response:
    """A typed answer to the current onboarding step."""
    step = user.onboarding_step or STEPS[0]
    if step is OnboardingStep.CONTACTS:
        return await _add_warm_contacts(store, user, now, text)
    try:
        if step is OnboardingStep.TIMEZONE:  # the city index may still be loading
            zone = await asyncio.to_thread(parse_timezone, text)
            changes = PreferenceChanges(timezone=zone)
        else:
            changes = _changes_for_text(step, text.strip(), user, now)
    except AmbiguousPlace as ambiguous:
        return sent(city_choices(ambiguous, PickOnboardingCity))
    except InputError as error:
        return sent(Reply(error.message))
    return await _advance(store, user, now, step, changes)


async def shared_location(store: Store, user: User, now: datetime, where: Location) -> Response:
    """A shared location: the answer to the time zone step, otherwise a short note."""
    if user.onboarding_step is not OnboardingStep.TIMEZONE:
        return sent(Reply("Thanks! I use a shared location only to set your time zone in /start."))
    zone = await asyncio.to_thread(timezone_for_location, where.latitude, where.longitude)
    return await _advance(
        store, user, now, OnboardingStep.TIMEZONE, PreferenceChanges(timezone=zone)
    )


async def onboarding_answer(
    store: Store, user: User, now: datetime, given: tuple[OnboardingAnswer, str | None]
) -> Response:
    """A quick-answer button of an onboarding step (with the user's Telegram first name)."""
    answer, telegram_name = given
    if user.onboarding_step is not answer.step:
        raise Refusal(STEP_DONE)
    if answer.step is OnboardingStep.CONTACTS:
        return await _finish(store, user, now)
    changes = NO_CHANGES
    if answer.value != "skip":
        changes = _changes_for_button(answer, telegram_name, user, now)
    chosen = Edit(Reply(_question(user, answer.step).text + f"\n\n<i>{_chosen(answer)}</i>"))
    advanced = await _advance(store, user, now, answer.step, changes)
    return Response((chosen, *advanced.steps))


async def onboarding_city(
    store: Store, user: User, now: datetime, action: PickOnboardingCity
) -> Response:
    """Which of several cities of one name is the user's: its zone, then the next step."""
    if user.onboarding_step is not OnboardingStep.TIMEZONE:
        raise Refusal(STEP_DONE)
    city = await chosen_city(action.city_id)
    chosen = Edit(Reply(f"📍 {esc(city.label)} it is."))
    advanced = await _advance(
        store, user, now, OnboardingStep.TIMEZONE, PreferenceChanges(timezone=city.zone)
    )
    return Response((chosen, *advanced.steps))


def is_onboarding_text(user: User) -> bool:
    """Whether the next plain text answers an onboarding question."""
    return isinstance(user.awaiting, AwaitOnboarding) and user.onboarding_step is not None


def _changes_for_text(
    step: OnboardingStep, text: str, user: User, now: datetime
) -> PreferenceChanges:
    if step is OnboardingStep.NAME:
        return PreferenceChanges(name=clean_contact_name(text))
    preference = STEP_PREFERENCES.get(step)
    if preference is None:
        return NO_CHANGES
    today = local_today(now, user.timezone)
    if step is OnboardingStep.DATE:  # a date is asked for here: "none" is the button's job
        return PreferenceChanges(goal_date=parse_target_date(text, today))
    return PreferenceChanges.of(preference.field, preference.parse(text, today))


def _changes_for_button(
    answer: OnboardingAnswer, telegram_name: str | None, user: User, now: datetime
) -> PreferenceChanges:
    if answer.step is OnboardingStep.NAME:
        return (
            PreferenceChanges(name=clean_contact_name(telegram_name))
            if telegram_name
            else NO_CHANGES
        )
    preference = STEP_PREFERENCES[answer.step]
    today = local_today(now, user.timezone)
    return PreferenceChanges.of(preference.field, preference.parse(answer.value, today))


def _chosen(answer: OnboardingAnswer) -> str:
    """The answer a button gave, said back under the question."""
    step, value = answer.step, answer.value
    if value == "skip":
        return {
            OnboardingStep.DATE: "No end date for now.",
            OnboardingStep.CONTACTS: "Later, then.",
        }.get(step, "Skipped: the default it is.")
    return {
        OnboardingStep.NAME: "Nice to meet you!",
        OnboardingStep.GOAL: f"Goal: {value} coffee chats.",
        OnboardingStep.DATE: f"In {value.removesuffix('m')} months.",
        OnboardingStep.WEEKLY: f"{value} a week.",
        OnboardingStep.QUOTA: f"{value} a day.",
        OnboardingStep.MORNING: f"At {value[:2]}:{value[2:]}.",
    }.get(step, f"{value}.")


async def _advance(
    store: Store, user: User, now: datetime, step: OnboardingStep, changes: PreferenceChanges
) -> Response:
    next_step = STEPS[STEPS.index(step) + 1]
    user = await store.set_onboarding(user.chat_id, next_step, answers=changes)
    steps: list[Reply] = []
    if changes.timezone is not None:
        local = format_local_time(now, user.timezone)
        steps.append(Reply(f"🕐 {zone_label(user.timezone)}: it's {local} there now."))
    steps.append(_question(user, next_step))
    return sent(*steps)


def _question(user: User, step: OnboardingStep) -> Reply:
    """The question of one onboarding step and its quick-answer buttons."""
    hello = f", {esc(user.name)}" if user.name else ""

    def answer(label: str, value: object) -> Button:
        return Button(label, OnboardingAnswer(step, str(value)))

    if step is OnboardingStep.NAME:
        return Reply(
            "Hi, I'm your outreach coach 👋\n"
            "I'll help you turn networking into a few small actions a day: reach out, "
            "follow up, and keep going until the right conversation happens.\n\n"
            "Setting up takes about a minute and every step can be skipped. "
            "First: what should I call you?",
            ((answer("Use my Telegram name", "tg"), answer("Skip", "skip")),),
        )
    if step is OnboardingStep.TIMEZONE:
        return Reply(
            f"Nice to meet you{hello}! Where are you? Send a city (Lisbon), a time zone "
            "(Europe/Berlin), an offset (UTC+2) or share your location, so my messages "
            "arrive in your morning.",
            ((answer(f"Keep {zone_label(user.timezone)}", "skip"),),),
        )
    if step is OnboardingStep.GOAL:
        return Reply(
            "What's your goal? Most people count coffee chats: 50 conversations usually "
            "turn up a few real openings. Pick a number or type your own.",
            (
                (
                    *(answer(str(count), count) for count in (20, 30, 50)),
                    answer(f"Skip ({DEFAULT_GOAL_COUNT})", "skip"),
                ),
            ),
        )
    if step is OnboardingStep.DATE:
        return Reply(
            f"By when would you like to reach {user.goal_count}? "
            "Send a date like 31 March, 2027-03-31 or “in 12 weeks”.",
            (
                (
                    answer("In 3 months", "3m"),
                    answer("In 6 months", "6m"),
                    answer("No date", "skip"),
                ),
            ),
        )
    if step is OnboardingStep.WEEKLY:
        return Reply(
            "How many coffee chats a week feels doable? Two is a steady pace.",
            (tuple(answer(str(count), count) for count in (1, 2, 3, 4, 5)),),
        )
    if step is OnboardingStep.QUOTA:
        return Reply(
            "And how many reach-outs on a working day? Small and daily beats big and rare.",
            (
                (
                    *(answer(str(count), count) for count in (1, 2, 3, 5)),
                    answer("Skip (3)", "skip"),
                ),
            ),
        )
    if step is OnboardingStep.MORNING:
        return Reply(
            f"When should your morning message arrive ({zone_label(user.timezone)} time)? "
            "Pick one or send a time like 07:30.",
            (
                (
                    *(answer(f"{hour:02d}:00", f"{hour:02d}00") for hour in (7, 8, 9)),
                    answer("Skip (08:00)", "skip"),
                ),
            ),
        )
    return Reply(
        "Last step: who are about five warm people you could message this week? Friends, "
        "relatives, former colleagues or managers, teachers: people who'll be glad to hear "
        "from you. They're your practice reps before strangers.\n\n"
        "Send their names, one per line or separated by commas.",
        ((answer("I'll add them later", "skip"),),),
    )


async def _add_warm_contacts(store: Store, user: User, now: datetime, text: str) -> Response:
    raw_names = split_names(text)
    if not raw_names:
        return sent(Reply("Send at least one name, like: Ana, Bob, Priya"))
    names: list[AddArgs] = []
    problems: list[str] = []
    for raw in raw_names[:MAX_CONTACTS_PER_MESSAGE]:
        try:
            names.append(AddArgs(clean_contact_name(raw), Tier.WARM, None))
        except InputError as error:
            problems.append(error.message)
    result = await add_names(store, user, now, names)
    problems += [f"{esc(known.name)} is already on your list." for known in result.known]
    if len(raw_names) > MAX_CONTACTS_PER_MESSAGE:
        problems.append(f"I took the first {MAX_CONTACTS_PER_MESSAGE}; send the rest next.")
    added = [esc(contact.name) for contact in result.added]
    lines = [f"Added {', '.join(added)}. 👥"] if added else []
    lines += problems
    if not lines and not result.questions:
        lines.append("No one new added.")
    lines.append("Send more names, or tap Done when you have your first few.")
    done = Button("Done", OnboardingAnswer(OnboardingStep.CONTACTS, "done"))
    prompt = Reply("\n".join(lines), ((done,),))
    if not added and not problems:  # only names to check: the question first, then the prompt
        return sent(*result.questions, prompt)
    return sent(prompt, *result.questions)


async def _finish(store: Store, user: User, now: datetime) -> Response:
    user = await store.set_onboarding(user.chat_id, None, onboarded_at=now)
    await sync_schedules(store, user, now)
    warm = await store.list_contacts(user.chat_id, Tier.WARM)
    today = Button("📋 Today", ShowToday())
    rows = (
        (
            (
                Button(
                    f"📨 I reached out to {short_name(warm[0].name, 20)}", ReachedOut(warm[0].id)
                ),
            ),
            (today,),
        )
        if warm
        else ((today,),)
    )
    projection = await projection_summary(store, user, now)
    return sent(Reply(plan_summary(user, warm, projection), rows))
