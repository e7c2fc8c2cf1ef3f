"""The Store on a real SQLite file: scoping, transactions, pragmas and migrations."""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from bot.coaching.domain import (
    CLEAR,
    Channel,
    FollowUpStatus,
    Kind,
    OnboardingStep,
    PreferenceChanges,
    Tier,
)
from bot.coaching.pending import AwaitGift, AwaitOnboarding, LogOrigin, PendingLog
from storage import DuplicateContactError, Store
from storage.schema import metadata
from storage.store import FollowUpPlan

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


async def test_sqlite_runs_in_wal_with_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    store = await Store.open(f"sqlite:///{tmp_path / 'pragmas.db'}")
    async with store.engine.connect() as conn:
        assert (await conn.exec_driver_sql("PRAGMA journal_mode")).scalar() == "wal"
        assert (await conn.exec_driver_sql("PRAGMA foreign_keys")).scalar() == 1
        assert (await conn.exec_driver_sql("PRAGMA busy_timeout")).scalar() == 10_000
    await store.close()


async def test_migrations_match_the_schema(store: Store) -> None:
    def diff(connection: sa.Connection) -> list[object]:
        return compare_metadata(MigrationContext.configure(connection), metadata)

    async with store.engine.connect() as conn:
        assert await conn.run_sync(diff) == []


async def test_opening_twice_applies_nothing_new(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'again.db'}"
    first = await Store.open(url)
    await first.ensure_user(1, NOW)
    await first.close()
    second = await Store.open(url)
    assert await second.get_user(1) is not None
    await second.close()


async def test_every_read_is_scoped_by_chat(store: Store) -> None:
    await store.ensure_user(1, NOW)
    await store.ensure_user(2, NOW)
    ana = await store.add_contact(1, name="Ana", name_key="ana", tier=Tier.WARM, note=None, now=NOW)
    assert await store.get_contact(2, ana.id) is None
    assert await store.list_contacts(2) == []
    assert await store.update_contact(2, ana.id, tier=Tier.THIRD) is None
    assert await store.rest_contact(2, ana.id, now=NOW, until=NOW) is None
    with pytest.raises(LookupError):
        await store.record_interaction(2, ana.id, kind=Kind.OUTREACH, at=NOW)
    await store.record_interaction(
        1, ana.id, kind=Kind.OUTREACH, at=NOW, schedule=FollowUpPlan(NOW + timedelta(days=3), 1)
    )
    [(follow_up, _)] = await store.open_follow_ups(1)
    assert await store.get_follow_up(2, follow_up.id) is None
    assert await store.snooze_follow_up(2, follow_up.id, NOW) is None
    assert await store.open_follow_ups(2) == []
    pending = PendingLog(LogOrigin.COMMAND, Kind.OUTREACH, "Ana")
    draft = await store.create_draft(1, pending, NOW)
    assert await store.get_draft(1, draft) == pending
    assert await store.get_draft(2, draft) is None
    assert not await store.delete_draft(2, draft)
    assert await store.count_interactions(2, list(Kind)) == 0


async def test_same_name_in_two_chats_is_fine_but_not_twice_in_one(store: Store) -> None:
    await store.ensure_user(1, NOW)
    await store.ensure_user(2, NOW)
    await store.add_contact(1, name="Ana", name_key="ana", tier=Tier.WARM, note=None, now=NOW)
    await store.add_contact(2, name="Ana", name_key="ana", tier=Tier.WARM, note=None, now=NOW)
    with pytest.raises(DuplicateContactError) as raised:
        await store.add_contact(1, name="ANA", name_key="ana", tier=Tier.FIRST, note=None, now=NOW)
    assert raised.value.existing.name == "Ana"


