"""What the bot says about a file or a shared contact: the summary before Import, the result
after it, and why a file cannot be read."""

from __future__ import annotations

from collections.abc import Mapping

from bot.coaching.domain import MAX_CONTACTS
from bot.coaching.imports.people import (
    MAX_IMPORT_PEOPLE,
    FileProblem,
    FileRefused,
    ImportSource,
    PendingImport,
    SkipReason,
)
from bot.coaching.imports.plan import ImportPlan, Match
from bot.coaching.text import shorten
from bot.messages.common import TIER_LABELS, esc
from bot.messages.contacts import work_text

SKIP_LABELS = {
    SkipReason.HIDDEN: "hidden by LinkedIn (only a date)",
    SkipReason.NO_NAME: "without a name",
    SkipReason.LONG_NAME: "with a name over 64 characters",
    SkipReason.REPEATED: "listed twice",
    SkipReason.SAME_NAME: "sharing a name with someone else (I keep one per name)",
}
CHANGES_SHOWN = 5
HOW_TO_GET_CONNECTIONS = (
    "To get it: LinkedIn → Settings → Data privacy → Get a copy of your data → Connections. "
    "LinkedIn e-mails you a link; send me the file it gives you (Connections.csv, or the zip)."
)
CHECK_BEFORE_CONGRATULATING = "Check before you congratulate: a change can also be a loss."
NOTHING_SAVED_YET = "Nothing is saved until you tap Import."


def number(count: int) -> str:
    """A count as people read it: 1,204."""
    return f"{count:,}"


def people(count: int, one: str = "person", many: str = "people") -> str:
    """'1 person', '1,204 people'."""
    return f"{number(count)} {one if count == 1 else many}"


def import_summary(
    pending: PendingImport, plan: ImportPlan, contacts_before: int, at_targets: int
) -> str:
    """What Import would do, before anything is saved."""
    if pending.source is ImportSource.PHONE and len(plan.new) == 1 and not plan.known:
        return _one_phone_contact(plan)
    source = "your LinkedIn connections" if pending.source is ImportSource.LINKEDIN else "contacts"
    title = f"📇 <b>Ready to import {source}</b>"
    if pending.file_name:
        title += f" from {esc(shorten(pending.file_name, 40))}"
    lines = [title]
    if plan.new:
        tier = TIER_LABELS[pending.source.tier]
        lines.append(f"• {number(len(plan.new))} new: they join as {tier} contacts")
        if at_targets:
            lines.append(f"  🎯 {number(at_targets)} of them at your target companies")
    if plan.known:
        lines.append(
            f"• {number(len(plan.known))} already in your contacts "
            "(matched by profile, then by name)"
        )
    lines += _changes(plan.changed)
    skipped = _skipped_line(pending.skipped, plan, pending.source)
    if skipped:
        lines.append(skipped)
    notes = _limit_notes(pending, plan, contacts_before)
    if plan.emails:
        notes.append(_emails_line(plan.emails, pending.keep_emails))
    notes.append(NOTHING_SAVED_YET)
    return "\n".join(lines) + "\n\n" + "\n".join(notes)


def _one_phone_contact(plan: ImportPlan) -> str:
    [person] = plan.new
    lines = [f"📇 Add <b>{esc(person.name)}</b> as a warm contact?"]
    if person.position or person.company:
        lines.append(f"💼 {work_text(person.position, person.company)}")
    if person.email:
        lines.append("✉️ They come with an e-mail address; I leave it out unless you keep it.")
    return "\n".join(lines)


def _changes(changed: tuple[Match, ...]) -> list[str]:
    if not changed:
        return []
    lines = [f"• {number(len(changed))} changed company or position since I last saw them:"]
    for match in changed[:CHANGES_SHOWN]:
        before = work_text(match.contact.position, match.contact.company)
        after = work_text(
            match.person.position or match.contact.position,
            match.person.company or match.contact.company,
        )
        lines.append(f"  {esc(match.contact.name)}: {before} → {after}")
    if len(changed) > CHANGES_SHOWN:
        lines.append(f"  …and {number(len(changed) - CHANGES_SHOWN)} more")
    lines.append(f"  <i>{CHECK_BEFORE_CONGRATULATING}</i>")
    return lines


def _skipped_line(
    from_file: Mapping[SkipReason, int], plan: ImportPlan, source: ImportSource
) -> str | None:
    counts = dict(from_file)
    for row in plan.skipped:
        counts[row.reason] = counts.get(row.reason, 0) + 1
    total = sum(counts.values())
    if not total:
        return None
    reasons = _reasons(counts)
    rows = (
        people(total, "row", "rows")
        if source is ImportSource.LINKEDIN
        else people(total, "card", "cards")
    )
    return f"• {rows} skipped: {reasons}"


