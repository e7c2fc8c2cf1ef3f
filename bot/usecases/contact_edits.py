"""A contact renamed, merged into another (history, follow-ups, fears and opportunities move),
or deleted with what goes with it, each asked first where it cannot be taken back; and the
answer to "Is the name Inês?" before a name that looked like something else is stored."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from bot.coaching.domain import CLEAR, Contact, User
from bot.coaching.errors import InputError
from bot.coaching.names import clean_contact_name, doubtful_name, match_contacts, name_key
from bot.coaching.parsing import AddArgs
from bot.coaching.pending import (
    AwaitContactName,
    AwaitContactNote,
    AwaitMergeTarget,
    LogOrigin,
    PendingContact,
    PendingLog,
    PendingRename,
)
from bot.messages.common import (
    ALREADY_HANDLED,
    CONTACT_GONE,
    CONTACT_GONE_NOT_SAVED,
    EXPIRED,
    esc,
)
from bot.messages.contacts import contact_line
from bot.messages.history import delete_contact_question, merge_question, name_question
from bot.usecases.actions import (
    ChooseMerge,
    ClearContactNote,
    DeleteContact,
    EditContact,
    EditContactNote,
    MergeInto,
    NameChoice,
    RenameContact,
    SettleName,
    ShowContacts,
)
from bot.usecases.contacts import add_one, card_actions, card_text
from bot.usecases.names import name_rows
from bot.usecases.outreach import checked_note, contact_of, save_command_draft
from bot.usecases.replies import Button, ButtonRow, Refusal, Reply, Response, edited, sent
from bot.usecases.sentences import save_log_draft
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
    """The new name, typed (asked about first when it looks like a time, a number or a
    sentence)."""
    contact_id, text = given
    try:
        name = clean_contact_name(text)
    except InputError as error:
        return sent(Reply(error.message))  # the question stays: the next message is the name
    await store.set_awaiting(user.chat_id, None)
    doubt = doubtful_name(name)
    if doubt is not None:
        draft_id = await store.create_draft(user.chat_id, PendingRename(contact_id, name), now)
        return sent(Reply(name_question(name, doubt), name_rows(draft_id, doubt)))
    return await _rename(store, user, now, contact_id, name, None)


async def rename_to(
    store: Store, user: User, contact_id: int, name: str, note: str | None = None
) -> Contact:
    """The contact under its new name (a tidy one, see `clean_contact_name`), `note` added to
    its card; DuplicateContactError when another contact has the name, a Refusal when the
    contact is gone."""
    contact = await store.get_contact(user.chat_id, contact_id)
    if contact is None:
        raise Refusal(CONTACT_GONE_NOT_SAVED)
    renamed = await store.rename_contact(
        user.chat_id, contact.id, name=name, name_key=name_key(name)
    )
    if renamed is None:
        raise Refusal(CONTACT_GONE)
    if note:
        combined = f"{renamed.note}\n{note}" if renamed.note else note
        renamed = await store.update_contact(user.chat_id, renamed.id, note=combined) or renamed
    return renamed


async def _rename(
    store: Store, user: User, now: datetime, contact_id: int, name: str, note: str | None
) -> Response:
    """The contact renamed (`note` added to its card): its card, or an offer to merge when
    another contact has the name."""
    try:
        renamed = await rename_to(store, user, contact_id, name, note)
    except DuplicateContactError as error:
        contact, taken = await contact_of(store, user, contact_id), error.existing
        merge = Button("🔀 Merge them", MergeInto(contact.id, taken.id, False))
        back = Button("◀ Back", EditContact(contact.id))
        return edited(
            Reply(
                f"You already have <b>{esc(taken.name)}</b>. "
                f"Are they the same person as <b>{esc(contact.name)}</b>?",
                ((merge, back),),
            )
        )
    card = await card_text(store, user, now, renamed)
    text = f"✏️ Renamed to <b>{esc(renamed.name)}</b>.\n\n{card}"
    return edited(Reply(text, card_actions(renamed)))


async def settle_name(store: Store, user: User, now: datetime, action: SettleName) -> Response:
    """The answer to "Is the name Inês?": add (rename, or log with) the name it probably is,
    keeping the rest as a note, or the name as typed; or cancel."""
    draft = await store.get_draft(user.chat_id, action.draft_id)
    if not isinstance(draft, PendingContact | PendingLog | PendingRename):
        raise Refusal(ALREADY_HANDLED)
    if action.choice is NameChoice.CANCEL:
        await store.delete_draft(user.chat_id, action.draft_id)
        return edited(Reply("Okay: nothing was saved."), toast="Cancelled.")
    name, note = draft.name, None
    if action.choice is NameChoice.SUGGESTED:
        doubt = doubtful_name(draft.name)
        if doubt is None or doubt.name is None:
            raise Refusal(EXPIRED)
        name, note = doubt.name, doubt.rest
    if isinstance(draft, PendingRename):
        if not await store.delete_draft(user.chat_id, action.draft_id):
            raise Refusal(ALREADY_HANDLED)
        return await _rename(store, user, now, draft.contact_id, name, note)
    if isinstance(draft, PendingLog):
        if draft.origin is LogOrigin.SENTENCE:
            log = replace(draft, name=name)
            return await save_log_draft(store, user, now, action.draft_id, log, note)
        return await save_command_draft(store, user, now, action.draft_id, draft, name, note)
    if not await store.delete_draft(user.chat_id, action.draft_id):  # claim it: one use only
        raise Refusal(ALREADY_HANDLED)
    notes = "\n".join(part for part in (note, draft.note) if part) or None
    try:
        contact = await add_one(store, user, now, AddArgs(name, draft.tier, notes))
    except DuplicateContactError as error:
        known = error.existing
        return edited(
            Reply(f"<b>{esc(known.name)}</b> is already in your contacts.", card_actions(known))
        )
    return edited(Reply(f"👤 Added {contact_line(contact)}.", card_actions(contact)), toast="Added")


# --- note ------------------------------------------------------------------------------------


async def edit_contact_note(
    store: Store, user: User, now: datetime, action: EditContactNote
) -> Response:
    """Ask for the contact's note as it should read (or clear it)."""
    contact = await contact_of(store, user, action.contact_id)
    await store.set_awaiting(user.chat_id, AwaitContactNote(contact.id))
    text = f"What should <b>{esc(contact.name)}</b>'s note say? Send it as it should read."
    back = (Button("◀ Back", EditContact(contact.id)),)
    if not contact.note:
        return edited(Reply(text, (back,)))
    clear = (Button("🧹 Clear the note", ClearContactNote(contact.id)),)
    return edited(Reply(f"{text}\nNow: 📝 {esc(contact.note)}", (clear, back)))


