"""The users table: one row per chat, its settings and where it stands."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from bot.coaching.domain import (
    DEFAULT_DAILY_QUOTA,
    DEFAULT_FOLLOW_UP_DAYS,
    DEFAULT_GOAL_COUNT,
    DEFAULT_MORNING_TIME,
    DEFAULT_REST_DAYS,
    DEFAULT_TIMEZONE,
    DEFAULT_WEEKLY_CHATS,
    User,
)
from storage.queries import Queries
from storage.rows import int_list_text, time_text, user_column_value, user_record
from storage.schema import users

# Settings a user can change.
_USER_FIELDS = {
    "name",
    "timezone",
    "goal_count",
    "goal_date",
    "weekly_chats",
    "daily_quota",
    "morning_time",
    "evening_time",
    "follow_up_days",
    "rest_days",
    "onboarding_step",
    "onboarded_at",
    "awaiting",
    "active",
    "paused_at",
    "paused_until",
    "review_day",
    "review_time",
    "stall_days",
    "fear_prompts",
}


class UserQueries(Queries):
    """Reading, creating and changing the user of a chat."""

    async def get_user(self, chat_id: int) -> User | None:
        """The user of this chat, or None for a chat the bot has never seen."""
        async with self._engine.connect() as conn:
            row = (await conn.execute(sa.select(users).where(users.c.chat_id == chat_id))).first()
        return user_record(row) if row else None

    async def ensure_user(self, chat_id: int, now: datetime) -> User:
        """The user of this chat, created with the default settings when new."""
        async with self._engine.begin() as conn:
            row = (await conn.execute(sa.select(users).where(users.c.chat_id == chat_id))).first()
            if row is None:
                await conn.execute(
                    users.insert().values(
                        chat_id=chat_id,
                        timezone=DEFAULT_TIMEZONE,
                        goal_count=DEFAULT_GOAL_COUNT,
                        weekly_chats=DEFAULT_WEEKLY_CHATS,
                        daily_quota=DEFAULT_DAILY_QUOTA,
                        morning_time=time_text(DEFAULT_MORNING_TIME),
                        follow_up_days=int_list_text(DEFAULT_FOLLOW_UP_DAYS),
                        rest_days=int_list_text(DEFAULT_REST_DAYS),
                        created_at=now,
                    )
                )
                row = (await conn.execute(sa.select(users).where(users.c.chat_id == chat_id))).one()
        return user_record(row)

    async def update_user(self, chat_id: int, **changes: Any) -> User:
        """Change some of the user's settings; unknown names are a programming error."""
        unknown = set(changes) - _USER_FIELDS
        if unknown:
            raise TypeError(f"not user settings: {sorted(unknown)}")
        values = {name: user_column_value(name, value) for name, value in changes.items()}
        async with self._engine.begin() as conn:
            await conn.execute(users.update().where(users.c.chat_id == chat_id).values(**values))
            row = (await conn.execute(sa.select(users).where(users.c.chat_id == chat_id))).one()
        return user_record(row)
