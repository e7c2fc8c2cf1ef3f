"""Every command: read its arguments, run its use case, show the answer."""

from __future__ import annotations

from telegram import Update

from bot.coaching.partners import is_invite_code
from bot.coaching.pending import LogCommand
from bot.context import CoachContext
from bot.usecases import (
    contacts,
    data,
    fears,
    followups,
    onboarding,
    outreach,
    partners,
    pausing,
    pipeline,
    preferences,
    progress,
    targets,
    today,
    undo,
)
from handlers.common import chat_id_of, partner_setup, respond, run


def _text(context: CoachContext) -> str:
    return " ".join(context.args or [])


def _first_word(context: CoachContext) -> str:
    return (context.args or [""])[0]


async def start(update: Update, context: CoachContext) -> None:
    """/start: begin or resume onboarding; for a set-up user, today's dashboard.
    `/start CODE` is someone opening a partner's invite link: no onboarding then."""
    if context.args and is_invite_code(context.args[0]):
        first_name = update.effective_user.first_name if update.effective_user else None
        opened = partners.InviteOpened(context.args[0], first_name, partner_setup(context))
        await run(update, context, partners.open_invite, opened)
        return
    await run(update, context, onboarding.start, None)


async def help_command(update: Update, context: CoachContext) -> None:
    """/help: what the bot can do, with examples."""
    await respond(update, context, onboarding.help_text())


async def add_command(update: Update, context: CoachContext) -> None:
    """/add NAME [tier] [- note]."""
    await run(update, context, contacts.add_contact, _text(context))


async def contacts_command(update: Update, context: CoachContext) -> None:
    """/contacts [tier|targets|COMPANY]."""
    await run(update, context, contacts.list_contacts, _text(context))


async def reach_command(update: Update, context: CoachContext) -> None:
    """/reach NAME [via CHANNEL] [ask] [- note]."""
    await run(update, context, outreach.log_command, (LogCommand.REACH, _text(context)))


async def reply_command(update: Update, context: CoachContext) -> None:
    """/reply NAME [positive|declined|later]."""
    await run(update, context, outreach.log_command, (LogCommand.REPLY, _text(context)))


async def chat_command(update: Update, context: CoachContext) -> None:
    """/chat NAME [- notes]."""
    await run(update, context, outreach.log_command, (LogCommand.CHAT, _text(context)))


async def gave_command(update: Update, context: CoachContext) -> None:
    """/gave NAME WHAT."""
    await run(update, context, outreach.log_command, (LogCommand.GAVE, _text(context)))


async def undo_command(update: Update, context: CoachContext) -> None:
    """/undo: show the last log and offer to take it back."""
    await run(update, context, undo.undo_last, None)


async def followups_command(update: Update, context: CoachContext) -> None:
    """/followups."""
    await run(update, context, followups.show_follow_ups, None)


async def today_command(update: Update, context: CoachContext) -> None:
    """/today."""
    await run(update, context, today.show_today, None)


async def progress_command(update: Update, context: CoachContext) -> None:
    """/progress."""
    await run(update, context, progress.show_progress, None)


async def pipeline_command(update: Update, context: CoachContext) -> None:
    """/pipeline."""
    await run(update, context, pipeline.show_pipeline, None)


async def fear_command(update: Update, context: CoachContext) -> None:
    """/fear [TEXT]."""
    await run(update, context, fears.write_fear, _text(context))


async def fears_command(update: Update, context: CoachContext) -> None:
    """/fears."""
    await run(update, context, fears.fear_journal, None)


async def targets_command(update: Update, context: CoachContext) -> None:
    """/targets [COMPANY, COMPANY...]."""
    await run(update, context, targets.show_targets, _text(context))


async def settings_command(update: Update, context: CoachContext) -> None:
    """/settings."""
    await run(update, context, preferences.show_settings, None)


async def pause_command(update: Update, context: CoachContext) -> None:
    """/pause [DAYS]."""
    await run(update, context, pausing.pause, _first_word(context))


async def resume_command(update: Update, context: CoachContext) -> None:
    """/resume."""
    await run(update, context, pausing.resume, None)


async def partner_command(update: Update, context: CoachContext) -> None:
    """/partner: show, invite or end an accountability partner."""
    await run(update, context, partners.show_partner, partner_setup(context))


async def export_command(update: Update, context: CoachContext) -> None:
    """/export (an unknown chat is told there is nothing, and is not created)."""
    response = await data.export_data(context.store, chat_id_of(update), context.now)
    await respond(update, context, response)


async def delete_command(update: Update, context: CoachContext) -> None:
    """/delete: ask for confirmation first."""
    await respond(update, context, await data.ask_to_delete(context.store, chat_id_of(update)))
