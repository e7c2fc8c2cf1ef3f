"""A contact renamed, merged into another (history, follow-ups, fears and opportunities move),
or deleted with what goes with it; each asked first where it cannot be taken back."""

from __future__ import annotations

from datetime import datetime

from bot.coaching.domain import Contact, User
from bot.coaching.errors import InputError
from bot.coaching.names import clean_contact_name, match_contacts, name_key
from bot.coaching.pending import AwaitContactName, AwaitMergeTarget
from bot.messages.common import CONTACT_GONE, CONTACT_GONE_NOT_SAVED, esc
from bot.messages.history import delete_contact_question, merge_question
from bot.usecases.actions import (
    ChooseMerge,
    DeleteContact,
    EditContact,
    MergeInto,
    RenameContact,
    ShowContacts,
)
from bot.usecases.contacts import card_actions, card_text
from bot.usecases.outreach import contact_of
from bot.usecases.replies import Button, ButtonRow, Refusal, Reply, Response, edited, sent
from storage import DuplicateContactError, Store

MAX_MERGE_CHOICES = 6
NO_ONE_TO_MERGE = "There's no one else to merge into yet."


# --- rename ----------------------------------------------------------------------------------


async def rename_contact(
    store: Store, user: User, now: datetime, action: RenameContact
) -> Response:
    """Ask for the contact's new name."""
    contact = await contact_of(store, user, action.contact_id)
    await store.set_awaiting(user.chat_id, AwaitContactName(contact.id))
    return edited(
        Reply(
            f"What's the right name for <b>{esc(contact.name)}</b>? Send it as it should read.",
            ((Button("◀ Back", EditContact(contact.id)),),),
        )
    )


async def awaited_contact_name(
    store: Store, user: User, now: datetime, given: tuple[int, str]
) -> Response:
    """The new name, typed: the card under it, or an offer to merge when it is taken."""
    contact_id, text = given
    contact = await store.get_contact(user.chat_id, contact_id)
    if contact is None:
        await store.set_awaiting(user.chat_id, None)
        raise Refusal(CONTACT_GONE_NOT_SAVED)
    try:
        name = clean_contact_name(text)
    except InputError as error:
        return sent(Reply(error.message))  # the question stays: the next message is the name
    await store.set_awaiting(user.chat_id, None)
    try:
        renamed = await store.rename_contact(
            user.chat_id, contact.id, name=name, name_key=name_key(name)
        )
    except DuplicateContactError as error:
        taken = error.existing
        merge = Button("🔀 Merge them", MergeInto(contact.id, taken.id, False))
        back = Button("◀ Back", EditContact(contact.id))
        return sent(
            Reply(
                f"You already have <b>{esc(taken.name)}</b>. "
                f"Are they the same person as <b>{esc(contact.name)}</b>?",
                ((merge, back),),
            )
        )
    if renamed is None:
        raise Refusal(CONTACT_GONE)
    card = await card_text(store, user, now, renamed)
    return sent(Reply(f"✏️ Renamed to <b>{esc(renamed.name)}</b>.\n\n{card}", card_actions(renamed)))


# --- merge -----------------------------------------------------------------------------------


async def choose_merge(store: Store, user: User, now: datetime, action: ChooseMerge) -> Response:
    """Who to merge the contact into: the likeliest first, or a name typed."""
    source = await contact_of(store, user, action.contact_id)
    choices = await _merge_choices(store, user, source, source.name)
    if not choices:
        raise Refusal(NO_ONE_TO_MERGE)
    await store.set_awaiting(user.chat_id, AwaitMergeTarget(source.id))
    text = f"🔀 Merge <b>{esc(source.name)}</b> into which contact? Tap one, or send the name."
    return edited(Reply(text, _merge_rows(source, choices)))


