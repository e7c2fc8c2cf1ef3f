"""The fan-out's batch writes (issue 13, point 3): schedules moved and messages claimed for a
whole batch at once, keeping the compare-and-set and the sent-log's unique key; and scheduled
sends marked as paid broadcasts when the operator asks for them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import FrozenClock
from bot.coaching.domain import PreferenceChanges
from bot.delivery.scheduler import batch_size_at, run_due
from bot.usecases.scheduled import COMPOSERS
from bot.usecases.schedules import sync_schedules
from storage import Store
from storage.store import ClaimOutcome, MessageClaim, ScheduleMove, SendStatus
from tests.harness import CHAT, BotHarness

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
TOMORROW = NOW + timedelta(days=1)


async def _due_mornings(store: Store, chats: range) -> None:
    for chat in chats:
        await store.ensure_user(chat, NOW)
        await store.set_schedule(chat, "morning", NOW)


async def test_a_batch_moves_each_schedule_once_and_claims_each_message_once(
    store: Store,
) -> None:
    await _due_mornings(store, range(1, 6))
    await store.set_schedule(3, "morning", NOW - timedelta(minutes=1))  # another worker's move
    await store.claim_message(4, "morning", "2026-11-24", NOW)  # claimed before
    batch: list[tuple[ScheduleMove, MessageClaim | None]] = [
        (ScheduleMove(chat, "morning", NOW, TOMORROW), MessageClaim(chat, "morning", "2026-11-24"))
        for chat in (1, 3, 4)
    ]
    silence = MessageClaim(2, "morning", "2026-11-24", '{"v": 1}', also=(("silence_check", "7"),))
    batch += [(ScheduleMove(2, "morning", NOW, TOMORROW), silence)]
    batch += [(ScheduleMove(5, "morning", NOW, TOMORROW), None)]

    outcomes = await store.advance_and_claim_batch(batch, NOW)

    assert outcomes == [
        ClaimOutcome.CLAIMED,
        ClaimOutcome.TAKEN,
        ClaimOutcome.DUPLICATE,
        ClaimOutcome.CLAIMED,
        ClaimOutcome.MOVED,
    ]
    assert await store.advance_and_claim_batch(batch, NOW) == [ClaimOutcome.TAKEN] * 5
    assert [(await store.schedules_of(chat))["morning"] for chat in range(1, 6)] == [
        TOMORROW,
        TOMORROW,
        NOW - timedelta(minutes=1),
        TOMORROW,
        TOMORROW,
    ]
    assert await store.sent_log(2) == [
        ("morning", "2026-11-24", "claimed"),
        ("silence_check", "7", "claimed"),
    ]
    assert await store.message_content(2, "morning", "2026-11-24") == '{"v": 1}'
    assert await store.sent_log(3) == []


async def test_sends_are_recorded_released_and_retried_for_a_batch_at_once(store: Store) -> None:
    await _due_mornings(store, range(1, 5))
    claims = [MessageClaim(chat, "morning", "2026-11-24") for chat in range(1, 5)]
    await store.advance_and_claim_batch(
        [(ScheduleMove(c.chat_id, "morning", NOW, TOMORROW), c) for c in claims], NOW
    )
    await store.finish_messages([claims[0].key, claims[1].key], SendStatus.SENT, NOW)
    await store.finish_messages([claims[2].key], SendStatus.FAILED, NOW)
    await store.release_messages([claims[3].key, claims[0].key])  # a sent one stays
    retry_at = NOW + timedelta(minutes=1)
    moved = await store.move_schedules(
        [
            ScheduleMove(4, "morning", TOMORROW, retry_at, occurrence_at=NOW),
            ScheduleMove(3, "morning", NOW, retry_at, occurrence_at=NOW),  # not due then
        ]
    )

    assert moved == {(4, "morning")}
    assert [await store.sent_log(chat) for chat in range(1, 5)] == [
        [("morning", "2026-11-24", "sent")],
        [("morning", "2026-11-24", "sent")],
        [("morning", "2026-11-24", "failed")],
        [],
    ]
    [retry] = [due for due in await store.due_schedules(retry_at, 10) if due.chat_id == 4]
    assert (retry.next_at, retry.occurrence_at) == (retry_at, NOW)


@pytest.mark.parametrize("paid", [True, False])
async def test_scheduled_sends_ask_for_paid_broadcasts_only_when_told(
    bot: BotHarness, clock: FrozenClock, paid: bool
) -> None:
    now = clock.now()
    await bot.store.ensure_user(CHAT, now)
    await bot.store.update_preferences(CHAT, PreferenceChanges(rest_days=(), stall_days=60))
    user = await bot.store.set_onboarding(CHAT, None, onboarded_at=now)
    await sync_schedules(bot.store, user, now)
    clock.move_to(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    assert bot.application is not None
    first = len(bot.emulator.calls)

    report = await run_due(
        bot.application.bot, bot.store, clock.now(), COMPOSERS, paid_broadcast=paid
    )

    assert report.sent == 1
    [send] = [call for call in bot.emulator.calls[first:] if call.method == "sendMessage"]
    assert ("allow_paid_broadcast" in send.params) is paid
    assert send.params.get("allow_paid_broadcast", False) is paid


@pytest.mark.parametrize(
    ("pace", "largest", "expected"),
    [
        (None, 1000, 1000),  # limits lifted: the largest batch
        (30, 1000, 60),  # Telegram's free cap: two seconds of sends claimed ahead
        (300, 1000, 600),  # paid broadcasts
        (1000, 1000, 1000),
        (300, 200, 200),  # a replica's lease is the most a batch holds
        (1, 1000, 16),  # never fewer than the sends in flight
    ],
)
def test_a_batch_holds_about_two_seconds_of_sends_at_the_pace(
    pace: float | None, largest: int, expected: int
) -> None:
    assert batch_size_at(pace, largest) == expected
