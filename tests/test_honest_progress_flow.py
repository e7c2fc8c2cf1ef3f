"""Progress that is honest, end to end (issue 12, point 9): the chart and the weeks on goal start
at the week the user joined, the projection says which pace it uses and why a date moved, and
"Replies came from reaching out" only when the numbers show it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.harness import BotHarness
from tests.test_morning_flow import set_up


async def test_day_one_shows_this_week_only(bot: BotHarness) -> None:
    await set_up(bot)
    summary, chart = await bot.say("/progress")
    assert "Nothing logged this week yet." in chart.text
    assert "10 weeks" not in chart.text
    assert "weeks" not in chart.text  # no "0 of 10 weeks" on day one
    assert "at your planned 2 chats a week" in summary.text
    assert "That's your planned pace" not in summary.text  # nothing logged: nothing to explain


async def test_weeks_on_goal_count_from_the_week_the_user_joined(bot: BotHarness) -> None:
    await set_up(bot, weekly_chats=1)
    await bot.say("/add Ana")
    await bot.say("/reach Ana")
    await bot.say("/chat Ana")  # week of 23 Nov: goal met
    bot.clock.advance(timedelta(days=7))
    await bot.say("/reach Ana")  # week of 30 Nov: no chat
    bot.clock.advance(timedelta(days=7))  # this week, 7 Dec, has just begun
    _, chart = await bot.say("/progress")
    assert "In the last 3 weeks: 2 outreach, 0 replies and 1 coffee chat." in chart.text
    assert "You met your goal of 1 coffee chat a week in 1 of 2 weeks." in chart.text
    assert "23 Nov: 1, 0, 1; 30 Nov: 1, 0, 0; 7 Dec: 0, 0, 0." in chart.text
    await bot.say("/chat Ana")  # this week's goal met: now it counts
    _, chart = await bot.say("/progress")
    assert "in 2 of 3 weeks." in chart.text


async def test_the_projection_says_which_pace_it_uses(bot: BotHarness) -> None:
    await set_up(bot, goal_count=30, weekly_chats=2, stall_days=60)
    for name in ("Ana", "Bea", "Cy", "Dee"):
        await bot.say(f"/add {name}")
    for week in range(5):
        for name in ("Ana", "Bea", "Cy"):
            await bot.say(f"/reach {name}")
        if week in (0, 2):
            await bot.say("/chat Dee")
        if week == 1:
            summary, _ = await bot.say("/progress")
            assert "at your planned 2 chats a week" in summary.text
            assert (
                "(That's your planned pace for now: your real one takes over after 3 weeks "
                "and 10 reach-outs.)" in summary.text
            )
        bot.clock.advance(timedelta(days=7))
    summary, _ = await bot.say("/progress")
    assert (
        "28 coffee chats to go: at your recent pace of about 0.2 chats a week you'll get there "
        "around 19 February 2029. (That's your real pace over the last 4 weeks; your plan says "
        "2 coffee chats a week. At the planned pace it would be 5 April 2027: that's why it "
        "moved.)" in summary.text
    )


async def review(bot: BotHarness) -> str:
    bot.clock.move_to(datetime(2026, 11, 29, 18, 0, tzinfo=UTC))
    await bot.tick()
    return bot.last().text


async def test_replies_are_credited_to_reaching_out_only_when_they_answered_one(
    bot: BotHarness,
) -> None:
    await set_up(bot, stall_days=60)
    await bot.say("/add Ana")
    await bot.say("/add Bea")
    await bot.say("/reach Ana")
    await bot.say("/reply Bea positive")  # Bea was never reached in the log
    text = await review(bot)
    assert "📨 1 reach-out · 💬 1 reply · ☕ 0 coffee chats · 🎁 0 gives" in text
    assert "Replies came from reaching out" not in text
    assert "Replies came in this week." in text


async def test_a_reply_to_an_outreach_is_credited(bot: BotHarness) -> None:
    await set_up(bot, stall_days=60)
    await bot.say("/add Ana")
    await bot.say("/reach Ana")
    bot.clock.advance(timedelta(days=2))
    await bot.say("/reply Ana later")
    text = await review(bot)
    assert "Replies came from reaching out: keep that rhythm." in text
