"""Plain sentences ("messaged Ana on LinkedIn yesterday"): shown back with Save, Change kind,
Change contact and Cancel. Nothing is stored before Save; the pending log is a draft."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from bot.coaching.dates import check_back_day, local_today
from bot.coaching.domain import Contact, User
from bot.coaching.errors import InputError
from bot.coaching.names import clean_contact_name, doubtful_name, match_contacts, name_key
from bot.coaching.pending import AwaitDraftName, LogOrigin, PendingLog
from bot.coaching.sentences import parse_sentence
from bot.messages.common import ALREADY_HANDLED, CONTACT_GONE, CONTACT_GONE_NOTHING_SAVED, EXPIRED
from bot.messages.contacts import sentence_summary
from bot.messages.history import name_question
from bot.usecases.actions import (
    KIND_CODES,
    ReviewSentence,
    SentenceChoice,
    SetSentenceContact,
    SetSentenceKind,
    SomeoneNew,
)
from bot.usecases.names import name_rows
from bot.usecases.outreach import add_contact_named, log_pending
from bot.usecases.replies import Button, Refusal, Reply, Response, edited, sent
from storage import Store

KIND_BUTTONS = (
    ("o", "📨 Outreach"),
    ("f", "🔁 Follow-up"),
    ("p", "💬 Replied"),
    ("d", "🙅 Said no"),
    ("l", "⏳ Said later"),
    ("c", "☕ Coffee chat"),
    ("g", "🎁 I gave"),
)
MAX_CANDIDATES = 6


async def read_sentence(store: Store, user: User, now: datetime, text: str) -> Response | None:
    """Read `text` as a log and ask to confirm it; None when it is not a log."""
    today = local_today(now, user.timezone)
    read = parse_sentence(text, today)
    if read is None:
        return None
    matches = match_contacts(read.name, await store.list_contacts(user.chat_id))
    contact = matches[0] if len(matches) == 1 else None
    log = PendingLog(
        LogOrigin.SENTENCE,
        read.kind,
        contact.name if contact else read.name,
        contact_id=contact.id if contact else None,
        channel=read.channel,
        ask=read.ask,
        note=read.note,
        days_ago=read.days_ago,
        check_back=check_back_day(text, today),
    )
    draft_id = await store.create_draft(user.chat_id, log, now)
    if len(matches) > 1:
        return sent(_choose_contact(draft_id, log, matches))
    return sent(_summary(draft_id, log))


async def review_sentence(
    store: Store, user: User, now: datetime, action: ReviewSentence
) -> Response:
    """Save, Cancel, Change kind or Change contact on a sentence's summary."""
    log = await sentence_draft(store, user, action.draft_id, ALREADY_HANDLED)
    if action.choice is SentenceChoice.CANCEL:
        await store.delete_draft(user.chat_id, action.draft_id)
        return edited(Reply("Okay: nothing was saved."), toast="Cancelled.")
    if action.choice is SentenceChoice.KIND:
        rows = tuple(
            tuple(
                Button(label, SetSentenceKind(action.draft_id, KIND_CODES[code]))
                for code, label in KIND_BUTTONS[i : i + 2]
            )
            for i in range(0, len(KIND_BUTTONS), 2)
        )
        return edited(Reply("What happened?", rows))
    if action.choice is SentenceChoice.WHO:
        contacts = await store.list_contacts(user.chat_id)
        likely = match_contacts(log.name, contacts)
        candidates = likely + [contact for contact in contacts if contact not in likely]
        return edited(_choose_contact(action.draft_id, log, candidates))
    if not log.contact_id and (doubt := doubtful_name(log.name)) is not None:
        return edited(Reply(name_question(log.name, doubt), name_rows(action.draft_id, doubt)))
    return await save_log_draft(store, user, now, action.draft_id, log)


async def set_sentence_kind(
    store: Store, user: User, now: datetime, action: SetSentenceKind
) -> Response:
    """A new kind picked for a sentence's log."""
    log = replace(await sentence_draft(store, user, action.draft_id, EXPIRED), kind=action.kind)
    await store.update_draft(user.chat_id, action.draft_id, log)
    return edited(_summary(action.draft_id, log))


