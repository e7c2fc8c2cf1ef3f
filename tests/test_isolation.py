"""Isolation: a button pressed in one chat never reads or changes another chat's data."""

from __future__ import annotations

import asyncio
import os
import tempfile
from dataclasses import fields
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.clock import FrozenClock
from bot.usecases.actions import actions
from tests.conftest import MONDAY_MORNING
from tests.harness import BotHarness, running_bot

ALICE, BOB = 5001, 5002


async def _two_users(bot: BotHarness) -> list[int]:
    """Both users log a little; returns the ids of Bob's rows (contacts, follow-ups, drafts)."""
    for chat in (ALICE, BOB):
        await bot.say("/add Ana", chat_id=chat)
        await bot.say("/add Zoe first", chat_id=chat)
        await bot.say("/reach Ana via email", chat_id=chat)
    await bot.say("/reach Nobody Known", chat_id=BOB)  # leaves a draft waiting
    bot.clock.advance(timedelta(days=4))
    rows = await bot.store.export_rows(BOB)
    assert rows is not None
    return sorted(
        {row["id"] for table in ("contacts", "follow_ups", "drafts") for row in rows[table]}
    )


def _payloads(bob_ids: list[int]) -> st.SearchStrategy[str]:
    ids = st.sampled_from(bob_ids).map(str)
    words = st.sampled_from(["y", "n", "d", "s", "r", "x", "p", "l", "email", "warm", "add", "0"])
    arity = {code: len(fields(action)) for code, action in actions().items()}  # type: ignore[arg-type]
    crafted = st.sampled_from(sorted(arity)).flatmap(
        lambda code: st.lists(ids | words, min_size=arity[code], max_size=arity[code]).map(
            lambda args: ":".join(["1", code, *args])
        )
    )
    return crafted | st.text(max_size=80) | st.just("1:ct:" + "9" * 60)


async def _check(payloads: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        async with running_bot(Path(folder), FrozenClock(MONDAY_MORNING)) as bot:
            await _two_users(bot)
            bob_before = await bot.store.export_rows(BOB)
            target = bot.emulator.last_message(ALICE)
            for data in payloads:
                answers = len(bot.emulator.callback_answers)
                update_id = bot.emulator.press(ALICE, target.message_id, data)
                await bot.emulator.wait_processed(update_id)
                assert len(bot.emulator.callback_answers) == answers + 1, data
            assert await bot.store.export_rows(BOB) == bob_before
            alice_sees = " ".join(message.text for message in bot.emulator.messages(ALICE))
            assert "Nobody" not in alice_sees  # only Bob's draft holds that name


@st.composite
def _sessions(draw: st.DrawFn) -> list[str]:
    # Bob's ids are known in advance: both users are set up the same way every time, so
    # his rows get the same ids (contacts 3 and 4, follow-up 2, draft 1).
    return draw(st.lists(_payloads([1, 2, 3, 4]), min_size=1, max_size=20))


@settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "6")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(_sessions())
def test_crafted_buttons_never_touch_another_chat(payloads: list[str]) -> None:
    asyncio.run(_check(payloads))


async def test_bobs_ids_are_the_ones_the_property_test_forges(
    tmp_path: Path, clock: FrozenClock
) -> None:
    async with running_bot(tmp_path, clock) as bot:
        ids = await _two_users(bot)
    assert set(ids) <= {1, 2, 3, 4}
