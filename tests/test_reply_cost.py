"""What the everyday replies cost the database: the statements each of /today, a plain
sentence, /followups and /progress runs, counted at the engine, stay within what they need.

A guard against a query creeping back in per update (the user read twice, a count that
could ride along): when a change needs one more, raise the bound here on purpose.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event

from bot.coaching.domain import FollowUpPlan, Kind, PreferenceChanges, Tier
from bot.coaching.names import name_key
from tests.harness import CHAT, BotHarness

# The claim (an insert) and the user; then what the reply itself reads or writes.
MOST_STATEMENTS = {
    "/today": 6,  # + open follow-ups, today's count, contact summaries, target companies
    "messaged Ana on LinkedIn yesterday": 4,  # + contacts, the draft
    "/followups": 3,  # + open follow-ups
    "/progress": 4,  # + the log, the pipeline
}


async def set_up(bot: BotHarness) -> None:
    """An onboarded user with a few contacts, logs and follow-ups (some due)."""
    store, now = bot.store, bot.clock.now()
    await store.ensure_user(CHAT, now - timedelta(days=20))
    await store.update_preferences(CHAT, PreferenceChanges(name="Sam"))
    await store.set_onboarding(CHAT, None, onboarded_at=now - timedelta(days=20))
    for index, name in enumerate(("Ana Lopez", "Bob Stone", "Cleo Park")):
        contact = await store.add_contact(
            CHAT, name=name, name_key=name_key(name), tier=Tier.WARM, note=None, now=now
        )
        await store.record_interaction(
            CHAT,
            contact.id,
            kind=Kind.OUTREACH,
            at=now - timedelta(days=5 + index),
            schedule=FollowUpPlan(now + timedelta(days=index - 1), attempt=1),
        )


@contextmanager
def counting(bot: BotHarness) -> Iterator[list[str]]:
    """The SQL statements the bot's engine runs inside the block."""
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    engine = bot.store.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


@pytest.mark.parametrize("text", list(MOST_STATEMENTS))
async def test_an_everyday_reply_runs_few_statements(bot: BotHarness, text: str) -> None:
    await set_up(bot)
    await bot.say(text)  # the first one also warms what is cached per process
    with counting(bot) as statements:
        replies = await bot.say(text)
    assert replies, "no answer"
    assert len(statements) <= MOST_STATEMENTS[text], "\n".join(statements)


async def test_the_claim_reads_the_user_the_command_uses(bot: BotHarness) -> None:
    await set_up(bot)
    with counting(bot) as statements:
        await bot.say("/followups")
    user_reads = [sql for sql in statements if sql.lstrip().startswith("SELECT users.")]
    assert len(user_reads) == 1, statements
