"""Issue 12, point 3: nothing the user said is dropped or twisted. A reply keeps its note, a
follow-up goes by the channel of the outreach it follows, a note keeps the words as typed, and
"maybe after xmas" is planned for after Christmas."""

from __future__ import annotations

from datetime import timedelta

from tests.exports import exported
from tests.harness import BotHarness


async def test_a_reply_keeps_its_note(bot: BotHarness) -> None:
    await bot.say("/add Rui, Ana")
    [summary] = await bot.say("Rui replied, he's up for coffee on friday")
    assert "📝 he's up for coffee on friday" in summary.text
    await bot.press("✅ Save")
    assert "📝 he's up for coffee on friday" in bot.last().text.splitlines()  # its own line
    [reply] = await bot.say("/reply Ana declined - not hiring juniors this year")
    assert "📝 not hiring juniors this year" in reply.text
    notes = [(item["contact"], item["note"]) for item in (await exported(bot))["interactions"]]
    assert notes == [
        ("Rui", "he's up for coffee on friday"),
        ("Ana", "not hiring juniors this year"),
    ]


async def test_a_follow_up_goes_by_the_channel_of_its_outreach(bot: BotHarness) -> None:
    await bot.say("/add Ana, Bob")
    await bot.say("/reach Ana via linkedin")
    await bot.press("Skip")
    await bot.say("/reach Bob via email")
    bot.clock.advance(timedelta(days=3))
    await bot.say("followed up with Ana")
    await bot.press("✅ Save")
    assert "Logged follow-up 1 of 3 with Ana (LinkedIn)" in bot.last().text
    [logged] = await bot.say("/reach Bob")
    assert "Logged follow-up 1 of 3 with Bob (email)" in logged.text
    [new] = await bot.say("/reach Cy")  # someone new, no channel said: a message
    await bot.press("Add Cy")
    assert "Logged: message to Cy" in bot.last().text
    channels = [
        (item["contact"], item["channel"]) for item in (await exported(bot))["interactions"]
    ]
    assert channels == [
        ("Ana", "linkedin"),
        ("Bob", "email"),
        ("Ana", "linkedin"),
        ("Bob", "email"),
        ("Cy", "message"),
    ]
    assert "don't have" in new.text


async def test_a_note_keeps_the_words_as_typed(bot: BotHarness) -> None:
    await bot.say("/add Helen")
    [summary] = await bot.say("messaged Helen, asked to chat to someone in their design team")
    assert "📝 asked to chat to someone in their design team" in summary.text
    await bot.press("✅ Save")
    [entry] = (await exported(bot))["interactions"]
    assert (entry["ask"], entry["note"]) == (
        "coffee",
        "asked to chat to someone in their design team",
    )
    await bot.say("/contacts")
    await bot.press("Helen")
    assert "asked to chat to someone in their design team" in bot.last().text


async def test_maybe_after_xmas_is_planned_for_after_christmas(bot: BotHarness) -> None:
    await bot.say("/add Marta, Rui")
    await bot.say("/reach Marta")
    await bot.press("Skip")
    await bot.say("/reach Rui")
    bot.clock.advance(timedelta(days=11))  # Friday 4 December: two weeks on is 18 December
    await bot.say("Marta said maybe after xmas")
    await bot.press("✅ Save")
    assert "I'll remind you to check back on Thu 7 Jan." in bot.last().text
    [reply] = await bot.say("/reply Rui later - try me again in two weeks")
    assert "check back on Fri 18 Dec" in reply.text
    follow_ups = (await exported(bot))["follow_ups"]
    open_ones = [
        (item["contact"], item["due_at"]) for item in follow_ups if item["status"] == "open"
    ]
    assert open_ones == [("Marta", "2027-01-07T09:00:00Z"), ("Rui", "2026-12-18T09:00:00Z")]
