"""/progress end to end: the goal, projection, streak, asks and gives in words, then the chart
as a photo whose caption carries the numbers; and the projection wherever the plan is shown."""

from __future__ import annotations

import struct
from datetime import date, timedelta

from bot.clock import FrozenClock
from bot.coaching.domain import PreferenceChanges
from bot.usecases.progress import projection_summary
from tests.harness import CHAT, BotHarness

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes | None) -> tuple[int, int]:
    """Width and height from a PNG's header."""
    assert data is not None
    assert data.startswith(PNG_SIGNATURE)
    width, height = struct.unpack(">II", data[16:24])
    return width, height


async def test_a_new_user_gets_words_and_a_sensible_empty_chart(bot: BotHarness) -> None:
    summary, chart = await bot.say("/progress")
    assert summary.kind == "text"
    assert "Your progress" in summary.text
    assert "🎯 0 of 50 coffee chats" in summary.text
    assert "50 coffee chats to go: at your planned 2 chats a week" in summary.text
    assert "Meet today's quota to start your streak." in summary.text
    assert "🤝 0 gives · 0 asks." in summary.text
    assert "/start sets it up" in summary.text  # not onboarded yet: the gentle offer
    assert chart.kind == "photo"
    assert png_size(chart.data) == (1000, 600)
    # Issue 12: the bars start with the week the user joined, not ten empty weeks.
    assert "Nothing logged this week yet" in chart.text
    assert "your goal of 2 coffee chats a week" in chart.text


async def test_progress_shows_what_was_done_week_by_week(
    bot: BotHarness, clock: FrozenClock
) -> None:
    for name in ("Ana", "Bob", "Cy", "Dee"):
        await bot.say(f"/add {name}")
    clock.move_to(clock.now() - timedelta(days=7))  # Monday 16 November
    for name in ("Ana", "Bob", "Cy"):
        await bot.say(f"/reach {name} via email advice")
    await bot.say("/reply Ana positive")
    await bot.say("/chat Ana")
    clock.advance(timedelta(days=1))
    for name in ("Ana", "Bob", "Cy"):
        await bot.say(f"/reach {name}")  # follow-ups count toward the quota too
    clock.advance(timedelta(days=6))  # Monday 23 November
    await bot.say("/gave Ana - the article on hiring")
    await bot.say("/reply Bob declined")
    await bot.say("/reach Dee via linkedin help")
    summary, chart = await bot.say("/progress")
    assert "🎯 1 of 50 coffee chats" in summary.text
    assert "🤝 2 gives · 4 asks." in summary.text  # a give and an offer of help
    assert "Boldest ask that got a yes so far: asking for advice." in summary.text
    assert "Meet today's quota to start a new streak. Your best: 2." in summary.text
    assert chart.kind == "photo"
    # Issue 12: from the first week with anything logged; this week is not over, so only the
    # week before counts toward "weeks on goal".
    assert "In the last 2 weeks: 7 outreach, 2 replies and 1 coffee chat." in chart.text
    assert "16 Nov: 6, 1, 1; 23 Nov: 1, 1, 0." in chart.text
    assert "You met your goal of 2 coffee chats a week in 0 of 1 week." in chart.text


async def test_progress_counts_today_in_the_streak_once_the_quota_is_met(bot: BotHarness) -> None:
    await bot.say("/add Ana")
    for _ in range(3):
        await bot.say("/reach Ana")
    summary, _ = await bot.say("/progress")
    assert "🔥 Streak: 1 active day with your quota met, today included!" in summary.text


async def test_the_projection_says_how_late_and_what_would_make_it(bot: BotHarness) -> None:
    now = bot.clock.now()
    await bot.store.ensure_user(CHAT, now)
    await bot.store.update_preferences(
        CHAT, PreferenceChanges(goal_count=30, goal_date=date(2027, 1, 18), weekly_chats=2)
    )
    user = await bot.store.set_onboarding(CHAT, None, onboarded_at=now)
    text = await projection_summary(bot.store, user, now)
    assert (
        "At your planned 2 chats a week you'd reach 30 around 8 March 2027, "
        "about 7 weeks after 18 January 2027." in text
    )
    assert "To make it, aim for 4 coffee chats a week, about 4 reach-outs" in text
    summary, _ = await bot.say("/progress")
    assert text in summary.text
    assert "target Mon 18 Jan 2027" in summary.text


async def test_onboarding_ends_with_the_projection(bot: BotHarness) -> None:
    await bot.say("/start")
    for label in ("Skip", "Keep UTC", "20", "In 3 months", "2", "Skip (3)", "08:00"):
        await bot.press(label)
    [summary] = await bot.press("I'll add them later")
    assert "You're all set" in summary.text
    assert "🧭 You're on track: at your planned 2 chats a week you'll reach 20" in summary.text
