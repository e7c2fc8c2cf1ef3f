"""The users table: one row per chat, its settings and where it stands."""

from __future__ import annotations

from dataclasses import fields
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
    PreferenceChanges,
    User,
)
from storage.queries import Queries
from storage.rows import (
    int_list_text,
    preference_columns,
    time_text,
    user_column_value,
    user_record,
)
from storage.schema import users

# What update_user may change: the preferences and where the user stands.
_USER_FIELDS = {field.name for field in fields(PreferenceChanges)} | {
    "onboarding_step",
    "onboarded_at",
    "awaiting",
    "active",
    "paused_at",
    "paused_until",
}


class UserQueries(Queries):
    """Reading, creating and changing the user of a chat."""

    async def get_user(self, chat_id: int) -> User | None:
        """The user of this chat, or None for a chat the bot has never seen."""
        async with self._engine.connect() as conn:
            row = (await conn.execute(_user_query(chat_id))).first()
        return user_record(row) if row else None

    async def ensure_user(self, chat_id: int, now: datetime) -> User:
        """The user of this chat, created with the default settings when new."""
        async with self._engine.begin() as conn:
            row = (await conn.execute(_user_query(chat_id))).first()
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
                row = (await conn.execute(_user_query(chat_id))).one()
        return user_record(row)

    async def update_user(self, chat_id: int, **changes: Any) -> User:
        """Change some of the user's settings; unknown names are a programming error."""
        unknown = set(changes) - _USER_FIELDS
        if unknown:
            raise TypeError(f"not user settings: {sorted(unknown)}")
        values = {name: user_column_value(name, value) for name, value in changes.items()}
        return await self._set_user(chat_id, **values)

    async def update_preferences(self, chat_id: int, changes: PreferenceChanges) -> User:
        """Change the preferences that `changes` sets; the user as it now is."""
        return await self._set_user(chat_id, **preference_columns(changes))

    async def set_awaiting(self, chat_id: int, value: str | None) -> User:
        """Remember the question the bot asked and waits for (None: it waits for nothing)."""
        return await self._set_user(chat_id, awaiting=value)

    async def set_onboarding(
        self, chat_id: int, step: str | None, *, onboarded_at: datetime | None = None
    ) -> User:
        """Set where the user stands in onboarding: the step being asked (None: none), and
        when onboarding was finished (None: not yet)."""
        return await self._set_user(chat_id, onboarding_step=step, onboarded_at=onboarded_at)

    async def set_active(self, chat_id: int, active: bool) -> User:
        """Whether the chat can be messaged (False once the user blocked the bot)."""
        return await self._set_user(chat_id, active=active)

    async def pause(self, chat_id: int, *, now: datetime, until: datetime | None) -> User:
        """Pause nudges from `now` until `until` (None: until the user resumes)."""
        return await self._set_user(chat_id, paused_at=now, paused_until=until)

    async def resume(self, chat_id: int) -> User:
        """End a pause: nudges are on again."""
        return await self._set_user(chat_id, paused_at=None, paused_until=None)

    async def _set_user(self, chat_id: int, **columns: Any) -> User:
        """Write these columns of the chat's user in one transaction; the user as it now is."""
        async with self._engine.begin() as conn:
            if columns:
                await conn.execute(
                    users.update().where(users.c.chat_id == chat_id).values(**columns)
                )
            row = (await conn.execute(_user_query(chat_id))).one()
        return user_record(row)


def _user_query(chat_id: int) -> sa.Select[Any]:
    return sa.select(users).where(users.c.chat_id == chat_id)
