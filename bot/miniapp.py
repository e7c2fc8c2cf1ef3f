"""The Mini App wired to the running bot: its server's view of the bot (token, clock, store,
a way to post in a chat), and its menu button. The page and its API are in bot/webapp/,
which knows nothing of Telegram; this is where the two meet."""

from __future__ import annotations

import logging
from typing import Any

from telegram import Bot, MenuButtonDefault, MenuButtonWebApp, WebAppInfo
from telegram.constants import ParseMode
from telegram.error import Forbidden, TelegramError
from telegram.ext import Application

from bot.config import Settings
from bot.context import Services
from bot.rendering import inline_keyboard
from bot.usecases.replies import Reply
from bot.usecases.users import mark_blocked
from bot.webapp.server import WebApp

logger = logging.getLogger(__name__)

MENU_BUTTON_TEXT = "Open app"


def web_app(application: Application[Any, Any, Any, Any, Any, Any], settings: Settings) -> WebApp:
    """The Mini App's server for this bot (WEBAPP_URL must be set)."""
    services = application.bot_data
    if settings.webapp_url is None or settings.token is None or not isinstance(services, Services):
        raise ValueError("the Mini App needs WEBAPP_URL, the bot's token and its services")
    url = settings.webapp_url

    async def post_in_chat(chat_id: int, reply: Reply) -> None:
        """What the page did, said in the chat as the chat would (a "Logged" message with its
        Undo); a failure to post is logged, and the page's change stands."""
        try:
            await application.bot.send_message(
                chat_id,
                reply.text,
                parse_mode=ParseMode.HTML,
                reply_markup=inline_keyboard(reply.rows, url),
                disable_web_page_preview=True,
            )
        except Forbidden as error:
            await mark_blocked(services.store, chat_id, error)
        except TelegramError as error:
            logger.warning("Mini App: could not post in chat %s: %s", chat_id, error)

    return WebApp(
        url=url,
        token=settings.token,
        clock=services.clock,
        store=lambda: services.store,
        post_in_chat=post_in_chat,
    )


async def set_menu_button(bot: Bot, settings: Settings) -> None:
    """The chat's menu button opens the Mini App when WEBAPP_URL is set; otherwise it is
    Telegram's default (the command list), so turning the app off takes the button away."""
    if settings.webapp_url is None:
        await bot.set_chat_menu_button(menu_button=MenuButtonDefault())
        return
    await bot.set_chat_menu_button(
        menu_button=MenuButtonWebApp(MENU_BUTTON_TEXT, WebAppInfo(settings.webapp_url))
    )
