"""What onboarding and /help say."""

from __future__ import annotations

from collections.abc import Sequence

from bot.coaching.domain import (
    Contact,
    User,
)
from bot.messages.common import (
    active_days_text,
    days_word,
    esc,
    format_date,
    format_days_list,
    plural,
    zone_label,
)


def plan_summary(
    user: User, warm_contacts: Sequence[Contact], projection: str | None = None
) -> str:
    """The plan as set up in onboarding, with where it leads when `projection` is given."""
    name = f", {esc(user.name)}" if user.name else ""
    lines = [f"You're all set{name}! Here's your plan:", "", *_plan_lines(user)]
    if projection:
        lines += ["", f"🧭 {projection}"]
    if warm_contacts:
        names = ", ".join(esc(contact.name) for contact in warm_contacts[:8])
        lines += ["", f"👥 Warm people to start with: {names}"]
        lines += ["", f"Start small today: say hi to <b>{esc(warm_contacts[0].name)}</b>."]
    else:
        lines += ["", "Add a first warm contact whenever you're ready: /add Ana warm"]
    return "\n".join(lines)


def plan_review(user: User, projection: str) -> str:
    """The plan for a set-up user who asked to look it over, with where it leads."""
    name = f", {esc(user.name)}" if user.name else ""
    lines = [f"🧭 <b>Your plan{name}</b>", "", *_plan_lines(user), "", projection]
    lines += ["", "Anything to change? Tap below, or /settings any time."]
    return "\n".join(lines)


def _plan_lines(user: User) -> list[str]:
    goal = f"🎯 {plural(user.goal_count, 'coffee chat')}"
    goal += f" by {format_date(user.goal_date)}" if user.goal_date else " (no end date yet)"
    return [
        goal,
        f"☕ {user.weekly_chats} a week",
        f"📨 {plural(user.daily_quota, 'reach-out')} a day, {active_days_text(user.rest_days)}",
        f"⏰ Morning message at {user.morning_time:%H:%M} ({esc(zone_label(user.timezone))})",
        f"🔁 A follow-up nudge after {format_days_list(user.follow_up_days)} "
        f"{days_word(user.follow_up_days)} of silence",
    ]


HELP_TEXT = """<b>What I can do</b>
I help you reach out a little every day, follow up when people go quiet, and keep going.

<b>Log what you did</b>
/reach Ana via linkedin advice - asked about the PM role
/reply Ana positive (or declined, later)
/chat Ana - she'll intro me to her manager
/gave Ana shared the article on hiring
/undo — take back your last log (each “Logged” message has an Undo button too)

<b>People</b>
/add Ana López warm - former colleague, or several: /add Rui, Carla, Helen
/contacts — everyone (or /contacts Acme); on a card, ✏️ fixes history, renames, merges or deletes
/targets Acme, Globex — companies you'd like to work at: people there come first
Send me LinkedIn's Connections.csv (or its export zip), a .vcf or a shared contact to import people.

<b>Your day</b>
/today — today's quota, due follow-ups and who to reach next
/followups — due and upcoming follow-ups, with one-tap buttons

<b>Your progress</b>
/progress — goal, projection, streak, asks and gives, and a chart of your weeks
/pipeline — opportunities by stage, with buttons to move them

<b>Fears</b>
/fear they'll think I only want a job — write a fear down, then test it
/fears — your fears next to what really happened

<b>Company</b>
/partner — invite a friend to see your weekly numbers (never names, notes or fears)

/start sets up (or shows) your plan.
Tiers: warm, first, second, third, intro.
Channels: message, call, email, linkedin, inmail, in person, other.
Asks: help, advice, intro, coffee, referral."""
