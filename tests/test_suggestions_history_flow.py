"""Suggestions and follow-ups that respect the user's own history, end to end (issue 12, point
7): no one who said no lately, is parked or resting; no follow-up on a rest day and no quota on
one; and after a yes, a follow-up to book the chat."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.coaching.domain import FollowUpReason, FollowUpStatus
from tests.harness import CHAT, BotHarness
from tests.test_morning_flow import export, labels, morning, set_up


def suggested(text: str) -> list[str]:
    """The names under "Who to reach next" on /today."""
    if "Who to reach next:" not in text:
        return []
    lines = text.split("Who to reach next:")[1].strip().splitlines()
    return [line.removeprefix("• ").split(" · ")[0] for line in lines if line.startswith("• ")]


async def test_no_one_who_said_no_is_parked_or_resting_is_suggested(bot: BotHarness) -> None:
    await set_up(bot, stall_days=60, follow_up_days=(3,))
    for name in ("Ana", "Bea", "Cy", "Dee"):
        await bot.say(f"/add {name}")
    for name in ("Ana", "Bea", "Cy"):
        await bot.say(f"/reach {name}")
    await bot.say("/reply Ana declined")
    bot.clock.advance(timedelta(days=3))
    await bot.say("/followups")
    await bot.press("✅ Bea")  # Bea's one and only follow-up: then she is parked
    await bot.say("/followups")
    await bot.press("🌙")  # Cy is let rest
    bot.clock.advance(timedelta(days=8))  # over a week since anyone was touched
    [today] = await bot.say("/today")
    assert suggested(today.text) == ["Dee"]
    await bot.say("/reach Dee")
    bot.clock.advance(timedelta(days=8))
    await bot.say("/reply Dee")
    await bot.say("/chat Dee")
    bot.clock.advance(timedelta(days=8))  # Monday 14 December
    [today] = await bot.say("/today")
    assert suggested(today.text) == ["Dee"]  # a chat is not a no: Dee can hear from you again
    bot.clock.advance(timedelta(days=35))  # mid-January: six weeks since Ana's no
    [today] = await bot.say("/today")
    assert "Ana" in suggested(today.text)


async def test_follow_ups_skip_rest_days_and_rest_days_ask_nothing(bot: BotHarness) -> None:
    await set_up(bot, stall_days=60)
    await bot.say("/add Ana")
    await bot.say("/add Bea")
    bot.clock.move_to(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))  # Wednesday
    [logged] = await bot.say("/reach Ana")
    # Three days on is Saturday: the nudge comes on Monday.
    assert "I'll nudge you to follow up on Mon 30 Nov" in logged.text
    [(follow_up, _)] = await bot.store.open_follow_ups(CHAT)
    assert follow_up.due_at == datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    bot.clock.move_to(datetime(2026, 11, 28, 9, 0, tzinfo=UTC))  # Saturday
    assert (await bot.tick()).sent == 0  # no morning message on a rest day
    [today] = await bot.say("/today")
    assert "🌿 A rest day: nothing is asked of you." in today.text
    [bonus] = await bot.say("/reach Bea")
    assert "🌿 A rest day: this one is a bonus." in bonus.text
    assert "Today: 1 of 3" not in bonus.text
    assert "Mon 30 Nov" not in bonus.text  # Tuesday 1 December, three days on
    assert "I'll nudge you to follow up on Tue 1 Dec" in bonus.text


async def test_after_a_yes_the_coach_asks_about_booking_the_chat(bot: BotHarness) -> None:
    await set_up(bot, stall_days=60)
    await bot.say("/add Ana")
    await bot.say("/reach Ana via email coffee")
    bot.clock.move_to(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))  # Wednesday
    [yes] = await bot.say("/reply Ana positive")
    assert "Not booked yet? I'll check in on Mon 30 Nov." in yes.text  # not on the weekend
    monday = await morning(bot, 11, 30)
    assert "• Ana said yes: is the chat booked?" in monday.text
    assert labels(monday)[:2] == ["☕ Met Ana", "⋯"]
    await bot.press("⋯")
    await bot.press("📅 Booked Ana")
    toast = bot.emulator.callback_answers[-1].get("text")
    assert toast == "Booked 📅 I'll ask how it went on Mon 7 Dec"
    assert "• Ana: 📅 booked, I'll ask how it went on Mon 7 Dec" in bot.last().text
    [(follow_up, _)] = await bot.store.open_follow_ups(CHAT)
    assert follow_up.reason is FollowUpReason.CHAT_BOOKED
    [listing] = await bot.say("/followups")
    assert "• Ana: Mon 7 Dec · the chat was booked: did it happen?" in listing.text

    week_on = await morning(bot, 12, 7)
    assert "• Ana: did the chat happen?" in week_on.text
    [chat] = await bot.press("☕ Met Ana")
    assert "Coffee chat with <b>Ana</b> logged: 1 of 50" in chat.html
    assert "• Ana: ☕ chat logged" in bot.emulator.messages(CHAT)[-2].text
    assert await bot.store.open_follow_ups(CHAT) == []
    document = await export(bot)
    assert [
        (item["contact"], item["status"], item["reason"]) for item in document["follow_ups"]
    ] == [
        ("Ana", "replied", "no_reply"),  # the outreach's, answered by her yes
        ("Ana", "replied", "booked"),  # planned by the yes, booked, answered by the chat
    ]
    assert [entry["kind"] for entry in document["interactions"]] == [
        "outreach",
        "reply_positive",
        "coffee_chat",
    ]
    follow_up_after = await bot.store.get_follow_up(CHAT, follow_up.id)
    assert follow_up_after is not None
    assert follow_up_after.status is FollowUpStatus.REPLIED
