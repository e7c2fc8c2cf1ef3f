"""/add and /contacts: the people, a card for each, and the card's one-tap actions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.coaching.companies import works_at
from bot.coaching.domain import Contact, Tier, User
from bot.coaching.errors import InputError
from bot.coaching.names import doubtful_name, name_key
from bot.coaching.parsing import AddArgs, parse_add_list
from bot.coaching.pending import AwaitNewContact, PendingContact
from bot.messages.common import CONTACT_GONE, TIER_LABELS, esc, with_setup_hint
from bot.messages.contacts import contact_card, contact_line
from bot.messages.history import name_question
from bot.usecases.actions import (
    ChooseTier,
    EditContact,
    GaveSomething,
    GotReply,
    HadCoffeeChat,
    NewOpportunity,
    OpenCard,
    ReachedOut,
    SetTier,
    ShowContacts,
)
from bot.usecases.companies import company_list, contact_page, target_keys
from bot.usecases.names import name_rows
from bot.usecases.outreach import contact_of
from bot.usecases.replies import (
    AppButton,
    AppScreen,
    Button,
    ButtonRow,
    Refusal,
    Reply,
    Response,
    edited,
    sent,
)
from storage import DuplicateContactError, Store

TARGETS_FILTER = "targets"
OPEN_CONTACTS_APP = "📇 Search and edit in the app"
TIER_FILTERS = ("all", TARGETS_FILTER, *[tier.value for tier in Tier])


@dataclass(frozen=True)
class AddedNames:
    """What adding a list of names did: who was added, who was there already, and a question
    for each name that looked like something else (nothing stored for those yet)."""

    added: tuple[Contact, ...]
    known: tuple[Contact, ...]
    questions: tuple[Reply, ...]


async def add_contact(store: Store, user: User, now: datetime, args: str) -> Response:
    """/add NAME [tier] [- note], or several names separated by commas; with no text, ask."""
    if not args.strip():
        await store.set_awaiting(user.chat_id, AwaitNewContact())
        return sent(
            Reply(
                "Who should I add? For example: <code>Ana López warm - former colleague</code>\n"
                "Several at once work too: <code>Rui, Carla Mendes, Helen</code>\n"
                "Tiers: warm, first, second, third (LinkedIn degree), intro."
            )
        )
    try:
        names, problems = parse_add_list(args)
    except InputError as error:
        return sent(Reply(error.message))
    result = await add_names(store, user, now, names)
    if len(result.added) == 1 and not (result.known or problems or result.questions):
        [contact] = result.added
        text = with_setup_hint(user, f"👤 Added {contact_line(contact)}.")
        return sent(Reply(text, card_actions(contact)))
    if len(result.known) == 1 and not (result.added or problems or result.questions):
        [known] = result.known
        return sent(
            Reply(
                f"<b>{esc(known.name)}</b> is already in your contacts.",
                ((Button("Open card", OpenCard(known.id)),),),
            )
        )
    lines = []
    if result.added:
        lines.append(f"👤 Added {len(result.added)}:")
        lines += [f"• {contact_line(contact)}" for contact in result.added]
    lines += [f"<b>{esc(known.name)}</b> is already in your contacts." for known in result.known]
    lines += problems
    if not lines:
        return sent(*result.questions)
    rows = ((Button("👥 All contacts", ShowContacts("all", 0)),),) if result.added else ()
    return sent(Reply(with_setup_hint(user, "\n".join(lines)), rows), *result.questions)


async def add_names(
    store: Store, user: User, now: datetime, names: Sequence[AddArgs]
) -> AddedNames:
    """Add each name; one that looks like a time, a number or a sentence waits for an answer
    to "Is the name Inês?" instead (as a draft)."""
    added: list[Contact] = []
    known: list[Contact] = []
    questions: list[Reply] = []
    for entry in names:
        doubt = doubtful_name(entry.name)
        if doubt is not None:
            draft = PendingContact(entry.name, entry.tier, entry.note)
            draft_id = await store.create_draft(user.chat_id, draft, now)
            questions.append(Reply(name_question(entry.name, doubt), name_rows(draft_id, doubt)))
            continue
        try:
            added.append(await add_one(store, user, now, entry))
        except DuplicateContactError as error:
            known.append(error.existing)
    return AddedNames(tuple(added), tuple(known), tuple(questions))


async def add_one(store: Store, user: User, now: datetime, entry: AddArgs) -> Contact:
    """Add one contact; DuplicateContactError when the name is there already."""
    return await store.add_contact(
        user.chat_id,
        name=entry.name,
        name_key=name_key(entry.name),
        tier=entry.tier,
        note=entry.note,
        now=now,
    )


async def awaited_new_contact(store: Store, user: User, now: datetime, text: str) -> Response:
    """The arguments of /add, sent after it."""
    await store.set_awaiting(user.chat_id, None)
    return await add_contact(store, user, now, text)


async def list_contacts(store: Store, user: User, now: datetime, wanted: str) -> Response:
    """/contacts [tier|targets|COMPANY]: the list, filtered by tier or by company."""
    wanted = wanted.strip()
    tier_filter = wanted.lower() or "all"
    if tier_filter in TIER_FILTERS:
        return sent(await _contact_list(store, user, tier_filter, 0))
    at_company = await company_list(store, user, wanted)
    if at_company is not None:
        return sent(at_company)
    reply = await _contact_list(store, user, "all", 0)
    return sent(
        Reply(
            f"Nobody at “{esc(wanted)}” (and it isn't a tier), so here's everyone.\n\n"
            + reply.text,
            reply.rows,
        )
    )


async def show_contacts(store: Store, user: User, now: datetime, action: ShowContacts) -> Response:
    """A filter or page of the contact list, in place."""
    return edited(await _contact_list(store, user, action.tier_filter, action.page))


async def open_card(store: Store, user: User, now: datetime, action: OpenCard) -> Response:
    """A contact's card, in place."""
    contact = await contact_of(store, user, action.contact_id)
    return edited(Reply(await card_text(store, user, now, contact), card_actions(contact)))


