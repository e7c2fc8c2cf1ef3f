"""The typed context every handler and job receives, carrying the store and the clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from telegram.ext import CallbackContext, ExtBot

from bot.clock import Clock, SystemClock
from bot.coaching.domain import User
from bot.config import Settings

if TYPE_CHECKING:
    from storage import Store


# A group is told at most once an hour (per process) that the coach works in private chats.
GROUP_REMINDER_INTERVAL = timedelta(hours=1)
MAX_GROUPS_REMEMBERED = 1000


class GroupReminders:
    """When each group was last told to use a private chat: a few ids in memory, nothing
    stored (the bot keeps no data for groups)."""

    def __init__(self) -> None:
        self._told: dict[int, datetime] = {}

    def due(self, chat_id: int, now: datetime) -> bool:
        """Whether this group should be told now; if so, remember that it was."""
        told = self._told.get(chat_id)
        if told is not None and now - told < GROUP_REMINDER_INTERVAL:
            return False
        if len(self._told) >= MAX_GROUPS_REMEMBERED:
            self._told.pop(next(iter(self._told)))
        self._told[chat_id] = now
        return True


@dataclass
class Services:
    """What the application shares with every handler: one store, one clock, the settings."""

    clock: Clock = field(default_factory=SystemClock)
    settings: Settings | None = None
    store_or_none: Store | None = None
    group_reminders: GroupReminders = field(default_factory=GroupReminders)

    @property
    def store(self) -> Store:
        """The open store (opened in post_init, closed in post_shutdown)."""
        if self.store_or_none is None:
            raise RuntimeError("the store is not open yet: it opens in post_init")
        return self.store_or_none


class CoachContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], Services]):
    """CallbackContext with typed access to the shared services."""

    @property
    def store(self) -> Store:
        """The store."""
        return self.bot_data.store

    @property
    def clock(self) -> Clock:
        """The shared clock."""
        return self.bot_data.clock

    @property
    def now(self) -> datetime:
        """The time of this update: the clock is read once, and every handler of the update
        (PTB gives them one context) sees the same instant."""
        if self._now is None:
            self._now = self.bot_data.clock.now()
        return self._now

    @property
    def known_user(self) -> User | None:
        """The chat's user as this update last read or changed it (None: not read yet, or a
        chat the bot has never seen), so that the handlers of one update read it once."""
        return self._user

    def remember_user(self, user: User | None) -> None:
        """Keep the chat's user as this update just read or changed it."""
        self._user = user

    _now: datetime | None = None
    _user: User | None = None
