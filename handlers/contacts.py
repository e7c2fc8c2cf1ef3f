"""/add and /contacts: the people, a card for each, and the card's one-tap actions."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot.coaching.domain import Contact, Tier, User
from bot.coaching.errors import InputError
from bot.coaching.names import name_key
from bot.coaching.parsing import parse_add_args
from bot.context import CoachContext
from bot.messages.texts import TIER_LABELS, contact_card, contact_line, esc
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
from storage import DuplicateContactError

PAGE_SIZE = 8
AWAIT_ADD = "cmd:add"
TIER_FILTERS = ("all", *[tier.value for tier in Tier])


async def add_command(update: Update, context: CoachContext) -> None:
    """/add NAME [tier] [- note]."""
    await add_contact_from_text(update, context, " ".join(context.args or []))


async def add_contact_from_text(update: Update, context: CoachContext, args: str) -> None:
    """Add a contact from `NAME [tier] [- note]`; with no text, ask for it."""
    user = await current_user(update, context)
    if not args.strip():
        await context.store.update_user(user.chat_id, awaiting=AWAIT_ADD)
        await send(
            update,
            context,
            "Who should I add? For example: <code>Ana López warm - former colleague</code>\n"
            "Tiers: warm, first, second, third (LinkedIn degree), intro.",
        )
        return
    try:
        parsed = parse_add_args(args)
    except InputError as error:
        await send(update, context, error.message)
        return
    try:
        contact = await context.store.add_contact(
            user.chat_id,
            name=parsed.name,
            name_key=name_key(parsed.name),
            tier=parsed.tier,
            note=parsed.note,
            now=context.clock.now(),
        )
    except DuplicateContactError as error:
        await send(
            update,
            context,
            f"<b>{esc(error.existing.name)}</b> is already in your contacts.",
            keyboard((button("Open card", "ct", error.existing.id),)),
        )
        return
    text = with_setup_hint(user, f"👤 Added {contact_line(contact)}.")
    await send(update, context, text, _card_actions(contact))


async def contacts_command(update: Update, context: CoachContext) -> None:
    """/contacts [tier]: the list, filtered by tier when one is named."""
    user = await current_user(update, context)
    wanted = (context.args or ["all"])[0].lower()
    tier_filter = wanted if wanted in TIER_FILTERS else "all"
    text, markup = await _contact_list(context, user, tier_filter, 0)
    if wanted not in TIER_FILTERS:
        text = f"I don't know the tier “{esc(wanted)}”, so here's everyone.\n\n" + text
    await send(update, context, text, markup)


async def list_button(update: Update, context: CoachContext, action: ButtonAction) -> None:
    """A filter or page of the contact list."""
    user = await current_user(update, context)
    tier_filter, page = action.args[0], action.int_arg(1)
    if tier_filter not in TIER_FILTERS:
        await answer_button(update, "That button has expired.")
        return
    await answer_button(update)
    text, markup = await _contact_list(context, user, tier_filter, page)
    await show(update, context, text, markup)


async def card_button(update: Update, context: CoachContext, action: ButtonAction) -> None:
    """Open a contact's card."""
    user = await current_user(update, context)
    contact = await button_contact(update, context, user, action)
    if contact is None:
        return
    await answer_button(update)
    await show(update, context, await _card_text(context, user, contact), _card_actions(contact))


async def tier_button(update: Update, context: CoachContext, action: ButtonAction) -> None:
    """Choose a new tier for a contact."""
    user = await current_user(update, context)
    contact = await button_contact(update, context, user, action)
    if contact is None:
        return
    await answer_button(update)
    rows: list[Row] = [
        tuple(button(TIER_LABELS[tier], "ts", contact.id, tier.value) for tier in pair)
        for pair in ((Tier.WARM, Tier.INTRO), (Tier.FIRST, Tier.SECOND), (Tier.THIRD,))
    ]
    rows.append((button("◀ Back", "ct", contact.id),))
    await show(update, context, f"How do you know <b>{esc(contact.name)}</b>?", keyboard(*rows))


async def set_tier_button(update: Update, context: CoachContext, action: ButtonAction) -> None:
    """Save the tier picked for a contact."""
    user = await current_user(update, context)
    try:
        tier = Tier(action.args[1])
    except ValueError:
        await answer_button(update, "That button has expired.")
        return
    contact = await context.store.update_contact(user.chat_id, action.int_arg(0), tier=tier)
    if contact is None:
        await answer_button(update, "That contact is no longer here.")
        return
    await answer_button(update, f"Now {TIER_LABELS[tier]}")
    await show(update, context, await _card_text(context, user, contact), _card_actions(contact))


async def _card_text(context: CoachContext, user: User, contact: Contact) -> str:
    history = await context.store.contact_history(user.chat_id, contact.id, limit=8)
    open_follow_up = await context.store.open_follow_up(user.chat_id, contact.id)
    return contact_card(contact, history, open_follow_up, user, context.clock.now())


def _card_actions(contact: Contact) -> InlineKeyboardMarkup:
    return keyboard(
        (button("📨 Reached out", "ra", contact.id), button("💬 Got a reply", "ry", contact.id)),
        (button("☕ Coffee chat", "ch", contact.id), button("🎁 Gave", "gv", contact.id)),
        (button("🚀 Opportunity", "pn", contact.id),),
        (button("🏷 Tier", "tr", contact.id), button("👥 All contacts", "cl", "all", 0)),
    )


async def _contact_list(
    context: CoachContext, user: User, tier_filter: str, page: int
) -> tuple[str, InlineKeyboardMarkup]:
    tier = None if tier_filter == "all" else Tier(tier_filter)
    contacts = await context.store.list_contacts(user.chat_id, tier)
    pages = max(1, -(-len(contacts) // PAGE_SIZE))
    page = min(page, pages - 1)
    shown = contacts[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    scope = "" if tier is None else f" ({TIER_LABELS[tier]})"
    if not contacts:
        text = (
            f"No contacts{scope} yet. Add someone: <code>/add Ana warm</code>"
            if tier
            else "No contacts yet. Start with someone warm: <code>/add Ana warm</code>"
        )
    else:
        text = f"<b>Your contacts{scope}</b>: {len(contacts)}"
        if pages > 1:
            text += f" · page {page + 1} of {pages}"
        text += "\nTap a name for the card."
    rows: list[Row] = [(button(contact.name[:30], "ct", contact.id),) for contact in shown]
    navigation = []
    if page > 0:
        navigation.append(button("◀ Previous", "cl", tier_filter, page - 1))
    if page < pages - 1:
        navigation.append(button("Next ▶", "cl", tier_filter, page + 1))
    if navigation:
        rows.append(tuple(navigation))
    filters = [
        button(("• " if value == tier_filter else "") + label, "cl", value, 0)
        for value, label in (("all", "All"), ("warm", "Warm"), ("first", "1st"), ("second", "2nd"))
    ]
    more = [
        button(("• " if value == tier_filter else "") + label, "cl", value, 0)
        for value, label in (("third", "3rd"), ("intro", "Intro"))
    ]
    rows += [tuple(filters), tuple(more)]
    return text, keyboard(*rows)
