"""What every handler shares: who is talking, how to answer, and how to build buttons."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.coaching.domain import Contact, User
from bot.context import CoachContext
from handlers.callback_data import ButtonAction, pack

Row = Sequence[tuple[str, str]]

SETUP_HINT = "\n\n<i>You're on the default plan for now. /start sets it up in about a minute.</i>"


def chat_id_of(update: Update) -> int:
    """The chat the update came from (every read and write is scoped by it)."""
    chat = update.effective_chat
    if chat is None:
        raise ValueError("update without a chat")
    return chat.id


async def current_user(update: Update, context: CoachContext) -> User:
    """The user of this chat, created with the defaults on first contact.

    A user who had blocked the bot and writes again is active again.
    """
    user = await context.store.ensure_user(chat_id_of(update), context.clock.now())
    if not user.active:
        user = await context.store.update_user(user.chat_id, active=True)
    return user


async def button_contact(
    update: Update, context: CoachContext, user: User, action: ButtonAction
) -> Contact | None:
    """The contact a button names (its first argument), checked against the user's chat; when
    it is gone (or another chat's), the press is answered and None returned."""
    contact = await context.store.get_contact(user.chat_id, action.int_arg(0))
    if contact is None:
        await answer_button(update, "That contact is no longer here.")
    return contact


def keyboard(*rows: Row) -> InlineKeyboardMarkup:
    """Inline buttons from rows of (label, callback payload)."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )


def button(label: str, action: str, *args: object) -> tuple[str, str]:
    """One (label, payload) pair, the payload packed by callback_data.pack."""
    return (label, pack(action, *args))


async def send(
    update: Update,
    context: CoachContext,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
) -> Message:
    """Send an HTML message to the chat of the update."""
    return await context.bot.send_message(
        chat_id_of(update),
        text,
        parse_mode=ParseMode.HTML,
        reply_markup=markup,
        disable_web_page_preview=True,
    )


async def show(
    update: Update,
    context: CoachContext,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
) -> None:
    """Answer in place: edit the pressed message for a button, otherwise send a new one."""
    query = update.callback_query
    if query is None or not isinstance(query.message, Message):
        await send(update, context, text, markup)
        return
    try:
        await query.edit_message_text(
            text, parse_mode=ParseMode.HTML, reply_markup=markup, disable_web_page_preview=True
        )
    except BadRequest as error:
        if "not modified" not in error.message:
            raise


async def answer_button(update: Update, text: str | None = None) -> None:
    """Stop the button's spinner, with a short toast when `text` is given."""
    if update.callback_query is not None:
        await update.callback_query.answer(text)


def with_setup_hint(user: User, text: str) -> str:
    """Add a gentle offer to finish setting up, for users who have not."""
    return text if user.onboarded else text + SETUP_HINT
