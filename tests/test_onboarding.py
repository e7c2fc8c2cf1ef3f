"""/start onboarding end to end, through the emulator."""

from __future__ import annotations

from datetime import date, time

from bot.coaching.domain import Tier
from tests.harness import CHAT, BotHarness


async def test_full_onboarding_stores_the_plan_and_summarises_it(bot: BotHarness) -> None:
    [welcome] = await bot.say("/start")
    assert "what should I call you" in welcome.text
    await bot.say("Maya")
    [zone_prompt] = bot.emulator.messages(CHAT)[-1:]
    assert "Where are you" in zone_prompt.text
    await bot.say("Australia/Sydney")
    await bot.say("40")
    await bot.say("31 March 2027")
    await bot.press("3")  # coffee chats a week
    await bot.press("2")  # reach-outs a day
    await bot.say("7:30")
    [added] = await bot.say("Ana López\nBob, Priya")
    assert "Added Ana López, Bob, Priya" in added.text
    [summary] = await bot.press("Done")

    assert "You're all set, Maya" in summary.text
    assert "40 coffee chats by Wed 31 Mar 2027" in summary.text
    assert "3 a week" in summary.text
    assert "2 reach-outs a day, Mon–Fri" in summary.text
    assert "07:30 (Australia/Sydney)" in summary.text
    assert "Ana López, Bob, Priya" in summary.text

    user = await bot.store.get_user(CHAT)
    assert user is not None
    assert user.onboarded
    assert (user.name, user.timezone, user.goal_count) == ("Maya", "Australia/Sydney", 40)
    assert user.goal_date == date(2027, 3, 31)
    assert (user.weekly_chats, user.daily_quota, user.morning_time) == (3, 2, time(7, 30))
    contacts = await bot.store.list_contacts(CHAT)
    assert [(c.name, c.tier) for c in contacts] == [
        ("Ana López", Tier.WARM),
        ("Bob", Tier.WARM),
        ("Priya", Tier.WARM),
    ]


async def test_every_step_can_be_skipped_and_defaults_stay(bot: BotHarness) -> None:
    await bot.say("/start")
    await bot.press("Skip")  # name
    await bot.press("Keep UTC")
    await bot.press("Skip (50)")
    await bot.press("No date")
    await bot.press("2")
    await bot.press("Skip (3)")
    await bot.press("Skip (08:00)")
    [summary] = await bot.press("I'll add them later")
    assert "You're all set!" in summary.text
    assert "50 coffee chats (no end date yet)" in summary.text
    user = await bot.store.get_user(CHAT)
    assert user is not None
    assert user.onboarded
    assert (user.name, user.timezone, user.daily_quota, user.goal_date) == (None, "UTC", 3, None)


async def test_city_and_offset_time_zones(bot: BotHarness) -> None:
    await bot.say("/start")
    await bot.say("Sam")
    [confirmed, goal] = await bot.say("Lisbon")
    assert confirmed.text == "🕐 Europe/Lisbon: it's 09:00 there now."
    assert "What's your goal" in goal.text
    user = await bot.store.get_user(CHAT)
    assert user is not None
    assert user.timezone == "Europe/Lisbon"


async def test_bad_answers_get_a_clear_reason_and_the_step_repeats(bot: BotHarness) -> None:
    await bot.say("/start")
    await bot.say("Kim")
    [reply] = await bot.say("Nowhereville")
    assert "Europe/Berlin" in reply.text  # an example of what works
    [confirmed, _] = await bot.say("UTC+2")
    assert confirmed.text == "🕐 UTC+2: it's 11:00 there now."
    [reply] = await bot.say("minus five")
    assert "from 1 to 1000" in reply.text
    await bot.say("30")
    [reply] = await bot.say("31 February 2027")
    user = await bot.store.get_user(CHAT)
    assert user is not None
    assert user.goal_date is None
    assert user.onboarding_step == "date"
    [reply] = await bot.say("2020-01-01")
    assert "already passed" in reply.text
    await bot.say("in 8 weeks")
    user = await bot.store.get_user(CHAT)
    assert user is not None
    assert user.goal_date == date(2027, 1, 18)
    assert user.timezone == "Etc/GMT-2"


async def test_a_restart_mid_onboarding_resumes_at_the_same_step(bot: BotHarness) -> None:
    await bot.say("/start")
    await bot.say("Lea")
    await bot.say("Europe/Berlin")
    await bot.restart()
    [reply] = await bot.say("25")
    assert "By when" in reply.text
    user = await bot.store.get_user(CHAT)
    assert user is not None
    assert (user.name, user.goal_count) == ("Lea", 25)
    replies = await bot.say("/start")
    assert "pick up where we left off" in replies[0].text
    assert "By when" in replies[1].text


async def test_a_command_mid_onboarding_works_and_start_resumes(bot: BotHarness) -> None:
    await bot.say("/start")
    await bot.say("Noor")
    [added] = await bot.say("/add Omar first")
    assert "Added Omar · LinkedIn 1st" in added.text
    assert "/start sets it up" in added.text
    [hint] = await bot.say("Berlin")  # no longer an answer to the time-zone question
    assert "didn't catch that" in hint.text
    replies = await bot.say("/start")
    assert "Where are you" in replies[-1].text


async def test_old_onboarding_buttons_are_refused_kindly(bot: BotHarness) -> None:
    await bot.say("/start")
    await bot.say("Ivy")
    before = await bot.store.get_user(CHAT)
    await bot.press_data("1:ob:name:tg")
    assert bot.emulator.callback_answers[-1].get("text") == "That step is done already."
    assert await bot.store.get_user(CHAT) == before


async def test_start_for_a_set_up_user_shows_today(bot: BotHarness) -> None:
    await bot.say("/start")
    for label in ("Skip", "Keep UTC", "Skip (50)", "No date", "2", "Skip (3)", "Skip (08:00)"):
        await bot.press(label)
    await bot.press("I'll add them later")
    [today] = await bot.say("/start")
    assert today.text.startswith("Today, Mon 23 Nov")
    assert "0 of 3 reach-outs" in today.text


async def test_help_and_the_command_menu(bot: BotHarness) -> None:
    [reply] = await bot.say("/help")
    assert "/reach Ana via linkedin" in reply.text
    commands = bot.emulator.commands
    assert commands is not None
    names = [command["command"] for command in commands]
    for expected in ("start", "help", "add", "contacts", "reach", "reply", "chat", "gave"):
        assert expected in names
    assert "followups" in names
    assert "today" in names
