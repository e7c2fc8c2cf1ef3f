"""Contacts by company: a page of a contact list with people at target companies first, and
the list of the contacts at one company (/contacts Acme, a target's button)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

from bot.coaching.companies import company_key, works_at
from bot.coaching.domain import Contact, User
from bot.messages.common import esc
from bot.usecases.actions import (
    Action,
    OpenCard,
    ShowTargetContacts,
    ShowTargets,
    TargetCompanyOf,
)
from bot.usecases.replies import Button, ButtonRow, Reply
from storage import Store

PAGE_SIZE = 8


def contact_page(
    contacts: Sequence[Contact],
    page: int,
    title: str,
    keys: Collection[str],
    navigate: Callable[[int], Action] | None,
) -> tuple[str, list[ButtonRow]]:
    """One page of a contact list, people at target companies first (🎯), with its buttons
    (and Previous / Next when `navigate` gives the action showing another page)."""
    ordered = sorted(contacts, key=lambda contact: not works_at(contact.company, keys))
    pages = max(1, -(-len(ordered) // PAGE_SIZE))
    page = min(page, pages - 1)
    shown = ordered[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    text = f"<b>{esc(title)}</b>: {len(ordered)}"
    if pages > 1:
        text += f" · page {page + 1} of {pages}"
    text += "\nTap a name for the card."
    rows: list[ButtonRow] = [
        (Button(("🎯 " if works_at(c.company, keys) else "") + c.name[:30], OpenCard(c.id)),)
        for c in shown
    ]
    navigation = []
    if navigate is not None and page > 0:
        navigation.append(Button("◀ Previous", navigate(page - 1)))
    if navigate is not None and page < pages - 1:
        navigation.append(Button("Next ▶", navigate(page + 1)))
    if navigation:
        rows.append(tuple(navigation))
    return text, rows


async def target_keys(store: Store, user: User) -> set[str]:
    """The keys of the user's target companies."""
    return {company_key(target.name) for target in await store.list_targets(user.chat_id)}


async def company_list(store: Store, user: User, company: str) -> Reply | None:
    """/contacts COMPANY: the contacts there (a target's list pages); None when nobody."""
    key = company_key(company)
    if not key:
        return None
    for target in await store.list_targets(user.chat_id):
        if company_key(target.name) == key:
            return await target_contacts_page(store, user, target.id, target.name, 0)
    contacts = await store.list_contacts(user.chat_id)
    there = [contact for contact in contacts if works_at(contact.company, {key})]
    if not there:
        return None
    text, rows = contact_page(there[:PAGE_SIZE], 0, f"Your contacts at {company}", (), None)
    if len(there) > PAGE_SIZE:
        text += f"\n…and {len(there) - PAGE_SIZE} more: add it to your targets to see them all."
    rows.append((Button(f"🎯 Add {company[:24]} to targets", TargetCompanyOf(there[0].id)),))
    return Reply(text, tuple(rows))


async def target_contacts_page(
    store: Store, user: User, target_id: int, name: str, page: int
) -> Reply:
    """A page of the contacts at one target company."""
    key = company_key(name)
    contacts = await store.list_contacts(user.chat_id)
    there = [contact for contact in contacts if works_at(contact.company, {key})]
    if not there:
        text = f"Nobody at {esc(name)} in your contacts yet."
        rows: list[ButtonRow] = []
    else:
        text, rows = contact_page(
            there,
            page,
            f"Your contacts at {name}",
            {key},
            lambda to: ShowTargetContacts(target_id, to),
        )
    return Reply(text, (*rows, (Button("🎯 Targets", ShowTargets()),)))
