"""/pipeline: opportunities by stage, one-tap moves between stages, and starting one from a
contact's card (its title asked as the next text)."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot.coaching.domain import Contact, Opportunity, Stage, User
from bot.coaching.progress import STAGE_ORDER, by_stage, hot_opportunities
from bot.context import CoachContext
from bot.messages.texts import (
    STAGE_BUTTONS,
    esc,
    opportunity_prompt,
    opportunity_text,
    pipeline_text,
)
from handlers.callback_data import ButtonAction
from handlers.common import (
    Row,
    answer_button,
    button,
    button_contact,
    current_user,
    keyboard,
    send,
    show,
    with_setup_hint,
)

AWAIT_OPPORTUNITY = "opp:"
MAX_TITLE_LENGTH = 200  # the column's size
MAX_LISTED = 12  # buttons on the pipeline; the text still lists them all by stage
GONE = "That opportunity is no longer here."


async def pipeline_command(update: Update, context: CoachContext) -> None:
    """/pipeline."""
    user = await current_user(update, context)
    text, markup = await _pipeline(context, user)
    await send(update, context, with_setup_hint(user, text), markup)


async def list_button(update: Update, context: CoachContext, _action: ButtonAction) -> None:
    """Back to the pipeline, in place."""
    user = await current_user(update, context)
    await answer_button(update)
    text, markup = await _pipeline(context, user)
    await show(update, context, text, markup)


async def open_button(update: Update, context: CoachContext, action: ButtonAction) -> None:
    """One opportunity, with a button for every stage."""
    user = await current_user(update, context)
    found = await context.store.get_opportunity(user.chat_id, action.int_arg(0))
    if found is None:
        await answer_button(update, GONE)
        return
    await answer_button(update)
    opportunity, contact = found
    await show(
        update,
        context,
        opportunity_text(opportunity, contact, user.timezone),
        _stage_keyboard(opportunity),
    )


async def move_button(update: Update, context: CoachContext, action: ButtonAction) -> None:
    """Move an opportunity to the stage pressed; interview and later get a celebration."""
    user = await current_user(update, context)
    try:
        stage = Stage(action.args[1])
    except ValueError:
        await answer_button(update, "That button has expired.")
        return
    found = await context.store.get_opportunity(user.chat_id, action.int_arg(0))
    if found is None:
        await answer_button(update, GONE)
        return
    opportunity, contact = found
    if opportunity.stage is stage:
        await answer_button(update, "It's there already.")
        return
    moved = await context.store.move_opportunity(
        user.chat_id, opportunity.id, stage, context.clock.now()
    )
    if moved is None:
        await answer_button(update, GONE)
        return
    await answer_button(update, f"Moved to {STAGE_BUTTONS[stage]}")
    await show(
        update,
        context,
        opportunity_text(moved, contact, user.timezone, moved=True),
        _stage_keyboard(moved),
    )


async def start_button(update: Update, context: CoachContext, action: ButtonAction) -> None:
    """'Opportunity' on a contact's card: ask for its title."""
    user = await current_user(update, context)
    contact = await button_contact(update, context, user, action)
    if contact is None:
        return
    await answer_button(update)
    await context.store.update_user(user.chat_id, awaiting=f"{AWAIT_OPPORTUNITY}{contact.id}")
    await send(update, context, opportunity_prompt(contact))


def is_opportunity_text(user: User) -> bool:
    """Whether the next plain text is the title of a new opportunity."""
    return (user.awaiting or "").startswith(AWAIT_OPPORTUNITY)


async def opportunity_title_text(
    update: Update, context: CoachContext, user: User, text: str
) -> None:
    """The awaited title: start the opportunity at the coffee-chat stage and offer the stages."""
    contact_id = (user.awaiting or "").removeprefix(AWAIT_OPPORTUNITY)
    await context.store.update_user(user.chat_id, awaiting=None)
    contact = (
        await context.store.get_contact(user.chat_id, int(contact_id))
        if contact_id.isdecimal()
        else None
    )
    if contact is None:
        await send(update, context, "That contact is gone, so I didn't save this.")
        return
    title = " ".join(text.split())
    if not title or len(title) > MAX_TITLE_LENGTH:
        await context.store.update_user(user.chat_id, awaiting=f"{AWAIT_OPPORTUNITY}{contact.id}")
        await send(
            update,
            context,
            f"A title of up to {MAX_TITLE_LENGTH} characters, please, like "
            "<code>Product designer at Acme</code>. Or send /pipeline to leave it.",
        )
        return
    opportunity = await context.store.add_opportunity(
        user.chat_id, contact.id, title=title, stage=Stage.CHAT, now=context.clock.now()
    )
    await send(
        update,
        context,
        f"🚀 Added to your pipeline: <b>{esc(title)}</b>.\n\n"
        + opportunity_text(opportunity, contact, user.timezone),
        _stage_keyboard(opportunity),
    )


async def _pipeline(context: CoachContext, user: User) -> tuple[str, InlineKeyboardMarkup | None]:
    items = await context.store.list_opportunities(user.chat_id)
    groups = by_stage(items)
    contacts = {opportunity.id: contact for opportunity, contact in items}
    hot = hot_opportunities(opportunity for opportunity, _ in items)
    hottest = (hot[0], contacts[hot[0].id]) if hot else None
    text = pipeline_text(groups, hottest, user.timezone)
    if not items:
        return text, keyboard((button("👥 Contacts", "cl", "all", 0),))
    ordered = [pair for _, group in groups for pair in group]
    # Open ones first: a closed opportunity can be reopened, but rarely is.
    ordered.sort(key=lambda pair: pair[0].stage is Stage.CLOSED)
    rows: list[Row] = [_opportunity_row(*pair) for pair in ordered[:MAX_LISTED]]
    return text, keyboard(*rows)


def _opportunity_row(opportunity: Opportunity, contact: Contact) -> Row:
    icon = STAGE_BUTTONS[opportunity.stage].split(" ")[0]
    label = f"{icon} {opportunity.title[:28]} · {contact.name[:16]}"
    return (button(label, "po", opportunity.id),)


def _stage_keyboard(opportunity: Opportunity) -> InlineKeyboardMarkup:
    def stage_button(stage: Stage) -> tuple[str, str]:
        mark = "• " if stage is opportunity.stage else ""
        return button(mark + STAGE_BUTTONS[stage], "pm", opportunity.id, stage.value)

    stages = [stage_button(stage) for stage in STAGE_ORDER]
    return keyboard(
        tuple(stages[0:3]),
        tuple(stages[3:6]),
        (stages[6], button("◀ Pipeline", "pl")),
    )
