"""A file or a shared contact: read it, show what importing would do, import on confirmation.

Nothing becomes a contact before Import: the people wait as a pending import. Reading and
planning run in a worker thread, so a large file does not hold up other chats.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.coaching.companies import company_key, works_at
from bot.coaching.domain import MAX_CONTACTS, User
from bot.coaching.imports.files import check_size, read_import_file, size_limit
from bot.coaching.imports.people import (
    MAX_IMPORT_PEOPLE,
    FileRefused,
    ImportedPerson,
    ParsedFile,
    PendingImport,
)
from bot.coaching.imports.plan import ImportPlan, most_recent_first, plan_import
from bot.coaching.imports.vcard import shared_contact
from bot.coaching.text import shorten
from bot.messages.common import ALREADY_HANDLED
from bot.messages.imports import (
    IMPORT_CANCELLED,
    IMPORT_EXPIRED,
    file_refused_text,
    import_done_text,
    import_summary,
    nobody_found_text,
    nothing_new_text,
)
from bot.usecases.actions import (
    CancelImport,
    ConfirmImport,
    KeepImportEmails,
    ShowContacts,
    ShowTargets,
)
from bot.usecases.replies import Button, ButtonRow, Refusal, Reply, Response, edited, sent
from storage import Store

# A summary's buttons work for a day; a chat keeps at most this many summaries waiting.
PENDING_IMPORT_LIFETIME = timedelta(days=1)
MAX_PENDING_IMPORTS = 5
MAX_FILE_NAME = 100


@dataclass(frozen=True)
class IncomingFile:
    """A document sent to the bot: its name, type and size as Telegram gives them, and how to
    fetch its bytes (`fetch(limit)` raises FileRefused when the file is over `limit`)."""

    file_name: str | None
    mime_type: str | None
    size: int | None
    fetch: Callable[[int], Awaitable[bytes]]


@dataclass(frozen=True)
class SharedContact:
    """A contact shared from the phone's contact picker (its phone number is never kept)."""

    first_name: str
    last_name: str | None
    vcard: str | None


async def receive_file(store: Store, user: User, now: datetime, incoming: IncomingFile) -> Response:
    """A document: refused before fetching when too large, then read and summarised."""
    limit = size_limit(incoming.file_name, incoming.mime_type)
    try:
        check_size(incoming.size, limit)
        data = await incoming.fetch(limit)
        check_size(len(data), limit)
        parsed = await asyncio.to_thread(read_import_file, data)
    except FileRefused as refused:
        return sent(Reply(file_refused_text(refused)))
    file_name = shorten(incoming.file_name, MAX_FILE_NAME) if incoming.file_name else None
    return await _hold(store, user, now, parsed, file_name)


async def receive_contact(
    store: Store, user: User, now: datetime, shared: SharedContact
) -> Response:
    """A shared phone contact: summarised like a file of one."""
    parsed = shared_contact(shared.first_name, shared.last_name, shared.vcard)
    return await _hold(store, user, now, parsed, None)


async def confirm_import(
    store: Store, user: User, now: datetime, action: ConfirmImport
) -> Response:
    """Import: add the new contacts and update the known ones, as the plan says now."""
    pending = await _pending(store, user, now, action.import_id)
    if pending is None:
        return edited(Reply(IMPORT_EXPIRED), toast="Expired.")
    plan, _, keys = await _plan(store, user, pending.id)
    updates = plan.updates(pending.keep_emails)
    done = await store.apply_import(
        user.chat_id,
        pending.id,
        tier=pending.source.tier,
        new=plan.new,
        updates=updates,
        keep_emails=pending.keep_emails,
        now=now,
    )
    if not done:
        raise Refusal(ALREADY_HANDLED)
    at_targets = _at_targets(plan.new, keys)
    text = import_done_text(pending.source, len(plan.new), len(updates), at_targets, bool(keys))
    rows = ((Button("👥 Contacts", ShowContacts("all", 0)), Button("🎯 Targets", ShowTargets())),)
    return edited(Reply(text, rows), toast="Imported.")


