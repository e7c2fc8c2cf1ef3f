"""/progress, and the habit pieces other messages carry: the projection, the streak, milestone
notes, the asks-ladder tip, the give suggestion and the keep-the-pace line."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial

from bot.coaching.dates import is_rest_day, local_today
from bot.coaching.domain import Ask, Interaction, Stage, User
from bot.coaching.ladder import (
    current_rung,
    gives_vs_asks,
    next_rung_suggestion,
    rung_suggestion_text,
)
from bot.coaching.progress import (
    answered_asks,
    chats_done,
    hot_opportunities,
    user_projection,
    user_streak,
)
from bot.coaching.projection import Projection, pace_note, projection_text
from bot.coaching.streaks import Streak, new_milestones
from bot.coaching.text import shorten
from bot.coaching.timing import week_key
from bot.messages.charts import (
    CAPTION_LIMIT,
    WeekNumbers,
    chart_caption,
    weekly_numbers,
)
from bot.messages.common import with_setup_hint
from bot.messages.progress import (
    gives_and_asks_text,
    progress_text,
    rung_text,
    streak_text,
)
from bot.usecases.chart_worker import CHART_WORKER
from bot.usecases.replies import (
    AppButton,
    AppScreen,
    LatePhoto,
    Photo,
    Reply,
    Response,
    sent,
)
from storage import Store

# Sent-log kinds of the notes that go out once (milestones) or at most weekly (the ladder tip).
MILESTONE = "milestone"
LADDER_TIP = "ladder"
OPEN_PROGRESS_APP = "📈 Twelve weeks at a glance"


@dataclass(frozen=True)
class ProgressNumbers:
    """What /progress and the Mini App's progress screen show, read from the log once."""

    today: date  # the user's local date
    since: date  # the first local day: sign-up, or the first thing logged if earlier
    log: tuple[Interaction, ...]
    chats_done: int
    projection: Projection
    streak: Streak
    rest_day: bool
    gives: int
    asks: int
    rung: Ask | None  # the boldest ask that got a yes
    open_opportunities: int
    hot_opportunities: int

    def weeks(self, count: int, tz: str) -> list[WeekNumbers]:
        """The last `count` weeks in numbers, none before the first day."""
        return weekly_numbers(self.log, tz, self.today, count, since=self.since)


async def progress_numbers(store: Store, user: User, now: datetime) -> ProgressNumbers:
    """The goal, projection, streak, asks and gives and the pipeline, from the whole log."""
    today = local_today(now, user.timezone)
    log = tuple(await store.interactions_of(user.chat_id))
    opportunities = [item for item, _ in await store.list_opportunities(user.chat_id)]
    gives, asks = gives_vs_asks(log)
    return ProgressNumbers(
        today=today,
        since=first_day(user, log),
        log=log,
        chats_done=chats_done(log),
        projection=user_projection(user, log, today),
        streak=user_streak(user, log, today),
        rest_day=is_rest_day(today, user.rest_days),
        gives=gives,
        asks=asks,
        rung=current_rung(answered_asks(log)),
        open_opportunities=sum(1 for item in opportunities if item.stage is not Stage.CLOSED),
        hot_opportunities=len(hot_opportunities(opportunities)),
    )


async def show_progress(store: Store, user: User, now: datetime, _: None = None) -> Response:
    """/progress: the goal, projection, streak, asks and gives in words, then the chart."""
    numbers = await progress_numbers(store, user, now)
    text = progress_text(
        user,
        numbers.chats_done,
        projection_words(numbers.projection),
        streak_text(numbers.streak, rest_day=numbers.rest_day),
        gives_and_asks_text(numbers.gives, numbers.asks),
        rung_text(numbers.rung),
        numbers.open_opportunities,
        numbers.hot_opportunities,
    )
    rows = ((AppButton(OPEN_PROGRESS_APP, AppScreen.PROGRESS),),)
    chart = LatePhoto(partial(weekly_chart, numbers.log, user, numbers.today))
    return sent(Reply(with_setup_hint(user, text), rows), chart)


def first_day(user: User, log: Sequence[Interaction]) -> date:
    """The user's first local day: the week they joined starts the charts (or the week of the
    first thing they logged, if earlier)."""
    return local_today(min([user.created_at, *(item.at for item in log[:1])]), user.timezone)


async def projection_summary(store: Store, user: User, now: datetime) -> str:
    """Where the goal stands in one or two sentences (HTML-safe), for /settings and the rest."""
    today = local_today(now, user.timezone)
    log = await store.interactions_of(user.chat_id)
    return projection_words(user_projection(user, log, today))


def projection_words(projection: Projection) -> str:
    """The projection in words, with which pace it uses once there is some history."""
    note = pace_note(projection)
    text = projection_text(projection)
    return f"{text} {note}" if note else text


async def weekly_chart(log: Sequence[Interaction], user: User, today: date) -> Photo:
    """The chart of the last weeks up to `today` from the user's log, drawn in the chart
    worker process, with its caption."""
    weeks = weekly_numbers(log, user.timezone, today, since=first_day(user, log))
    png = await CHART_WORKER.draw(weeks, user.weekly_chats)
    return Photo(png, shorten(chart_caption(weeks, user.weekly_chats), CAPTION_LIMIT))


async def milestone_note(store: Store, user: User, chats: int, now: datetime) -> str | None:
    """The note for a milestone the chat count just reached, each one sent once ever."""
    notes = [
        milestone.note
        for milestone in new_milestones(chats - 1, chats, user.goal_count)
        if await store.claim_message(user.chat_id, MILESTONE, milestone.key, now)
    ]
    return "\n".join(notes) or None


async def ladder_tip(store: Store, user: User, now: datetime) -> str | None:
    """After a yes: the next rung of the asks ladder, when it is time, at most once a week."""
    log = await store.interactions_of(user.chat_id)
    last = await store.last_claimed_at(user.chat_id, LADDER_TIP)
    rung = next_rung_suggestion(answered_asks(log), last, now)
    if rung is None:
        return None
    week = week_key(local_today(now, user.timezone))
    if not await store.claim_message(user.chat_id, LADDER_TIP, week, now):
        return None
    return rung_suggestion_text(rung)
