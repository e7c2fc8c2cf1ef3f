"""What the bot says: pure functions from records to HTML, every user string escaped."""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.coaching.domain import (
    REPLY_KINDS,
    Ask,
    Channel,
    Contact,
    Fear,
    FearOutcome,
    FollowUp,
    Interaction,
    Kind,
    Opportunity,
    Stage,
    Tier,
    User,
)
from bot.coaching.fears import Evidence, Situation
from bot.coaching.pending import PendingLog
from bot.coaching.streaks import Streak
from bot.coaching.text import shorten
from bot.coaching.today import TodayNumbers

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


def plan_summary(
    user: User, warm_contacts: Sequence[Contact], projection: str | None = None
) -> str:
    """The plan as set up in onboarding, with where it leads when `projection` is given."""
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
    if projection:
        lines += ["", f"🧭 {projection}"]
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


SETUP_HINT = "\n\n<i>You're on the default plan for now. /start sets it up in about a minute.</i>"
EXPIRED = "That button has expired."
EXPIRED_TODAY = "This button has expired. /today has fresh ones."
CONTACT_GONE = "That contact is no longer here."


def with_setup_hint(user: User, text: str) -> str:
    """Add a gentle offer to finish setting up, for users who have not."""
    return text if user.onboarded else text + SETUP_HINT


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

<b>Your progress</b>
/progress — goal, projection, streak, asks and gives, and a chart of your weeks
/pipeline — opportunities by stage, with buttons to move them

<b>Fears</b>
/fear they'll think I only want a job — write a fear down, then test it
/fears — your fears next to what really happened

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


# --- progress and the pipeline -------------------------------------------------------------

STAGE_LABELS = {
    Stage.CHAT: "☕ Coffee chat",
    Stage.EXPLORING: "🔍 Exploring a role",
    Stage.APPLY: "📝 Asked to apply",
    Stage.INTERVIEW: "🎤 Interview",
    Stage.NEGOTIATION: "🤝 Negotiation",
    Stage.OFFER: "🎉 Offer",
    Stage.CLOSED: "📦 Closed",
}
STAGE_BUTTONS = {
    Stage.CHAT: "☕ Chat",
    Stage.EXPLORING: "🔍 Exploring",
    Stage.APPLY: "📝 Apply",
    Stage.INTERVIEW: "🎤 Interview",
    Stage.NEGOTIATION: "🤝 Negotiation",
    Stage.OFFER: "🎉 Offer",
    Stage.CLOSED: "📦 Closed",
}
_STAGE_WORDS = {
    Stage.CHAT: "at the coffee-chat stage",
    Stage.EXPLORING: "being explored",
    Stage.APPLY: "at the application stage",
    Stage.INTERVIEW: "at the interview stage",
    Stage.NEGOTIATION: "in negotiation",
    Stage.OFFER: "at the offer stage",
    Stage.CLOSED: "closed",
}
_STAGE_NOTES = {
    Stage.INTERVIEW: "🎤 An interview! That door opened because you started conversations. "
    "Keep your coffee-chat pace meanwhile: options to compare make every decision easier.",
    Stage.NEGOTIATION: "🤝 Negotiating: you're close! Keep a chat or two in your week, "
    "so you negotiate knowing you have options.",
    Stage.OFFER: "🎉 An offer! Congratulations: this is what all those small messages were "
    "for. Keep your chats going until you've signed; a second option helps you choose.",
    Stage.CLOSED: "📦 Closed. Whatever the outcome, you learned something, "
    "and your next coffee chat may open the next door.",
}
_RUNG_NAMES = {
    Ask.HELP: "offering help",
    Ask.ADVICE: "asking for advice",
    Ask.INTRO: "asking for an intro",
    Ask.COFFEE: "asking for a coffee chat",
    Ask.REFERRAL: "asking for a referral",
}
CHART_COMING = "📈 Your weeks are in the chart below: replies and chats follow the outreach."


def _active_days(count: int) -> str:
    return "1 active day" if count == 1 else f"{count} active days"