async def set_sentence_contact(
    store: Store, user: User, now: datetime, action: SetSentenceContact
) -> Response:
    """A contact picked for a sentence's log, or 'someone new' (then the name is typed)."""
    log = await sentence_draft(store, user, action.draft_id, EXPIRED)
    if action.contact is SomeoneNew.NEW:
        await store.set_awaiting(user.chat_id, AwaitDraftName(action.draft_id))
        return edited(Reply("Who was it? Send their name."))
    contact = await store.get_contact(user.chat_id, action.contact)
    if contact is None:
        raise Refusal(CONTACT_GONE)
    log = replace(log, name=contact.name, contact_id=contact.id)
    await store.update_draft(user.chat_id, action.draft_id, log)
    return edited(_summary(action.draft_id, log))


async def awaited_draft_name(
    store: Store, user: User, now: datetime, given: tuple[int, str]
) -> Response:
    """A typed name for the sentence being confirmed ("Someone new…"): a new contact, unless
    the name is exactly one the user has."""
    draft_id, text = given
    await store.set_awaiting(user.chat_id, None)
    draft = await store.get_draft(user.chat_id, draft_id)
    if not isinstance(draft, PendingLog) or draft.origin is not LogOrigin.SENTENCE:
        return sent(Reply("That log was already handled."))
    try:
        name = clean_contact_name(text)
    except InputError as error:
        return sent(Reply(error.message))
    same = await store.contact_by_key(user.chat_id, name_key(name))
    log = replace(draft, name=same.name if same else name, contact_id=same.id if same else None)
    await store.update_draft(user.chat_id, draft_id, log)
    return sent(_summary(draft_id, log))


async def save_log_draft(
    store: Store,
    user: User,
    now: datetime,
    draft_id: int,
    log: PendingLog,
    contact_note: str | None = None,
) -> Response:
    """Save a sentence's log (once): to its contact, or to a new one with `contact_note`."""
    if not await store.delete_draft(user.chat_id, draft_id):  # claim: one use only
        raise Refusal(ALREADY_HANDLED)
    contact: Contact | None
    if log.contact_id:
        contact = await store.get_contact(user.chat_id, log.contact_id)
    else:
        contact = await add_contact_named(store, user, now, log.name, contact_note)
    if contact is None:
        return edited(Reply(CONTACT_GONE_NOTHING_SAVED), toast=CONTACT_GONE)
    return edited(await log_pending(store, user, now, contact, log), toast="Saved ✅")


async def sentence_draft(store: Store, user: User, draft_id: int, gone: str) -> PendingLog:
    """The sentence's log waiting as this draft; a Refusal saying `gone` when it is not."""
    draft = await store.get_draft(user.chat_id, draft_id)
    if not isinstance(draft, PendingLog) or draft.origin is not LogOrigin.SENTENCE:
        raise Refusal(gone)
    return draft


def _summary(draft_id: int, log: PendingLog) -> Reply:
    rows = (
        (
            Button("✅ Save", ReviewSentence(draft_id, SentenceChoice.SAVE)),
            Button("Cancel", ReviewSentence(draft_id, SentenceChoice.CANCEL)),
        ),
        (
            Button("Change kind", ReviewSentence(draft_id, SentenceChoice.KIND)),
            Button("Change contact", ReviewSentence(draft_id, SentenceChoice.WHO)),
        ),
    )
    return Reply(sentence_summary(log), rows)


def _choose_contact(draft_id: int, log: PendingLog, candidates: list[Contact]) -> Reply:
    rows = [
        (Button(contact.name[:30], SetSentenceContact(draft_id, contact.id)),)
        for contact in candidates[:MAX_CANDIDATES]
    ]
    rows.append((Button("Someone new…", SetSentenceContact(draft_id, SomeoneNew.NEW)),))
    rows.append((Button("Cancel", ReviewSentence(draft_id, SentenceChoice.CANCEL)),))
    return Reply(f"{sentence_summary(log)}\n\nWhich contact was it?", tuple(rows))
