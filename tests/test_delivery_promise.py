"""Scheduled delivery keeps its promise (issue 11, point 5): a send that may have arrived is
never repeated, a retry stays about the occurrence it failed to send, and one user's trouble
never stops the tick for the others."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from bot.clock import FrozenClock
from bot.coaching.domain import PreferenceChanges, User
from bot.coaching.timing import MessageKind
from bot.delivery.scheduler import run_due
from bot.usecases.scheduled import COMPOSERS, Outgoing
from bot.usecases.schedules import sync_schedules
from storage import Store
from tests.harness import BotHarness

ANA_CHAT, BEN_CHAT = 501, 502


async def _set_up(bot: BotHarness, chat_id: int, **settings: object) -> User:
    now = bot.clock.now()
    await bot.store.ensure_user(chat_id, now)
    values: dict[str, object] = {"name": "Sam", "rest_days": (), "stall_days": 60}
    await bot.store.update_preferences(chat_id, PreferenceChanges(**(values | settings)))  # type: ignore[arg-type]
    user = await bot.store.set_onboarding(chat_id, None, onboarded_at=now)
    await sync_schedules(bot.store, user, now)
    return user


async def test_a_morning_message_whose_connection_dropped_after_sending_is_not_sent_again(
    bot: BotHarness, clock: FrozenClock
) -> None:
    await _set_up(bot, ANA_CHAT)
    bot.emulator.drop_next("sendMessage", after_processing=True)
    clock.move_to(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    assert (await bot.tick()).outcomes == {"failed: ConnectionLost": 1}
    for _ in range(5):
        clock.advance(timedelta(minutes=1))
        await bot.tick()
    mornings = [m for m in bot.emulator.messages(ANA_CHAT) if "Good morning" in m.text]
    assert len(mornings) == 1  # Telegram had it: once, never twice
    assert await bot.store.sent_log(ANA_CHAT) == [("morning", "2026-11-24", "failed")]


async def test_a_weekly_review_retried_past_midnight_still_describes_its_own_week(
    bot: BotHarness, clock: FrozenClock
) -> None:
    await _set_up(bot, ANA_CHAT, review_time=time(23, 30))
    bot.emulator.fail_next("sendPhoto", status=502, description="Bad Gateway", times=3)
    clock.move_to(datetime(2026, 11, 29, 23, 30, tzinfo=UTC))  # Sunday
    assert (await bot.tick()).outcomes.get("retry") == 1
    clock.move_to(datetime(2026, 11, 30, 0, 1, tzinfo=UTC))  # Monday, the next ISO week
    assert (await bot.tick()).sent == 1
    review = bot.emulator.messages(ANA_CHAT)[-1]
    assert "Your week, 23 Nov – 29 Nov" in review.text
    clock.move_to(datetime(2026, 12, 6, 23, 30, tzinfo=UTC))  # the next real review
    assert (await bot.tick()).sent == 1
    assert "Your week, 30 Nov – 6 Dec" in bot.emulator.messages(ANA_CHAT)[-1].text
    assert [
        key for kind, key, _ in await bot.store.sent_log(ANA_CHAT) if kind == "weekly_review"
    ] == [
        "2026-W48",
        "2026-W49",
    ]


async def test_an_evening_retried_after_midnight_does_not_take_the_next_evening(
    bot: BotHarness, clock: FrozenClock
) -> None:
    await _set_up(bot, ANA_CHAT, evening_time=time(23, 45))
    bot.emulator.fail_next("sendMessage", status=502, description="Bad Gateway", times=3)
    clock.move_to(datetime(2026, 11, 24, 23, 45, tzinfo=UTC))
    assert (await bot.tick()).outcomes.get("retry") == 1
    clock.move_to(datetime(2026, 11, 25, 0, 46, tzinfo=UTC))
    assert (await bot.tick()).sent == 1
    clock.move_to(datetime(2026, 11, 25, 23, 45, tzinfo=UTC))
    assert (await bot.tick()).sent == 1  # the 25th's own evening, not taken for a duplicate
    evenings = [key for kind, key, _ in await bot.store.sent_log(ANA_CHAT) if kind == "evening"]
    assert evenings == ["2026-11-24", "2026-11-25"]


async def test_one_users_failing_composer_fails_that_message_only(
    bot: BotHarness, clock: FrozenClock
) -> None:
    await _set_up(bot, ANA_CHAT)
    await _set_up(bot, BEN_CHAT)

    async def broken_for_ana(
        store: Store, user: User, at: datetime, now: datetime
    ) -> Outgoing | None:
        if user.chat_id == ANA_CHAT:
            raise ZeroDivisionError("a bug in one user's data")
        return await COMPOSERS[MessageKind.MORNING](store, user, at, now)

    clock.move_to(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    assert bot.application is not None
    composers = COMPOSERS | {MessageKind.MORNING: broken_for_ana}
    report = await run_due(bot.application.bot, bot.store, clock.now(), composers)
    assert report.outcomes == {"failed: compose": 1, "sent": 1}
    assert "Good morning" in bot.last(BEN_CHAT).text
    assert bot.emulator.messages(ANA_CHAT) == []
    clock.advance(timedelta(minutes=1))
    assert (await run_due(bot.application.bot, bot.store, clock.now(), composers)).outcomes == {}