def _limit_notes(pending: PendingImport, plan: ImportPlan, contacts_before: int) -> list[str]:
    notes = []
    if pending.left_out:
        notes.append(
            f"⚠️ The file lists {people(MAX_IMPORT_PEOPLE + pending.left_out)}; I take up to "
            f"{number(MAX_IMPORT_PEOPLE)} at a time, so these are the ones you connected with "
            "most recently."
        )
    if plan.over_room:
        room = max(0, MAX_CONTACTS - contacts_before)
        notes.append(
            f"⚠️ I keep up to {number(MAX_CONTACTS)} contacts and you have "
            f"{number(contacts_before)}, so there's room for {number(room)} more: "
            f"{people(plan.over_room)} won't fit."
        )
    return notes


def _emails_line(count: int, keep: bool) -> str:
    if keep:
        return f"✉️ Keeping {number(count)} e-mail address{'es' if count != 1 else ''} too."
    return (
        f"✉️ {people(count)} {'comes' if count == 1 else 'come'} with an e-mail address. "
        "I leave e-mails out unless you choose to keep them."
    )


def nothing_new_text(pending_source: ImportSource, plan: ImportPlan) -> str:
    """A file (or shared contact) with nobody new and nothing to update."""
    if pending_source is ImportSource.PHONE and len(plan.known) == 1:
        return f"<b>{esc(plan.known[0].contact.name)}</b> is already in your contacts. 👍"
    known = people(len(plan.known))
    return f"Everyone in that file is already in your contacts ({known}). Nothing to import. 👍"


def nobody_found_text(skipped: Mapping[SkipReason, int]) -> str:
    """A file with no one in it that could be a contact."""
    text = "I found nobody to import in that file."
    return f"{text} Rows skipped: {_reasons(skipped)}." if skipped else text


def _reasons(counts: Mapping[SkipReason, int]) -> str:
    """'9 hidden by LinkedIn (only a date), 2 without a name'."""
    return ", ".join(
        f"{number(counts[reason])} {SKIP_LABELS[reason]}"
        for reason in SkipReason
        if reason in counts
    )


def import_done_text(
    source: ImportSource, added: int, updated: int, at_targets: int, has_targets: bool
) -> str:
    """After Import: what changed, and where to go next."""
    parts = []
    if added:
        parts.append(f"{people(added, 'new contact', 'new contacts')} ({TIER_LABELS[source.tier]})")
    if updated:
        parts.append(f"{number(updated)} updated")
    lines = [f"✅ Imported: {' and '.join(parts) or 'nothing new'}."]
    if at_targets:
        lines.append(
            f"🎯 {number(at_targets)} of them work at your target companies: they come first in "
            "/contacts and in my suggestions."
        )
    elif not has_targets and source is ImportSource.LINKEDIN:
        lines.append(
            "🎯 Where would you like to work? Tell me with /targets and I'll suggest people "
            "there first."
        )
    return "\n".join(lines)


IMPORT_CANCELLED = "Nothing imported: I've let that file go."
IMPORT_EXPIRED = "This import has expired. Send the file again whenever you like."


def file_refused_text(refused: FileRefused) -> str:
    """Why a file cannot be imported, and what to send instead. Nothing was stored."""
    problem = refused.problem
    if problem is FileProblem.TOO_LARGE:
        limit = f"{(refused.limit or 0) / (1024 * 1024):g} MB"
        return (
            f"That file is too large for me: I read files up to {limit}. LinkedIn's "
            "Connections.csv is usually well under 1 MB, so send just that file (it's in the zip)."
        )
    if problem is FileProblem.NOT_UTF8:
        return (
            "I couldn't read the letters in that file: it isn't saved as UTF-8. Send LinkedIn's "
            "original Connections.csv, or save it from your spreadsheet as “CSV UTF-8”."
        )
    if problem is FileProblem.NO_CONNECTIONS_IN_ZIP:
        return (
            "That zip has no Connections.csv in it. When you ask LinkedIn for a copy of your "
            "data, make sure Connections is ticked. " + HOW_TO_GET_CONNECTIONS
        )
    if problem is FileProblem.BROKEN_ZIP:
        return "I couldn't open that zip: it seems damaged. Could you download it again?"
    return (
        "That doesn't look like LinkedIn's connections or a contacts file (.vcf), so I left it "
        "alone. " + HOW_TO_GET_CONNECTIONS
    )
