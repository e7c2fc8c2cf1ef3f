"""What the bot says: pure functions from records to HTML, every user string escaped."""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain import (
    REPLY_KINDS,
    Ask,
    Channel,
    Contact,
    FollowUp,
    Interaction,
    Kind,
    Tier,
    User,
)
from bot.today import TodayNumbers

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


def active_days_text(rest_days: Sequence[int]) -> str:
    """The user's active weekdays in words: 'Mon–Fri', or a list."""
    active = [index for index in range(7) if index not in rest_days]
    if not active:
        return "no day (every day is a rest day)"
    if active == list(range(active[0], active[-1] + 1)) and len(active) > 2:
        return f"{WEEKDAY_NAMES[active[0]]}–{WEEKDAY_NAMES[active[-1]]}"
    return ", ".join(WEEKDAY_NAMES[index] for index in active)


def plan_summary(user: User, warm_contacts: Sequence[Contact]) -> str:
    """The plan as set up in onboarding."""
    name = f", {esc(user.name)}" if user.name else ""
    goal = f"🎯 {user.goal_count} coffee chats"
    goal += f" by {format_date(user.goal_date)}" if user.goal_date else " (no end date yet)"
    lines = [
        f"You're all set{name}! Here's your plan:",
        "",
        goal,
        f"☕ {user.weekly_chats} a week",
        f"📨 {user.daily_quota} reach-outs a day, {active_days_text(user.rest_days)}",
        f"⏰ Morning message at {user.morning_time:%H:%M} ({esc(zone_label(user.timezone))})",
        f"🔁 A follow-up nudge after {format_days_list(user.follow_up_days)} days of silence",
    ]
    if warm_contacts:
        names = ", ".join(esc(contact.name) for contact in warm_contacts[:8])
        lines += ["", f"👥 Warm people to start with: {names}"]
        lines += ["", f"Start small today: say hi to <b>{esc(warm_contacts[0].name)}</b>."]
    else:
        lines += ["", "Add a first warm contact whenever you're ready: /add Ana warm"]
    return "\n".join(lines)


def contact_line(contact: Contact) -> str:
    """'Ana López · warm'."""
    return f"{esc(contact.name)} · {TIER_LABELS[contact.tier]}"


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
    lines = [f"<b>{esc(contact.name)}</b> · {TIER_LABELS[contact.tier]}"]
    if contact.note:
        lines.append(f"📝 {esc(contact.note)}")
    if open_follow_up is not None:
        total = len(user.follow_up_days)
        lines.append(
            f"⏳ Follow-up {min(open_follow_up.attempt, total)} of {total} due "
            f"{format_day(open_follow_up.due_at, user.timezone)}"
        )
    if contact.rest_until is not None and contact.rest_until > now:
        lines.append(f"🌙 Resting until {format_day(contact.rest_until, user.timezone)}")
    lines.append("")
    if history:
        lines.append("History:")
        lines += [interaction_line(item, user.timezone) for item in history]
    else:
        lines.append("No history yet: a short, friendly hello is a great first step.")
    return "\n".join(lines)


def follow_ups_text(
    due: Sequence[tuple[FollowUp, Contact]],
    upcoming: Sequence[tuple[FollowUp, Contact]],
    user: User,
) -> str:
    """The /followups list: due ones (with buttons below) and upcoming ones."""
    if not due and not upcoming:
        return (
            "No follow-ups waiting. 🎈 Each outreach you log gets one automatically, "
            f"{format_days_list(user.follow_up_days)} days later if there's no reply."
        )
    total = len(user.follow_up_days)
    lines: list[str] = []
    if due:
        lines.append(f"<b>Due now ({len(due)})</b> — silence is usually busy, not no:")
        lines += [
            f"• {esc(contact.name)}: follow-up {min(item.attempt, total)} of {total}, "
            f"due {format_day(item.due_at, user.timezone)}"
            for item, contact in due
        ]
        lines += ["", f"<i>{FOLLOW_UP_LEGEND}</i>"]
    if upcoming:
        if due:
            lines.append("")
        lines.append(f"<b>Coming up ({len(upcoming)})</b>")
        lines += [
            f"• {esc(contact.name)}: {format_day(item.due_at, user.timezone)}"
            for item, contact in upcoming
        ]
    return "\n".join(lines)


def today_text(
    user: User,
    numbers: TodayNumbers,
    due: Sequence[tuple[FollowUp, Contact]],
    suggestions: Sequence[Contact],
    now: datetime,
) -> str:
    """Today's dashboard: quota progress, due follow-ups, who to reach next."""
    local_now = now.astimezone(ZoneInfo(user.timezone))
    greeting = f"Today, {WEEKDAY_NAMES[local_now.weekday()]} {local_now.day} {local_now:%b}"
    lines = [f"<b>{greeting}</b>"]
    if numbers.rest_day:
        lines.append(f"🌿 A rest day: nothing is asked of you. ({numbers.done} logged anyway)")
    elif numbers.remaining == 0:
        lines.append(f"✅ {numbers.done} of {numbers.quota} reach-outs: today's quota is done!")
    else:
        bar = "●" * min(numbers.done, numbers.quota) + "○" * numbers.remaining
        lines.append(f"📨 {numbers.done} of {numbers.quota} reach-outs {bar}")
    if due:
        names = ", ".join(esc(contact.name) for _, contact in due[:5])
        more = f" and {len(due) - 5} more" if len(due) > 5 else ""
        lines.append(f"🔁 Follow-ups due: {names}{more}")
    if suggestions:
        lines += ["", "Who to reach next:"]
        lines += [f"• {contact_line(contact)}" for contact in suggestions]
    elif not due:
        lines += ["", "Add someone you'd like to talk to: /add Ana warm"]
    return "\n".join(lines)