async def clear_contact_note(
    store: Store, user: User, now: datetime, action: ClearContactNote
) -> Response:
    """A contact without a note."""
    if isinstance(user.awaiting, AwaitContactNote):
        await store.set_awaiting(user.chat_id, None)
    return await set_contact_note(store, user, now, (action.contact_id, ""))


async def awaited_contact_note(
    store: Store, user: User, now: datetime, given: tuple[int, str]
) -> Response:
    """A contact's note, typed as it should read."""
    try:
        checked_note(given[1].strip())
    except InputError as error:
        return sent(Reply(error.message))  # the question stays: the next message is the note
    await store.set_awaiting(user.chat_id, None)
    saved = await set_contact_note(store, user, now, given)
    return Response(saved.steps)  # one message: the card says it was saved


async def set_contact_note(
    store: Store, user: User, now: datetime, given: tuple[int, str]
) -> Response:
    """A contact's note as written (an empty one clears it), then its card; InputError when
    it is too long."""
    contact_id, text = given
    note = checked_note(text.strip()) if text.strip() else CLEAR
    contact = await store.update_contact(user.chat_id, contact_id, note=note)
    if contact is None:
        raise Refusal(CONTACT_GONE)
    said = "📝 Note saved." if note is not CLEAR else "🧹 Note cleared."
    card = await card_text(store, user, now, contact)
    return edited(Reply(f"{said}\n\n{card}", card_actions(contact)), toast=said)


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
