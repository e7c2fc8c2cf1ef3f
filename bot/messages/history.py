"""Taking a log back and fixing a contact's history: what will change, and what did."""

from __future__ import annotations

from bot.coaching.domain import (
    QUOTA_KINDS,
    Contact,
    ContactFootprint,
    FollowUpStatus,
    Interaction,
    LogEntry,
)
from bot.coaching.names import DoubtfulName, NameDoubt
from bot.messages.common import ASK_LABELS, CHANNEL_LABELS, KIND_LABELS, esc, format_day
from bot.messages.fears import fear_label

NOTHING_TO_UNDO = "Nothing to undo: there are no logs right now."
ALREADY_UNDONE = "Already undone: that log is gone, nothing else changed."
KEPT = "Okay, it stays as it is. 👍"


def log_line(interaction: Interaction, contact: Contact, tz: str) -> str:
    """'<b>Ana</b> · Mon 23 Nov: 📨 reached out by LinkedIn (asked for advice)'."""
    day = format_day(interaction.at, tz)
    return f"<b>{esc(contact.name)}</b> · {day}: {what_happened(interaction)}"


def what_happened(interaction: Interaction) -> str:
    """'📨 reached out by LinkedIn (asked for advice)' (no user text in it)."""
    parts = [KIND_LABELS[interaction.kind]]
    if interaction.channel and interaction.kind in QUOTA_KINDS:
        parts.append(f"by {CHANNEL_LABELS[interaction.channel]}")
    if interaction.ask:
        parts.append(f"({ASK_LABELS[interaction.ask]})")
    return " ".join(parts)


UNDO_QUESTION = "↩️ Undo your last log?"
DELETE_QUESTION = "🗑 Delete this entry?"
UNDONE = "↩️ Undone"
DELETED = "🗑 Deleted"


def removal_question(entry: LogEntry, tz: str, heading: str) -> str:
    """A log and what taking it back changes, asked before it is taken back."""
    lines = [heading, log_line(entry.interaction, entry.contact, tz)]
    lines += [f"• {line}" for line in _effects(entry, tz, done=False)]
    return "\n".join(lines)


def removed_text(entry: LogEntry, tz: str, heading: str) -> str:
    """What taking a log back took back."""
    lines = [f"{heading}: {log_line(entry.interaction, entry.contact, tz)}."]
    lines += _effects(entry, tz, done=True)
    return "\n".join(lines)


def _effects(entry: LogEntry, tz: str, *, done: bool) -> list[str]:
    """The follow-ups and fears a log's removal changes, as bullets of the question before it
    or as sentences once done."""
    changes: list[tuple[str, str]] = []  # (before, done)
    if entry.latest:
        for item in entry.planned:
            if item.status is FollowUpStatus.OPEN:
                day = format_day(item.due_at, tz)
                changes.append(
                    (
                        f"its follow-up planned for {day} goes too",
                        f"Its follow-up for {day} is gone too.",
                    )
                )
        for item in entry.closed:
            day = format_day(item.due_at, tz)
            changes.append(
                (
                    f"the follow-up due {day} comes back",
                    f"The follow-up due {day} is back on your list.",
                )
            )
    for fear in entry.fears:
        if fear.text is None:
            changes.append(("its nerves rating goes too", "Its nerves rating is gone too."))
        elif fear.waited_until is not None:
            waits = f"{fear_label(fear, 40)} waits for your next outreach again"
            changes.append((f"your fear {waits}", f"Your fear {waits}."))
    return [after if done else before for before, after in changes]


def entry_label(interaction: Interaction, tz: str) -> str:
    """An entry as a button: 'Mon 23 Nov · 📨 reached out'."""
    return f"{format_day(interaction.at, tz)} · {KIND_LABELS[interaction.kind]}"


def entry_text(interaction: Interaction, contact: Contact, tz: str) -> str:
    """One logged interaction, as it can be fixed."""
    lines = [log_line(interaction, contact, tz)]
    if interaction.note:
        lines.append(f"📝 {esc(interaction.note)}")
    lines += ["", "What needs fixing?"]
    return "\n".join(lines)


def edit_menu_text(contact: Contact, shown: int, total: int) -> str:
    """A contact's edit menu: the entries shown as buttons, and the contact itself."""
    if not total:
        return f"✏️ <b>{esc(contact.name)}</b>: no history yet. Rename, merge or delete them below."
    more = f" (the latest {shown} of {total})" if total > shown else ""
    return (
        f"✏️ <b>{esc(contact.name)}</b>: tap an entry{more} to fix or delete it, "
        "or change the contact below."
    )


def delete_contact_question(contact: Contact, footprint: ContactFootprint) -> str:
    """Asked before a contact is deleted: what goes with them."""
    name = f"<b>{esc(contact.name)}</b>"
    parts = _footprint_parts(footprint)
    goes = f"Their {_listed(parts)} go too." if parts else "Nothing is logged about them yet."
    return f"🗑 Delete {name}? {goes} This can't be undone."


def merge_question(source: Contact, target: Contact, footprint: ContactFootprint) -> str:
    """Asked before a merge: what moves, and that the source goes."""
    name, into = esc(source.name), esc(target.name)
    parts = _footprint_parts(footprint)
    moves = f" Their {_listed(parts)} move to {into}." if parts else ""
    return f"🔀 Merge <b>{name}</b> into <b>{into}</b>?{moves} {name} then leaves your list."


def _footprint_parts(footprint: ContactFootprint) -> list[str]:
    """'3 logs', '1 follow-up'...: what is kept about a contact, the empty kinds left out."""
    counts = (
        (footprint.logs, "log", "logs"),
        (footprint.follow_ups, "follow-up", "follow-ups"),
        (footprint.fears, "fear", "fears"),
        (footprint.opportunities, "opportunity", "opportunities"),
    )
    return [f"{count} {one if count == 1 else many}" for count, one, many in counts if count]


def _listed(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def name_question(typed: str, doubt: DoubtfulName) -> str:
    """Asked before a name that looked like something else is stored."""
    if doubt.name is not None:
        keep = f" I'll keep “{esc(doubt.rest)}” as a note." if doubt.rest else ""
        return f"Is the name <b>{esc(doubt.name)}</b>?{keep}"
    looks = {
        NameDoubt.TIME: "a time",
        NameDoubt.NUMBER: "a number",
        NameDoubt.SENTENCE: "a sentence",
    }[doubt.doubt]
    return f"“{esc(typed)}” looks like {looks}, not a name. Save it as a name anyway?"
