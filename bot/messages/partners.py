"""What the bot says about accountability partners, to the user and to the partner.

A partner's messages are built from a display name and `PartnerWeek` numbers only, so no
contact, note, fear or setting can reach them.
"""

from __future__ import annotations

from datetime import datetime

from bot.coaching.partners import Cheer, PartnerWeek
from bot.messages.common import esc, format_day

SWITCHED_OFF = "The accountability partner is switched off on this bot."

WHAT_A_PARTNER_SEES = (
    "• once a week, the numbers: reach-outs, replies, coffee chats, the goal's progress, "
    "the streak, and whether it's on track\n"
    "• a short heads-up if things go quiet for a few days\n"
    "Never names, notes, fears or anything else."
)

NO_PARTNER = (
    "🤝 <b>Accountability partner</b>\n"
    "A friend who cheers you on makes it easier to keep going. Your partner gets:\n"
    f"{WHAT_A_PARTNER_SEES}\n\n"
    "They agree first, and either of you can stop it any time."
)

INVITE_GONE = (
    "This invite link has expired or was used already. Ask your friend for a fresh one "
    "(they make it with /partner). If you'd like a coach of your own, /start."
)
OWN_INVITE = "That's your own invite link 🙂 Forward it to the friend you'd like as your partner."
INVITE_CANCELLED = "Invite cancelled: that link no longer works."
INVITE_TAKEN = "They've accepted already: /partner shows it."


def already_partner_text(owner: str) -> str:
    """Someone opening the link they accepted before."""
    return f"You're {owner}'s accountability partner already. 🤝"


HAS_PARTNER_ALREADY = "You have a partner already. To invite someone else, end it first."
PARTNERSHIP_OVER = "These updates have ended."
CHEERED_TODAY = "One cheer a day: it reaches them tomorrow if you tap again then."
CHEER_SENT = "Sent! 💛"
KEPT = "Nothing changed. 👍"


def display_name(name: str | None) -> str:
    """How the partner sees the user (or the user the partner): a first name, escaped."""
    return esc(name) if name else "your friend"


def partner_status_text(partner_name: str | None, since: datetime, tz: str) -> str:
    """/partner with a partner."""
    return (
        f"🤝 <b>{display_name(partner_name)}</b> has been your accountability partner since "
        f"{format_day(since, tz)}. Each week they get your numbers, and a heads-up if things "
        "go quiet. Never names, notes or fears."
    )


def invite_waiting_text(until: datetime, tz: str) -> str:
    """/partner while an invite is out."""
    return (
        f"🔗 Your invite is waiting for an answer until {format_day(until, tz)}.\n"
        "Lost the link? Make a new one: the old one then stops working."
    )


def invite_made_text(until: datetime, tz: str) -> str:
    """Above the link: what to do with it."""
    return (
        "Here's your invite. Forward the next message to the friend you'd like as your "
        f"partner. The link works once, until {format_day(until, tz)}, and nothing is shared "
        "until they say yes."
    )


def invite_link_text(owner: str | None, link: str) -> str:
    """The message to forward: it explains itself to whoever receives it."""
    ask = (
        f"🤝 {esc(owner)} would love you as an accountability partner for their job search."
        if owner
        else "🤝 Would you be my accountability partner for my job search?"
    )
    return f"{ask} Open the link to see exactly what you'd get, then say yes or no:\n{link}"


def consent_text(owner: str, first_name: str | None) -> str:
    """What whoever opens an invite link sees before they agree to anything."""
    hello = f"Hi {esc(first_name)}! " if first_name else "Hi! "
    return (
        f"👋 {hello}<b>{owner}</b> would like you as their accountability partner while "
        "they network their way to a new job.\n\n"
        f"If you say yes, you'll get:\n{WHAT_A_PARTNER_SEES}\n\n"
        "You can send a one-tap cheer, and stop any time. Nothing is shared before you accept."
    )


def accepted_for_partner_text(owner: str) -> str:
    """The partner, once they said yes."""
    return (
        f"🤝 You're {owner}'s accountability partner now. You'll hear from me when their week "
        "is done, and if they go quiet for a few days.\n"
        "<i>Nothing to set up. If you'd like a coach of your own, /start.</i>"
    )