async def test_recording_settles_follow_ups_in_one_transaction(store: Store) -> None:
    await store.ensure_user(1, NOW)
    ana = await store.add_contact(1, name="Ana", name_key="ana", tier=Tier.WARM, note=None, now=NOW)
    await store.record_interaction(
        1,
        ana.id,
        kind=Kind.OUTREACH,
        at=NOW,
        channel=Channel.EMAIL,
        schedule=FollowUpPlan(NOW + timedelta(days=3), 1),
    )
    later = NOW + timedelta(days=3)
    await store.record_interaction(
        1,
        ana.id,
        kind=Kind.FOLLOW_UP,
        at=later,
        close_open_follow_ups=FollowUpStatus.DONE,
        schedule=FollowUpPlan(later + timedelta(days=7), 2),
    )
    [(open_one, _)] = await store.open_follow_ups(1)
    assert (open_one.attempt, open_one.due_at) == (2, later + timedelta(days=7))
    first = await store.get_follow_up(1, 1)
    assert first is not None
    assert (first.status, first.closed_at) == (FollowUpStatus.DONE, later)
    [summary] = await store.contact_summaries(1)
    assert (summary.last_interaction_at, summary.outreach_count) == (later, 2)
    assert summary.has_open_follow_up


async def test_times_come_back_aware_in_utc(store: Store) -> None:
    user = await store.ensure_user(1, NOW)
    assert user.created_at == NOW
    assert user.created_at.tzinfo is UTC


async def test_naive_datetimes_are_refused(store: Store) -> None:
    with pytest.raises(sa.exc.StatementError):
        await store.ensure_user(1, NOW.replace(tzinfo=None))


async def test_unknown_user_settings_are_a_programming_error(store: Store) -> None:
    await store.ensure_user(1, NOW)
    with pytest.raises(TypeError):
        PreferenceChanges(favourite_colour="teal")  # type: ignore[call-arg]


async def test_preference_changes_set_what_they_name_and_leave_the_rest(store: Store) -> None:
    await store.ensure_user(1, NOW)
    await store.ensure_user(2, NOW)
    every = PreferenceChanges(
        name="Alex",
        timezone="Europe/Lisbon",
        goal_count=30,
        goal_date=date(2027, 3, 31),
        weekly_chats=4,
        daily_quota=5,
        morning_time=time(7, 30),
        evening_time=time(19, 0),
        follow_up_days=(2, 5, 10),
        rest_days=(),
        review_day=4,
        review_time=time(17, 0),
        stall_days=5,
        fear_prompts="daily",
    )
    user = await store.update_preferences(1, every)
    assert {field.name: getattr(user, field.name) for field in fields(every)} == asdict(every)
    assert await store.get_user(1) == user

    user = await store.update_preferences(1, PreferenceChanges(daily_quota=2))
    assert (user.daily_quota, user.weekly_chats, user.evening_time) == (2, 4, time(19, 0))
    user = await store.update_preferences(1, PreferenceChanges(goal_date=CLEAR, evening_time=CLEAR))
    assert (user.goal_date, user.evening_time, user.goal_count) == (None, None, 30)
    assert await store.update_preferences(1, PreferenceChanges()) == user

    other = await store.get_user(2)
    assert other is not None
    assert (other.name, other.timezone, other.daily_quota) == (None, "UTC", 3)


async def test_typed_updates_of_where_the_user_stands(store: Store) -> None:
    await store.ensure_user(1, NOW)
    await store.ensure_user(2, NOW)
    assert (await store.set_awaiting(1, AwaitGift(7))).awaiting == AwaitGift(7)
    assert (await store.set_awaiting(1, None)).awaiting is None

    user = await store.set_onboarding(1, OnboardingStep.GOAL, answers=PreferenceChanges(name="Sam"))
    assert (user.onboarding_step, user.onboarded, user.name) == ("goal", False, "Sam")
    assert user.awaiting == AwaitOnboarding()
    user = await store.set_onboarding(1, None, onboarded_at=NOW)
    assert (user.onboarding_step, user.onboarded_at) == (None, NOW)

    until = NOW + timedelta(days=3)
    user = await store.pause(1, now=NOW, until=until)
    assert user.paused(NOW)
    assert not user.paused(until)
    assert (await store.pause(1, now=NOW, until=None)).paused(until + timedelta(days=99))
    assert not (await store.resume(1)).paused(NOW)

    await store.set_schedule(1, "morning", NOW)
    await store.set_schedule(2, "morning", NOW)
    assert not (await store.set_active(1, False)).active
    assert [due.chat_id for due in await store.due_schedules(NOW, 10)] == [2]
    assert (await store.set_active(1, True)).active

    other = await store.get_user(2)
    assert other is not None
    assert (other.awaiting, other.onboarding_step, other.paused_at, other.active) == (
        None,
        None,
        None,
        True,
    )
