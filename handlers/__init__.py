"""Telegram conversations: each module reads updates, calls rules or storage, and replies."""

from __future__ import annotations

from typing import Any

from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from handlers import contacts, followups, onboarding, outreach, pausing, settings, today
from handlers.buttons import button_pressed
from handlers.errors import error_handler
from handlers.messages import clear_pending_question, other_message, text_message, unknown_command

# The command menu registered with setMyCommands at start, in menu order.
COMMAND_MENU = (
    ("today", "Today's quota, follow-ups and who to reach"),
    ("reach", "Log an outreach: /reach Ana via email"),
    ("reply", "Log a reply: /reply Ana positive"),
    ("chat", "Log a coffee chat: /chat Ana"),
    ("gave", "Log something you gave: /gave Ana an intro"),
    ("followups", "Due and upcoming follow-ups"),
    ("contacts", "Your contacts and their cards"),
    ("add", "Add a contact: /add Ana warm"),
    ("settings", "Time zone, times, quota, goal, rest days…"),
    ("pause", "Pause nudges: /pause 7 (days)"),
    ("resume", "Turn nudges back on"),
    ("start", "Set up, or see your plan"),
    ("help", "What I can do"),
)

PENDING_QUESTION_GROUP = -1


def register_handlers(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add every handler and the error handler to the application."""
    application.add_handler(
        MessageHandler(filters.COMMAND, clear_pending_question), group=PENDING_QUESTION_GROUP
    )
    commands = {
        "start": onboarding.start,
        "help": onboarding.help_command,
        "add": contacts.add_command,
        "contacts": contacts.contacts_command,
        "reach": outreach.reach_command,
        "reply": outreach.reply_command,
        "chat": outreach.chat_command,
        "gave": outreach.gave_command,
        "followups": followups.followups_command,
        "today": today.today_command,
        "settings": settings.settings_command,
        "pause": pausing.pause_command,
        "resume": pausing.resume_command,
    }
    for name, callback in commands.items():
        application.add_handler(CommandHandler(name, callback))
    application.add_handler(CallbackQueryHandler(button_pressed))
    application.add_handler(MessageHandler(filters.LOCATION, onboarding.location_message))
    application.add_handler(MessageHandler(filters.COMMAND, unknown_command))
    application.add_handler(MessageHandler(filters.TEXT, text_message))
    application.add_handler(MessageHandler(filters.ALL & ~filters.StatusUpdate.ALL, other_message))
    application.add_error_handler(error_handler)
