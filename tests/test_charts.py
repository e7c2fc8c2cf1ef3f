"""The weekly numbers, the progress chart (a PNG of the right size) and its caption."""

from __future__ import annotations

import io
import multiprocessing
import struct
from datetime import UTC, date, datetime, timedelta

import pytest
from PIL import Image

from bot.coaching.domain import Interaction, Kind
from bot.messages.charts import (
    CHART_HEIGHT_PX,
    CHART_WIDTH_PX,
    WeekNumbers,
    chart_caption,
    progress_chart,
    week_label,
    weekly_numbers,
)
from bot.usecases.chart_worker import ChartWorker

TODAY = date(2026, 11, 25)  # a Wednesday; its week starts on Monday 23 November
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def logged(kind: Kind, at: datetime) -> Interaction:
    return Interaction(
        id=1, chat_id=1, contact_id=1, kind=kind, channel=None, ask=None, note=None, at=at
    )


def weeks_of(*numbers: tuple[int, int, int], last: date = date(2026, 11, 23)) -> list[WeekNumbers]:
    """Weeks ending with the week of `last`, from (outreach, replies, chats) triples."""
    first = last - timedelta(weeks=len(numbers) - 1)
    return [
        WeekNumbers(first + timedelta(weeks=index), *triple) for index, triple in enumerate(numbers)
    ]


SAMPLE = weeks_of(
    (0, 0, 0), (3, 1, 0), (12, 2, 1), (15, 4, 2), (9, 3, 2), (0, 0, 1), (6, 1, 0), (10, 3, 2)
)
EMPTY = weeks_of(*[(0, 0, 0)] * 10)


# --- the weekly numbers ----------------------------------------------------------------


def test_weekly_numbers_count_each_kind_in_its_week() -> None:
    log = [
        logged(Kind.OUTREACH, datetime(2026, 11, 23, 9, tzinfo=UTC)),  # Monday
        logged(Kind.FOLLOW_UP, datetime(2026, 11, 24, 9, tzinfo=UTC)),  # counts as outreach
        logged(Kind.REPLY_POSITIVE, datetime(2026, 11, 25, 9, tzinfo=UTC)),
        logged(Kind.REPLY_DECLINED, datetime(2026, 11, 22, 23, 59, tzinfo=UTC)),  # Sunday before
        logged(Kind.REPLY_LATER, datetime(2026, 11, 16, 0, 0, tzinfo=UTC)),
        logged(Kind.COFFEE_CHAT, datetime(2026, 11, 17, 12, tzinfo=UTC)),
        logged(Kind.GAVE, datetime(2026, 11, 23, 12, tzinfo=UTC)),  # not on the chart
        logged(Kind.OUTREACH, datetime(2026, 11, 8, 12, tzinfo=UTC)),  # before the 2 weeks
    ]
    assert weekly_numbers(log, "UTC", TODAY, weeks=2) == [
        WeekNumbers(date(2026, 11, 16), outreach=0, replies=2, chats=1),
        WeekNumbers(date(2026, 11, 23), outreach=2, replies=1, chats=0),
    ]


def test_weekly_numbers_without_a_log() -> None:
    weeks = weekly_numbers([], "UTC", TODAY)
    assert len(weeks) == 10
    assert weeks[0].week_start == date(2026, 9, 21)
    assert weeks[-1].week_start == date(2026, 11, 23)
    assert all(week.empty for week in weeks)
    assert all(week.week_start.weekday() == 0 for week in weeks)


def test_weekly_numbers_refuse_zero_weeks() -> None:
    with pytest.raises(ValueError, match="at least one week"):
        weekly_numbers([], "UTC", TODAY, weeks=0)


@pytest.mark.parametrize(
    ("tz", "at", "today", "week"),
    [
        # London, the night the clocks go forward (29 March 2026, a Sunday).
        ("Europe/London", datetime(2026, 3, 29, 22, 59, tzinfo=UTC), date(2026, 4, 1), 0),
        ("Europe/London", datetime(2026, 3, 29, 23, 0, tzinfo=UTC), date(2026, 4, 1), 1),
        # ... and back (25 October 2026, a Sunday of 25 hours).
        ("Europe/London", datetime(2026, 10, 25, 23, 59, tzinfo=UTC), date(2026, 10, 28), 0),
        ("Europe/London", datetime(2026, 10, 26, 0, 0, tzinfo=UTC), date(2026, 10, 28), 1),
        # Sydney leaves daylight saving on Sunday 5 April 2026: Monday begins at 14:00 UTC.
        ("Australia/Sydney", datetime(2026, 4, 5, 13, 59, tzinfo=UTC), date(2026, 4, 8), 0),
        ("Australia/Sydney", datetime(2026, 4, 5, 14, 0, tzinfo=UTC), date(2026, 4, 8), 1),
        # ... and enters it on Sunday 4 October 2026: Monday begins at 13:00 UTC.
        ("Australia/Sydney", datetime(2026, 10, 4, 12, 59, tzinfo=UTC), date(2026, 10, 7), 0),
        ("Australia/Sydney", datetime(2026, 10, 4, 13, 0, tzinfo=UTC), date(2026, 10, 7), 1),
    ],
)
def test_weeks_start_on_local_mondays_across_clock_changes(
    tz: str, at: datetime, today: date, week: int
) -> None:
    weeks = weekly_numbers([logged(Kind.OUTREACH, at)], tz, today, weeks=2)
    assert [w.outreach for w in weeks] == [1 - week, week]


