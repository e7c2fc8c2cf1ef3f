"""What the bot answers at all: private chats only, new messages only, commands meant for it.

Runs before anything else, so nothing is stored for an update turned away here.
"""

from __future__ import annotations

from telegram import Message, MessageEntity, Update
from telegram.constants import ChatType, ParseMode
from telegram.ext import ApplicationHandlerStop

from bot.context import CoachContext
from bot.messages.common import EDITS_CHANGE_NOTHING, private_chat_only


async def admit(update: Update, context: CoachContext) -> None:
    """Stop every update the bot should not handle, before it is claimed or stored."""
    if update.channel_post is not None or update.edited_channel_post is not None:
        raise ApplicationHandlerStop
    chat = update.effective_chat
    if chat is not None and chat.type != ChatType.PRIVATE:
        await _point_to_private_chat(update, context)
        raise ApplicationHandlerStop
    if update.edited_message is not None:
        await update.edited_message.reply_text(EDITS_CHANGE_NOTHING, parse_mode=ParseMode.HTML)
        raise ApplicationHandlerStop
    message = update.message
    if message is not None and _command_for_another_bot(message, context.bot.username):
        raise ApplicationHandlerStop


async def _point_to_private_chat(update: Update, context: CoachContext) -> None:
    """In a group: say once (now and then) that the coach works in a private chat."""
    message = update.effective_message
    addressed = message is not None and (
        _command_for_us(message, context.bot.username) or _bot_was_added(message, context)
    )
    reminders = context.bot_data.group_reminders
    if message is None or not addressed or not reminders.due(message.chat_id, context.now):
        return
    await message.reply_text(
        private_chat_only(context.bot.username), parse_mode=ParseMode.HTML, do_quote=False
    )


def _command_target(message: Message) -> str | None:
    """The bot a leading command names (`/help@otherbot` -> "otherbot"); "" when it names none;
    None when the message does not start with a command."""
    for entity in message.entities:
        if entity.type == MessageEntity.BOT_COMMAND and entity.offset == 0:
            command = message.parse_entity(entity)
            return command.partition("@")[2]
    return None


def _command_for_another_bot(message: Message, username: str) -> bool:
    target = _command_target(message)
    return target is not None and target != "" and target.lower() != username.lower()


def _command_for_us(message: Message, username: str) -> bool:
    target = _command_target(message)
    return target is not None and (target == "" or target.lower() == username.lower())


def _bot_was_added(message: Message, context: CoachContext) -> bool:
    return any(member.id == context.bot.id for member in message.new_chat_members or ())
