"""Shared fixtures: a frozen clock, a store on each database, and a running bot against the
emulator."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.clock import FrozenClock
from storage import Store
from tests.harness import BotHarness, running_bot
from tests.postgres import fresh_postgres_database

# PTB's coming default for time periods; the old int form warns, and warnings fail tests.
os.environ.setdefault("PTB_TIMEDELTA", "1")

# A Monday morning, so the default quota applies.
MONDAY_MORNING = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FrozenClock:
    """A clock stopped on a Monday at 09:00 UTC."""
    return FrozenClock(MONDAY_MORNING)


@pytest.fixture(params=["sqlite", "postgresql"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    """The same contract, on an SQLite file and on a fresh PostgreSQL database."""
    if request.param == "sqlite":
        opened = await Store.open(f"sqlite:///{tmp_path / 'store.db'}")
        yield opened
        await opened.close()
        return
    async with fresh_postgres_database() as url:
        opened = await Store.open(url)
        yield opened
        await opened.close()


@pytest.fixture
async def bot(tmp_path: Path, clock: FrozenClock) -> AsyncIterator[BotHarness]:
    """The real bot, started against the emulator on a fresh SQLite file."""
    async with running_bot(tmp_path, clock) as harness:
        yield harness


@pytest.fixture
async def app_bot(tmp_path: Path, clock: FrozenClock) -> AsyncIterator[BotHarness]:
    """The real bot serving its Mini App on a free local port, on a fresh SQLite file."""
    async with running_bot(tmp_path, clock, webapp=True) as harness:
        yield harness