async def awaited_merge_target(
    store: Store, user: User, now: datetime, given: tuple[int, str]
) -> Response:
    """A typed name of the contact to merge into."""
    contact_id, text = given
    source = await store.get_contact(user.chat_id, contact_id)
    if source is None:
        await store.set_awaiting(user.chat_id, None)
        raise Refusal(CONTACT_GONE_NOT_SAVED)
    others = [item for item in await store.list_contacts(user.chat_id) if item.id != source.id]
    matches = match_contacts(text, others)
    if len(matches) == 1:
        await store.set_awaiting(user.chat_id, None)
        return sent(await _merge_question(store, user, source, matches[0]))
    choices = matches or await _merge_choices(store, user, source, text)
    which = (
        "Which one?"
        if matches
        else f"I don't have “{esc(text.strip())}”. Tap one, or send another name."
    )
    return sent(Reply(which, _merge_rows(source, choices)))


async def merge_into(store: Store, user: User, now: datetime, action: MergeInto) -> Response:
    """Merge one contact into another, after showing what moves."""
    source = await contact_of(store, user, action.contact_id)
    target = await contact_of(store, user, action.into)
    if not action.confirmed:
        return edited(await _merge_question(store, user, source, target))
    merged = await store.merge_contact(user.chat_id, source.id, target.id)
    if merged is None:
        raise Refusal(CONTACT_GONE)
    if isinstance(user.awaiting, AwaitMergeTarget):
        await store.set_awaiting(user.chat_id, None)
    card = await card_text(store, user, now, merged)
    heading = f"🔀 Merged: everything of {esc(source.name)} is now with <b>{esc(merged.name)}</b>."
    return edited(Reply(f"{heading}\n\n{card}", card_actions(merged)), toast="Merged 🔀")


async def _merge_question(store: Store, user: User, source: Contact, target: Contact) -> Reply:
    footprint = await store.contact_footprint(user.chat_id, source.id)
    if footprint is None:
        raise Refusal(CONTACT_GONE)
    rows = (
        (
            Button("🔀 Yes, merge", MergeInto(source.id, target.id, True)),
            Button("◀ Back", EditContact(source.id)),
        ),
    )
    return Reply(merge_question(source, target, footprint), rows)


async def _merge_choices(store: Store, user: User, source: Contact, hint: str) -> list[Contact]:
    """Contacts to merge into: those whose names match `hint` first, then the others."""
    others = [item for item in await store.list_contacts(user.chat_id) if item.id != source.id]
    likely = match_contacts(hint, others)
    return (likely + [item for item in others if item not in likely])[:MAX_MERGE_CHOICES]


def _merge_rows(source: Contact, choices: list[Contact]) -> tuple[ButtonRow, ...]:
    rows: list[ButtonRow] = [
        (Button(f"→ {item.name[:28]}", MergeInto(source.id, item.id, False)),) for item in choices
    ]
    rows.append((Button("◀ Back", EditContact(source.id)),))
    return tuple(rows)


# --- delete ----------------------------------------------------------------------------------


async def delete_contact(
    store: Store, user: User, now: datetime, action: DeleteContact
) -> Response:
    """Delete a contact, after saying what goes with them."""
    contact = await contact_of(store, user, action.contact_id)
    if not action.confirmed:
        footprint = await store.contact_footprint(user.chat_id, contact.id)
        if footprint is None:
            raise Refusal(CONTACT_GONE)
        rows = (
            (
                Button("🗑 Yes, delete", DeleteContact(contact.id, True)),
                Button("◀ Back", EditContact(contact.id)),
            ),
        )
        return edited(Reply(delete_contact_question(contact, footprint), rows))
    if not await store.delete_contact(user.chat_id, contact.id):
        raise Refusal(CONTACT_GONE)
    return edited(
        Reply(
            f"🗑 <b>{esc(contact.name)}</b> is deleted, with everything logged about them.",
            ((Button("👥 All contacts", ShowContacts("all", 0)),),),
        ),
        toast="Deleted 🗑",
    )