def streak_text(streak: Streak, *, rest_day: bool) -> str:
    """The streak in one line: how long it is, and what today does for it."""
    best = f" Your best: {streak.best}." if streak.best > streak.days else ""
    if streak.today_counts:
        return f"🔥 Streak: {_active_days(streak.days)} with your quota met, today included!"
    if rest_day:
        if streak.days:
            return f"🔥 Streak: {_active_days(streak.days)}. A rest day today: it waits for you."
        return "🌿 A rest day today: your streak can start on your next active day."
    if streak.days:
        return (
            f"🔥 Streak: {_active_days(streak.days)}. "
            f"Meet today's quota to make it {streak.days + 1}.{best}"
        )
    if streak.best:
        return f"🔥 Meet today's quota to start a new streak.{best}"
    return "🔥 Meet today's quota to start your streak."


def keep_pace_text(opportunity: Opportunity, contact: Contact) -> str:
    """While something is hot: celebrate it and keep the coffee-chat pace."""
    return (
        f"⭐ <b>{esc(opportunity.title)}</b> (via {esc(contact.name)}) is "
        f"{_STAGE_WORDS[opportunity.stage]}. Keep your coffee-chat pace meanwhile, "
        "so you'll have options to compare."
    )


def gives_and_asks_text(gives: int, asks: int) -> str:
    """Gives counted next to asks, with a nudge when it has become one-way."""
    line = f"🤝 {gives} give{'s' if gives != 1 else ''} · {asks} ask{'s' if asks != 1 else ''}."
    if asks >= 5 and gives * 5 < asks:
        return line + " A small give now and then keeps it two-way: /gave"
    if gives and gives >= asks:
        return line + " Generous: that's how trust gets built."
    return line


def rung_text(rung: Ask | None) -> str:
    """The boldest ask that got a yes so far (the asks ladder)."""
    if rung is None:
        return "🪜 Asks start small: offering help or asking for advice is a fine first rung."
    return f"🪜 Boldest ask that got a yes so far: {_RUNG_NAMES[rung]}."


def progress_text(
    user: User,
    chats_done: int,
    projection: str,
    streak: str,
    gives_and_asks: str,
    rung: str,
    open_opportunities: int,
    hot_opportunities: int,
) -> str:
    """/progress in words: goal, projection, streak, asks and gives, the pipeline."""
    goal = f"🎯 {chats_done} of {user.goal_count} coffee chats"
    goal += f", target {format_date(user.goal_date)}" if user.goal_date else ""
    lines = ["<b>Your progress</b>", goal, f"🧭 {projection}", "", streak, gives_and_asks, rung]
    if open_opportunities:
        hot = f", {hot_opportunities} at interview or later" if hot_opportunities else ""
        lines.append(f"🚀 Pipeline: {open_opportunities} open{hot}. /pipeline")
    lines += ["", CHART_COMING]
    return "\n".join(lines)


def pipeline_text(
    groups: Sequence[tuple[Stage, Sequence[tuple[Opportunity, Contact]]]],
    hot: tuple[Opportunity, Contact] | None,
    tz: str,
) -> str:
    """/pipeline: opportunities by stage, in pipeline order."""
    if not groups:
        return (
            "🚀 <b>Your pipeline</b> is empty for now.\n"
            "When a conversation turns up a role or a project, open that person's card "
            "(/contacts) and tap 🚀 Opportunity. You only need one, so keep going!"
        )
    open_count = sum(len(items) for stage, items in groups if stage is not Stage.CLOSED)
    lines = [f"🚀 <b>Your pipeline</b>: {open_count} open"]
    for stage, items in groups:
        lines += ["", f"<b>{STAGE_LABELS[stage]}</b>"]
        lines += [
            f"• {esc(opportunity.title)} · {esc(contact.name)}, "
            f"since {format_day(opportunity.updated_at, tz)}"
            for opportunity, contact in items[:10]
        ]
        if len(items) > 10:
            lines.append(f"• and {len(items) - 10} more")
    if hot is not None:
        lines += ["", keep_pace_text(*hot)]
    lines += ["", "Tap one to move it along."]
    return "\n".join(lines)


def opportunity_text(
    opportunity: Opportunity, contact: Contact, tz: str, *, moved: bool = False
) -> str:
    """One opportunity and where it stands; after a move, a note for the stages that matter."""
    lines = []
    note = _STAGE_NOTES.get(opportunity.stage) if moved else None
    if note:
        lines += [note, ""]
    lines += [
        f"🚀 <b>{esc(opportunity.title)}</b>",
        f"Through {esc(contact.name)} · {STAGE_LABELS[opportunity.stage]} "
        f"since {format_day(opportunity.updated_at, tz)}",
        "",
        "Where does it stand now? Tap a stage.",
    ]
    return "\n".join(lines)


