"""A local Telegram Bot API: the spec validator and an emulator the real bot can talk to."""

from bot.emulator.server import (
    DEFAULT_TOKEN,
    ApiCall,
    BotApiEmulator,
    BotMessage,
    Button,
    track_updates,
)
from bot.emulator.spec import ApiSpec, html_to_plain, parse_html

__all__ = [
    "DEFAULT_TOKEN",
    "ApiCall",
    "ApiSpec",
    "BotApiEmulator",
    "BotMessage",
    "Button",
    "html_to_plain",
    "parse_html",
    "track_updates",
]
