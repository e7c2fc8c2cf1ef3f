"""A contact's history, fixed from the card's ✏️ menu: each entry's kind, channel, ask, note
or day changed, or the entry deleted with what it changed (as /undo does)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from bot.coaching.dates import check_back_day, local_today, moved_to_day, parse_past_day
from bot.coaching.domain import (
    CLEAR,
    QUOTA_KINDS,
    Ask,
    Contact,
    FollowUpEffects,
    InteractionChanges,
    LogEntry,
    User,
)
from bot.coaching.errors import InputError
from bot.coaching.followups import follow_up_effects
from bot.coaching.pending import AwaitEntryDay, AwaitEntryNote
from bot.messages.common import esc
from bot.messages.history import (
    DELETE_QUESTION,
    DELETED,
    edit_menu_text,
    entry_label,
    entry_text,
    removal_question,
    removed_text,
)
from bot.usecases.actions import (
    KIND_CODES,
    NO_ASK,
    ChooseMerge,
    ClearEntryNote,
    DeleteContact,
    DeleteEntry,
    EditContact,
    EditContactNote,
    EditEntry,
    EntryField,
    OpenCard,
    OpenEntry,
    RenameContact,
    SetEntryAsk,
    SetEntryChannel,
    SetEntryDay,
    SetEntryKind,
)
from bot.usecases.cadence import cadence_of
from bot.usecases.outreach import CHANNEL_BUTTONS, checked_note, contact_of
from bot.usecases.replies import Button, ButtonRow, Refusal, Reply, Response, edited, sent
from bot.usecases.sentences import KIND_BUTTONS
from bot.usecases.undo import forget_questions_about
from storage import Store

MAX_ENTRIES = 6
ENTRY_GONE = "That entry is no longer here."
ASK_BUTTONS = (
    (Ask.HELP.value, "🤝 Offered help"),
    (Ask.ADVICE.value, "💡 Advice"),
    (Ask.INTRO.value, "👋 Intro"),
    (Ask.COFFEE.value, "☕ Coffee chat"),
    (Ask.REFERRAL.value, "📄 Referral"),
    (NO_ASK, "No ask"),
)
QUICK_DAYS = ((0, "Today"), (1, "Yesterday"), (2, "2 days ago"))


# --- the menu and one entry ------------------------------------------------------------------


async def edit_contact(store: Store, user: User, now: datetime, action: EditContact) -> Response:
    """The card's ✏️: the latest entries to fix, and rename, merge or delete the contact."""
    contact = await contact_of(store, user, action.contact_id)
    await _forget_entry_question(store, user)
    return edited(await edit_menu(store, user, contact))


async def edit_menu(
    store: Store, user: User, contact: Contact, heading: str | None = None
) -> Reply:
    """A contact's edit menu, under `heading` when something was just done."""
    history = await store.contact_history(user.chat_id, contact.id, limit=MAX_ENTRIES)
    footprint = await store.contact_footprint(user.chat_id, contact.id)
    total = footprint.logs if footprint else len(history)
    text = edit_menu_text(contact, len(history), total)
    rows: list[ButtonRow] = [
        (Button(entry_label(item, user.timezone), OpenEntry(item.id)),) for item in history
    ]
    rows += [
        (
            Button("✏️ Rename", RenameContact(contact.id)),
            Button("📝 Note", EditContactNote(contact.id)),
        ),
        (
            Button("🔀 Merge into…", ChooseMerge(contact.id)),
            Button("🗑 Delete contact", DeleteContact(contact.id, False)),
        ),
        (Button("◀ Back", OpenCard(contact.id)),),
    ]
    return Reply(text if heading is None else f"{heading}\n\n{text}", tuple(rows))


async def open_entry(store: Store, user: User, now: datetime, action: OpenEntry) -> Response:
    """One entry with what can be changed."""
    entry = await _entry(store, user, action.interaction_id)
    await _forget_entry_question(store, user)
    return edited(_entry_view(entry, user))


def _entry_view(entry: LogEntry, user: User) -> Reply:
    interaction = entry.interaction
    ident = interaction.id

    def field(label: str, which: EntryField) -> Button:
        return Button(label, EditEntry(ident, which))

    kind = field("🏷 Kind", EntryField.KIND)
    note = field("📝 Note", EntryField.NOTE)
    day = field("📅 Day", EntryField.DAY)
    if interaction.kind in QUOTA_KINDS:
        fields: tuple[ButtonRow, ...] = (
            (kind, field("📡 Channel", EntryField.CHANNEL), field("🎯 Ask", EntryField.ASK)),
            (note, day),
        )
    else:
        fields = ((kind, note, day),)
    last = (
        Button("🗑 Delete", DeleteEntry(ident, False)),
        Button("◀ Back", EditContact(entry.contact.id)),
    )
    return Reply(entry_text(interaction, entry.contact, user.timezone), (*fields, last))


