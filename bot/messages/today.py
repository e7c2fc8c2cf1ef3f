"""The daily loop: /today, /followups and the scheduled messages."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.coaching.domain import (
    REPLY_KINDS,
    Contact,
    FollowUp,
    FollowUpReason,
    FollowUpStatus,
    Kind,
    User,
)
from bot.coaching.followups import is_due
from bot.coaching.today import TodayNumbers
from bot.messages.common import (
    BOOKING_LEGEND,
    FOLLOW_UP_LEGEND,
    MORE_LEGEND,
    WEEKDAY_NAMES,
    days_word,
    esc,
    format_day,
    format_days_list,
    plural,
)
from bot.messages.contacts import contact_line

# What a follow-up asks, by why it is planned: in the morning message, and in /followups.
_MORNING_ASKS = {
    FollowUpReason.LATER: " said later: time to check back",
    FollowUpReason.BOOK_CHAT: " said yes: is the chat booked?",
    FollowUpReason.CHAT_BOOKED: ": did the chat happen?",
    FollowUpReason.NEXT_STEP: ": time for the next step after your chat",
}
_LIST_ASKS = {
    FollowUpReason.LATER: "check back (they said later)",
    FollowUpReason.BOOK_CHAT: "book the chat (they said yes)",
    FollowUpReason.CHAT_BOOKED: "the chat was booked: did it happen?",
    FollowUpReason.NEXT_STEP: "the next step after your chat",
}
_BOOKING = (FollowUpReason.BOOK_CHAT, FollowUpReason.CHAT_BOOKED)
# A listed follow-up moved to a later day, by why: what its line says now.
_LATER_LINES = {
    FollowUpReason.BOOK_CHAT: "💬 said yes! I'll check on {day} that the chat is booked",
    FollowUpReason.CHAT_BOOKED: "📅 booked, I'll ask how it went on {day}",
    FollowUpReason.LATER: "⏳ said later: back on {day}",
}


def _attempt(item: FollowUp, user: User) -> str:
    total = len(user.follow_up_days)
    return f"follow-up {min(item.attempt, total)} of {total}"


def _list_ask(item: FollowUp, user: User) -> str:
    return _LIST_ASKS.get(item.reason) or _attempt(item, user)


def follow_ups_text(
    due: Sequence[tuple[FollowUp, Contact]],
    upcoming: Sequence[tuple[FollowUp, Contact]],
    user: User,
) -> str:
    """The /followups list: due ones and upcoming ones (buttons below for each)."""
    if not due and not upcoming:
        return (
            "No follow-ups waiting. 🎈 Each outreach you log gets one automatically, "
            f"{format_days_list(user.follow_up_days)} {days_word(user.follow_up_days)} later "
            "if there's no reply."
        )
    lines: list[str] = []
    if due:
        lines.append(f"<b>Due now ({len(due)})</b> — silence is usually busy, not no:")
        lines += [
            f"• {esc(contact.name)}: {_list_ask(item, user)}, "
            f"due {format_day(item.due_at, user.timezone)}"
            for item, contact in due
        ]
    if upcoming:
        if due:
            lines.append("")
        lines.append(f"<b>Coming up ({len(upcoming)})</b>")
        lines += [
            f"• {esc(contact.name)}: {format_day(item.due_at, user.timezone)}"
            + (f" · {_LIST_ASKS[item.reason]}" if item.reason in _LIST_ASKS else "")
            for item, contact in upcoming
        ]
    legend = FOLLOW_UP_LEGEND
    if any(item.reason in _BOOKING for item, _ in [*due, *upcoming]):
        legend += f" · {BOOKING_LEGEND}"
    lines += ["", f"<i>{legend}</i>"]
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
        lines.append(
            f"✅ {numbers.done} of {plural(numbers.quota, 'reach-out')}: today's quota is done!"
        )
    else:
        bar = progress_dots(numbers.done, numbers.quota)
        lines.append(f"📨 {numbers.done} of {plural(numbers.quota, 'reach-out')} {bar}")
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


def morning_follow_up_line(item: FollowUp, contact: Contact, user: User, now: datetime) -> str:
    """One follow-up of the morning message, as it stands now: due, or what became of it."""
    name = esc(contact.name)
    booking = item.reason in _BOOKING
    if item.status is FollowUpStatus.OPEN and is_due(item.due_at, now, user.timezone):
        ask = _MORNING_ASKS.get(item.reason)
        return f"• {name}{ask}" if ask else f"• {name} ({_attempt(item, user)})"
    day = format_day(item.due_at, user.timezone)
    if item.status is FollowUpStatus.OPEN:
        return f"• {name}: {_LATER_LINES.get(item.reason, '⏰ back on {day}').format(day=day)}"
    if item.status is FollowUpStatus.DONE:
        return f"• {name}: ✅ followed up"
    if item.status is FollowUpStatus.REPLIED:
        return f"• {name}: ☕ chat logged" if booking else f"• {name}: 💬 replied"
    return f"• {name}: 🌙 resting"


def morning_text(
    user: User,
    numbers: TodayNumbers,
    follow_ups: Sequence[str],
    due_count: int,
    suggestion: Contact | None,
    *,
    reached_today: bool = False,
    waiting: Sequence[FollowUpReason] = (),
) -> str:
    """The morning message: what today asks, in one short message. `follow_ups` are the lines
    of the follow-ups it lists, out of `due_count` due when it was sent; `waiting` why each
    one still waiting for a tap is planned (for the legend of their buttons)."""
    hello = f"Good morning, {esc(user.name)}!" if user.name else "Good morning!"
    if numbers.remaining:
        lines = [f"☀️ {hello} Today asks for {plural(numbers.remaining, 'reach-out')}."]
        lines[0] += f" ({numbers.done} done already.)" if numbers.done else ""
    else:
        lines = [f"☀️ {hello} Today's quota is done: {numbers.done} of {numbers.quota}. 🎉"]
    if follow_ups:
        lines += ["", f"🔁 <b>Follow-ups due ({due_count})</b>, silence is usually just busy:"]
        lines += follow_ups
        more = due_count - len(follow_ups)
        if more > 0:
            lines.append(f"…and {more} more: /followups")
        legend = _morning_legend(waiting)
        lines += [f"<i>{legend}</i>"] if legend else []
    if suggestion is not None and reached_today:
        lines += ["", f"👉 {esc(suggestion.name)}: ✅ reached out today"]
    elif suggestion is not None:
        lines += ["", f"👉 Someone to reach today: {contact_line(suggestion)}"]
    return "\n".join(lines)


def _morning_legend(waiting: Sequence[FollowUpReason]) -> str:
    """What the buttons of the follow-ups still waiting mean, only those shown."""
    taps = []
    if any(reason not in _BOOKING for reason in waiting):
        taps.append("✅ once you've followed up")
    if any(reason in _BOOKING for reason in waiting):
        taps.append("☕ once you've met")
    return " · ".join([*taps, MORE_LEGEND]) if taps else ""


def restart_text(user: User, suggestion: Contact | None, *, follow_up: bool = False) -> str:
    """The restart nudge after a few quiet days: one small, warm action, no lecture."""
    hello = f"Hi {esc(user.name)}," if user.name else "Hi,"
    lines = [
        f"{hello} it's been a few quiet days. That happens to everyone, and the way back "
        "is one small step."
    ]
    lines.append(_one_small_step(suggestion, follow_up=follow_up))
    return "\n".join(lines)


def restart_morning_text(
    user: User, suggestion: Contact | None, *, follow_up: bool, waiting: int
) -> str:
    """A morning while the restart is still ahead: the same one small step, and nothing more."""
    hello = f"Good morning, {esc(user.name)}!" if user.name else "Good morning!"
    lines = [f"☀️ {hello} Just one small step today.", _one_small_step(suggestion, follow_up)]
    if waiting:
        lines.append(
            f"Your {plural(waiting, 'follow-up')} can wait in /followups until you're "
            "back in your rhythm."
        )
    return "\n".join(lines)


def _one_small_step(suggestion: Contact | None, follow_up: bool) -> str:
    if suggestion is not None and follow_up:
        return (
            f"Today's only ask: a friendly two-line nudge to <b>{esc(suggestion.name)}</b>, "
            "who hasn't answered yet. Busy people appreciate a reminder."
        )
    if suggestion is not None:
        return (
            f"Today's only ask: send <b>{esc(suggestion.name)}</b> a two-line hello. "
            "No favour, just reconnecting."
        )
    return "Today's only ask: add one person you'd enjoy catching up with: /add"


def evening_text(user: User, numbers: TodayNumbers) -> str:
    """The optional evening check-in, sent only while today's quota is not met."""
    return (
        f"🌙 Evening check-in: {numbers.done} of {plural(numbers.quota, 'reach-out')} logged "
        "today. Did you do more than you logged? One tap below, or /reach."
    )


