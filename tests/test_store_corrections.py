"""Taking logs back and fixing contacts in the Store: each a single transaction, scoped by chat,
on SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.coaching.domain import (
    CLEAR,
    Ask,
    Channel,
    ContactFootprint,
    FollowUpEffects,
    FollowUpPlan,
    FollowUpStatus,
    InteractionChanges,
    Kind,
    Stage,
    Tier,
)
from storage import DuplicateContactError, Store
from tests.postgres import fresh_postgres_database

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)


@pytest.fixture(params=["sqlite", "postgresql"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    if request.param == "sqlite":
        opened = await Store.open(f"sqlite:///{tmp_path / 'store.db'}")
        await opened.ensure_user(1, NOW)
        await opened.ensure_user(2, NOW)
        yield opened
        await opened.close()
        return
    async with fresh_postgres_database() as url:
        opened = await Store.open(url)
        await opened.ensure_user(1, NOW)
        await opened.ensure_user(2, NOW)
        yield opened
        await opened.close()


async def _contact(store: Store, name: str, chat_id: int = 1) -> int:
    contact = await store.add_contact(
        chat_id, name=name, name_key=name.lower(), tier=Tier.WARM, note=None, now=NOW
    )
    return contact.id


async def _reach(store: Store, contact_id: int, at: datetime, attempt: int) -> int:
    interaction = await store.record_interaction(
        1,
        contact_id,
        kind=Kind.OUTREACH if attempt == 1 else Kind.FOLLOW_UP,
        at=at,
        channel=Channel.EMAIL,
        close_open_follow_ups=FollowUpStatus.DONE if attempt > 1 else None,
        schedule=FollowUpPlan(at + 3 * DAY, attempt),
    )
    return interaction.id


async def test_taking_back_a_follow_up_reopens_the_one_it_closed(store: Store) -> None:
    ana = await _contact(store, "Ana")
    first = await _reach(store, ana, NOW, 1)
    second = await _reach(store, ana, NOW + 3 * DAY, 2)
    entry = await store.log_entry(1, second)
    assert entry is not None
    assert entry.latest
    assert [item.attempt for item in entry.planned] == [2]
    assert [item.attempt for item in entry.closed] == [1]
    removed = await store.remove_interaction(1, second)
    assert removed == entry
    [(open_one, _)] = await store.open_follow_ups(1)
    assert (open_one.attempt, open_one.due_at, open_one.closed_at) == (1, NOW + 3 * DAY, None)
    assert open_one.status is FollowUpStatus.OPEN
    assert [item.id for item in await store.contact_history(1, ana)] == [first]
    assert await store.remove_interaction(1, second) is None  # twice: nothing changes
    assert len(await store.open_follow_ups(1)) == 1


async def test_taking_back_an_older_log_leaves_what_later_logs_settled(store: Store) -> None:
    ana = await _contact(store, "Ana")
    first = await _reach(store, ana, NOW, 1)
    await _reach(store, ana, NOW + 3 * DAY, 2)
    entry = await store.log_entry(1, first)
    assert entry is not None
    assert not entry.latest
    await store.remove_interaction(1, first)
    [(open_one, _)] = await store.open_follow_ups(1)
    assert open_one.attempt == 2  # the newer follow-up stands; nothing reopened beside it


async def test_undo_is_scoped_by_chat(store: Store) -> None:
    ana = await _contact(store, "Ana")
    first = await _reach(store, ana, NOW, 1)
    assert await store.log_entry(2, first) is None
    assert await store.remove_interaction(2, first) is None
    assert await store.edit_interaction(2, first, InteractionChanges(note="x")) is None
    assert await store.last_logged(2) is None
    last = await store.last_logged(1)
    assert last is not None
    assert last.id == first


async def test_fears_are_untied_as_they_were(store: Store) -> None:
    ana = await _contact(store, "Ana")
    bob = await _contact(store, "Bob")
    waiting = await store.add_fear(
        1, text="she'll ignore me", strength=4, now=NOW, tie_until=NOW + DAY
    )
    to_ana = await _reach(store, ana, NOW, 1)
    await store.tie_fears_to_outreach(1, ana, to_ana, NOW)
    to_bob = await _reach(store, bob, NOW, 1)
    await store.rate_nervousness(1, to_bob, 3, NOW)
    for outreach in (to_ana, to_bob):
        entry = await store.log_entry(1, outreach)
        assert entry is not None
        assert len(entry.fears) == 1
        await store.remove_interaction(1, outreach)
    [fear] = await store.fears_of(1)  # the bare rating of Bob's outreach went with it
    assert fear.id == waiting.id
    assert (fear.contact_id, fear.interaction_id, fear.tie_until) == (None, None, NOW + DAY)


async def test_editing_the_latest_log_replans_its_follow_up(store: Store) -> None:
    ana = await _contact(store, "Ana")
    outreach = await _reach(store, ana, NOW, 1)
    replan = FollowUpEffects(FollowUpStatus.REPLIED)
    edited = await store.edit_interaction(
        1,
        outreach,
        InteractionChanges(kind=Kind.REPLY_POSITIVE, channel=CLEAR, note="happy to chat"),
        replan=replan,
    )
    assert edited is not None
    assert (edited.kind, edited.channel, edited.note) == (
        Kind.REPLY_POSITIVE,
        None,
        "happy to chat",
    )
    assert await store.open_follow_ups(1) == []
    moved = await store.edit_interaction(
        1, outreach, InteractionChanges(ask=Ask.ADVICE, at=NOW - DAY, note=CLEAR)
    )
    assert moved is not None
    assert (moved.ask, moved.at, moved.note) == (Ask.ADVICE, NOW - DAY, None)


async def test_rename_refuses_a_name_taken(store: Store) -> None:
    ana = await _contact(store, "Ana")
    await _contact(store, "Bob")
    renamed = await store.rename_contact(1, ana, name="ANA López", name_key="ana lopez")
    assert renamed is not None
    assert renamed.name == "ANA López"
    with pytest.raises(DuplicateContactError) as taken:
        await store.rename_contact(1, ana, name="bob", name_key="bob")
    assert taken.value.existing.name == "Bob"
    assert await store.rename_contact(2, ana, name="X", name_key="x") is None


async def test_merge_moves_everything_and_collapses_open_follow_ups(store: Store) -> None:
    rui = await _contact(store, "Rui")
    costa = await _contact(store, "Rui Costa")
    await store.update_contact(1, rui, note="school friend")
    await _reach(store, rui, NOW, 1)
    await _reach(store, costa, NOW - DAY, 1)
    await store.add_opportunity(1, rui, title="UX role", stage=Stage.CHAT, now=NOW)
    fear = await store.add_fear(1, text="he'll say no", strength=2, now=NOW)
    await store.tie_fear(1, fear.id, rui)
    assert await store.contact_footprint(1, rui) == ContactFootprint(1, 1, 1, 1)
    assert await store.merge_contact(2, rui, costa) is None
    assert await store.merge_contact(1, rui, rui) is None
    merged = await store.merge_contact(1, rui, costa)
    assert merged is not None
    assert (merged.name, merged.note) == ("Rui Costa", "school friend")
    assert await store.get_contact(1, rui) is None
    assert await store.contact_footprint(1, costa) == ContactFootprint(2, 1, 1, 1)
    [(open_one, _)] = await store.open_follow_ups(1)
    assert open_one.due_at == NOW + 2 * DAY  # the soonest due of the two


async def test_delete_contact_takes_its_rows_along(store: Store) -> None:
    ana = await _contact(store, "Ana")
    other = await _contact(store, "Ana", chat_id=2)
    await _reach(store, ana, NOW, 1)
    assert not await store.delete_contact(2, ana)
    assert await store.delete_contact(1, ana)
    assert await store.contact_footprint(1, ana) is None
    assert await store.interactions_of(1) == []
    assert await store.open_follow_ups(1) == []
    assert await store.get_contact(2, other) is not None
