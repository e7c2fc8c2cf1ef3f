"""Use-case replies rendered for Telegram: button specs become inline keyboards."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.usecases.actions import pack
from bot.usecases.replies import ButtonRow


def inline_keyboard(rows: Sequence[ButtonRow]) -> InlineKeyboardMarkup | None:
    """The inline keyboard for rows of button specs; None when there are none."""
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(item.label, callback_data=pack(item.action)) for item in row]
            for row in rows
        ]
    )
