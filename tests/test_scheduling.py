"""Scheduled coaching end to end: the right local time across zones and DST, exactly once,
catch-up after downtime, pause, rest days, blocked users, 429s and two replicas."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.application import build_application, run_scheduled
from bot.clock import FrozenClock
from bot.coaching.domain import PreferenceChanges
from bot.config import Settings
from bot.delivery.ratelimit import PacedRateLimiter
from bot.usecases.schedules import sync_schedules
from tests.harness import CHAT, BotHarness, running_bot

SYDNEY, LONDON, LOS_ANGELES = 101, 102, 103
ZONES = {SYDNEY: "Australia/Sydney", LONDON: "Europe/London", LOS_ANGELES: "America/Los_Angeles"}


async def set_up_user(
    bot: BotHarness,
    chat_id: int,
    tz: str,
    *,
    morning: time = time(8, 0),
    rest_days: Sequence[int] = (),
    stall_days: int = 60,
    evening: time | None = None,
) -> None:
    """A user who finished onboarding just now, with their schedules planned."""
    now = bot.clock.now()
    await bot.store.ensure_user(chat_id, now)
    await bot.store.update_preferences(
        chat_id,
        PreferenceChanges(
            name="Sam",
            timezone=tz,
            morning_time=morning,
            rest_days=tuple(rest_days),
            stall_days=stall_days,
            evening_time=evening,
        ),
    )
    user = await bot.store.set_onboarding(chat_id, None, onboarded_at=now)
    await sync_schedules(bot.store, user, now)


async def run_for(
    bot: BotHarness,
    until: datetime,
    step: timedelta,
    chats: Sequence[int],
    *,
    containing: str = "Good morning",
) -> dict[int, list[datetime]]:
    """Tick every `step` until `until`; return when each chat received a message whose text
    contains `containing`."""
    received: dict[int, list[datetime]] = {chat: [] for chat in chats}
    seen = {chat: len(bot.emulator.messages(chat)) for chat in chats}
    while bot.clock.now() <= until:
        await bot.tick()
        for chat in chats:
            messages = bot.emulator.messages(chat)
            new = [message for message in messages[seen[chat] :] if containing in message.text]
            received[chat] += [bot.clock.now()] * len(new)
            seen[chat] = len(messages)
        bot.clock.advance(step)
    return received


@pytest.mark.parametrize(
    "start",
    [
        datetime(2026, 3, 2, tzinfo=UTC),  # Los Angeles springs forward on 8 March
        datetime(2026, 3, 23, tzinfo=UTC),  # London on 29 March, Sydney falls back on 5 April
        datetime(2026, 9, 28, tzinfo=UTC),  # Sydney springs forward on 4 October
        datetime(2026, 10, 20, tzinfo=UTC),  # London on 25 October, Los Angeles on 1 November
    ],
)
async def test_one_morning_message_at_eight_local_every_day_across_dst(
    tmp_path: Path, start: datetime
) -> None:
    clock = FrozenClock(start)
    async with running_bot(tmp_path, clock) as bot:
        for chat, zone in ZONES.items():
            await set_up_user(bot, chat, zone)
        received = await run_for(bot, start + timedelta(days=14), timedelta(minutes=15), ZONES)
    for chat, zone in ZONES.items():
        local_times = [instant.astimezone(ZoneInfo(zone)) for instant in received[chat]]
        days = [moment.date() for moment in local_times]
        assert len(days) == len(set(days)), f"{zone}: a day got two messages"
        assert len(days) in (14, 15), f"{zone}: {len(days)} messages in two weeks"
        for moment in local_times:
            assert time(8, 0) <= moment.time() < time(8, 15), f"{zone}: sent at {moment}"


async def test_a_morning_time_that_does_not_exist_is_sent_once_after_the_gap(
    tmp_path: Path,
) -> None:
    # London skips 01:00-02:00 on Sunday 28 March 2027.
    clock = FrozenClock(datetime(2027, 3, 26, 12, tzinfo=UTC))
    async with running_bot(tmp_path, clock) as bot:
        await set_up_user(bot, LONDON, "Europe/London", morning=time(1, 30))
        received = await run_for(
            bot, datetime(2027, 3, 29, 12, tzinfo=UTC), timedelta(minutes=5), [LONDON]
        )
    local = [moment.astimezone(ZoneInfo("Europe/London")) for moment in received[LONDON]]
    assert [moment.date() for moment in local] == [
        date(2027, 3, 27),
        date(2027, 3, 28),
        date(2027, 3, 29),
    ]
    assert local[1].time() == time(2, 0)  # the first instant after the gap
    assert all(moment.time() < time(2, 5) for moment in local)


async def test_a_restart_just_after_sending_sends_nothing_twice(
    bot: BotHarness, clock: FrozenClock
) -> None:
    await set_up_user(bot, LONDON, "Europe/London")
    clock.move_to(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    assert (await bot.tick()).sent == 1
    await bot.restart()
    clock.move_to(datetime(2026, 11, 24, 8, 0, 30, tzinfo=UTC))
    assert (await bot.tick()).sent == 0
    assert len(bot.emulator.messages(LONDON)) == 1
    assert await bot.store.sent_log(LONDON) == [("morning", "2026-11-24", "sent")]


async def test_downtime_across_the_morning_catches_up_once_before_noon(
    bot: BotHarness, clock: FrozenClock
) -> None:
    await set_up_user(bot, LONDON, "Europe/London")
    await bot.stop()
    clock.move_to(datetime(2026, 11, 24, 10, 45, tzinfo=UTC))  # down from before 08:00
    await bot.start()
    assert (await bot.tick()).sent == 1
    clock.advance(timedelta(minutes=1))
    assert (await bot.tick()).sent == 0
    assert "Good morning, Sam!" in bot.emulator.messages(LONDON)[0].text


async def test_downtime_past_noon_drops_the_morning_message(
    bot: BotHarness, clock: FrozenClock
) -> None:
    await set_up_user(bot, LONDON, "Europe/London")
    clock.move_to(datetime(2026, 11, 24, 12, 30, tzinfo=UTC))
    report = await bot.tick()
    assert (report.sent, report.outcomes.get("dropped")) == (0, 1)
    clock.move_to(datetime(2026, 11, 25, 8, 0, tzinfo=UTC))
    assert (await bot.tick()).sent == 1


async def test_paused_rest_day_and_done_users_get_nothing(
    bot: BotHarness, clock: FrozenClock
) -> None:
    paused, resting, done = 201, 202, 203
    for chat in (paused, resting, done):
        await set_up_user(bot, chat, "UTC", rest_days=(1,) if chat == resting else ())
    await bot.say("/pause 3", chat_id=paused)
    await bot.say("/add Ana", chat_id=done)
    clock.move_to(datetime(2026, 11, 24, 7, 30, tzinfo=UTC))  # early on Tuesday
    for _ in range(3):
        await bot.say("/reach Ana", chat_id=done)
    before = {chat: len(bot.emulator.messages(chat)) for chat in (paused, resting, done)}
    clock.move_to(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))  # a Tuesday: resting's rest day
    assert (await bot.tick()).outcomes == {"skipped": 3}
    assert {chat: len(bot.emulator.messages(chat)) for chat in before} == before
    clock.move_to(datetime(2026, 11, 27, 8, 0, tzinfo=UTC))  # the pause is over on Friday
    await bot.tick()
    assert len(bot.emulator.messages(paused)) == before[paused] + 1


async def test_pause_without_days_lasts_until_resume(bot: BotHarness, clock: FrozenClock) -> None:
    await set_up_user(bot, LONDON, "UTC")
    [paused] = await bot.say("/pause", chat_id=LONDON)
    assert "until you come back with /resume" in paused.text
    for day in range(24, 30):
        clock.move_to(datetime(2026, 11, day, 8, 0, tzinfo=UTC))
        assert (await bot.tick()).sent == 0
    [resumed] = await bot.say("/resume", chat_id=LONDON)
    assert "Nudges are on again" in resumed.text
    clock.move_to(datetime(2026, 11, 30, 8, 0, tzinfo=UTC))
    assert (await bot.tick()).sent == 1


async def test_a_user_who_blocked_the_bot_is_marked_inactive_until_they_write(
    bot: BotHarness, clock: FrozenClock
) -> None:
    await set_up_user(bot, LONDON, "UTC")
    bot.emulator.block(LONDON)
    clock.move_to(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    assert (await bot.tick()).outcomes == {"blocked": 1}
    user = await bot.store.get_user(LONDON)
    assert user is not None
    assert not user.active
    sends = len([call for call in bot.emulator.calls if call.method == "sendMessage"])
    clock.move_to(datetime(2026, 11, 25, 8, 0, tzinfo=UTC))
    assert (await bot.tick()).outcomes == {}
    assert len([call for call in bot.emulator.calls if call.method == "sendMessage"]) == sends
    await bot.say("/today", chat_id=LONDON)  # writing again unblocks
    clock.move_to(datetime(2026, 11, 26, 8, 0, tzinfo=UTC))
    assert (await bot.tick()).sent == 1


async def test_a_429_is_waited_out_and_then_delivered_once(
    bot: BotHarness, clock: FrozenClock
) -> None:
    await set_up_user(bot, LONDON, "UTC")
    bot.emulator.fail_next(
        "sendMessage", status=429, description="Too Many Requests: retry after 1", retry_after=1
    )
    clock.move_to(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    started = asyncio.get_running_loop().time()
    assert (await bot.tick()).sent == 1
    assert asyncio.get_running_loop().time() - started >= 1.0
    assert len(bot.emulator.messages(LONDON)) == 1


async def test_a_server_error_is_retried_on_a_later_tick(
    bot: BotHarness, clock: FrozenClock
) -> None:
    await set_up_user(bot, LONDON, "UTC")
    # The limiter retries a 5xx twice at once; an outage that outlasts that is retried by
    # the schedule a minute later.
    bot.emulator.fail_next("sendMessage", status=502, description="Bad Gateway", times=3)
    clock.move_to(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    assert (await bot.tick()).outcomes == {"retry": 1}
    clock.advance(timedelta(minutes=1))
    assert (await bot.tick()).sent == 1
    assert len(bot.emulator.messages(LONDON)) == 1


async def test_two_replicas_over_one_database_send_each_message_once(
    tmp_path: Path, clock: FrozenClock
) -> None:
    chats = list(range(300, 340))
    async with running_bot(tmp_path, clock) as bot:
        for chat in chats:
            await set_up_user(bot, chat, "UTC")
        settings = Settings(
            token=bot.emulator.token,
            api_base_url=bot.emulator.base_url,
            database_url=bot.database_url,
        )
        second = build_application(
            settings,
            clock,
            tick_schedules=False,
            rate_limiter=PacedRateLimiter(overall_per_second=None, chat_per_second=None),
        )
        await second.initialize()
        assert second.post_init is not None
        await second.post_init(second)
        try:
            clock.move_to(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
            assert bot.application is not None
            first_report, second_report = await asyncio.gather(
                run_scheduled(bot.application), run_scheduled(second)
            )
        finally:
            await second.shutdown()
            assert second.post_shutdown is not None
            await second.post_shutdown(second)
        assert first_report.sent + second_report.sent == len(chats)
        for chat in chats:
            assert len(bot.emulator.messages(chat)) == 1


async def test_the_morning_message_shows_quota_follow_ups_and_a_suggestion(
    bot: BotHarness, clock: FrozenClock
) -> None:
    await set_up_user(bot, LONDON, "UTC")
    await bot.say("/add Ana", chat_id=LONDON)
    await bot.say("/add Bea warm", chat_id=LONDON)
    await bot.say("/reach Ana via email", chat_id=LONDON)
    clock.move_to(datetime(2026, 11, 26, 8, 0, tzinfo=UTC))
    await bot.tick()
    morning = bot.last(LONDON)
    assert "Good morning, Sam! Today asks for 3 reach-outs." in morning.text
    assert "Follow-ups due (1)" in morning.text
    assert "Ana (follow-up 1 of 3)" in morning.text
    assert "Someone to reach today: Bea · warm" in morning.text
    await bot.press("✅ Ana", chat_id=LONDON)
    [(follow_up, _)] = await bot.store.open_follow_ups(LONDON)
    assert follow_up.attempt == 2


async def test_the_restart_nudge_comes_once_per_stall(bot: BotHarness, clock: FrozenClock) -> None:
    await set_up_user(bot, LONDON, "UTC", rest_days=(5, 6), stall_days=3)
    await bot.say("/add Ana warm", chat_id=LONDON)
    await bot.say("/reach Ana", chat_id=LONDON)  # Monday 23 Nov
    for day in range(24, 31):  # Tuesday 24 to Monday 30 November
        clock.move_to(datetime(2026, 11, day, 8, 0, tzinfo=UTC))
        await bot.tick()
    kinds = [kind for kind, _, _ in await bot.store.sent_log(LONDON)]
    # Tue, Wed, Thu are quiet active days; Friday brings the nudge, the weekend rests,
    # and Monday is a morning message again (one nudge per stall). The Sunday review at
    # 18:00 is never ticked here, and by Monday it is too late to be worth sending.
    assert kinds == ["morning", "morning", "morning", "restart", "morning"]
    nudge = [m for m in bot.emulator.messages(LONDON) if "quiet days" in m.text]
    assert len(nudge) == 1
    assert "a friendly two-line nudge to Ana" in nudge[0].text  # her follow-up is open
    await bot.press("Done: Ana", chat_id=LONDON)
    await bot.press("Email", chat_id=LONDON)
    assert "Logged follow-up 1 of 3 with Ana" in bot.last(LONDON).text


async def test_weekly_review_on_sunday_evening(bot: BotHarness, clock: FrozenClock) -> None:
    await set_up_user(bot, LONDON, "UTC")
    await bot.say("/add Ana", chat_id=LONDON)
    await bot.say("/reach Ana", chat_id=LONDON)
    await bot.say("/reply Ana", chat_id=LONDON)
    await bot.say("/chat Ana", chat_id=LONDON)
    clock.move_to(datetime(2026, 11, 29, 18, 0, tzinfo=UTC))
    assert (await bot.tick()).outcomes == {"sent": 1, "dropped": 1}  # the review; not 08:00's
    review = bot.last(LONDON).text
    assert "Your week, 23 Nov – 29 Nov" in review
    assert "1 reach-out · 💬 1 reply · ☕ 1 coffee chat" in review  # issue 12: plurals
    assert "1 of 50 coffee chats so far" in review
    clock.advance(timedelta(hours=1))
    assert (await bot.tick()).sent == 0


async def test_evening_check_in_only_when_the_quota_is_not_met(
    bot: BotHarness, clock: FrozenClock
) -> None:
    await set_up_user(bot, LONDON, "UTC", evening=time(19, 0))
    await bot.say("/add Ana", chat_id=LONDON)
    clock.move_to(datetime(2026, 11, 24, 19, 0, tzinfo=UTC))
    await bot.tick()
    assert "Evening check-in: 0 of 3" in bot.last(LONDON).text
    clock.move_to(datetime(2026, 11, 25, 18, 0, tzinfo=UTC))
    for _ in range(3):
        await bot.say("/reach Ana", chat_id=LONDON)
    clock.move_to(datetime(2026, 11, 25, 19, 0, tzinfo=UTC))
    report = await bot.tick()
    assert report.outcomes == {"skipped": 1, "dropped": 1}  # the evening; 08:00 is long gone


async def test_onboarding_plans_the_schedules(bot: BotHarness) -> None:
    await bot.say("/start")
    for label in ("Skip", "Keep UTC", "Skip (50)", "No date", "2", "Skip (3)", "07:00"):
        await bot.press(label)
    await bot.press("I'll add them later")
    schedules = await bot.store.schedules_of(CHAT)
    assert schedules["morning"] == datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
    assert schedules["weekly_review"] == datetime(2026, 11, 29, 18, 0, tzinfo=UTC)
    assert "evening" not in schedules
