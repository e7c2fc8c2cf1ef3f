"""One chat's data stays bounded, with a friendly answer at each limit, and nothing is
confirmed before it is stored (issue 11, point 10)."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from bot.coaching.domain import MAX_CONTACTS, MAX_LOGS_PER_DAY, Kind
from bot.usecases.schedules import forget_old_records
from storage.schema import contacts, interactions
from tests.harness import CHAT, BotHarness


async def _contact_count(bot: BotHarness) -> int:
    async with bot.store.engine.connect() as conn:
        query = sa.select(sa.func.count()).where(contacts.c.chat_id == CHAT)
        return int((await conn.execute(query)).scalar_one())


async def test_contacts_stop_at_the_limit_with_a_friendly_answer(bot: BotHarness) -> None:
    await bot.say("/start")
    now = bot.clock.now()
    rows = [
        {"chat_id": CHAT, "name": f"Person {n}", "name_key": f"person {n}", "tier": "warm"}
        | {"created_at": now}
        for n in range(MAX_CONTACTS)
    ]
    async with bot.store.engine.begin() as conn:
        await conn.execute(contacts.insert(), rows)
    [reply] = await bot.say("/add Ana warm")
    assert "5,000 contacts, the most I keep" in reply.text
    assert await _contact_count(bot) == MAX_CONTACTS


async def test_logs_stop_at_the_daily_limit_and_nothing_is_confirmed(bot: BotHarness) -> None:
    await bot.say("/add Ana")
    [ana] = await bot.store.list_contacts(CHAT)
    now = bot.clock.now()
    rows = [
        {"chat_id": CHAT, "contact_id": ana.id, "kind": "outreach", "at": now}
        for _ in range(MAX_LOGS_PER_DAY)
    ]
    async with bot.store.engine.begin() as conn:
        await conn.execute(interactions.insert(), rows)
    [reply] = await bot.say("/reach Ana via email")
    assert "200 logs in one day" in reply.text
    assert "Logged" not in reply.text
    assert await bot.store.count_interactions(CHAT, list(Kind)) == MAX_LOGS_PER_DAY


async def test_an_unanswered_draft_expires_after_a_day(bot: BotHarness) -> None:
    [offer] = await bot.say("/reach Nadia via email")
    assert "Add them and log this?" in offer.text
    bot.clock.advance(timedelta(days=1, minutes=1))
    await forget_old_records(bot.store, bot.clock.now())
    await bot.press("➕ Add Nadia")
    assert bot.emulator.callback_answers[-1].get("text") == "Already handled."
    assert await bot.store.list_contacts(CHAT) == []


async def test_a_log_is_confirmed_only_after_it_is_stored(bot: BotHarness) -> None:
    await bot.say("/add Ana")
    await bot.press("📨 Reached out")
    async with bot.store.engine.begin() as conn:
        await conn.exec_driver_sql(
            "CREATE TRIGGER refuse BEFORE INSERT ON interactions "
            "BEGIN SELECT RAISE(ABORT, 'the disk is full'); END"
        )
    await bot.press("✉️ Email")
    toasts = [answer.get("text") for answer in bot.emulator.callback_answers]
    assert "Logged ✅" not in toasts
    assert "Sorry, something went wrong" in bot.last().text
    assert len(bot.errors) == 1
    bot.errors.clear()
    assert await bot.store.count_interactions(CHAT, list(Kind)) == 0