async def edit_entry(store: Store, user: User, now: datetime, action: EditEntry) -> Response:
    """The choices for one field of an entry (a note or a day can also be typed)."""
    entry = await _entry(store, user, action.interaction_id)
    ident = entry.interaction.id
    name = f"<b>{esc(entry.contact.name)}</b>"
    back = (Button("◀ Back", OpenEntry(ident)),)
    if action.field is EntryField.KIND:
        buttons = [
            Button(label, SetEntryKind(ident, KIND_CODES[code])) for code, label in KIND_BUTTONS
        ]
        return edited(Reply(f"What happened with {name}?", (*_pairs(buttons), back)))
    if action.field is EntryField.CHANNEL:
        buttons = [
            Button(label, SetEntryChannel(ident, channel)) for channel, label in CHANNEL_BUTTONS
        ]
        return edited(Reply(f"How did you reach {name}?", (*_pairs(buttons), back)))
    if action.field is EntryField.ASK:
        buttons = [Button(label, SetEntryAsk(ident, ask)) for ask, label in ASK_BUTTONS]
        return edited(Reply(f"What did you ask {name} for?", (*_pairs(buttons), back)))
    if action.field is EntryField.NOTE:
        await store.set_awaiting(user.chat_id, AwaitEntryNote(ident))
        now_reads = entry.interaction.note
        text = "Send the note as it should read."
        rows: tuple[ButtonRow, ...] = (back,)
        if now_reads:
            text += f"\nNow: 📝 {esc(now_reads)}"
            rows = ((Button("🧹 Clear the note", ClearEntryNote(ident)),), back)
        return edited(Reply(text, rows))
    await store.set_awaiting(user.chat_id, AwaitEntryDay(ident))
    quick = tuple(Button(label, SetEntryDay(ident, days)) for days, label in QUICK_DAYS)
    return edited(
        Reply(
            "When did it happen? Tap one, or send a day like “3 days ago”, “Monday” or “21 Nov”.",
            (quick, back),
        )
    )


def _pairs(buttons: list[Button]) -> tuple[ButtonRow, ...]:
    return tuple(tuple(buttons[index : index + 2]) for index in range(0, len(buttons), 2))


# --- changes ---------------------------------------------------------------------------------


async def set_entry_kind(store: Store, user: User, now: datetime, action: SetEntryKind) -> Response:
    """A new kind; a kind that is not an outreach keeps no channel or ask."""
    changes = InteractionChanges(kind=action.kind)
    if action.kind not in QUOTA_KINDS:
        changes = InteractionChanges(kind=action.kind, channel=CLEAR, ask=CLEAR)
    return await _change(store, user, action.interaction_id, changes)


async def set_entry_channel(
    store: Store, user: User, now: datetime, action: SetEntryChannel
) -> Response:
    """A new channel."""
    changes = InteractionChanges(channel=action.channel)
    return await _change(store, user, action.interaction_id, changes)


async def set_entry_ask(store: Store, user: User, now: datetime, action: SetEntryAsk) -> Response:
    """A new ask, or none."""
    ask = CLEAR if action.ask == NO_ASK else Ask(action.ask)
    return await _change(store, user, action.interaction_id, InteractionChanges(ask=ask))


async def clear_entry_note(
    store: Store, user: User, now: datetime, action: ClearEntryNote
) -> Response:
    """An entry without its note."""
    await _forget_entry_question(store, user)
    return await _change(store, user, action.interaction_id, InteractionChanges(note=CLEAR))


async def set_entry_day(store: Store, user: User, now: datetime, action: SetEntryDay) -> Response:
    """Today, yesterday or two days ago."""
    await _forget_entry_question(store, user)
    day = local_today(now, user.timezone) - timedelta(days=action.days_ago)
    return await _moved(store, user, now, action.interaction_id, day)


async def awaited_entry_note(
    store: Store, user: User, now: datetime, given: tuple[int, str]
) -> Response:
    """A typed note for an entry, kept as typed."""
    interaction_id, text = given
    try:
        note = checked_note(text.strip())
    except InputError as error:
        return sent(Reply(error.message))  # the question stays: the next message is the note
    await store.set_awaiting(user.chat_id, None)
    return await _change(store, user, interaction_id, InteractionChanges(note=note), typed=True)