async def choose_tier(store: Store, user: User, now: datetime, action: ChooseTier) -> Response:
    """Choose a new tier for a contact."""
    contact = await contact_of(store, user, action.contact_id)
    rows: list[ButtonRow] = [
        tuple(Button(TIER_LABELS[tier], SetTier(contact.id, tier)) for tier in pair)
        for pair in ((Tier.WARM, Tier.INTRO), (Tier.FIRST, Tier.SECOND), (Tier.THIRD,))
    ]
    rows.append((Button("◀ Back", OpenCard(contact.id)),))
    return edited(Reply(f"How do you know <b>{esc(contact.name)}</b>?", tuple(rows)))


async def set_tier(store: Store, user: User, now: datetime, action: SetTier) -> Response:
    """Save the tier picked for a contact."""
    contact = await store.update_contact(user.chat_id, action.contact_id, tier=action.tier)
    if contact is None:
        raise Refusal(CONTACT_GONE)
    return edited(
        Reply(await card_text(store, user, now, contact), card_actions(contact)),
        toast=f"Now {TIER_LABELS[action.tier]}",
    )


async def card_text(store: Store, user: User, now: datetime, contact: Contact) -> str:
    """A contact's card: who they are, where things stand, the latest history."""
    history = await store.contact_history(user.chat_id, contact.id, limit=8)
    open_follow_up = await store.open_follow_up(user.chat_id, contact.id)
    return contact_card(contact, history, open_follow_up, user, now)


def card_actions(contact: Contact) -> tuple[ButtonRow, ...]:
    """The one-tap actions under a contact's card."""
    return (
        (
            Button("📨 Reached out", ReachedOut(contact.id)),
            Button("💬 Got a reply", GotReply(contact.id)),
        ),
        (
            Button("☕ Coffee chat", HadCoffeeChat(contact.id)),
            Button("🎁 Gave", GaveSomething(contact.id)),
        ),
        (
            Button("🚀 Opportunity", NewOpportunity(contact.id)),
            Button("🏷 Tier", ChooseTier(contact.id)),
        ),
        (
            Button("✏️ Edit or fix", EditContact(contact.id)),
            Button("👥 All contacts", ShowContacts("all", 0)),
        ),
    )


async def _contact_list(store: Store, user: User, tier_filter: str, page: int) -> Reply:
    tier = Tier(tier_filter) if tier_filter in set(Tier) else None
    contacts = await store.list_contacts(user.chat_id, tier)
    keys = await target_keys(store, user)
    if tier_filter == TARGETS_FILTER:
        contacts = [contact for contact in contacts if works_at(contact.company, keys)]
    scope = "" if tier is None else f" ({TIER_LABELS[tier]})"
    scope = " at your target companies" if tier_filter == TARGETS_FILTER else scope
    if not contacts:
        text = f"No contacts{scope} yet."
        if tier_filter == "all":
            text = "No contacts yet. Start with someone warm: <code>/add Ana warm</code>"
        elif tier is not None:
            text += " Add someone: <code>/add Ana warm</code>"
        rows: list[ButtonRow] = []
    else:
        text, rows = contact_page(
            contacts, page, f"Your contacts{scope}", keys, lambda to: ShowContacts(tier_filter, to)
        )
    filters = [
        (("all", "All"), ("warm", "Warm"), ("first", "1st"), ("second", "2nd")),
        (("third", "3rd"), ("intro", "Intro"), *([(TARGETS_FILTER, "🎯 Targets")] if keys else [])),
    ]
    rows += [
        tuple(_filter_button(value, label, tier_filter) for value, label in group)
        for group in filters
    ]
    rows.append((AppButton(OPEN_CONTACTS_APP, AppScreen.CONTACTS),))
    return Reply(text, tuple(rows))


def _filter_button(value: str, label: str, current: str) -> Button:
    return Button(("• " if value == current else "") + label, ShowContacts(value, 0))
