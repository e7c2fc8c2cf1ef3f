"""What an import would do to a chat's contacts: who is new, who is known already (matched by
profile address, then by name), whose company or position changed, and who is left out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.coaching.companies import company_key
from bot.coaching.domain import Contact
from bot.coaching.imports.people import ImportedPerson, SkippedRow, SkipReason
from bot.coaching.names import name_key


@dataclass(frozen=True)
class Match:
    """A person of the file who is already a contact."""

    contact: Contact
    person: ImportedPerson

    @property
    def company_changed(self) -> bool:
        """The file names another company than the one known (a blank is no news)."""
        old, new = self.contact.company, self.person.company
        return bool(old and new) and company_key(old or "") != company_key(new or "")

    @property
    def position_changed(self) -> bool:
        """The file names another position than the one known."""
        old, new = self.contact.position, self.person.position
        return bool(old and new) and (old or "").casefold() != (new or "").casefold()

    @property
    def changed(self) -> bool:
        """Company or position changed since they were last imported."""
        return self.company_changed or self.position_changed


@dataclass(frozen=True)
class ContactUpdate:
    """New values for some of a known contact's fields; None leaves a field as it is."""

    contact_id: int
    company: str | None = None
    position: str | None = None
    profile_url: str | None = None
    connected_on: date | None = None
    email: str | None = None


@dataclass(frozen=True)
class ImportPlan:
    """What Import would do. `over_room` new people do not fit in the chat's contacts."""

    new: tuple[ImportedPerson, ...]
    known: tuple[Match, ...]
    skipped: tuple[SkippedRow, ...]
    over_room: int

    @property
    def changed(self) -> tuple[Match, ...]:
        """The known contacts whose company or position changed."""
        return tuple(match for match in self.known if match.changed)

    @property
    def emails(self) -> int:
        """How many e-mail addresses Import could keep: of new people, and of known contacts
        who have none yet."""
        new = sum(1 for person in self.new if person.email)
        return new + sum(1 for m in self.known if m.person.email and not m.contact.email)

    def updates(self, keep_emails: bool) -> list[ContactUpdate]:
        """The changes to known contacts: a new company or position, and a profile address,
        a connection date or (when kept) an e-mail they did not have."""
        updates = [_update(match, keep_emails) for match in self.known]
        return [update for update in updates if update is not None]


def plan_import(
    people: Sequence[ImportedPerson], contacts: Sequence[Contact], room: int
) -> ImportPlan:
    """Sort the people of a file against the chat's contacts; at most `room` are new (the
    first ones: pass them most recent first)."""
    by_profile = {contact.profile_url: contact for contact in contacts if contact.profile_url}
    by_name = {name_key(contact.name): contact for contact in contacts}
    new: list[ImportedPerson] = []
    known: list[Match] = []
    skipped: list[SkippedRow] = []
    matched: set[int] = set()
    for index, person in enumerate(people, start=1):
        contact = by_profile.get(person.profile_url) if person.profile_url else None
        if contact is None:
            contact = by_name.get(name_key(person.name))
            if contact is not None and contact.profile_url and person.profile_url:
                skipped.append(SkippedRow(index, SkipReason.SAME_NAME))  # another profile
                continue
        if contact is None:
            new.append(person)
        elif contact.id in matched:
            skipped.append(SkippedRow(index, SkipReason.REPEATED))
        else:
            matched.add(contact.id)
            known.append(Match(contact, person))
    room = max(0, room)
    return ImportPlan(tuple(new[:room]), tuple(known), tuple(skipped), max(0, len(new) - room))


def most_recent_first(
    people: Sequence[ImportedPerson], limit: int
) -> tuple[list[ImportedPerson], int]:
    """At most `limit` people, the most recently connected first (undated ones last, in file
    order), and how many were left out."""
    order = sorted(
        range(len(people)),
        key=lambda index: (-_day_number(people[index].connected_on), index),
    )
    kept = [people[index] for index in order[: max(0, limit)]]
    return kept, len(people) - len(kept)


def _day_number(day: date | None) -> int:
    return day.toordinal() if day is not None else 0


def _update(match: Match, keep_emails: bool) -> ContactUpdate | None:
    contact, person = match.contact, match.person
    update = ContactUpdate(
        contact.id,
        company=person.company if person.company != contact.company else None,
        position=person.position if person.position != contact.position else None,
        profile_url=person.profile_url if not contact.profile_url else None,
        connected_on=person.connected_on if not contact.connected_on else None,
        email=person.email if keep_emails and not contact.email else None,
    )
    return update if update != ContactUpdate(contact.id) else None
