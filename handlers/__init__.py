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

from handlers import (
    contacts,
    data,
    fears,
    followups,
    onboarding,
    outreach,
    pausing,
    pipeline,
    preferences,
    progress,
    today,
)
from handlers.buttons import button_pressed
from handlers.error_handler import error_handler
from handlers.messages import clear_pending_question, other_message, text_message, unknown_command
from handlers.updates import skip_seen_updates

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
    ("progress", "Goal, streak and a chart of your weeks"),
    ("pipeline", "Opportunities by stage"),
    ("fear", "Write a fear down: /fear they'll ignore me"),
    ("fears", "Your fears and the evidence"),
    ("settings", "Time zone, times, quota, goal, rest days…"),
    ("pause", "Pause nudges: /pause 7 (days)"),
    ("resume", "Turn nudges back on"),
    ("export", "All your data, as files"),
    ("delete", "Delete everything I keep about you"),
    ("start", "Set up, or see your plan"),
    ("help", "What I can do"),
)

SEEN_UPDATES_GROUP = -2
PENDING_QUESTION_GROUP = -1


def register_handlers(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add every handler and the error handler to the application."""
    application.add_handler(TypeHandler(Update, skip_seen_updates), group=SEEN_UPDATES_GROUP)
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
        "progress": progress.progress_command,
        "pipeline": pipeline.pipeline_command,
        "fear": fears.fear_command,
        "fears": fears.fears_command,
        "settings": preferences.settings_command,
        "export": data.export_command,
        "delete": data.delete_command,
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
