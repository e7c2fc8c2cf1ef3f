"""The fan-out composes a batch of mornings from a few set-based queries (issue 13, points 3 and
5): each user's morning in a batch is exactly the one composed for that user alone, and a
batch of 200 users costs the database as many statements as a batch of 10."""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from bot.clock import FrozenClock
from bot.coaching.domain import (
    FollowUpPlan,
    Kind,
    PreferenceChanges,
    Stage,
    Tier,
    User,
)
from bot.coaching.morning import MorningPlan
from bot.coaching.names import name_key
from bot.coaching.timing import MessageKind
from bot.local.emulator import BotApiEmulator
from bot.messages.fears import MORNING_FEAR_LINE
from bot.usecases.partners import with_partner_news
from bot.usecases.scheduled import COMPOSERS, Outgoing, compose_batch
from bot.usecases.schedules import sync_schedules
from storage import Store
from tests.harness import BotHarness
from tests.postgres import fresh_postgres_database

# A Wednesday, 08:00 UTC: the morning of every user below.
NOW = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
LONG_AGO = NOW - timedelta(days=30)
STEADY = PreferenceChanges(stall_days=60)
FIRST_CHAT = 1_000

Setup = Callable[[Store, int], Awaitable[None]]


async def _user(store: Store, chat: int, changes: PreferenceChanges = STEADY) -> User:
    await store.ensure_user(chat, LONG_AGO)
    await store.update_preferences(chat, changes)
    return await store.set_onboarding(chat, None, onboarded_at=LONG_AGO)


async def _contact(store: Store, chat: int, name: str, tier: Tier = Tier.WARM) -> int:
    contact = await store.add_contact(
        chat, name=name, name_key=name_key(name), tier=tier, note=None, now=LONG_AGO
    )
    return contact.id


async def _reach(store: Store, chat: int, contact: int, at: datetime, due: datetime | None) -> None:
    plan = FollowUpPlan(due_at=due, attempt=1) if due else None
    await store.record_interaction(chat, contact, kind=Kind.OUTREACH, at=at, schedule=plan)


async def plain(store: Store, chat: int) -> None:
    await _user(store, chat)
    for name in ("Ana", "Ben"):
        await _contact(store, chat, name)


async def follow_ups_due(store: Store, chat: int) -> None:
    await _user(store, chat)
    for index in range(5):
        contact = await _contact(store, chat, f"Due {index}")
        await _reach(store, chat, contact, NOW - timedelta(days=3), NOW - timedelta(hours=index))
    await _contact(store, chat, "Fresh", Tier.FIRST)


async def stalled(store: Store, chat: int) -> None:
    await _user(store, chat, PreferenceChanges(stall_days=3))
    await _contact(store, chat, "Cleo")


async def restart_sent(store: Store, chat: int) -> None:
    await stalled(store, chat)
    await store.claim_message(chat, MessageKind.RESTART.value, LONG_AGO.date().isoformat(), NOW)


async def rest_day(store: Store, chat: int) -> None:
    await _user(store, chat, PreferenceChanges(rest_days=(2,), stall_days=60))
    await _contact(store, chat, "Dan")


async def paused(store: Store, chat: int) -> None:
    await plain(store, chat)
    await store.pause(chat, now=NOW - timedelta(days=1), until=None)


async def quota_met(store: Store, chat: int) -> None:
    await _user(store, chat, PreferenceChanges(daily_quota=1, stall_days=60))
    contact = await _contact(store, chat, "Eve")
    await _reach(store, chat, contact, NOW - timedelta(minutes=5), None)
    await _contact(store, chat, "Finn")


async def silence_fear(store: Store, chat: int) -> None:
    await _user(store, chat, PreferenceChanges(stall_days=60, fear_prompts="some"))
    helen = await _contact(store, chat, "Helen")
    await _reach(store, chat, helen, NOW - timedelta(days=8), None)
    fear = await store.add_fear(chat, text="Helen will ignore me", strength=4, now=LONG_AGO)
    await store.tie_fear(chat, fear.id, helen)
    await _contact(store, chat, "Ida")


async def silence_asked(store: Store, chat: int) -> None:
    await silence_fear(store, chat)
    [fear] = await store.fears_of(chat)
    await store.claim_message(chat, "silence_check", str(fear.id), NOW)


async def fear_prompt_day(store: Store, chat: int) -> None:
    await _user(store, chat, PreferenceChanges(stall_days=60, fear_prompts="daily"))
    await _contact(store, chat, "Jo")


async def fear_question_settled(store: Store, chat: int) -> None:
    await fear_prompt_day(store, chat)
    await store.claim_message(chat, "fear_question", NOW.date().isoformat(), NOW)


async def give_and_pace(store: Store, chat: int) -> None:
    # Monday and Tuesday rested: Wednesday is the week's first active day, the give day.
    await _user(store, chat, PreferenceChanges(rest_days=(0, 1, 5, 6), stall_days=60))
    kim = await _contact(store, chat, "Kim")
    await _reach(store, chat, kim, NOW - timedelta(days=10), None)
    await store.record_interaction(chat, kim, kind=Kind.REPLY_POSITIVE, at=NOW - timedelta(days=9))
    await store.add_opportunity(chat, kim, title="Analyst", stage=Stage.INTERVIEW, now=LONG_AGO)
    await store.add_target(chat, "Acme", LONG_AGO)


