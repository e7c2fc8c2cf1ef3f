"""The daily loop: /today, /followups and the scheduled messages."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.coaching.domain import (
    REPLY_KINDS,
    Contact,
    FollowUp,
    Kind,
    User,
)
from bot.coaching.today import TodayNumbers
from bot.messages.common import FOLLOW_UP_LEGEND, WEEKDAY_NAMES, esc, format_day, format_days_list
from bot.messages.contacts import contact_line


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
        bar = progress_dots(numbers.done, numbers.quota)
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


MAX_DOTS = 10


def progress_dots(done: int, quota: int) -> str:
    """●●○ for 2 of 3; never longer than MAX_DOTS, whatever the numbers (a quota above ten
    is drawn to scale)."""
    if quota <= 0:
        return ""
    shown = min(quota, MAX_DOTS)
    filled = min(shown, done * shown // quota)
    return "●" * filled + "○" * (shown - filled)
