"""Telegram conversations: each module reads updates, calls rules or storage, and replies."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from handlers import commands
from handlers.buttons import button_pressed
from handlers.error_handler import error_handler
from handlers.gate import admit
from handlers.messages import (
    clear_pending_question,
    contact_message,
    document_message,
    location_message,
    other_message,
    text_message,
    unknown_command,
)
from handlers.updates import skip_seen_updates

# The command menu registered with setMyCommands at start, in menu order.
COMMAND_MENU = (
    ("today", "Today's quota, follow-ups and who to reach"),
    ("reach", "Log an outreach: /reach Ana via email"),
    ("reply", "Log a reply: /reply Ana positive"),
    ("chat", "Log a coffee chat: /chat Ana"),
    ("gave", "Log something you gave: /gave Ana an intro"),
    ("undo", "Take back your last log"),
    ("followups", "Due and upcoming follow-ups"),
    ("contacts", "Your contacts and their cards"),
    ("add", "Add a contact: /add Ana warm"),
    ("targets", "Companies you'd like to work at"),
    ("progress", "Goal, streak and a chart of your weeks"),
    ("pipeline", "Opportunities by stage"),
    ("fear", "Write a fear down: /fear they'll ignore me"),
    ("fears", "Your fears and the evidence"),
    ("settings", "Time zone, times, quota, goal, rest days…"),
    ("pause", "Pause nudges: /pause 7 (days)"),
    ("resume", "Turn nudges back on"),
    ("partner", "A friend who sees your weekly numbers"),
    ("export", "All your data, as files"),
    ("delete", "Delete everything I keep about you"),
    ("start", "Set up, or see your plan"),
    ("help", "What I can do"),
)

GATE_GROUP = -3
SEEN_UPDATES_GROUP = -2
PENDING_QUESTION_GROUP = -1


def register_handlers(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add every handler and the error handler to the application."""
    application.add_handler(TypeHandler(Update, admit), group=GATE_GROUP)
    application.add_handler(TypeHandler(Update, skip_seen_updates), group=SEEN_UPDATES_GROUP)
    application.add_handler(
        MessageHandler(filters.COMMAND, clear_pending_question), group=PENDING_QUESTION_GROUP
    )
    handlers = {
        "start": commands.start,
        "help": commands.help_command,
        "add": commands.add_command,
        "contacts": commands.contacts_command,
        "reach": commands.reach_command,
        "reply": commands.reply_command,
        "chat": commands.chat_command,
        "gave": commands.gave_command,
        "undo": commands.undo_command,
        "followups": commands.followups_command,
        "today": commands.today_command,
        "progress": commands.progress_command,
        "pipeline": commands.pipeline_command,
        "fear": commands.fear_command,
        "fears": commands.fears_command,
        "targets": commands.targets_command,
        "settings": commands.settings_command,
        "export": commands.export_command,
        "delete": commands.delete_command,
        "pause": commands.pause_command,
        "resume": commands.resume_command,
        "partner": commands.partner_command,
    }
    for name, callback in handlers.items():
        application.add_handler(CommandHandler(name, callback))
    application.add_handler(CallbackQueryHandler(button_pressed))
    application.add_handler(MessageHandler(filters.LOCATION, location_message))
    application.add_handler(MessageHandler(filters.Document.ALL, document_message))
    application.add_handler(MessageHandler(filters.CONTACT, contact_message))
    application.add_handler(MessageHandler(filters.COMMAND, unknown_command))
    application.add_handler(MessageHandler(filters.TEXT, text_message))
    application.add_handler(MessageHandler(filters.ALL & ~filters.StatusUpdate.ALL, other_message))
    application.add_error_handler(error_handler)
