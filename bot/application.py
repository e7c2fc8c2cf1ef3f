"""The one place that builds the Application from settings and a clock."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from telegram import BotCommand
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, ContextTypes

from bot.clock import Clock
from bot.context import CoachContext, Services
from bot.days import load_place_index
from bot.settings import Settings
from handlers import COMMAND_MENU, register_handlers
from storage import Store

logger = logging.getLogger(__name__)

CoachApplication = Application[Any, CoachContext, Any, Any, Services, Any]


def build_application(settings: Settings, clock: Clock) -> CoachApplication:
    """The bot, wired: handlers, error handler, store opened at start and closed at stop."""
    if settings.token is None:
        raise ValueError("build_application needs a token (the emulator provides one for chat)")
    application: CoachApplication = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(settings.bot_api_url)
        .base_file_url(settings.bot_file_url)
        .context_types(ContextTypes(context=CoachContext, bot_data=Services))
        .rate_limiter(AIORateLimiter(overall_max_rate=30, overall_time_period=1, max_retries=2))
        .post_init(_open_services)
        .post_shutdown(_close_services)
        .build()
    )
    application.bot_data.clock = clock
    application.bot_data.settings = settings
    register_handlers(application)
    return application


async def _open_services(application: CoachApplication) -> None:
    settings = application.bot_data.settings
    assert settings is not None
    application.bot_data.store_or_none = await Store.open(settings.database_url)
    # Loading the city index for time zones takes a few seconds: do it off the loop, now.
    application.bot_data.warm_up = asyncio.create_task(asyncio.to_thread(load_place_index))
    await application.bot.set_my_commands(
        [BotCommand(command, description) for command, description in COMMAND_MENU]
    )
    logger.info("Outreach Coach is ready as @%s", application.bot.username)


async def _close_services(application: CoachApplication) -> None:
    if application.bot_data.warm_up is not None:
        await application.bot_data.warm_up
        application.bot_data.warm_up = None
    store = application.bot_data.store_or_none
    if store is not None:
        await store.close()
        application.bot_data.store_or_none = None


@asynccontextmanager
async def polling(
    application: CoachApplication, *, poll_timeout: int = 10
) -> AsyncIterator[CoachApplication]:
    """Run the bot inside the current event loop, in the order `run_polling` uses.

    For the terminal chat and the tests, which share their loop with the emulator.
    """
    assert application.updater is not None
    await application.initialize()
    if application.post_init is not None:
        await application.post_init(application)
    await application.updater.start_polling(poll_interval=0.0, timeout=poll_timeout)
    await application.start()
    try:
        yield application
    finally:
        await application.updater.stop()
        await application.stop()
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)
