"""A local Telegram Bot API: the spec validator and an emulator the real bot can talk to."""

from bot.local.emulator.server import (
    DEFAULT_TOKEN,
    TRACKER_GROUP,
    ApiCall,
    BotApiEmulator,
    BotMessage,
    Button,
    track_updates,
)
from bot.local.emulator.spec import ApiSpec, UploadedFile, html_to_plain, parse_html

__all__ = [
    "DEFAULT_TOKEN",
    "TRACKER_GROUP",
    "ApiCall",
    "ApiSpec",
    "BotApiEmulator",
    "BotMessage",
    "Button",
    "UploadedFile",
    "html_to_plain",
    "parse_html",
    "track_updates",
]
