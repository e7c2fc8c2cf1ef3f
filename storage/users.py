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
    NO_CHANGES,
    OnboardingStep,
    PreferenceChanges,
    User,
)
from bot.coaching.pending import AwaitOnboarding, PendingQuestion, question_to_json
from storage.queries import Queries
from storage.rows import (
    int_list_text,
    preference_columns,
    time_text,
    user_record,
)
from storage.schema import users

# Built once: a statement made afresh for each call costs more to run than to answer.
USER_OF_CHAT = sa.select(users).where(users.c.chat_id == sa.bindparam("chat_id"))


class UserQueries(Queries):
    """Reading, creating and changing the user of a chat."""

    async def get_user(self, chat_id: int) -> User | None:
        """The user of this chat, or None for a chat the bot has never seen."""
        async with self._engine.connect() as conn:
            row = (await conn.execute(USER_OF_CHAT, {"chat_id": chat_id})).first()
        return user_record(row) if row else None

    async def ensure_user(self, chat_id: int, now: datetime) -> User:
        """The user of this chat, created with the default settings when new."""
        async with self._engine.begin() as conn:
            row = (await conn.execute(USER_OF_CHAT, {"chat_id": chat_id})).first()
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
                row = (await conn.execute(USER_OF_CHAT, {"chat_id": chat_id})).one()
        return user_record(row)

    async def update_preferences(
        self, chat_id: int, changes: PreferenceChanges, *, drop_pending: bool = False
    ) -> User:
        """Change the preferences that `changes` sets (and, with `drop_pending`, forget the
        question that asked for them), in one transaction; the user as it now is."""
        columns = preference_columns(changes)
        if drop_pending:
            columns["awaiting"] = None
        return await self._set_user(chat_id, **columns)

    async def set_awaiting(self, chat_id: int, pending: PendingQuestion | None) -> User:
        """Remember the question the bot asked and waits for (None: it waits for nothing)."""
        return await self._set_user(
            chat_id, awaiting=question_to_json(pending) if pending is not None else None
        )

    async def set_onboarding(
        self,
        chat_id: int,
        step: OnboardingStep | None,
        *,
        answers: PreferenceChanges = NO_CHANGES,
        onboarded_at: datetime | None = None,
    ) -> User:
        """Save onboarding's answers and move to `step` (None: onboarding is over, finished at
        `onboarded_at` when given), in one transaction. While a step is asked, the pending
        question is onboarding's; after the last one there is none."""
        pending = question_to_json(AwaitOnboarding()) if step is not None else None
        return await self._set_user(
            chat_id,
            **preference_columns(answers),
            onboarding_step=step.value if step is not None else None,
            onboarded_at=onboarded_at,
            awaiting=pending,
        )

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
            row = (await conn.execute(USER_OF_CHAT, {"chat_id": chat_id})).one()
        return user_record(row)