def shorten(text: str, limit: int) -> str:
    """Cut a long text to `limit` characters with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


HELP_TEXT = """<b>What I can do</b>
I help you reach out a little every day, follow up when people go quiet, and keep going.

<b>Log what you did</b>
/reach Ana via linkedin advice - asked about the PM role
/reply Ana positive (or declined, later)
/chat Ana - she'll intro me to her manager
/gave Ana shared the article on hiring

<b>People</b>
/add Ana López warm - former colleague
/contacts — everyone, each with a card and one-tap actions

<b>Your day</b>
/today — today's quota, due follow-ups and who to reach next
/followups — due and upcoming follow-ups, with one-tap buttons

/start sets up (or shows) your plan.
Tiers: warm, first, second, third, intro.
Channels: message, call, email, linkedin, inmail, in person, other.
Asks: help, advice, intro, coffee, referral."""


def morning_text(
    user: User,
    numbers: TodayNumbers,
    due: Sequence[tuple[FollowUp, Contact]],
    suggestion: Contact | None,
) -> str:
    """The morning message: what today asks, in one short message."""
    hello = f"Good morning, {esc(user.name)}!" if user.name else "Good morning!"
    left = numbers.remaining
    lines = [f"☀️ {hello} Today asks for {left} reach-out{'s' if left != 1 else ''}."]
    if numbers.done:
        lines[0] += f" ({numbers.done} done already.)"
    if due:
        total = len(user.follow_up_days)
        lines += ["", f"🔁 <b>Follow-ups due ({len(due)})</b>, silence is usually just busy:"]
        lines += [
            f"• {esc(contact.name)} (follow-up {min(item.attempt, total)} of {total})"
            for item, contact in due[:8]
        ]
        lines.append(f"<i>{FOLLOW_UP_LEGEND}</i>")
    if suggestion is not None:
        lines += ["", f"👉 Someone to reach today: {contact_line(suggestion)}"]
    return "\n".join(lines)


def restart_text(user: User, suggestion: Contact | None, *, follow_up: bool = False) -> str:
    """The restart nudge after a few quiet days: one small, warm action, no lecture."""
    hello = f"Hi {esc(user.name)}," if user.name else "Hi,"
    lines = [
        f"{hello} it's been a few quiet days. That happens to everyone, and the way back "
        "is one small step."
    ]
    if suggestion is not None and follow_up:
        lines.append(
            f"Today's only ask: a friendly two-line nudge to <b>{esc(suggestion.name)}</b>, "
            "who hasn't answered yet. Busy people appreciate a reminder."
        )
    elif suggestion is not None:
        lines.append(
            f"Today's only ask: send <b>{esc(suggestion.name)}</b> a two-line hello. "
            "No favour, just reconnecting."
        )
    else:
        lines.append("Today's only ask: add one person you'd enjoy catching up with: /add")
    return "\n".join(lines)


def evening_text(user: User, numbers: TodayNumbers) -> str:
    """The optional evening check-in, sent only while today's quota is not met."""
    return (
        f"🌙 Evening check-in: {numbers.done} of {numbers.quota} reach-outs logged today. "
        "Did you do more than you logged? One tap below, or /reach."
    )


def weekly_review_text(
    user: User, week_start: date, counts: dict[Kind, int], chats_total: int
) -> str:
    """The weekly review: the week in numbers and where the goal stands."""
    week_end = week_start + timedelta(days=6)
    reach = counts.get(Kind.OUTREACH, 0) + counts.get(Kind.FOLLOW_UP, 0)
    replies = sum(counts.get(kind, 0) for kind in REPLY_KINDS)
    chats = counts.get(Kind.COFFEE_CHAT, 0)
    gives = counts.get(Kind.GAVE, 0)
    lines = [
        f"<b>Your week, {week_start.day} {week_start:%b} – {week_end.day} {week_end:%b}</b>",
        f"📨 {reach} reach-outs · 💬 {replies} replies · "
        f"☕ {chats} coffee chats · 🎁 {gives} gives",
        f"🎯 {chats_total} of {user.goal_count} coffee chats so far.",
    ]
    if reach == 0:
        lines.append("A quiet week. Replies follow effort: one hello on Monday restarts it.")
    elif replies:
        lines.append("Replies came from reaching out: keep that rhythm.")
    else:
        lines.append("No replies yet this week; they often lag a few days behind the asks.")
    return "\n".join(lines)
