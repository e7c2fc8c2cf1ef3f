"""Use-case replies rendered for Telegram: button specs become inline keyboards."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, WebAppInfo

from bot.usecases.actions import pack
from bot.usecases.replies import AppButton, AppScreen, Button, ButtonRow


def inline_keyboard(
    rows: Sequence[ButtonRow], app_url: str | None = None
) -> InlineKeyboardMarkup | None:
    """The inline keyboard for rows of button specs; None when there are none. A button that
    opens the Mini App needs its address, `app_url` (WEBAPP_URL): without it, it is left out."""
    keyboard = [
        [button for item in row if (button := _button(item, app_url)) is not None] for row in rows
    ]
    keyboard = [row for row in keyboard if row]
    return InlineKeyboardMarkup(keyboard) if keyboard else None


def app_screen_url(app_url: str, screen: AppScreen) -> str:
    """The Mini App's address opening on `screen`."""
    return f"{app_url}?{urlencode({'screen': screen.value})}"


def _button(item: Button | AppButton, app_url: str | None) -> InlineKeyboardButton | None:
    if isinstance(item, Button):
        return InlineKeyboardButton(item.label, callback_data=pack(item.action))
    if app_url is None:
        return None
    return InlineKeyboardButton(
        item.label, web_app=WebAppInfo(app_screen_url(app_url, item.screen))
    )
