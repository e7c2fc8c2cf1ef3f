"""What every handler shares: who is talking and when, and how a use case's answer is shown."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from telegram import InlineKeyboardMarkup, InputFile, Message, MessageEntity, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.coaching.domain import User
from bot.coaching.errors import InputError
from bot.context import CoachContext
from bot.rendering import inline_keyboard
from bot.usecases.actions import Action, payload_prefix
from bot.usecases.partners import PartnerSetup, finish_notice
from bot.usecases.replies import (
    Document,
    Edit,
    LatePhoto,
    Notice,
    Photo,
    Refusal,
    Reply,
    Response,
    Retext,
)
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
    """The update's time (the clock is read once per update) and the chat's user, found or
    created."""
    now = context.now
    user = await user_for_chat(context.store, chat_id_of(update), now, known=context.known_user)
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
    if response.drop is not None or response.retext is not None:
        await _patch_pressed(update, response.drop, response.retext)
    for step in response.steps:
        if isinstance(step, Edit):
            await show(update, context, step.reply)
        elif isinstance(step, Reply):
            await send(update, context, step)
        elif isinstance(step, Notice):
            await _notify(context, step)
        elif isinstance(step, Photo):
            await _send_photo(update, context, step)
        elif isinstance(step, LatePhoto):
            await _send_photo(update, context, await step.draw())
        else:
            await _send_document(update, context, step)


async def _send_photo(update: Update, context: CoachContext, photo: Photo) -> None:
    await context.bot.send_photo(
        chat_id_of(update), photo.png, caption=photo.caption, parse_mode=ParseMode.HTML
    )


async def send(update: Update, context: CoachContext, reply: Reply) -> Message:
    """Send an HTML message to the chat of the update."""
    return await context.bot.send_message(
        chat_id_of(update),
        reply.text,
        parse_mode=ParseMode.HTML,
        reply_markup=inline_keyboard(reply.rows, app_url(context)),
        disable_web_page_preview=True,
    )


def app_url(context: CoachContext) -> str | None:
    """The Mini App's address (WEBAPP_URL), for the buttons that open it; None when it is off."""
    settings = context.bot_data.settings
    return settings.webapp_url if settings is not None else None


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
            reply_markup=inline_keyboard(reply.rows, app_url(context)),
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
            reply_markup=inline_keyboard(notice.reply.rows, app_url(context)),
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
    """Send a file; an open file is streamed as it is read (not held in memory), then closed."""
    streamed = not isinstance(document.data, bytes)
    try:
        await context.bot.send_document(
            chat_id_of(update),
            InputFile(document.data, filename=document.filename, read_file_handle=not streamed),
            caption=document.caption,
        )
    finally:
        if not isinstance(document.data, bytes):
            document.data.close()


async def _patch_pressed(update: Update, drop: type[Action] | None, retext: Retext | None) -> None:
    """Change only part of the pressed message: take one kind of action's button rows off it
    (keeping the others), and replace or take out one paragraph of its text."""
    query = update.callback_query
    message = query.message if query else None
    if query is None or not isinstance(message, Message):
        return
    keyboard = message.reply_markup.inline_keyboard if message.reply_markup else ()
    rows = list(keyboard)
    if drop is not None:
        prefix = payload_prefix(drop)
        rows = [
            row
            for row in rows
            if not any(str(item.callback_data or "").startswith(prefix) for item in row)
        ]
    markup = InlineKeyboardMarkup(rows) if rows else None
    patched = _retexted(message, retext) if retext is not None else None
    try:
        if patched is not None:
            text, entities = patched
            await query.edit_message_text(
                text, entities=entities, reply_markup=markup, disable_web_page_preview=True
            )
        elif len(rows) != len(keyboard):
            await query.edit_message_reply_markup(markup)
    except BadRequest as error:
        if "not modified" not in error.message:
            raise


def _retexted(message: Message, retext: Retext) -> tuple[str, list[MessageEntity]] | None:
    """The message's text with one paragraph replaced (or taken out, with the blank line before
    it), its formatting kept; None when the paragraph is not there."""
    text = message.text
    if text is None or retext.old not in text:
        return None
    start = text.index(retext.old)
    end = start + len(retext.old)
    if retext.new is None and text[:start].endswith("\n\n"):
        start -= 2
    elif retext.new is None and text[end:].startswith("\n\n"):
        end += 2
    new = retext.new or ""

    def units(part: str) -> int:  # Telegram counts offsets in UTF-16 code units
        return len(part.encode("utf-16-le")) // 2

    cut_start, cut_end = units(text[:start]), units(text[:end])
    shift = units(new) - (cut_end - cut_start)
    entities: list[MessageEntity] = []
    for entity in message.entities:
        if entity.offset + entity.length <= cut_start:
            entities.append(entity)
        elif entity.offset >= cut_end:
            entities.append(
                MessageEntity(
                    entity.type,
                    entity.offset + shift,
                    entity.length,
                    url=entity.url,
                    user=entity.user,
                    language=entity.language,
                    custom_emoji_id=entity.custom_emoji_id,
                )
            )
    return text[:start] + new + text[end:], entities


def command_text(context: CoachContext) -> str:
    """The arguments of a command, as one text."""
    return " ".join(context.args or [])