async def partner(store: Store, chat: int) -> None:
    await stalled(store, chat)
    await store.ensure_user(chat + 1000, LONG_AGO)
    invite = await store.create_invite(
        chat, digest=f"digest-{chat}", owner_name="Lea", now=LONG_AGO, until=NOW
    )
    assert invite is not None
    await store.accept_invite(
        invite.id, partner_chat_id=chat + 1000, partner_name="Max", now=LONG_AGO
    )


async def far_zone(store: Store, chat: int) -> None:
    await _user(store, chat, PreferenceChanges(timezone="Pacific/Auckland", stall_days=60))
    contact = await _contact(store, chat, "Noa")
    await _reach(store, chat, contact, NOW - timedelta(days=2), NOW)


CASES: dict[str, Setup] = {
    "plain": plain,
    "follow-ups due": follow_ups_due,
    "stalled": stalled,
    "restart already sent": restart_sent,
    "rest day": rest_day,
    "paused": paused,
    "quota met": quota_met,
    "silence fear": silence_fear,
    "silence already asked": silence_asked,
    "fear prompt day": fear_prompt_day,
    "fear question settled": fear_question_settled,
    "give and pace": give_and_pace,
    "partner": partner,
    "far zone": far_zone,
}


def _shape(outgoing: Outgoing | Exception | None) -> str:
    """What kind of morning it was, in a few words."""
    if outgoing is None or isinstance(outgoing, Exception):
        return repr(outgoing)
    plan = MorningPlan.from_json(outgoing.content)
    parts = [outgoing.kind.value]
    if plan is not None:
        parts.append(f"{len(plan.follow_up_ids)}+{plan.more} follow-ups")
    if "No answer from Helen" in outgoing.text:
        parts.append("silence check")
    if MORNING_FEAR_LINE in outgoing.text:
        parts.append("fear question")
    if "🎁" in outgoing.text or any(
        "🎁" in button.label for row in outgoing.rows for button in row
    ):
        parts.append("give")
    if outgoing.partner_messages:
        parts.append("partner")
    return ", ".join(parts)


async def test_each_morning_of_a_batch_is_the_one_composed_for_that_user_alone(
    store: Store,
) -> None:
    chats = {name: 100 + index * 10 for index, name in enumerate(CASES)}
    for name, setup in CASES.items():
        await setup(store, chats[name])
    users = [await store.get_user(chat) for chat in chats.values()]
    due = [(user, NOW) for user in users if user is not None]
    random.Random(13).shuffle(due)  # the batch's order is no one's business
    compose = with_partner_news(COMPOSERS)[MessageKind.MORNING]

    batch = await compose_batch(compose, store, due, NOW)
    alone = [await compose(store, user, at, NOW) for user, at in due]

    assert batch == alone
    shapes = {
        user.chat_id: _shape(outgoing) for (user, _), outgoing in zip(due, batch, strict=True)
    }
    assert {name: shapes[chat] for name, chat in chats.items()} == {
        "plain": "morning, 0+0 follow-ups",
        "follow-ups due": "morning, 3+2 follow-ups",
        "stalled": "restart",
        "restart already sent": "morning",
        "rest day": "None",
        "paused": "None",
        "quota met": "None",
        "silence fear": "morning, 0+0 follow-ups, silence check",
        "silence already asked": "morning, 0+0 follow-ups",
        "fear prompt day": "morning, 0+0 follow-ups, fear question",
        "fear question settled": "morning, 0+0 follow-ups",
        "give and pace": "morning, 0+0 follow-ups, give",
        "partner": "restart, partner",
        "far zone": "morning, 1+0 follow-ups",
    }


async def _seed_due(store: Store, first_chat: int, count: int) -> None:
    """`count` users whose morning is due at NOW, each with a follow-up due and a suggestion."""
    for chat in range(first_chat, first_chat + count):
        user = await _user(store, chat)
        await sync_schedules(store, user, NOW - timedelta(minutes=1))
        contact = await _contact(store, chat, "Ana")
        await _reach(store, chat, contact, NOW - timedelta(days=3), NOW - timedelta(hours=1))
        await _contact(store, chat, "Ben")


async def _statements_of_one_tick(url: str, count: int) -> int:
    """On a fresh database, seed `count` due users, run one tick (one batch) and count the SQL
    statements it made."""
    async with BotApiEmulator() as emulator:
        bot = BotHarness(emulator, FrozenClock(NOW), url)
        await bot.start()
        try:
            await _seed_due(bot.store, FIRST_CHAT, count)
            statements: list[str] = []

            def count_statement(*args: Any) -> None:
                statements.append(args[2])

            engine = bot.store.engine.sync_engine
            event.listen(engine, "before_cursor_execute", count_statement)
            try:
                report = await bot.tick()
            finally:
                event.remove(engine, "before_cursor_execute", count_statement)
        finally:
            await bot.stop()
        assert bot.errors == []
        assert report.outcomes == {"sent": count}
        chats = range(FIRST_CHAT, FIRST_CHAT + count)
        assert [len(emulator.messages(chat)) for chat in chats] == [1] * count
        return len(statements)


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
async def test_a_batch_of_150_users_takes_as_many_statements_as_a_batch_of_10(
    database: str, tmp_path: Path
) -> None:
    counts = []
    for users in (10, 150):  # one batch each (a lease on PostgreSQL takes 200 rows)
        if database == "sqlite":
            counts.append(
                await _statements_of_one_tick(f"sqlite:///{tmp_path / f'{users}.db'}", users)
            )
            continue
        async with fresh_postgres_database() as url:
            counts.append(await _statements_of_one_tick(url, users))
    small, large = counts
    assert small == large
    assert small < 20