async def awaited_entry_day(
    store: Store, user: User, now: datetime, given: tuple[int, str]
) -> Response:
    """A typed day for an entry: "yesterday", "3 days ago", "21 Nov"."""
    interaction_id, text = given
    try:
        day = parse_past_day(text, local_today(now, user.timezone))
    except InputError as error:
        return sent(Reply(error.message))  # the question stays: the next message is the day
    await store.set_awaiting(user.chat_id, None)
    return await _moved(store, user, now, interaction_id, day, typed=True)


async def set_entry_note(
    store: Store, user: User, now: datetime, given: tuple[int, str]
) -> Response:
    """An entry's note as written (an empty one clears it); InputError when it is too long."""
    interaction_id, text = given
    note = checked_note(text.strip()) if text.strip() else CLEAR
    return await _change(store, user, interaction_id, InteractionChanges(note=note))


async def set_entry_date(
    store: Store, user: User, now: datetime, given: tuple[int, str]
) -> Response:
    """An entry moved to a day given as text ("yesterday", "2026-11-21"); InputError when it
    cannot be read, has not happened yet or is over a year back."""
    interaction_id, text = given
    day = parse_past_day(text, local_today(now, user.timezone))
    return await _moved(store, user, now, interaction_id, day)


async def _moved(
    store: Store, user: User, now: datetime, interaction_id: int, day: date, *, typed: bool = False
) -> Response:
    """The entry on another day, at the same time of day (never later than now)."""
    entry = await _entry(store, user, interaction_id)
    at = min(moved_to_day(entry.interaction.at, day, user.timezone), now)
    return await _change(store, user, interaction_id, InteractionChanges(at=at), typed=typed)


async def _change(
    store: Store,
    user: User,
    interaction_id: int,
    changes: InteractionChanges,
    *,
    typed: bool = False,
) -> Response:
    """Save the changes; on the contact's latest entry a new kind or day plans its follow-up
    afresh (what it changed is taken back first), all in one transaction. The entry is shown
    again: in place after a press, as a new message (saying so) after a typed answer."""
    entry = await _entry(store, user, interaction_id)
    replan = None
    if entry.latest and (changes.kind is not None or changes.at is not None):
        replan = await _replan(store, user, entry, changes)
    if await store.edit_interaction(user.chat_id, interaction_id, changes, replan=replan) is None:
        raise Refusal(ENTRY_GONE)
    view = _entry_view(await _entry(store, user, interaction_id), user)
    if typed:
        return sent(Reply(f"✅ Saved.\n{view.text}", view.rows))
    return edited(view, toast="Saved ✅")


async def _replan(
    store: Store, user: User, entry: LogEntry, changes: InteractionChanges
) -> FollowUpEffects:
    """The follow-up changes the entry makes once changed, from where things stood before it."""
    kind = changes.kind or entry.interaction.kind
    at = changes.at or entry.interaction.at
    if entry.closed:
        open_attempt: int | None = entry.closed[0].attempt
    else:
        standing = await store.open_follow_up(user.chat_id, entry.contact.id)
        planned = {item.id for item in entry.planned}
        open_attempt = standing.attempt if standing and standing.id not in planned else None
    said = check_back_day(entry.interaction.note or "", local_today(at, user.timezone))
    check_back = moved_to_day(at, said, user.timezone) if said else None
    return follow_up_effects(kind, at, open_attempt, cadence_of(user), check_back=check_back)


async def delete_entry(store: Store, user: User, now: datetime, action: DeleteEntry) -> Response:
    """Delete an entry, after showing what goes with it."""
    if not action.confirmed:
        entry = await _entry(store, user, action.interaction_id)
        rows = (
            (
                Button("🗑 Yes, delete", DeleteEntry(entry.interaction.id, True)),
                Button("◀ Back", OpenEntry(entry.interaction.id)),
            ),
        )
        return edited(Reply(removal_question(entry, user.timezone, DELETE_QUESTION), rows))
    removed = await store.remove_interaction(user.chat_id, action.interaction_id)
    if removed is None:
        raise Refusal(ENTRY_GONE)
    await forget_questions_about(store, user, removed)
    heading = removed_text(removed, user.timezone, DELETED)
    return edited(await edit_menu(store, user, removed.contact, heading), toast="Deleted 🗑")


async def _entry(store: Store, user: User, interaction_id: int) -> LogEntry:
    entry = await store.log_entry(user.chat_id, interaction_id)
    if entry is None:
        raise Refusal(ENTRY_GONE)
    return entry


async def _forget_entry_question(store: Store, user: User) -> None:
    """Leaving a note or day question unanswered: the next message is not taken for it."""
    if isinstance(user.awaiting, AwaitEntryNote | AwaitEntryDay):
        await store.set_awaiting(user.chat_id, None)