def test_week_label() -> None:
    assert week_label(date(2026, 11, 17)) == "17 Nov"
    assert week_label(date(2027, 1, 4)) == "4 Jan"


# --- the chart -------------------------------------------------------------------------


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, which always comes first."""
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.fixture(scope="module")
def sample_chart() -> bytes:
    """The sample weeks drawn once (the first drawing also imports matplotlib)."""
    return progress_chart(SAMPLE, 2)


def test_chart_is_a_png_of_the_phone_friendly_size(sample_chart: bytes) -> None:
    assert png_size(sample_chart) == (CHART_WIDTH_PX, CHART_HEIGHT_PX) == (1000, 600)
    with Image.open(io.BytesIO(sample_chart)) as image:
        image.verify()
    with Image.open(io.BytesIO(sample_chart)) as image:
        assert image.format == "PNG"
        assert image.size == (1000, 600)


def test_chart_changes_with_the_data(sample_chart: bytes) -> None:
    more_chats = [*SAMPLE[:-1], WeekNumbers(SAMPLE[-1].week_start, 10, 3, 5)]
    assert progress_chart(more_chats, 2) != sample_chart
    assert progress_chart(SAMPLE, 4) != sample_chart


@pytest.mark.parametrize("weeks", [EMPTY, [], SAMPLE[-1:]], ids=["no data", "no weeks", "one"])
def test_chart_without_data(weeks: list[WeekNumbers]) -> None:
    assert png_size(progress_chart(weeks, 2)) == (1000, 600)


def test_chart_shows_at_most_twelve_weeks(sample_chart: bytes) -> None:
    # Weeks before the last twelve are left off: adding older weeks changes nothing.
    twelve = weeks_of(*[(week, 1, 1) for week in range(12)])
    older = weeks_of(*[(99, 99, 99)] * 3, last=twelve[0].week_start - timedelta(weeks=1))
    assert progress_chart(older + twelve, 2) == progress_chart(twelve, 2)


# --- the caption -----------------------------------------------------------------------


def test_caption_in_words() -> None:
    assert chart_caption(SAMPLE, 2) == (
        "In the last 8 weeks: 55 outreach, 14 replies and 8 coffee chats. "
        "You met your goal of 2 coffee chats a week in 3 of 8 weeks.\n"
        "Week by week (outreach, replies, chats): 5 Oct: 0, 0, 0; 12 Oct: 3, 1, 0; "
        "19 Oct: 12, 2, 1; 26 Oct: 15, 4, 2; 2 Nov: 9, 3, 2; 9 Nov: 0, 0, 1; "
        "16 Nov: 6, 1, 0; 23 Nov: 10, 3, 2."
    )


@pytest.mark.parametrize(
    ("weeks", "goal", "expected"),
    [
        (
            EMPTY,
            2,
            "Nothing logged in the last 10 weeks yet. Your bars start with your first week; "
            "the dashed line marks your goal of 2 coffee chats a week.",
        ),
        (
            [],
            1,
            "Nothing logged this week yet. Your bars start with your first week; "
            "the dashed line marks your goal of 1 coffee chat a week.",
        ),
        (
            weeks_of((1, 1, 1)),
            0,
            "This week: 1 outreach, 1 reply and 1 coffee chat.\n"
            "Week by week (outreach, replies, chats): 23 Nov: 1, 1, 1.",
        ),
    ],
)
def test_caption_edge_cases(weeks: list[WeekNumbers], goal: int, expected: str) -> None:
    assert chart_caption(weeks, goal) == expected


def test_caption_fits_a_telegram_photo_caption() -> None:
    busy = weeks_of(*[(999, 999, 999)] * 30)
    caption = chart_caption(busy, 99)
    assert "last 12 weeks" in caption
    assert len(caption) <= 1024


async def test_the_chart_worker_draws_the_same_chart_and_survives_being_killed() -> None:
    others = set(multiprocessing.active_children())
    worker = ChartWorker()
    drawn = await worker.draw(SAMPLE, 2)
    assert drawn == progress_chart(SAMPLE, 2)  # the same bytes as drawn in the bot's process
    [process] = set(multiprocessing.active_children()) - others
    process.kill()
    process.join()
    assert await worker.draw(SAMPLE, 2) == drawn  # a new worker took over
    [replacement] = set(multiprocessing.active_children()) - others
    assert replacement.pid != process.pid