async def cancel_import(store: Store, user: User, now: datetime, action: CancelImport) -> Response:
    """Cancel: forget the file."""
    if not await store.drop_import(user.chat_id, action.import_id):
        raise Refusal(ALREADY_HANDLED)
    return edited(Reply(IMPORT_CANCELLED), toast="Cancelled.")


async def keep_emails(
    store: Store, user: User, now: datetime, action: KeepImportEmails
) -> Response:
    """Keep the e-mail addresses (or leave them out again), and show the summary anew."""
    if await _pending(store, user, now, action.import_id) is None:
        return edited(Reply(IMPORT_EXPIRED), toast="Expired.")
    pending = await store.keep_import_emails(user.chat_id, action.import_id, action.keep)
    if pending is None:
        raise Refusal(ALREADY_HANDLED)
    plan, contacts_before, keys = await _plan(store, user, pending.id)
    toast = "E-mails will be kept." if action.keep else "E-mails left out."
    return edited(_summary(pending, plan, contacts_before, keys), toast=toast)


async def _hold(
    store: Store, user: User, now: datetime, parsed: ParsedFile, file_name: str | None
) -> Response:
    """Keep the people as a pending import and show what Import would do."""
    skipped = Counter(row.reason for row in parsed.skipped)
    if not parsed.people:
        return sent(Reply(nobody_found_text(skipped)))
    people, left_out = await asyncio.to_thread(most_recent_first, parsed.people, MAX_IMPORT_PEOPLE)
    pending = await store.hold_import(
        user.chat_id,
        source=parsed.source,
        file_name=file_name,
        people=people,
        skipped=skipped,
        left_out=left_out,
        now=now,
        keep=MAX_PENDING_IMPORTS,
        drop_before=now - PENDING_IMPORT_LIFETIME,
    )
    plan, contacts_before, keys = await _plan(store, user, pending.id)
    if not plan.new and not plan.updates(keep_emails=False) and not plan.over_room:
        await store.drop_import(user.chat_id, pending.id)
        return sent(Reply(nothing_new_text(pending.source, plan)))
    return sent(_summary(pending, plan, contacts_before, keys))


def _summary(
    pending: PendingImport, plan: ImportPlan, contacts_before: int, keys: set[str]
) -> Reply:
    text = import_summary(pending, plan, contacts_before, _at_targets(plan.new, keys))
    single = len(plan.new) + len(plan.known) == 1
    rows: list[ButtonRow] = [
        (
            Button("✅ Add" if single else "✅ Import", ConfirmImport(pending.id)),
            Button("✖ Cancel", CancelImport(pending.id)),
        )
    ]
    if plan.emails:
        label = "Leave e-mails out" if pending.keep_emails else "✉️ Keep e-mails too"
        rows.append((Button(label, KeepImportEmails(pending.id, not pending.keep_emails)),))
    return Reply(text, tuple(rows))


async def _pending(store: Store, user: User, now: datetime, import_id: int) -> PendingImport | None:
    """The pending import a button names; None when it is too old to trust (it is dropped),
    Refusal when it is gone."""
    pending = await store.pending_import(user.chat_id, import_id)
    if pending is None:
        raise Refusal(ALREADY_HANDLED)
    if now - pending.created_at > PENDING_IMPORT_LIFETIME:
        await store.drop_import(user.chat_id, import_id)
        return None
    return pending


async def _plan(store: Store, user: User, import_id: int) -> tuple[ImportPlan, int, set[str]]:
    """The plan against the contacts as they are now, their number, and the target keys."""
    people = await store.pending_people(user.chat_id, import_id)
    contacts = await store.list_contacts(user.chat_id)
    keys = {company_key(target.name) for target in await store.list_targets(user.chat_id)}
    room = MAX_CONTACTS - len(contacts)
    plan = await asyncio.to_thread(plan_import, people, contacts, room)
    return plan, len(contacts), keys


def _at_targets(people: Sequence[ImportedPerson], keys: set[str]) -> int:
    return sum(1 for person in people if works_at(person.company, keys))
