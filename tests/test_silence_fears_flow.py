"""Fears about silence can be tested, end to end (issue 12, point 8): letting a follow-up rest,
or its last attempt going unanswered, asks "No answer: did what you feared happen?"; /fears
records an outcome by hand."""

from __future__ import annotations

from datetime import timedelta

from bot.coaching.domain import FearOutcome
from tests.harness import CHAT, BotHarness
from tests.test_morning_flow import export, labels, morning, set_up

SILENCE_QUESTION = "🫣 No answer from Helen: did what you feared happen?"


async def fear_about_helen(bot: BotHarness) -> None:
    await bot.say("/add Helen")
    await bot.say("/fear Helen will just ignore me")
    await bot.press("4")
    await bot.press("👤 Helen")


async def test_letting_a_follow_up_rest_asks_whether_the_fear_came_true(bot: BotHarness) -> None:
    await set_up(bot, stall_days=60)
    await fear_about_helen(bot)
    await bot.say("/reach Helen")
    bot.clock.advance(timedelta(days=3))
    await bot.say("/followups")
    [rested] = await bot.press("🌙")
    assert "Letting <b>Helen</b> rest until" in rested.html
    assert SILENCE_QUESTION in rested.text
    assert "you feared “Helen will just ignore me” (4/5)" in rested.text
    assert labels(rested) == ["Yes", "Partly", "No", "Skip"]
    [outcome] = await bot.press("Yes")
    assert outcome.text.startswith("It happened. No answer after a few tries is usually timing")
    await bot.press("2")
    assert "1 fear tested: 0 didn't happen, 0 partly, 1 came true." in bot.last().text
    [fear] = (await export(bot))["fears"]
    assert (fear["outcome"], fear["strength_after"], fear["contact"]) == ("yes", 2, "Helen")


async def test_resting_from_the_morning_message_asks_too(bot: BotHarness) -> None:
    await set_up(bot, stall_days=60)
    await fear_about_helen(bot)
    await bot.say("/reach Helen")
    thursday = await morning(bot, 11, 26)
    assert "• Helen (follow-up 1 of 3)" in thursday.text
    await bot.press("⋯")
    [rested] = await bot.press("🌙 Rest")
    assert SILENCE_QUESTION in rested.text
    assert "• Helen: 🌙 resting" in bot.emulator.messages(CHAT)[-2].text
    await bot.press("No")
    [fear] = await bot.store.fears_of(CHAT)
    assert fear.outcome is FearOutcome.NO


async def test_the_last_attempt_going_unanswered_asks_once(bot: BotHarness) -> None:
    await set_up(bot, stall_days=60, follow_up_days=(3,), fear_prompts="some")
    await fear_about_helen(bot)
    await bot.say("/reach Helen")  # Monday 23
    bot.clock.advance(timedelta(days=3))
    await bot.say("/followups")
    [last] = await bot.press("✅ Helen")  # the one and only follow-up, on Thursday
    assert "That was your last planned follow-up." in last.text
    for month, day in ((11, 27), (11, 30), (12, 1), (12, 2), (12, 3)):  # not a full week yet
        assert "No answer from Helen" not in (await morning(bot, month, day)).text
    asked = await morning(bot, 12, 4)  # the first morning a week after the last attempt
    assert SILENCE_QUESTION in asked.text
    assert labels(asked)[-4:] == ["Yes", "Partly", "No", "Skip"]
    await bot.press("Skip")
    assert SILENCE_QUESTION in bot.last().text  # the rest of the message stays
    assert "Skip" not in labels(bot.last())
    for day in (7, 8, 9):
        assert "No answer from Helen" not in (await morning(bot, 12, day)).text
    [journal] = await bot.say("/fears")
    assert "“Helen will just ignore me” (4/5) · Helen" in journal.text  # still waiting


async def test_fears_records_an_outcome_by_hand(bot: BotHarness) -> None:
    await set_up(bot, stall_days=60)
    await bot.say("/fear I'll freeze on calls")
    await bot.press("3")
    await bot.press("📓 Journal only")
    [journal] = await bot.say("/fears")
    assert "🧪 Test “I'll freeze on calls”" in labels(journal)
    [question] = await bot.press("🧪 Test “I'll freeze on calls”")
    assert question.text == "🫣 You feared “I'll freeze on calls” (3/5). Did it happen?"
    [outcome] = await bot.press("No")
    assert outcome.text.startswith("It didn't happen. Worth noting")
    await bot.press("Skip")
    [journal] = await bot.say("/fears")
    assert "1 fear tested: 1 didn't happen, 0 partly, 0 came true." in journal.text
    assert not any(label.startswith("🧪") for label in labels(journal))
    [fear] = (await export(bot))["fears"]
    assert fear["outcome"] == "no"
