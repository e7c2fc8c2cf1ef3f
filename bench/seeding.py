"""Bulk seeding of onboarded users for the benchmarks: users, their schedules, contacts, logs
and a follow-up due, written with Core bulk inserts (thousands of rows a statement)."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
import sqlalchemy as sa

from bot.coaching.domain import (
    DEFAULT_DAILY_QUOTA,
    DEFAULT_FOLLOW_UP_DAYS,
    DEFAULT_GOAL_COUNT,
    DEFAULT_REST_DAYS,
    DEFAULT_REVIEW_DAY,
    DEFAULT_REVIEW_TIME,
    DEFAULT_STALL_DAYS,
    DEFAULT_WEEKLY_CHATS,
    Channel,
    FollowUpStatus,
    Kind,
    Tier,
)
from bot.coaching.timing import MessageKind, next_weekly
from storage import Store
from storage.schema import contacts, follow_ups, interactions, schedules, users

SEED_CHUNK = 5_000


@dataclass(frozen=True)
class UserGroup:
    """Users `first_chat`, `first_chat + 1`, ... who joined two days before `now`, with a
    morning message due at `due_at` (their morning time is `due_at` in their zone), spread
    over `zones`, each with `contacts` contacts."""

    first_chat: int
    count: int
    now: datetime
    due_at: datetime
    zones: Sequence[str]
    contacts: int = 3

    @property
    def chats(self) -> range:
        """The group's chat ids."""
        return range(self.first_chat, self.first_chat + self.count)


async def seed(database_url: str, *groups: UserGroup) -> None:
    """Users who finished onboarding two days before their group's `now`, each with a
    morning due at `due_at`, a weekly review planned (not due), and contacts: the first
    reached yesterday with a follow-up due an hour ago, the second reached three days ago.
    Applies the migrations first; on PostgreSQL, gathers the planner's statistics last."""
    store = await Store.open(database_url)
    next_id = itertools.count(1)
    try:
        for group in groups:
            for start in range(0, group.count, SEED_CHUNK):
                rows: dict[sa.Table, list[dict[str, Any]]] = {
                    table: [] for table in (users, schedules, contacts, interactions, follow_ups)
                }
                for chat_id in group.chats[start : start + SEED_CHUNK]:
                    zone = group.zones[chat_id % len(group.zones)]
                    _seed_user(rows, chat_id, zone, group)
                    for number in range(group.contacts):
                        _seed_contact(rows, chat_id, next(next_id), number, group.now)
                async with store.engine.begin() as conn:
                    for table, table_rows in rows.items():
                        if table_rows:
                            await conn.execute(table.insert(), table_rows)
        if store.engine.dialect.name == "postgresql":
            # A live database has its statistics (autovacuum gathers them as rows change); a
            # bulk load measured at once has none, and the planner would scan whole tables.
            async with store.engine.connect() as conn:
                await conn.execute(sa.text("ANALYZE"))
                await conn.commit()
    finally:
        await store.close()


def _seed_user(
    rows: dict[sa.Table, list[dict[str, Any]]], chat_id: int, zone: str, group: UserGroup
) -> None:
    morning = group.due_at.astimezone(ZoneInfo(zone)).time()
    created = group.now - timedelta(days=2)
    rows[users].append(
        {
            "chat_id": chat_id,
            "name": f"User {chat_id}",
            "timezone": zone,
            "goal_count": DEFAULT_GOAL_COUNT,
            "weekly_chats": DEFAULT_WEEKLY_CHATS,
            "daily_quota": DEFAULT_DAILY_QUOTA,
            "morning_time": morning.strftime("%H:%M"),
            "follow_up_days": ",".join(map(str, DEFAULT_FOLLOW_UP_DAYS)),
            "rest_days": ",".join(map(str, DEFAULT_REST_DAYS)),
            "onboarded_at": created,
            "created_at": created,
            "active": True,
            "review_day": DEFAULT_REVIEW_DAY,
            "review_time": DEFAULT_REVIEW_TIME.strftime("%H:%M"),
            "stall_days": DEFAULT_STALL_DAYS,
        }
    )
    review = next_weekly(DEFAULT_REVIEW_DAY, DEFAULT_REVIEW_TIME, zone, group.due_at)
    rows[schedules] += [
        {"chat_id": chat_id, "kind": MessageKind.MORNING.value, "next_at": group.due_at},
        {"chat_id": chat_id, "kind": MessageKind.WEEKLY_REVIEW.value, "next_at": review},
    ]


def _seed_contact(
    rows: dict[sa.Table, list[dict[str, Any]]],
    chat_id: int,
    contact_id: int,
    number: int,
    now: datetime,
) -> None:
    name = f"Contact {number + 1}"
    rows[contacts].append(
        {
            "id": contact_id,
            "chat_id": chat_id,
            "name": name,
            "name_key": name.lower(),
            "tier": Tier.WARM.value,
            "created_at": now - timedelta(days=2),
        }
    )
    if number > 1:
        return
    rows[interactions].append(
        {
            "id": contact_id,
            "chat_id": chat_id,
            "contact_id": contact_id,
            "kind": Kind.OUTREACH.value,
            "channel": Channel.EMAIL.value,
            "at": now - timedelta(days=1 if number == 0 else 3),
        }
    )
    if number == 0:
        rows[follow_ups].append(
            {
                "id": contact_id,
                "chat_id": chat_id,
                "contact_id": contact_id,
                "due_at": now - timedelta(hours=1),
                "attempt": 1,
                "status": FollowUpStatus.OPEN.value,
            }
        )


@contextlib.contextmanager
def sqlite_folder() -> Iterator[str]:
    """A temporary folder for SQLite files, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="bench-") as directory:
        yield directory


@contextlib.contextmanager
def postgres_database(admin_url: str) -> Iterator[str]:
    """A new PostgreSQL database next to `admin_url` (for code outside an event loop),
    dropped afterwards."""
    name = f"bench_{uuid.uuid4().hex[:12]}"
    asyncio.run(_admin(admin_url, f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.rsplit("/", 1)[0] + "/" + name
    finally:
        asyncio.run(_admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@contextlib.asynccontextmanager
async def fresh_database(kind: str, postgres_url: str) -> AsyncIterator[str]:
    """A fresh SQLite file (`kind` "sqlite") or a new PostgreSQL database next to
    `postgres_url`, for code inside an event loop; removed afterwards."""
    if kind == "sqlite":
        with sqlite_folder() as folder:
            yield f"sqlite:///{folder}/bench.db"
        return
    name = f"bench_{uuid.uuid4().hex[:12]}"
    await _admin(postgres_url, f'CREATE DATABASE "{name}"')
    try:
        yield postgres_url.rsplit("/", 1)[0] + "/" + name
    finally:
        await _admin(postgres_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def _admin(admin_url: str, statement: str) -> None:
    admin = await asyncpg.connect(admin_url, timeout=5)
    try:
        await admin.execute(statement)
    finally:
        await admin.close()
