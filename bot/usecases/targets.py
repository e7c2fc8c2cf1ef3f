"""/targets: the short list of companies the user would like to work at."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime

from bot.coaching.companies import clean_company, company_key, split_companies, works_at
from bot.coaching.domain import MAX_TARGETS, Contact, Target, User
from bot.coaching.errors import InputError
from bot.coaching.pending import AwaitTargetName
from bot.messages.common import ALREADY_HANDLED, esc
from bot.messages.targets import ASK_TARGET, added_note, targets_text
from bot.usecases.actions import (
    AskTarget,
    RemoveTarget,
    ShowTargetContacts,
    ShowTargets,
    TargetCompanyOf,
)
from bot.usecases.companies import target_contacts_page
from bot.usecases.outreach import contact_of
from bot.usecases.replies import Button, ButtonRow, Refusal, Reply, Response, edited, sent
from storage import Store

# The companies most of the user's contacts work at are offered as one-tap targets.
SUGGESTED_COMPANIES = 6


async def show_targets(store: Store, user: User, now: datetime, args: str) -> Response:
    """/targets [COMPANY, COMPANY...]: add the companies named, then show the list."""
    note = await _add(store, user, now, args) if args.strip() else None
    return sent(await targets_menu(store, user, note))


async def back_to_targets(store: Store, user: User, now: datetime, action: ShowTargets) -> Response:
    """The list, in place."""
    return edited(await targets_menu(store, user, None))


async def ask_target(store: Store, user: User, now: datetime, action: AskTarget) -> Response:
    """'Add a company': its name comes as the next message."""
    await store.set_awaiting(user.chat_id, AwaitTargetName())
    return sent(Reply(ASK_TARGET))


async def awaited_target(store: Store, user: User, now: datetime, text: str) -> Response:
    """The company named after 'Add a company'."""
    await store.set_awaiting(user.chat_id, None)
    return await show_targets(store, user, now, text)


async def target_company_of(
    store: Store, user: User, now: datetime, action: TargetCompanyOf
) -> Response:
    """Add the company a contact works at (a suggestion, or from a company's list)."""
    contact = await contact_of(store, user, action.contact_id)
    if not contact.company:
        raise Refusal("That card names no company.")
    note = await _add(store, user, now, contact.company, split=False)
    return edited(await targets_menu(store, user, note), toast="Added.")


async def remove_target(store: Store, user: User, now: datetime, action: RemoveTarget) -> Response:
    """Take a company off the list."""
    removed = await store.remove_target(user.chat_id, action.target_id)
    if removed is None:
        raise Refusal(ALREADY_HANDLED)
    note = f"Removed <b>{esc(removed.name)}</b>."
    return edited(await targets_menu(store, user, note), toast="Removed.")


async def show_target_contacts(
    store: Store, user: User, now: datetime, action: ShowTargetContacts
) -> Response:
    """A page of the contacts at one target company."""
    target = await store.get_target(user.chat_id, action.target_id)
    if target is None:
        raise Refusal("That company is no longer on your targets.")
    return edited(await target_contacts_page(store, user, target.id, target.name, action.page))


async def targets_menu(store: Store, user: User, note: str | None) -> Reply:
    """The targets, how many contacts work at each, and companies worth a tap."""
    targets = await store.list_targets(user.chat_id)
    contacts = await store.list_contacts(user.chat_id)
    counted = [(target, _working_at(contacts, target)) for target in targets]
    rows: list[ButtonRow] = []
    for target, count in counted:
        remove = Button(f"✖ Remove {target.name[:20]}", RemoveTarget(target.id))
        if count:
            show = Button(f"👥 {target.name[:20]} ({count})", ShowTargetContacts(target.id, 0))
            rows.append((show, remove))
        else:
            rows.append((remove,))
    suggestions = _suggested(contacts, targets) if len(targets) < MAX_TARGETS else []
    for start in range(0, len(suggestions), 2):
        rows.append(
            tuple(
                Button(
                    f"+ {contact.company or ''}"[:26] + f" ({count})", TargetCompanyOf(contact.id)
                )
                for contact, count in suggestions[start : start + 2]
            )
        )
    if len(targets) < MAX_TARGETS:
        rows.append((Button("➕ Add a company", AskTarget()),))
    return Reply(targets_text(counted, note, bool(suggestions)), tuple(rows))


async def _add(store: Store, user: User, now: datetime, text: str, *, split: bool = True) -> str:
    """Add the companies in `text`; a note of what happened (or why nothing did)."""
    added: list[str] = []
    already: list[str] = []
    full: list[str] = []
    known = {
        company_key(target.name): target.name for target in await store.list_targets(user.chat_id)
    }
    room = MAX_TARGETS - len(known)
    try:
        names = [clean_company(name) for name in (split_companies(text) if split else [text])]
        if not names:
            names = [clean_company("")]
    except InputError as error:
        return error.message
    for name in names:
        if company_key(name) in known:
            already.append(known[company_key(name)])
        elif room <= 0:
            full.append(name)
        elif await store.add_target(user.chat_id, name, now) is not None:
            known[company_key(name)] = name
            added.append(name)
            room -= 1
    return added_note(added, already, full)


def _working_at(contacts: Sequence[Contact], target: Target) -> int:
    key = {company_key(target.name)}
    return sum(1 for contact in contacts if works_at(contact.company, key))


def _suggested(contacts: Sequence[Contact], targets: Sequence[Target]) -> list[tuple[Contact, int]]:
    """The companies most contacts work at that are not targets yet: a contact there (whose
    company name the button uses) and how many work there."""
    keys = {company_key(target.name) for target in targets}
    counts: Counter[str] = Counter()
    first: dict[str, Contact] = {}
    for contact in contacts:
        if contact.company and not works_at(contact.company, keys):
            key = company_key(contact.company)
            if key:
                counts[key] += 1
                first.setdefault(key, contact)
    common = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [(first[key], count) for key, count in common[:SUGGESTED_COMPANIES]]