def opportunity_prompt(contact: Contact) -> str:
    """Asking for the title of a new opportunity with a contact."""
    return (
        f"🚀 What's the opportunity with <b>{esc(contact.name)}</b>? A role, a team or a "
        "project in a few words, for example: <code>Product designer at Acme</code>"
    )


# --- fears: write the fear down, then let the user's own evidence answer it --------------------

OUTCOME_LABELS = {
    FearOutcome.YES: "came true",
    FearOutcome.PARTLY: "partly",
    FearOutcome.NO: "didn't happen",
}
FEAR_PROMPT_LABELS = {"never": "never", "some": "some days", "daily": "every morning"}
FEAR_ASK_TEXT = (
    "🫣 What are you afraid might happen? One line is enough, for example: "
    "<i>they'll think I only want something from them</i>."
)
MORNING_FEAR_LINE = "🫣 Quick one: what are you afraid might happen today? Tap one, or skip."
NERVOUS_LINE = "🫣 Quick one: how nervous were you before sending it? 1 calm, 5 very."
CRISIS_TEXT = (
    "I'm really sorry you're carrying this. It sounds heavier than a job search, and you "
    "deserve support from a real person right now.\n\n"
    "If you might be in danger, please call your local emergency number. You can also reach "
    "a free, confidential crisis line in your country (findahelpline.com lists them), "
    "or talk to a doctor or someone you trust.\n\n"
    "I'm only a networking coach, but I'm glad you told me. The outreach can wait. 💛"
)
_REFRAMES = {
    Situation.SILENCE: "Quiet or “later” usually means busy, not no. A short, friendly "
    "follow-up is normal, and often welcome.",
    Situation.DECLINE: "One answer from one person on one day, not a verdict on you. "
    "You asked, and asking is the part you control.",
    Situation.GOOD: "Worth noting: what really happened goes into your evidence.",
}


def fear_label(fear: Fear, limit: int = 80) -> str:
    """A fear as quoted back to the user; a bare rating reads 'nerves before reaching out'."""
    if fear.text is None:
        return "nerves before reaching out"
    return f"“{esc(shorten(fear.text, limit))}”"


def reframe_text(situation: Situation) -> str:
    """A short reframe, in our own words, for what just happened."""
    return _REFRAMES[situation]


def fear_strength_question(text: str) -> str:
    """Asks how strong a fear is, before it is stored."""
    question = "How strong is this fear right now? 1 a whisper, 5 loud."
    return f"🫣 “{esc(shorten(text, 200))}”\n{question}"


def fear_saved_text(fear: Fear, *, has_contacts: bool) -> str:
    """A fear written down, with the offer to tie it to someone."""
    lines = [f"📓 Written down: {fear_label(fear)} ({fear.strength_before}/5)."]
    lines.append(
        "I'll tie it to the next outreach you log today"
        + (", unless it's about someone in particular:" if has_contacts else ".")
    )
    return "\n".join(lines)


def fear_tied_text(fear: Fear, contact: Contact) -> str:
    """A fear tied to a contact."""
    return (
        f"📓 {fear_label(fear)} ({fear.strength_before}/5) is tied to "
        f"<b>{esc(contact.name)}</b>. When they answer, I'll ask whether it happened."
    )


def fear_next_outreach_text(fear: Fear) -> str:
    """A fear waiting for the next outreach of the day."""
    return (
        f"📓 {fear_label(fear)} ({fear.strength_before}/5) will ride on the next outreach "
        "you log today. When that person answers, I'll ask whether it happened."
    )


def fear_journal_only_text(fear: Fear) -> str:
    """A fear kept in the journal without an outreach to test it."""
    return f"📓 {fear_label(fear)} is in your journal. /fears shows it next to your evidence."


def fear_rides_line(fear: Fear, contact: Contact) -> str:
    """After an outreach that now carries a fear."""
    return (
        f"🫣 Your fear {fear_label(fear, 60)} rides on this one. When {esc(contact.name)} "
        "answers, we'll check it against what happened."
    )


