"""Progress, the streak, the asks ladder and the pipeline."""

from __future__ import annotations

from collections.abc import Sequence

from bot.coaching.domain import (
    Ask,
    Contact,
    Opportunity,
    Stage,
    User,
)
from bot.coaching.streaks import Streak
from bot.messages.common import esc, format_date, format_day, plural

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
    goal = f"🎯 {chats_done} of {plural(user.goal_count, 'coffee chat')}"
    goal += f", target {format_date(user.goal_date)}" if user.goal_date else ""
    lines = ["<b>Your progress</b>", goal, f"🧭 {projection}", "", streak, gives_and_asks, rung]
    if open_opportunities:
        lines.append(f"{pipeline_line(open_opportunities, hot_opportunities)} /pipeline")
    lines += ["", CHART_COMING]
    return "\n".join(lines)


def pipeline_line(open_opportunities: int, hot_opportunities: int) -> str:
    """How many opportunities are open, and how many at an interview or later."""
    hot = f", {hot_opportunities} at interview or later" if hot_opportunities else ""
    return f"🚀 Pipeline: {open_opportunities} open{hot}."


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
