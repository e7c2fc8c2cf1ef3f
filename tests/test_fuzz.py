"""Fuzzing the real Application: arbitrary text, commands, arguments and button data.

Invariants: no handler raises, every message gets an answer, every press is answered,
and the database passes its integrity and foreign-key checks afterwards.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.clock import FrozenClock
from handlers import COMMAND_MENU
from tests.conftest import MONDAY_MORNING
from tests.harness import CHAT, BotHarness, running_bot

COMMANDS = [f"/{command}" for command, _ in COMMAND_MENU] + ["/nope", "/start@outreach_coach_bot"]
WORDS = ["Ana", "ana", "José Núñez", "via", "email", "linkedin", "advice", "-", "warm", "later"]

texts = st.text(min_size=1, max_size=300).filter(lambda text: text.strip() != "")
arguments = st.lists(st.sampled_from(WORDS) | st.text(max_size=20), max_size=6).map(" ".join)
commands = st.builds(
    lambda command, args: f"{command} {args}".strip(), st.sampled_from(COMMANDS), arguments
)
payloads = st.text(max_size=70) | st.builds(
    lambda action, args: ":".join(["1", action, *args]),
    st.sampled_from(["ct", "ra", "rc", "fu", "dr", "ob", "cl", "se", "sv", "sd", "dl", "ts"]),
    st.lists(st.text(alphabet="0123456789abcdefgyn-_.", max_size=6), max_size=3),
)
actions = st.lists(
    st.one_of(
        st.tuples(st.just("say"), texts),
        st.tuples(st.just("say"), commands),
        st.tuples(st.just("press"), st.integers(min_value=0, max_value=40)),
        st.tuples(st.just("forge"), payloads),
    ),
    min_size=1,
    max_size=25,
)


def _run(coroutine: Coroutine[Any, Any, None]) -> None:
    asyncio.run(coroutine)


async def _act(bot: BotHarness, kind: str, value: Any) -> None:
    emulator = bot.emulator
    answers_before = len(emulator.callback_answers)
    if kind == "say":
        assert await bot.say(value), f"no answer to {value!r}"
        return
    messages = [m for m in emulator.messages(CHAT) if m.buttons]
    if not messages:
        await bot.say("/add Ana")
        messages = [m for m in emulator.messages(CHAT) if m.buttons]
    message = messages[-1]
    if kind == "press":
        buttons = [b for row in message.buttons for b in row if b.callback_data]
        data = buttons[value % len(buttons)].callback_data
    else:
        data = value
    if not data:
        return
    update_id = emulator.press(CHAT, message.message_id, data)
    await emulator.wait_processed(update_id)
    assert len(emulator.callback_answers) > answers_before, f"press {data!r} was not answered"


async def _session(steps: list[tuple[str, Any]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        async with running_bot(Path(folder), FrozenClock(MONDAY_MORNING)) as bot:
            for kind, value in steps:
                await _act(bot, kind, value)
            async with bot.store.engine.connect() as conn:
                assert (await conn.exec_driver_sql("PRAGMA integrity_check")).scalar() == "ok"
                assert (await conn.exec_driver_sql("PRAGMA foreign_key_check")).all() == []


@settings(
    # `make test` runs a quick dozen; FUZZ_EXAMPLES=500 (make fuzz) digs deeper.
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "12")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(actions)
def test_arbitrary_input_never_breaks_the_bot(steps: list[tuple[str, Any]]) -> None:
    _run(_session(steps))