def weekly_review_text(
    user: User, week_start: date, counts: dict[Kind, int], chats_total: int, answered: int
) -> str:
    """The weekly review: the week in numbers and where the goal stands. `answered` is how
    many of the week's replies answered a reach-out."""
    week_end = week_start + timedelta(days=6)
    reach = counts.get(Kind.OUTREACH, 0) + counts.get(Kind.FOLLOW_UP, 0)
    replies = sum(counts.get(kind, 0) for kind in REPLY_KINDS)
    chats = counts.get(Kind.COFFEE_CHAT, 0)
    gives = counts.get(Kind.GAVE, 0)
    lines = [
        f"<b>Your week, {week_start.day} {week_start:%b} – {week_end.day} {week_end:%b}</b>",
        f"📨 {plural(reach, 'reach-out')} · 💬 {plural(replies, 'reply', 'replies')} · "
        f"☕ {plural(chats, 'coffee chat')} · 🎁 {plural(gives, 'give')}",
        f"🎯 {chats_total} of {plural(user.goal_count, 'coffee chat')} so far.",
    ]
    if reach == 0 and answered:
        lines.append(
            "No reach-outs this week, yet replies came in from earlier ones: they lag behind "
            "the asks. One hello on Monday keeps them coming."
        )
    elif reach == 0:
        lines.append("A quiet week. Replies follow effort: one hello on Monday restarts it.")
    elif answered:
        lines.append("Replies came from reaching out: keep that rhythm.")
    elif replies:
        lines.append("Replies came in this week. Reach-outs now bring next week's.")
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
