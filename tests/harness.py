"""Runs the real Application against the local Bot API emulator, and lets a test be the user."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tornado.netutil import bind_sockets

from bot.application import (
    CoachApplication,
    build_application,
    mini_app,
    polling,
    run_scheduled,
)
from bot.clock import FrozenClock
from bot.config import Settings
from bot.delivery.ratelimit import PacedRateLimiter
from bot.delivery.scheduler import TickReport
from bot.local.emulator import BotApiEmulator, BotMessage, track_updates
from storage import Store

CHAT = 4242


@dataclass
class BotHarness:
    """One running bot, its emulator, its clock, and the errors its handlers raised."""

    emulator: BotApiEmulator
    clock: FrozenClock
    database_url: str
    # Pacing has tests of its own; here it would only make every conversation slower.
    rate_limiter: PacedRateLimiter = field(
        default_factory=lambda: PacedRateLimiter(overall_per_second=None, chat_per_second=None)
    )
    request_timeout: float = 10.0
    partners: bool = True  # the PARTNERS setting
    webapp: bool = False  # serve the Mini App (WEBAPP_URL on a free local port)
    app_url: str | None = None
    application: CoachApplication | None = None
    errors: list[BaseException] = field(default_factory=list)
    _running: AsyncExitStack | None = None

    @property
    def store(self) -> Store:
        """The bot's own store."""
        assert self.application is not None
        return self.application.bot_data.store

    async def say(
        self, text: str, chat_id: int = CHAT, *, first_name: str = "Alex"
    ) -> list[BotMessage]:
        """Send `text` as the user; return the bot messages sent in answer."""
        before = len(self.emulator.messages(chat_id))
        update_id = self.emulator.send_text(chat_id, text, first_name=first_name)
        await self.emulator.wait_processed(update_id)
        return self.emulator.messages(chat_id)[before:]

    async def send_file(
        self, file_name: str, data: bytes, chat_id: int = CHAT, *, mime_type: str = "text/csv"
    ) -> list[BotMessage]:
        """Send a file as the user; return the bot messages sent in answer."""
        return await self._answer_to(
            self.emulator.send_document(chat_id, file_name, data, mime_type=mime_type), chat_id
        )

    async def share_contact(
        self,
        first_name: str,
        last_name: str | None = None,
        *,
        vcard: str | None = None,
        chat_id: int = CHAT,
    ) -> list[BotMessage]:
        """Share a phone contact as the user; return the bot messages sent in answer."""
        update_id = self.emulator.share_contact(
            chat_id, "+44 7700 900123", first_name, last_name, vcard=vcard
        )
        return await self._answer_to(update_id, chat_id)

    async def _answer_to(self, update_id: int, chat_id: int) -> list[BotMessage]:
        before = len(self.emulator.messages(chat_id))
        await self.emulator.wait_processed(update_id)
        return self.emulator.messages(chat_id)[before:]

    async def press(self, label: str, chat_id: int = CHAT) -> list[BotMessage]:
        """Press the newest button labelled `label`; return the new bot messages."""
        before = len(self.emulator.messages(chat_id))
        update_id = self.emulator.press_button(chat_id, label)
        await self.emulator.wait_processed(update_id)
        return self.emulator.messages(chat_id)[before:]

    async def press_data(self, data: str, chat_id: int = CHAT) -> list[BotMessage]:
        """Press a button with raw callback data on the newest bot message (a forged press)."""
        before = len(self.emulator.messages(chat_id))
        message = self.emulator.last_message(chat_id)
        update_id = self.emulator.press(chat_id, message.message_id, data)
        await self.emulator.wait_processed(update_id)
        return self.emulator.messages(chat_id)[before:]

    async def tick(self) -> TickReport:
        """Run the scheduled-coaching tick once, at the harness clock's now."""
        assert self.application is not None
        return await run_scheduled(self.application)

    def open_app(self, chat_id: int = CHAT, **launch: Any) -> str:
        """The Mini App's address as Telegram opens it for the user of `chat_id`: with launch
        parameters signed by the emulator's token (`theme`, `issued` as the emulator takes
        them)."""
        assert self.app_url is not None, "start the harness with webapp=True"
        launch.setdefault("issued", self.clock.now())
        return self.emulator.open_web_app(chat_id, self.app_url, **launch)

    def last(self, chat_id: int = CHAT) -> BotMessage:
        """The newest bot message in its current (possibly edited) state."""
        return self.emulator.last_message(chat_id)

    async def start(self) -> None:
        """Start (or restart) the bot on the same database and emulator."""
        sockets = bind_sockets(0, "127.0.0.1") if self.webapp else []
        if sockets:
            self.app_url = f"http://127.0.0.1:{sockets[0].getsockname()[1]}/app"
        settings = Settings(
            token=self.emulator.token,
            api_base_url=self.emulator.base_url,
            database_url=self.database_url,
            partners=self.partners,
            webapp_url=self.app_url if self.webapp else None,
            listen="127.0.0.1",
        )
        application = build_application(
            settings,
            self.clock,
            tick_schedules=False,
            rate_limiter=self.rate_limiter,
            request_timeout=self.request_timeout,
        )
        track_updates(application, self.emulator)
        application.add_error_handler(self._record_error)
        self._running = AsyncExitStack()
        await self._running.enter_async_context(polling(application, poll_timeout=5))
        if sockets:
            await self._running.enter_async_context(
                mini_app(application, settings, sockets=sockets)
            )
        self.application = application

    async def stop(self) -> None:
        """Stop the bot as a deployment would (updater, application, shutdown)."""
        if self._running is not None:
            await self._running.aclose()
        self._running = None
        self.application = None

    async def restart(self) -> None:
        """Stop and start again: only what the database holds survives."""
        await self.stop()
        await self.start()

    async def _record_error(self, _update: object, context: object) -> None:
        error = getattr(context, "error", None)
        if error is not None:
            self.errors.append(error)


@asynccontextmanager
async def running_bot(
    tmp_path: Path, clock: FrozenClock, *, request_timeout: float = 10.0, webapp: bool = False
) -> AsyncIterator[BotHarness]:
    """A started bot (serving the Mini App with `webapp`); on exit asserts that no handler
    raised and no call broke the spec."""
    async with BotApiEmulator() as emulator:
        harness = BotHarness(
            emulator,
            clock,
            f"sqlite:///{tmp_path / 'coach.db'}",
            request_timeout=request_timeout,
            webapp=webapp,
        )
        await harness.start()
        try:
            yield harness
        finally:
            await harness.stop()
        assert harness.errors == [], f"handlers raised: {harness.errors!r}"
        assert emulator.violations == [], f"Bot API spec violations: {emulator.violations}"


__all__ = ["CHAT", "BotHarness", "running_bot"]


def command_update(update_id: int, chat_id: int, text: str) -> dict[str, Any]:
    """An update as Telegram posts it to a webhook: `text`, starting with a command, from a
    private chat (the user's id is the chat's)."""
    command = text.split()[0]
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private", "first_name": "Ana"},
            "from": {"id": chat_id, "is_bot": False, "first_name": "Ana"},
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(command)}],
        },
    }
