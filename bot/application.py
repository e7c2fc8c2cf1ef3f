"""The one place that builds the Application from settings and a clock."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager, nullcontext
from datetime import datetime
from socket import socket
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

from telegram import BotCommand, Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes
from tornado.netutil import bind_sockets

from bot.clock import Clock
from bot.config import Settings
from bot.context import CoachContext, Services
from bot.delivery.chat_order import ChatOrderedUpdateProcessor
from bot.delivery.memory import give_back_freed_memory
from bot.delivery.ratelimit import PacedRateLimiter
from bot.delivery.scheduler import BATCH_SIZE, TICK_SECONDS, TickReport, batch_size_at, run_due
from bot.delivery.transport import AiohttpRequest
from bot.miniapp import set_menu_button, web_app
from bot.usecases.partners import with_partner_news
from bot.usecases.scheduled import COMPOSERS
from bot.usecases.schedules import forget_old_records
from bot.webapp.server import webapp_routes, webapp_server
from bot.webhook import webhook_server
from handlers import COMMAND_MENU, register_handlers
from storage import Store
from storage.replicas import LEASE_BATCH_SIZE

logger = logging.getLogger(__name__)

CoachApplication = Application[Any, CoachContext, Any, Any, Services, Any]
AnyApplication = TypeVar("AnyApplication", bound=Application[Any, Any, Any, Any, Any, Any])


def build_application(
    settings: Settings,
    clock: Clock,
    *,
    tick_schedules: bool = True,
    rate_limiter: PacedRateLimiter | None = None,
    request_timeout: float = 10.0,
) -> CoachApplication:
    """The bot, wired: handlers, error handler, store opened at start and closed at stop.

    With `tick_schedules`, the job queue runs the scheduled-coaching tick every
    TICK_SECONDS; tests turn it off and call `run_scheduled` with their own clock.
    Updates of different chats are handled concurrently, those of one chat in order.
    `rate_limiter` defaults to Telegram's limits: about one a second per chat, and the
    operator's BROADCAST_RATE (30 a second unless paid broadcasts are on) overall for
    scheduled messages;
    `request_timeout` bounds each Bot API call (long polling waits on top of it).
    """
    if settings.token is None:
        raise ValueError("build_application needs a token (the emulator provides one for chat)")
    application: CoachApplication = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(settings.bot_api_url)
        .base_file_url(settings.bot_file_url)
        .context_types(ContextTypes(context=CoachContext, bot_data=Services))
        .rate_limiter(rate_limiter or PacedRateLimiter(overall_per_second=settings.broadcast_rate))
        .concurrent_updates(ChatOrderedUpdateProcessor())
        .request(_transport(request_timeout, pool_size=256))
        .get_updates_request(_transport(request_timeout, pool_size=1))
        .post_init(_open_services)
        .post_shutdown(_close_services)
        .build()
    )
    application.bot_data.clock = clock
    application.bot_data.settings = settings
    register_handlers(application)
    if tick_schedules:
        assert application.job_queue is not None
        application.job_queue.run_repeating(
            _scheduled_tick,
            interval=TICK_SECONDS,
            first=1,
            name="scheduled coaching",
            # A tick that runs late still finds everything due (the database decides), so a
            # missed run is simply folded into the next one.
            job_kwargs={"misfire_grace_time": TICK_SECONDS, "coalesce": True, "max_instances": 1},
        )
    return application


def _transport(timeout: float, *, pool_size: int) -> AiohttpRequest:
    return AiohttpRequest(
        pool_size, read_timeout=timeout, write_timeout=timeout, connect_timeout=timeout
    )


async def run_scheduled(application: CoachApplication, now: datetime | None = None) -> TickReport:
    """Send every scheduled message due at `now` (default: the application's clock now): what
    the periodic tick does, and what tests call. The composers carry partner news unless the
    operator turned partners off; with PAID_BROADCAST on, the sends are paid broadcasts. After
    a tick that sent something, the memory it freed goes back to the system."""
    services = application.bot_data
    settings = services.settings
    partners = settings is None or settings.partners
    paid = settings is not None and settings.paid_broadcast
    composers = with_partner_news(COMPOSERS) if partners else COMPOSERS
    now = now or services.clock.now()
    # Replicas lease the due rows a small batch at a time, so each gets a share; at a
    # broadcast pace a batch is a couple of seconds of sends (what a crash could lose).
    largest = LEASE_BATCH_SIZE if services.store.shared_by_replicas else BATCH_SIZE
    limiter = application.bot.rate_limiter
    pace = limiter.broadcast_per_second if isinstance(limiter, PacedRateLimiter) else None
    batch = batch_size_at(pace, largest)
    report = await run_due(
        application.bot, services.store, now, composers, batch_size=batch, paid_broadcast=paid
    )
    if report.sent:
        give_back_freed_memory()  # RSS stays flat in the number of users (docs/BENCHMARKS.md)
    return report


async def _scheduled_tick(context: CoachContext) -> None:
    now = context.clock.now()  # read once for the whole tick
    report = await run_scheduled(cast(CoachApplication, context.application), now)
    await forget_old_records(context.store, now)
    if report.outcomes:
        logger.info("Scheduled coaching: %s", report.outcomes)


async def _open_services(application: CoachApplication) -> None:
    settings = application.bot_data.settings
    assert settings is not None
    store = application.bot_data.store_or_none = await Store.open(settings.database_url)
    if store.shared_by_replicas and isinstance(application.bot.rate_limiter, PacedRateLimiter):
        application.bot.rate_limiter.share_cap(store)  # Telegram's cap is per bot
    await application.bot.set_my_commands(
        [BotCommand(command, description) for command, description in COMMAND_MENU]
    )
    await set_menu_button(application.bot, settings)
    logger.info("Outreach Coach is ready as @%s", application.bot.username)


async def _close_services(application: CoachApplication) -> None:
    store = application.bot_data.store_or_none
    if store is not None:
        await store.close()
        application.bot_data.store_or_none = None


@asynccontextmanager
async def polling(
    application: AnyApplication, *, poll_timeout: int = 10
) -> AsyncIterator[AnyApplication]:
    """Run the bot with long polling inside the current event loop, in `run_polling`'s order
    (without its retry loop around start-up, whose failure is a traceback in the log)."""
    assert application.updater is not None
    updater = application.updater

    async def start_polling() -> None:
        await updater.start_polling(
            poll_interval=0.0, timeout=poll_timeout, allowed_updates=Update.ALL_TYPES
        )

    async def stop_polling() -> None:
        if updater.running:
            await updater.stop()

    async with _running(application, start_polling, stop_polling):
        yield application


@asynccontextmanager
async def webhook(
    application: AnyApplication, settings: Settings, *, listen: str | None = None
) -> AsyncIterator[AnyApplication]:
    """Run the bot in webhook mode inside the current event loop: our own server
    (`bot/webhook.py`) feeds the update queue, and the URL and secret are registered with
    Telegram. `listen` defaults to the LISTEN setting."""
    if settings.webhook_url is None or settings.webhook_secret is None:
        raise ValueError("webhook mode needs WEBHOOK_URL and WEBHOOK_SECRET")
    url, secret = settings.webhook_url, settings.webhook_secret
    server = AsyncExitStack()

    async def start_serving() -> None:
        await server.enter_async_context(
            webhook_server(
                application,
                listen=listen or settings.listen,
                port=settings.port,
                path=urlsplit(url).path,
                secret=secret,
                reuse_port=settings.reuse_port,
                routes=webapp_routes(web_app(application, settings)) if settings.webapp_url else (),
            )
        )
        await application.bot.set_webhook(
            url, secret_token=secret, allowed_updates=Update.ALL_TYPES
        )

    async with _running(application, start_serving, server.aclose):
        yield application


@asynccontextmanager
async def mini_app(
    application: AnyApplication, settings: Settings, *, sockets: list[socket] | None = None
) -> AsyncIterator[None]:
    """Serve the Mini App on its own, as in polling mode (webhook mode serves it beside the
    webhook instead): on LISTEN and PORT, or on `sockets` already bound."""
    sockets = sockets or bind_sockets(settings.port, settings.listen)
    async with webapp_server(web_app(application, settings), sockets):
        logger.info("Mini App listening on %s:%s", settings.listen, sockets[0].getsockname()[1])
        yield


def serve(application: AnyApplication, settings: Settings) -> None:
    """Run the bot until SIGINT or SIGTERM: webhook mode with WEBHOOK_URL, else long polling.

    A failure to start (a token Telegram refuses, a database that cannot be opened) is
    raised to the caller, which prints it as one line.
    """

    async def until_stopped() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        updates = webhook(application, settings) if settings.webhook_url else polling(application)
        alone = settings.webapp_url is not None and settings.webhook_url is None
        async with updates, mini_app(application, settings) if alone else nullcontext():
            await stop.wait()

    asyncio.run(until_stopped())


@asynccontextmanager
async def _running(
    application: AnyApplication,
    start_updates: Callable[[], Awaitable[object]],
    stop_updates: Callable[[], Awaitable[object]],
) -> AsyncIterator[None]:
    try:
        await application.initialize()
    except BaseException:
        await application.bot.shutdown()  # a refused token: close the Bot API connections
        raise
    try:
        if application.post_init is not None:
            await application.post_init(application)
        await start_updates()
    except BaseException:
        await stop_updates()
        await _shut_down(application)
        raise
    await application.start()
    try:
        yield
    finally:
        await stop_updates()
        await application.stop()
        await _shut_down(application)


async def _shut_down(application: AnyApplication) -> None:
    await application.shutdown()
    if application.post_shutdown is not None:
        await application.post_shutdown(application)
