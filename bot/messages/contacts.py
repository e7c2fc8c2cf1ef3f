"""Contacts, their history, and a logged sentence read back before it is saved."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.coaching.domain import (
    Contact,
    FollowUp,
    FollowUpReason,
    Interaction,
    Kind,
    User,
)
from bot.coaching.pending import PendingLog
from bot.coaching.text import shorten
from bot.messages.common import (
    ASK_LABELS,
    CHANNEL_LABELS,
    KIND_LABELS,
    TIER_LABELS,
    esc,
    format_date,
    format_day,
)


def contact_line(contact: Contact) -> str:
    """'Ana López · warm', and where they work when known: 'Ana López · LinkedIn 1st · Acme'."""
    line = f"{esc(contact.name)} · {TIER_LABELS[contact.tier]}"
    return f"{line} · {esc(contact.company)}" if contact.company else line


def work_text(position: str | None, company: str | None) -> str:
    """'Designer at Acme', or whichever half is known ('?' for neither)."""
    if position and company:
        return f"{esc(shorten(position, 60))} at {esc(company)}"
    return esc(shorten(position or company or "?", 60))


def work_details(contact: Contact) -> list[str]:
    """A card's lines on where someone works, their profile, since when you are connected
    and their e-mail, as far as known."""
    lines = []
    if contact.position or contact.company:
        lines.append(f"💼 {work_text(contact.position, contact.company)}")
    if contact.profile_url:
        lines.append(f"🔗 {esc(contact.profile_url.removeprefix('https://'))}")
    if contact.connected_on:
        lines.append(f"🤝 Connected since {format_date(contact.connected_on)}")
    if contact.email:
        lines.append(f"✉️ {esc(contact.email)}")
    return lines


def interaction_line(interaction: Interaction, tz: str) -> str:
    """One history line of a contact card."""
    parts = [f"{format_day(interaction.at, tz)}: {KIND_LABELS[interaction.kind]}"]
    if interaction.channel and interaction.kind in (Kind.OUTREACH, Kind.FOLLOW_UP):
        parts.append(f"by {CHANNEL_LABELS[interaction.channel]}")
    if interaction.ask:
        parts.append(f"({ASK_LABELS[interaction.ask]})")
    line = " ".join(parts)
    if interaction.note:
        line += f" — {esc(shorten(interaction.note, 80))}"
    return line


def contact_card(
    contact: Contact,
    history: Sequence[Interaction],
    open_follow_up: FollowUp | None,
    user: User,
    now: datetime,
) -> str:
    """A contact's card: who they are, where things stand, and the latest history."""
    lines = [f"<b>{esc(contact.name)}</b> · {TIER_LABELS[contact.tier]}", *work_details(contact)]
    if contact.note:
        lines.append(f"📝 {esc(contact.note)}")
    if open_follow_up is not None:
        lines.append(_follow_up_line(open_follow_up, user))
    if contact.rest_until is not None and contact.rest_until > now:
        lines.append(f"🌙 Resting until {format_day(contact.rest_until, user.timezone)}")
    lines.append("")
    if history:
        lines.append("History:")
        lines += [interaction_line(item, user.timezone) for item in history]
    else:
        lines.append("No history yet: a short, friendly hello is a great first step.")
    return "\n".join(lines)


# A card's open follow-up, by why it is planned ("{day}" is when it comes due).
_CARD_FOLLOW_UPS = {
    FollowUpReason.LATER: "⏳ Said later: check back {day}",
    FollowUpReason.BOOK_CHAT: "📅 Said yes: book the chat (I'll check {day})",
    FollowUpReason.CHAT_BOOKED: "📅 Chat booked: I'll ask how it went {day}",
    FollowUpReason.NEXT_STEP: "⏳ Next step after your chat: {day}",
}


def _follow_up_line(follow_up: FollowUp, user: User) -> str:
    day = format_day(follow_up.due_at, user.timezone)
    line = _CARD_FOLLOW_UPS.get(follow_up.reason)
    if line is not None:
        return line.format(day=day)
    total = len(user.follow_up_days)
    return f"⏳ Follow-up {min(follow_up.attempt, total)} of {total} due {day}"


SENTENCE_KIND_LABELS = {
    "outreach": "📨 Outreach to",
    "follow_up": "🔁 Follow-up with",
    "reply_positive": "💬 A reply from",
    "reply_declined": "🙅 A no from",
    "reply_later": "⏳ A “later” from",
    "coffee_chat": "☕ Coffee chat with",
    "gave": "🎁 You gave",
}


def sentence_summary(log: PendingLog) -> str:
    """What the bot understood from a sentence, to confirm before anything is saved."""
    parts = [f"{SENTENCE_KIND_LABELS[log.kind]} <b>{esc(log.name)}</b>"]
    if log.kind in (Kind.OUTREACH, Kind.FOLLOW_UP):
        if log.channel:
            parts.append(CHANNEL_LABELS[log.channel])
        if log.ask:
            parts.append(ASK_LABELS[log.ask])
    if log.days_ago:
        parts.append("yesterday" if log.days_ago == 1 else f"{log.days_ago} days ago")
    lines = ["I read that as:", " · ".join(parts)]
    if log.note:
        lines.append(f"📝 {esc(log.note)}")
    if not log.contact_id:
        lines.append(f"<i>New contact: saving adds {esc(log.name)}.</i>")
    lines.append("Save it?")
    return "\n".join(lines)
