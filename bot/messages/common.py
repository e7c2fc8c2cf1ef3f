"""Formatting every message shares: escaping, labels, dates and times, recurring phrases."""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.coaching.domain import (
    Ask,
    Channel,
    Kind,
    Tier,
    User,
)
from bot.coaching.text import plural as plural  # shared with the rules

TIER_LABELS = {
    Tier.WARM: "warm",
    Tier.FIRST: "LinkedIn 1st",
    Tier.SECOND: "LinkedIn 2nd",
    Tier.THIRD: "LinkedIn 3rd",
    Tier.INTRO: "via an intro",
}
CHANNEL_LABELS = {
    Channel.MESSAGE: "message",
    Channel.CALL: "call",
    Channel.EMAIL: "email",
    Channel.LINKEDIN: "LinkedIn",
    Channel.INMAIL: "InMail",
    Channel.IN_PERSON: "in person",
    Channel.OTHER: "other",
}
ASK_LABELS = {
    Ask.HELP: "offered help",
    Ask.ADVICE: "asked for advice",
    Ask.INTRO: "asked for an intro",
    Ask.COFFEE: "asked for a coffee chat",
    Ask.REFERRAL: "asked for a referral",
}
KIND_LABELS = {
    Kind.OUTREACH: "📨 reached out",
    Kind.FOLLOW_UP: "🔁 followed up",
    Kind.REPLY_POSITIVE: "💬 replied",
    Kind.REPLY_DECLINED: "🙅 said no",
    Kind.REPLY_LATER: "⏳ said later",
    Kind.COFFEE_CHAT: "☕ coffee chat",
    Kind.GAVE: "🎁 you gave",
}
WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
FOLLOW_UP_LEGEND = "✅ followed up · ⏰ snooze 2 days · 💬 got a reply · 🌙 let it rest"
BOOKING_LEGEND = "☕ we met · 📅 it's booked"
MORE_LEGEND = "⋯ for more"


def esc(text: str) -> str:
    """Escape a user-supplied string for Telegram HTML."""
    return html.escape(text, quote=False)


def format_date(day: date) -> str:
    """A date the way people write it: 'Wed 31 Mar 2027'."""
    return f"{WEEKDAY_NAMES[day.weekday()]} {day.day} {day:%b %Y}"


def format_day(instant: datetime, tz: str) -> str:
    """The local day of a UTC instant, short: 'Wed 25 Nov'."""
    local = instant.astimezone(ZoneInfo(tz))
    return f"{WEEKDAY_NAMES[local.weekday()]} {local.day} {local:%b}"


def days_ago_text(instant: datetime, now: datetime, tz: str) -> str:
    """When something happened, counted in the user's days: 'today', 'yesterday', '3 days
    ago', then 'Wed 25 Nov' within the year and '25 Nov 2025' before it."""
    zone = ZoneInfo(tz)
    day, today = instant.astimezone(zone).date(), now.astimezone(zone).date()
    days = (today - day).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 7:
        return f"{days} days ago"
    if days < 300:
        return format_day(instant, tz)
    return f"{day.day} {day:%b %Y}"


def zone_label(tz: str) -> str:
    """A zone as people read it: 'Europe/Lisbon', but 'UTC+2' for the inverted Etc/GMT-2."""
    if tz.startswith("Etc/GMT") and len(tz) > len("Etc/GMT"):
        offset = tz.removeprefix("Etc/GMT")
        return "UTC" + ("+" if offset.startswith("-") else "-") + offset[1:]
    return tz


def format_local_time(instant: datetime, tz: str) -> str:
    """The wall-clock time of a UTC instant in a zone: '14:05'."""
    return f"{instant.astimezone(ZoneInfo(tz)):%H:%M}"


def format_days_list(days: Sequence[int]) -> str:
    """'3, 7 and 14'."""
    words = [str(day) for day in days]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def days_word(days: Sequence[int]) -> str:
    """'days' after a list of day counts, 'day' after a lone 1: 'after 1 day', 'after 3 days'."""
    return "day" if list(days) == [1] else "days"


def active_days_text(rest_days: Sequence[int]) -> str:
    """The user's active weekdays in words: 'Mon–Fri', or a list."""
    active = [index for index in range(7) if index not in rest_days]
    if not active:
        return "no day (every day is a rest day)"
    if active == list(range(active[0], active[-1] + 1)) and len(active) > 2:
        return f"{WEEKDAY_NAMES[active[0]]}–{WEEKDAY_NAMES[active[-1]]}"
    return ", ".join(WEEKDAY_NAMES[index] for index in active)


SETUP_HINT = "\n\n<i>You're on the default plan for now. /start sets it up in about a minute.</i>"
EXPIRED = "That button has expired."
EXPIRED_TODAY = "This button has expired. /today has fresh ones."
CONTACT_GONE = "That contact is no longer here."
CONTACT_GONE_NOTHING_SAVED = "That contact is no longer here, so nothing was saved."
CONTACT_GONE_NOT_SAVED = "That contact is gone, so I didn't save this."
ALREADY_HANDLED = "Already handled."
EDITS_CHANGE_NOTHING = (
    "✏️ Edits don't change what I saved. To fix a log, open the contact's card in /contacts, "
    "or send it again as a new message."
)


def private_chat_only(bot_username: str) -> str:
    """What the bot says in a group: it coaches one person, in a private chat."""
    return (
        "👋 I'm a personal coach, so I only work in a private chat, where your contacts and "
        f'notes stay yours. Talk to me here: <a href="https://t.me/{esc(bot_username)}">'
        f"@{esc(bot_username)}</a>"
    )


def with_setup_hint(user: User, text: str) -> str:
    """Add a gentle offer to finish setting up, for users who have not."""
    return text if user.onboarded else text + SETUP_HINT
