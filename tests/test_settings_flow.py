"""/settings end to end: every setting changes in two or three taps, and the effect shows."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from bot.coaching.preferences import PREFERENCES
from tests.harness import CHAT, BotHarness
from tests.test_scheduling import set_up_user


async def test_the_menu_lists_every_setting_with_its_value(bot: BotHarness) -> None:
    [menu] = await bot.say("/settings")
    for preference in PREFERENCES:
        assert preference.label in menu.text
    assert "📨 Reach-outs a day: 3" in menu.text
    assert "🌿 Rest days: Sat, Sun" in menu.text
    assert "🌙 Evening check-in: off" in menu.text


async def test_a_quick_choice_saves_and_shows_the_plan(bot: BotHarness) -> None:
    await bot.say("/settings")
    await bot.press("📨 Reach-outs a day")
    assert "Reach-outs a day</b>: 3 now." in bot.last().html
    await bot.press("5")
    assert "✅ 📨 Reach-outs a day: 5." in bot.last().text
    assert "Your plan: 5 reach-outs a day (Mon–Fri)" in bot.last().text
    user = await bot.store.get_user(CHAT)
    assert user is not None
    assert user.daily_quota == 5
    await bot.press("All settings")
    assert "📨 Reach-outs a day: 5" in bot.last().text


async def test_a_typed_value_saves_and_a_bad_one_explains(bot: BotHarness) -> None:
    await bot.say("/settings")
    await bot.press("🎯 Goal")
    [refused] = await bot.say("a million")
    assert "from 1 to 1000" in refused.text
    [saved] = await bot.say("80")
    assert "✅ 🎯 Goal (coffee chats): 80." in saved.text
    [hint] = await bot.say("81")  # the question was answered: this is plain text again
    assert "didn't catch that" in hint.text
    user = await bot.store.get_user(CHAT)
    assert user is not None
    assert user.goal_count == 80


async def test_changing_the_morning_time_moves_the_next_morning_message(
    bot: BotHarness,
) -> None:
    await set_up_user(bot, CHAT, "Europe/Lisbon")
    await bot.say("/settings")
    await bot.press("⏰ Morning message")
    await bot.press("07:00")
    assert "next morning message Tue 24 Nov, 07:00" in bot.last().text
    schedules = await bot.store.schedules_of(CHAT)
    assert schedules["morning"] == datetime(2026, 11, 24, 7, 0, tzinfo=UTC)


async def test_time_zone_evening_and_review(bot: BotHarness) -> None:
    await set_up_user(bot, CHAT, "UTC")
    await bot.say("/settings")
    await bot.press("🕐 Time zone")
    [saved] = await bot.say("Sydney")
    assert "Australia/Sydney" in saved.text
    assert "It's 20:00 there now." in saved.text
    await bot.press("All settings")
    await bot.press("🌙 Evening check-in")
    await bot.press("19:00")
    await bot.press("All settings")
    await bot.press("🗓 Weekly review day")
    await bot.press("Fri")
    user = await bot.store.get_user(CHAT)
    assert user is not None
    assert (user.timezone, user.evening_time, user.review_day) == (
        "Australia/Sydney",
        time(19, 0),
        4,
    )
    schedules = await bot.store.schedules_of(CHAT)
    # It is 20:00 in Sydney: today's 19:00 has passed, so the first one is tomorrow's.
    assert schedules["evening"] == datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


async def test_rest_days_toggle_in_place(bot: BotHarness) -> None:
    await bot.say("/settings")
    await bot.press("🌿 Rest days")
    await bot.press("✓ Sat")
    await bot.press("Wed")
    assert "✓ Wed" in [b.text for row in bot.last().buttons for b in row]
    user = await bot.store.get_user(CHAT)
    assert user is not None
    assert user.rest_days == (2, 6)


async def test_goal_date_and_cadence(bot: BotHarness) -> None:
    await bot.say("/settings")
    await bot.press("📅 Goal date")
    await bot.press("In 6 months")
    assert (  # the effect of the change: the projection against the new date
        "You're on track: at your planned 2 chats a week you'll reach 50 around 17 May 2027, "
        "in time for 23 May 2027." in bot.last().text
    )
    await bot.press("All settings")
    await bot.press("🔁 Follow-up cadence")
    await bot.say("2 4 8 16")
    user = await bot.store.get_user(CHAT)
    assert user is not None
    assert user.goal_date == date(2027, 5, 23)
    assert user.follow_up_days == (2, 4, 8, 16)
    await bot.say("/add Ana")
    [logged] = await bot.say("/reach Ana")
    assert "follow up on Wed 25 Nov" in logged.text


async def test_a_command_abandons_the_setting_being_edited(bot: BotHarness) -> None:
    await bot.say("/settings")
    await bot.press("📨 Reach-outs a day")
    await bot.say("/today")
    [hint] = await bot.say("7")
    assert "didn't catch that" in hint.text
    user = await bot.store.get_user(CHAT)
    assert user is not None
    assert user.daily_quota == 3


async def test_fear_prompt_frequency_is_a_setting(bot: BotHarness) -> None:
    await bot.say("/settings")
    await bot.press("🫣 Fear prompts")
    await bot.press("Never")
    assert "✅ 🫣 Fear prompts in the morning: never." in bot.last().text
    user = await bot.store.get_user(CHAT)
    assert user is not None
    assert user.fear_prompts == "never"
