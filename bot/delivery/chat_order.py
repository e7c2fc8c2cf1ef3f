"""Updates of different chats are handled at the same time; those of one chat one by one.

PTB hands every update to an update processor. This one gives each chat a line: an update
waits only for the earlier updates of its own chat (so a chat's messages are handled in the
order they were sent), never for other chats. While a chat's reply waits for its per-chat
pace (`bot.delivery.ratelimit`), only that chat's next updates wait with it.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.delivery.ratelimit import answering_an_update

# Updates handled at the same moment, across chats (each holds a database connection now
# and then, and memory): far above what one process sees from people typing.
MAX_RUNNING_UPDATES = 256
# Updates accepted but not finished (running or waiting in their chat's line).
MAX_PENDING_UPDATES = 10_000


@dataclass
class _ChatLine:
    """The updates of one chat: one runs, the rest wait in arrival order (asyncio.Lock is
    first come, first served)."""

    turn: asyncio.Lock = field(default_factory=asyncio.Lock)
    waiting: int = 0


class ChatOrderedUpdateProcessor(BaseUpdateProcessor):
    """One line per chat: concurrent across chats, in order within a chat."""

    def __init__(
        self,
        max_running: int = MAX_RUNNING_UPDATES,
        max_pending: int = MAX_PENDING_UPDATES,
    ) -> None:
        super().__init__(max_pending)
        self._max_running = max_running
        self._running: asyncio.Semaphore | None = None
        self._lines: dict[int, _ChatLine] = {}
        self._when_done: list[Callable[[object], None]] = []

    def when_done(self, callback: Callable[[object], None]) -> None:
        """Call `callback(update)` each time an update is finished with, however it ended
        (handled, stopped by a handler, or failed): for tests and tools that wait on it."""
        self._when_done.append(callback)

    async def initialize(self) -> None:
        """Make the running-updates bound in the loop that will use it."""
        self._running = asyncio.Semaphore(self._max_running)

    async def shutdown(self) -> None:
        """Forget the lines (none is left once the application has stopped)."""
        self._lines.clear()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Wait for this chat's earlier updates, then handle this one."""
        try:
            await self._in_line(update, coroutine)
        finally:
            for callback in self._when_done:
                callback(update)

    async def _in_line(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat_id = chat_of(update)
        if chat_id is None:
            await self._run(coroutine)
            return
        line = self._lines.setdefault(chat_id, _ChatLine())
        line.waiting += 1
        try:
            async with line.turn:
                await self._run(coroutine)
        finally:
            _close_if_never_started(coroutine)
            line.waiting -= 1
            if line.waiting == 0:
                del self._lines[chat_id]

    async def _run(self, coroutine: Awaitable[Any]) -> None:
        if self._running is None:
            raise RuntimeError("the update processor was not initialized")
        async with self._running:
            with answering_an_update():
                await coroutine

    @property
    def chats_in_line(self) -> int:
        """Chats with an update running or waiting."""
        return len(self._lines)


def chat_of(update: object) -> int | None:
    """The chat an update belongs to (its user's, for updates without a chat)."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.effective_user is not None:
        return update.effective_user.id
    return None


def _close_if_never_started(coroutine: Awaitable[Any]) -> None:
    """A cancelled wait leaves the update's coroutine unstarted: close it quietly."""
    if inspect.iscoroutine(coroutine) and inspect.getcoroutinestate(coroutine) == "CORO_CREATED":
        coroutine.close()
