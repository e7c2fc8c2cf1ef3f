"""What every handler shares: who is talking and when, and how a use case's answer is shown."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from telegram import InlineKeyboardMarkup, InputFile, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.coaching.domain import User
from bot.coaching.errors import InputError
from bot.context import CoachContext
from bot.rendering import inline_keyboard
from bot.usecases.actions import Action, payload_prefix
from bot.usecases.partners import PartnerSetup, finish_notice
from bot.usecases.replies import Document, Edit, Notice, Photo, Refusal, Reply, Response
from bot.usecases.users import mark_blocked, user_for_chat
from storage import Store

InputT = TypeVar("InputT")
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Turn:
    """One update's context for a use case: the store, the user, and the time, read once."""

    store: Store
    user: User
    now: datetime
    first_name: str | None = None
    partners: PartnerSetup = field(default_factory=PartnerSetup)


def chat_id_of(update: Update) -> int:
    """The chat the update came from (every read and write is scoped by it)."""
    chat = update.effective_chat
    if chat is None:
        raise ValueError("update without a chat")
    return chat.id


async def begin(update: Update, context: CoachContext) -> Turn:
    """Read the clock (the one read per update) and find or create the chat's user."""
    now = context.clock.now()
    user = await user_for_chat(context.store, chat_id_of(update), now)
    first_name = update.effective_user.first_name if update.effective_user else None
    return Turn(context.store, user, now, first_name, partner_setup(context))


def partner_setup(context: CoachContext) -> PartnerSetup:
    """The operator's PARTNERS setting and the bot's username (from getMe), for invites."""
    settings = context.bot_data.settings
    return PartnerSetup(settings is None or settings.partners, context.bot.username)


UseCase = Callable[[Store, User, datetime, InputT], Awaitable[Response]]


async def run(
    update: Update, context: CoachContext, use_case: UseCase[InputT], given: InputT
) -> None:
    """Begin a turn, run `use_case` with `given`, and show its answer."""
    turn = await begin(update, context)
    await respond_to(update, context, use_case(turn.store, turn.user, turn.now, given))


async def respond_to(update: Update, context: CoachContext, work: Awaitable[Response]) -> None:
    """Await a use case's response and show it; a refusal, bad input or a limit becomes a
    short friendly answer (nothing was changed)."""
    try:
        response = await work
    except Refusal as refusal:
        response = Response(toast=refusal.toast)
    except InputError as error:
        response = Response(toast=error.message)
    await respond(update, context, response)


async def respond(update: Update, context: CoachContext, response: Response) -> None:
    """Show a use case's response: the toast, the rows dropped, then each step in order.

    For an update that is not a button press, a toast becomes a short message.
    """
    query = update.callback_query
    if query is not None:
        await query.answer(response.toast)
    elif response.toast:
        await send(update, context, Reply(response.toast))
    if response.drop is not None:
        await _drop_rows(update, response.drop)
    for step in response.steps:
        if isinstance(step, Edit):
            await show(update, context, step.reply)
        elif isinstance(step, Reply):
            await send(update, context, step)
        elif isinstance(step, Notice):
            await _notify(context, step)
        elif isinstance(step, Photo):
            await context.bot.send_photo(
                chat_id_of(update), step.png, caption=step.caption, parse_mode=ParseMode.HTML
            )
        else:
            await _send_document(update, context, step)


async def send(update: Update, context: CoachContext, reply: Reply) -> Message:
    """Send an HTML message to the chat of the update."""
    return await context.bot.send_message(
        chat_id_of(update),
        reply.text,
        parse_mode=ParseMode.HTML,
        reply_markup=inline_keyboard(reply.rows),
        disable_web_page_preview=True,
    )


async def show(update: Update, context: CoachContext, reply: Reply) -> None:
    """Answer in place: edit the pressed message for a button, otherwise send a new one."""
    query = update.callback_query
    if query is None or not isinstance(query.message, Message):
        await send(update, context, reply)
        return
    try:
        await query.edit_message_text(
            reply.text,
            parse_mode=ParseMode.HTML,
            reply_markup=inline_keyboard(reply.rows),
            disable_web_page_preview=True,
        )
    except BadRequest as error:
        if "not modified" not in error.message:
            raise


async def _notify(context: CoachContext, notice: Notice) -> None:
    """A message to the other side of a partnership. The answer to this update is already
    given, so a refusal is logged in one line, and a chat that blocked the bot marked so."""
    if not partner_setup(context).enabled:
        return
    try:
        await context.bot.send_message(
            notice.chat_id,
            notice.reply.text,
            parse_mode=ParseMode.HTML,
            reply_markup=inline_keyboard(notice.reply.rows),
        )
    except Forbidden as error:
        await mark_blocked(context.store, notice.chat_id, error)
        delivered = False
    except TelegramError as error:
        logger.warning("Could not tell chat %s about its partnership: %s", notice.chat_id, error)
        delivered = False
    else:
        delivered = True
    await finish_notice(context.store, notice, delivered, context.now)


async def _send_document(update: Update, context: CoachContext, document: Document) -> None:
    await context.bot.send_document(
        chat_id_of(update),
        InputFile(document.data, filename=document.filename),
        caption=document.caption,
    )


async def _drop_rows(update: Update, action: type[Action]) -> None:
    """Take one kind of action's button rows off the pressed message, keeping the others."""
    query = update.callback_query
    message = query.message if query else None
    if query is None or not isinstance(message, Message) or message.reply_markup is None:
        return
    prefix = payload_prefix(action)
    rows = [
        row
        for row in message.reply_markup.inline_keyboard
        if not any(str(item.callback_data or "").startswith(prefix) for item in row)
    ]
    if len(rows) == len(message.reply_markup.inline_keyboard):
        return
    try:
        await query.edit_message_reply_markup(InlineKeyboardMarkup(rows) if rows else None)
    except BadRequest as error:
        if "not modified" not in error.message:
            raise


def command_text(context: CoachContext) -> str:
    """The arguments of a command, as one text."""
    return " ".join(context.args or [])
