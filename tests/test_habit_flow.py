"""The habit end to end: the streak in the morning message, milestone notes once each, the asks
ladder at most weekly, a give suggested now and then, the keep-the-pace line while something
is hot, and the weekly review with its chart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.clock import FrozenClock
from bot.coaching.domain import PreferenceChanges, Stage, User
from bot.coaching.timing import MessageKind
from bot.delivery.scheduler import run_due
from bot.usecases.progress import milestone_note
from bot.usecases.scheduled import Outgoing
from bot.usecases.schedules import sync_schedules
from storage import Store
from tests.harness import CHAT, BotHarness


async def set_up(bot: BotHarness, **settings: object) -> User:
    """A user who finished onboarding now (UTC, morning at 08:00, no stall nudges)."""
    now = bot.clock.now()
    await bot.store.ensure_user(CHAT, now)
    values: dict[str, object] = {"name": "Sam", "stall_days": 60}
    await bot.store.update_preferences(CHAT, PreferenceChanges(**(values | settings)))  # type: ignore[arg-type]
    user = await bot.store.set_onboarding(CHAT, None, onboarded_at=now)
    await sync_schedules(bot.store, user, now)
    return user


async def morning(bot: BotHarness, day: int) -> str:
    """Tick at 08:00 UTC on `day` November (or December past 30) and return what was sent."""
    month, day = (11, day) if day <= 30 else (12, day - 30)
    before = len(bot.emulator.messages(CHAT))
    bot.clock.move_to(datetime(2026, month, day, 8, 0, tzinfo=UTC))
    await bot.tick()
    sent = bot.emulator.messages(CHAT)[before:]
    assert len(sent) == 1, [message.text for message in sent]
    return sent[0].text


async def at_nine(bot: BotHarness, day: int, *commands: str) -> None:
    """Later that morning (09:00 UTC), the user logs a few things."""
    month, day = (11, day) if day <= 30 else (12, day - 30)
    bot.clock.move_to(datetime(2026, month, day, 9, 0, tzinfo=UTC))
    for command in commands:
        await bot.say(command)


async def test_the_morning_message_carries_the_streak(bot: BotHarness) -> None:
    await set_up(bot, rest_days=(5, 6))
    await bot.say("/add Ana")
    await at_nine(bot, 23, *["/reach Ana"] * 3)  # Monday: quota met
    assert "🔥 Streak: 1 active day. Meet today's quota to make it 2." in await morning(bot, 24)
    await at_nine(bot, 24, *["/reach Ana"] * 3)
    assert "🔥 Streak: 2 active days." in await morning(bot, 25)
    # Wednesday goes by without outreach: Thursday starts over.
    text = await morning(bot, 26)
    assert "🔥 Meet today's quota to start a new streak. Your best: 2." in text
    await at_nine(bot, 27, *["/reach Ana"] * 3)  # Friday; then the weekend rests
    assert "🔥 Streak: 1 active day." in await morning(bot, 30)


async def test_milestones_are_noted_once_each(bot: BotHarness) -> None:
    user = await set_up(bot, goal_count=12)
    await bot.say("/add Ana")
    replies = [(await bot.say("/chat Ana"))[0].text for _ in range(12)]
    notes = {
        "first": "Your first coffee chat is done!",
        "half": "Halfway there: 6 of 12 coffee chats.",
        "ten": "Ten coffee chats!",
        "goal": "12 coffee chats: you reached your goal!",
    }
    at = {
        key: [i + 1 for i, text in enumerate(replies) if note in text]
        for key, note in notes.items()
    }
    assert at == {"first": [1], "half": [6], "ten": [10], "goal": [12]}
    assert "1 of 12 toward your goal.\n☕ Your first coffee chat is done!" in replies[0]
    assert replies[0].endswith("Type it and I'll add it to their card.")  # still one message
    assert await milestone_note(bot.store, user, 1, bot.clock.now()) is None  # claimed already
    log = await bot.store.sent_log(CHAT)
    assert [key for kind, key, _ in log if kind == "milestone"] == [
        "first_chat:1",
        "halfway:6",
        "ten_chats:10",
        "goal:12",
    ]


async def test_the_asks_ladder_suggests_the_next_rung_at_most_once_a_week(
    bot: BotHarness, clock: FrozenClock
) -> None:
    for name in ("Ana", "Bob", "Cy", "Dee", "Eve", "Flo", "Gus"):
        await bot.say(f"/add {name}")
    for name in ("Ana", "Bob", "Cy"):
        await bot.say(f"/reach {name} via email advice")
    tip = "Ready for one step up? Next time, ask for an introduction"
    assert tip not in (await bot.say("/reply Ana positive"))[0].text
    assert tip not in (await bot.say("/reply Bob positive"))[0].text
    [third] = await bot.say("/reply Cy positive")
    assert "💬 Cy replied!" in third.text
    assert "🪜 Your requests for advice keep getting answers." in third.text
    assert tip in third.text
    clock.advance(timedelta(days=6))
    await bot.say("/reach Dee via email advice")
    assert tip not in (await bot.say("/reply Dee positive"))[0].text  # six days later: not yet
    clock.advance(timedelta(days=1))
    await bot.say("/reach Eve via email advice")
    assert tip in (await bot.say("/reply Eve positive"))[0].text  # a week on, once more
    clock.advance(timedelta(days=7))
    await bot.say("/reach Flo via linkedin intro")
    await bot.say("/reply Flo positive")  # one intro answered: the intro rung now
    clock.advance(timedelta(days=7))
    await bot.say("/reach Gus via email advice")
    assert "🪜" not in (await bot.say("/reply Gus positive"))[0].text


async def test_a_give_is_suggested_once_a_week_for_someone_who_helped(bot: BotHarness) -> None:
    await set_up(bot, rest_days=(5, 6))
    await bot.say("/add Ana")
    await bot.say("/add Bea")
    await at_nine(bot, 23, "/reach Ana", "/reply Ana positive")  # a Monday, after the morning
    for day in (24, 25):
        assert "🎁" not in await morning(bot, day)  # only on the week's first active day
    await at_nine(bot, 25, "/reach Bea", "/chat Bea")
    for day in (26, 27):
        assert "🎁" not in await morning(bot, day)
    text = await morning(bot, 30)  # Monday: Ana has waited longest
    assert "🎁 Ana helped you recently. A small give keeps it two-way" in text
    assert "Bea" not in text.split("🎁")[1]
    labels = [button.text for row in bot.last().buttons for button in row]
    assert "🎁 I gave Ana something" in labels
    await bot.press("I gave Ana something")
    await bot.say("a thank-you note with news of the chat")
    assert "Logged: for Ana, a thank-you note" in bot.last().text
    for day in range(31, 35):
        assert "🎁" not in await morning(bot, day)
    assert "🎁 Bea helped you recently." in await morning(bot, 37)  # the next Monday


async def test_keep_the_coffee_chat_pace_while_something_is_hot(bot: BotHarness) -> None:
    await set_up(bot)
    await bot.say("/add Ana")
    [contact] = await bot.store.list_contacts(CHAT)
    opportunity = await bot.store.add_opportunity(
        CHAT, contact.id, title="PM at Globex", stage=Stage.APPLY, now=bot.clock.now()
    )
    assert "coffee-chat pace" not in await morning(bot, 24)
    await bot.store.move_opportunity(CHAT, opportunity.id, Stage.OFFER, bot.clock.now())
    text = await morning(bot, 25)
    assert "⭐ PM at Globex (via Ana) is at the offer stage. Keep your coffee-chat pace" in text
    await bot.store.move_opportunity(CHAT, opportunity.id, Stage.CLOSED, bot.clock.now())
    assert "coffee-chat pace" not in await morning(bot, 26)


async def test_the_weekly_review_comes_with_the_chart_and_the_projection(
    bot: BotHarness, clock: FrozenClock
) -> None:
    await set_up(bot)
    await bot.say("/add Ana")
    await bot.say("/reach Ana")
    before = len(bot.emulator.messages(CHAT))
    clock.move_to(datetime(2026, 11, 29, 18, 0, tzinfo=UTC))
    assert (await bot.tick()).sent == 1
    [review] = bot.emulator.messages(CHAT)[before:]
    assert review.kind == "photo"
    assert review.data is not None
    assert review.data.startswith(b"\x89PNG")
    assert "Your week, 23 Nov – 29 Nov" in review.text
    assert "🧭 50 coffee chats to go: at your planned 2 chats a week" in review.text
    assert await bot.store.sent_log(CHAT) == [("weekly_review", "2026-W48", "sent")]


async def test_a_review_too_long_for_a_caption_is_sent_as_text_then_chart(
    bot: BotHarness, clock: FrozenClock
) -> None:
    await set_up(bot)

    async def long_review(store: Store, user: User, at: datetime, now: datetime) -> Outgoing:
        return Outgoing(
            MessageKind.WEEKLY_REVIEW,
            "2026-W48",
            "A long week. " * 100,
            photo=b"\x89PNG\r\n\x1a\n" + bytes(8) + (1000).to_bytes(4, "big") * 2,
            caption="The chart in words.",
        )

    async def nothing(store: Store, user: User, at: datetime, now: datetime) -> None:
        return None

    clock.move_to(datetime(2026, 11, 29, 18, 0, tzinfo=UTC))
    assert bot.application is not None
    composers = {kind: nothing for kind in MessageKind} | {MessageKind.WEEKLY_REVIEW: long_review}
    report = await run_due(bot.application.bot, bot.store, clock.now(), composers)
    assert report.sent == 1
    text, chart = bot.emulator.messages(CHAT)
    assert (text.kind, chart.kind, chart.text) == ("text", "photo", "The chart in words.")
    assert text.text.startswith("A long week.")
