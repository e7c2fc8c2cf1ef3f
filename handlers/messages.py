"""Plain text, shared locations, unknown commands and everything else a chat can send."""

from __future__ import annotations

from telegram import Update
from telegram.error import BadRequest

from bot.coaching.imports.people import FileProblem, FileRefused
from bot.context import CoachContext
from bot.messages.common import esc
from bot.usecases import imports, onboarding
from bot.usecases.conversation import answer_text
from bot.usecases.imports import IncomingFile, SharedContact
from bot.usecases.onboarding import Location
from bot.usecases.replies import Reply
from bot.usecases.users import drop_pending_question
from handlers.common import run, send


async def text_message(update: Update, context: CoachContext) -> None:
    """Plain text: the answer to what the bot asked last, a sentence to log, or a hint."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    await run(update, context, answer_text, message.text)


async def location_message(update: Update, context: CoachContext) -> None:
    """A shared location: the answer to the time zone question."""
    message = update.effective_message
    if message is None or message.location is None:
        return
    where = Location(message.location.latitude, message.location.longitude)
    await run(update, context, onboarding.shared_location, where)


async def document_message(update: Update, context: CoachContext) -> None:
    """A file: LinkedIn's connections or a contacts file, summarised before anything is kept.
    It is fetched only after its size is known to be within the limit."""
    message = update.effective_message
    if message is None or message.document is None:
        return
    document = message.document

    async def fetch(limit: int) -> bytes:
        try:
            file = await context.bot.get_file(document.file_id)
        except BadRequest as error:
            if "too big" in error.message.lower():
                raise FileRefused(FileProblem.TOO_LARGE, limit=limit) from error
            raise
        if file.file_size is not None and file.file_size > limit:
            raise FileRefused(FileProblem.TOO_LARGE, limit=limit)
        return bytes(await file.download_as_bytearray())

    incoming = IncomingFile(document.file_name, document.mime_type, document.file_size, fetch)
    await run(update, context, imports.receive_file, incoming)


async def contact_message(update: Update, context: CoachContext) -> None:
    """A contact shared from the phone: a warm contact, once the user confirms."""
    message = update.effective_message
    if message is None or message.contact is None:
        return
    contact = message.contact
    shared = SharedContact(contact.first_name, contact.last_name, contact.vcard)
    await run(update, context, imports.receive_contact, shared)


async def clear_pending_question(update: Update, context: CoachContext) -> None:
    """A command drops whatever question was pending (runs before the command itself)."""
    if update.effective_chat is not None:
        context.remember_user(await drop_pending_question(context.store, context.known_user))


async def unknown_command(update: Update, context: CoachContext) -> None:
    """A command the bot does not have."""
    message = update.effective_message
    command = (message.text or "").split()[0] if message and message.text else "that"
    await send(
        update, context, Reply(f"I don't know {esc(command[:40])}. /help lists what I can do.")
    )


async def other_message(update: Update, context: CoachContext) -> None:
    """Stickers, photos, voice notes and the like."""
    await send(
        update,
        context,
        Reply(
            "I can read text, contacts files (LinkedIn's Connections.csv, a .vcf) and shared "
            "contacts. /help shows what I understand."
        ),
    )
