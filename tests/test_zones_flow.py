"""Time zones from cities, end to end: Porto is Lisbon time, and Portland or Cambridge ask
which one with buttons, in onboarding and in /settings."""

from __future__ import annotations

import json

from tests.harness import CHAT, BotHarness
from tests.test_scheduling import set_up_user


async def _exported_zone(bot: BotHarness) -> str:
    before = len(bot.emulator.messages(CHAT))
    await bot.say("/export")
    json_file = bot.emulator.messages(CHAT)[before]
    assert json_file.data is not None
    return str(json.loads(json_file.data)["user"]["timezone"])


async def test_porto_is_lisbon_time(bot: BotHarness) -> None:
    await bot.say("/start")
    await bot.say("Maria")
    [confirmed, goal] = await bot.say("Porto")
    assert confirmed.text == "🕐 Europe/Lisbon: it's 09:00 there now."
    assert "What's your goal" in goal.text
    assert await _exported_zone(bot) == "Europe/Lisbon"


async def test_portland_asks_which_one_in_onboarding(bot: BotHarness) -> None:
    await bot.say("/start")
    await bot.say("Sam")
    [question] = await bot.say("Portland")
    assert question.text.startswith("There's more than one Portland. Which one is yours?")
    labels = [button.text for row in question.buttons for button in row]
    assert labels == ["📍 Portland, Oregon", "📍 Portland, Maine"]
    user = await bot.store.get_user(CHAT)
    assert user is not None
    assert user.timezone == "UTC"  # nothing stored before the choice
    [confirmed, goal] = await bot.press("📍 Portland, Maine")
    assert bot.emulator.messages(CHAT)[-3].text == "📍 Portland, Maine it is."  # the question
    assert confirmed.text == "🕐 America/New_York: it's 04:00 there now."
    assert "What's your goal" in goal.text
    oregon = question.buttons[0][0].callback_data
    assert oregon is not None
    update = bot.emulator.press(CHAT, question.message_id, oregon)  # once the step is done
    await bot.emulator.wait_processed(update)
    assert bot.emulator.callback_answers[-1].get("text") == "That step is done already."
    assert await _exported_zone(bot) == "America/New_York"


async def test_typing_the_state_instead_of_tapping_works_too(bot: BotHarness) -> None:
    await bot.say("/start")
    await bot.say("Sam")
    await bot.say("Portland")
    [confirmed, _] = await bot.say("Portland, OR")
    assert confirmed.text == "🕐 America/Los_Angeles: it's 01:00 there now."


async def test_cambridge_asks_which_one_in_settings(bot: BotHarness) -> None:
    await set_up_user(bot, CHAT, "UTC")
    await bot.say("/settings")
    await bot.press("🕐 Time zone")
    [question] = await bot.say("Cambridge")
    labels = [button.text for row in question.buttons for button in row]
    assert labels == [
        "📍 Cambridge, United Kingdom",
        "📍 Cambridge, Canada",
        "📍 Cambridge, Massachusetts",
        "📍 Cambridge, New Zealand",
        "◀ All settings",
    ]
    await bot.press("📍 Cambridge, Massachusetts")
    saved = bot.last()
    assert saved.message_id == question.message_id  # the question became the answer
    assert saved.text.startswith("📍 Cambridge, Massachusetts.\n✅ 🕐 Time zone: America/New_York.")
    assert "It's 04:00 there now." in saved.text
    assert bot.emulator.callback_answers[-1].get("text") == "Saved ✅"
    [hint] = await bot.say("Cambridge")  # the question was answered: plain text again
    assert "didn't catch that" in hint.text
    assert await _exported_zone(bot) == "America/New_York"