def accepted_for_user_text(partner: str) -> str:
    """The user, when their partner said yes."""
    return (
        f"🤝 <b>{partner}</b> said yes: they're your accountability partner now. Each week "
        "they'll see your numbers, never names, notes or fears. /partner shows or ends it."
    )


def declined_for_partner_text(owner: str) -> str:
    """Whoever said no thanks."""
    return f"No problem: nothing was shared, and {owner} will simply know it's a no for now."


DECLINED_FOR_USER = (
    "Your partner invite wasn't taken up this time, and that's okay. "
    "/partner makes a new link whenever you like."
)


def end_question_text(other: str, *, as_partner: bool) -> str:
    """The confirmation before ending, from either side."""
    if as_partner:
        return f"Stop getting {other}'s weekly numbers? They'll get one short note."
    return f"End the partnership with {other}? They'll get one short note, and nothing more."


def ended_by_user_text(partner: str) -> str:
    """The user, after ending it."""
    return f"Done: {partner} won't get your numbers any more. /partner to invite someone new."


def ended_by_partner_text(owner: str) -> str:
    """The partner, after stopping it."""
    return f"Done: no more updates about {owner}. Thanks for being in their corner. 💛"


def told_partner_ended_text(owner: str) -> str:
    """The partner, when the user ended it (or deleted their data)."""
    return (
        f"{owner} has ended the partnership, so their updates stop here. "
        "Thanks for cheering them on! 💛"
    )


def told_user_ended_text(partner: str) -> str:
    """The user, when the partner stopped the updates (or deleted their data)."""
    return (
        f"{partner} has stopped getting your weekly updates. That's okay: "
        "/partner if you'd like to invite someone else."
    )


def partner_unreachable_text(partner: str) -> str:
    """The user, once, when the partner's chat can no longer be messaged."""
    return (
        f"I can't reach {partner} on Telegram any more, so the partnership has ended. "
        "/partner if you'd like to invite someone else."
    )


def partner_week_text(owner: str, week: PartnerWeek) -> str:
    """The partner's weekly summary: numbers only."""
    start, end = week.week_start, week.week_end
    track = (
        "✅ On track for their goal."
        if week.on_track
        else "⏳ A little behind their plan: a cheer helps."
    )
    return "\n".join(
        [
            f"📊 <b>{owner}'s week</b>, {start.day} {start:%b} – {end.day} {end:%b}",
            f"📨 {_count(week.reach_outs, 'reach-out')} · "
            f"💬 {_count(week.replies, 'reply', 'replies')} · "
            f"☕ {_count(week.chats, 'coffee chat')}",
            f"🎯 {week.chats_total} of {week.goal_count} coffee chats toward the goal",
            f"🔥 Streak: {_count(week.streak_days, 'day')}"
            if week.streak_days
            else "🔥 No streak running right now",
            track,
        ]
    )


def heads_up_text(owner: str) -> str:
    """The partner, once per stall: no details, just a nudge to say hello."""
    return (
        f"👋 {owner} has had a quiet few days. That happens to everyone; a short hello from you "
        "might help them get going again."
    )


CHEER_LABELS = {
    Cheer.APPLAUSE: "👏 Well done",
    Cheer.THINKING_OF_YOU: "💛 Thinking of you",
    Cheer.KEEP_GOING: "☕ Keep going",
}
# Under the week's numbers, and under a heads-up after quiet days.
WEEK_CHEERS = (Cheer.APPLAUSE, Cheer.KEEP_GOING)
QUIET_CHEERS = (Cheer.THINKING_OF_YOU, Cheer.KEEP_GOING)


def cheer_text(partner: str, cheer: Cheer) -> str:
    """What the user receives when their partner taps a cheer: one short line."""
    if cheer is Cheer.APPLAUSE:
        return f"👏 {partner} applauds your week!"
    if cheer is Cheer.THINKING_OF_YOU:
        return f"💛 {partner} is thinking of you: one small step and you're back."
    return f"☕ {partner} says: keep going!"


def _count(number: int, noun: str, plural: str | None = None) -> str:
    return f"{number} {noun if number == 1 else plural or noun + 's'}"