def fear_outcome_question(fear: Fear, contact: Contact) -> str:
    """After a reply or a chat: did the feared thing happen?"""
    if fear.text is None:
        return (
            f"🫣 Before reaching {esc(contact.name)} you were nervous "
            f"({fear.strength_before}/5). Did what you feared happen?"
        )
    return f"🫣 You feared {fear_label(fear, 60)} ({fear.strength_before}/5). Did it happen?"


def fear_outcome_text(fear: Fear, situation: Situation) -> str:
    """After the outcome is in: what it was, a reframe, and how strong the fear is now."""
    assert fear.outcome is not None
    said = {
        FearOutcome.YES: "It happened.",
        FearOutcome.PARTLY: "Partly happened.",
        FearOutcome.NO: "It didn't happen.",
    }[fear.outcome]
    return (
        f"{said} {reframe_text(situation)}\n"
        f"How strong is that fear now? It was {fear.strength_before}/5."
    )


def _evidence_body(evidence: Evidence) -> str:
    tested = evidence.tested
    body = (
        f"{tested} fear{'s' if tested != 1 else ''} tested: {evidence.did_not} didn't happen, "
        f"{evidence.partly} partly, {evidence.came_true} came true."
    )
    if evidence.average_before is not None and evidence.average_after is not None:
        body += f" Strength {evidence.average_before:.1f} → {evidence.average_after:.1f}."
    return body


def evidence_sentence(evidence: Evidence) -> str:
    """One line of the user's own evidence: how often the feared thing really happened."""
    return f"🧪 {_evidence_body(evidence)}"


def fear_rated_text(fear: Fear, evidence: Evidence) -> str:
    """After the strength-now answer (or its skip): the change, and the evidence so far."""
    lines = []
    if fear.strength_after is not None:
        lines.append(f"Noted: {fear.strength_before}/5 before, {fear.strength_after}/5 now.")
    else:
        lines.append("Noted.")
    lines.append(evidence_sentence(evidence))
    return "\n".join(lines)


def fears_text(
    fears: Sequence[Fear],
    evidence: Evidence,
    contact_names: dict[int, str],
    user: User,
    now: datetime,
) -> str:
    """/fears: the evidence, the latest entries, and the fears still waiting for an outcome."""
    setting = FEAR_PROMPT_LABELS.get(user.fear_prompts, user.fear_prompts)
    footer = f"<i>Fear question in the morning message: {setting}.</i>"
    if not fears:
        return "\n".join(
            [
                "<b>Your fears and the evidence</b>",
                "Nothing written down yet. When a fear shows up before you reach out, "
                "/fear writes it down: then it's a prediction you can test.",
                "",
                footer,
            ]
        )
    lines = ["<b>Your fears and the evidence</b>"]
    if evidence.has_evidence:
        lines.append(evidence_sentence(evidence))
    else:
        lines.append("No fear has met its outcome yet: the evidence starts with the first one.")
    tested = [fear for fear in fears if fear.outcome is not None]
    if tested:
        lines += ["", "<b>Latest</b>"]
        for fear in reversed(tested[-5:]):
            assert fear.outcome is not None
            after = f" → {fear.strength_after}/5" if fear.strength_after is not None else ""
            lines.append(
                f"• {format_day(fear.created_at, user.timezone)} {fear_label(fear, 60)}"
                f"{_fear_who(fear, contact_names)}: {OUTCOME_LABELS[fear.outcome]}, "
                f"{fear.strength_before}/5{after}"
            )
    waiting = [fear for fear in fears if fear.outcome is None]
    if waiting:
        lines += ["", f"<b>Waiting for an outcome ({len(waiting)})</b>"]
        for fear in reversed(waiting[-5:]):
            if fear.contact_id is not None:
                where = _fear_who(fear, contact_names)
            elif fear.tie_until is not None and fear.tie_until > now:
                where = " · your next outreach today"
            else:
                where = " · journal only"
            lines.append(f"• {fear_label(fear, 60)} ({fear.strength_before}/5){where}")
    lines += ["", footer]
    return "\n".join(lines)


def _fear_who(fear: Fear, contact_names: dict[int, str]) -> str:
    name = contact_names.get(fear.contact_id) if fear.contact_id is not None else None
    return f" · {esc(name)}" if name else ""


def weekly_fear_line(evidence: Evidence) -> str | None:
    """The weekly review's line of fear evidence, when there is some."""
    if not evidence.has_evidence:
        return None
    return f"🧪 Your fears so far: {_evidence_body(evidence)}"


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
