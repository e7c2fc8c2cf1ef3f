"""A local Telegram Bot API: the spec validator and an emulator the real bot can talk to."""

from bot.local.emulator.flood import FloodControl
from bot.local.emulator.server import DEFAULT_TOKEN, TRACKER_GROUP, BotApiEmulator, track_updates
from bot.local.emulator.spec import ApiSpec, UploadedFile, html_to_plain, parse_html
from bot.local.emulator.state import ApiCall, BotMessage, Button

__all__ = [
    "DEFAULT_TOKEN",
    "TRACKER_GROUP",
    "ApiCall",
    "ApiSpec",
    "BotApiEmulator",
    "BotMessage",
    "Button",
    "FloodControl",
    "UploadedFile",
    "html_to_plain",
    "parse_html",
    "track_updates",
]
