"""Bolder asks step by step, and the two-way street: gives next to asks.

The ladder is the order of `Ask`'s members, least to most demanding. Offering help is the
bottom rung and also counts as a give.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import NamedTuple

from bot.coaching.domain import Ask, Interaction, Kind

LADDER: tuple[Ask, ...] = tuple(Ask)
# This many answered asks at the highest rung reached, and the next rung is suggested.
ANSWERED_TO_CLIMB = 3
# Neither suggestion comes more often than this.
SUGGESTION_INTERVAL = timedelta(days=7)
# Interactions that mean a contact helped the user.
HELPED_KINDS = (Kind.REPLY_POSITIVE, Kind.COFFEE_CHAT)

_RUNG_DONE = {
    Ask.HELP: "offers of help",
    Ask.ADVICE: "requests for advice",
    Ask.INTRO: "requests for an intro",
    Ask.COFFEE: "coffee chat invitations",
}
_RUNG_TIPS = {
    Ask.ADVICE: (
        "Next time, ask for advice: one specific question about their path is easy to say yes to."
    ),
    Ask.INTRO: (
        "Next time, ask for an introduction: describe the kind of person you'd like to meet, "
        "so someone comes to mind."
    ),
    Ask.COFFEE: (
        "Next time, ask for a coffee chat: 20 minutes, at a time that suits them, "
        "in person or on a call."
    ),
    Ask.REFERRAL: (
        "When someone works where you'd like to, ask whether they'd refer you: send the link "
        "and two lines about why you fit, so it's easy to pass on."
    ),
}


def current_rung(answered_asks: Sequence[tuple[Ask, datetime]]) -> Ask | None:
    """The highest rung at which an ask was answered, or None before any answer."""
    if not answered_asks:
        return None
    return max((ask for ask, _ in answered_asks), key=LADDER.index)


def next_rung_suggestion(
    answered_asks: Sequence[tuple[Ask, datetime]],
    last_suggested_at: datetime | None,
    now: datetime,
) -> Ask | None:
    """The next rung up, once 3 asks at the highest rung answered so far got an answer;
    None at the top, before that, or within a week of the last suggestion.
    """
    if last_suggested_at is not None and now - last_suggested_at < SUGGESTION_INTERVAL:
        return None
    answered = [(ask, at) for ask, at in answered_asks if at <= now]
    rung = current_rung(answered)
    if rung is None or rung is LADDER[-1]:
        return None
    if sum(1 for ask, _ in answered if ask is rung) < ANSWERED_TO_CLIMB:
        return None
    return LADDER[LADDER.index(rung) + 1]


def rung_suggestion_text(ask: Ask) -> str:
    """The nudge toward `ask`, the rung above the one the user has been answered at."""
    if ask is LADDER[0]:
        raise ValueError("the bottom rung is where everyone starts, not a step up")
    below = LADDER[LADDER.index(ask) - 1]
    return (
        f"🪜 Your {_RUNG_DONE[below]} keep getting answers. Ready for one step up? "
        + (_RUNG_TIPS[ask])
    )


# --- gives and asks --------------------------------------------------------------------


class GivesAndAsks(NamedTuple):
    """How often the user gave, and how often they asked."""

    gives: int
    asks: int


def gives_vs_asks(interactions: Iterable[Interaction]) -> GivesAndAsks:
    """Gives (logged gives and outreach offering help) next to asks (every other outreach,
    including one without a recorded ask: reaching out asks for someone's time).

    Follow-ups, replies and chats are neither: they continue an ask already counted.
    """
    gives = asks = 0
    for item in interactions:
        if item.kind is Kind.GAVE or (item.kind is Kind.OUTREACH and item.ask is Ask.HELP):
            gives += 1
        elif item.kind is Kind.OUTREACH:
            asks += 1
    return GivesAndAsks(gives=gives, asks=asks)


def contacts_owed_a_give(interactions: Iterable[Interaction]) -> list[int]:
    """Ids of contacts who helped (a positive reply or a coffee chat) after the user last gave
    them something, the longest-waiting first.
    """
    last_give: dict[int, datetime] = {}
    helps: list[tuple[datetime, int]] = []
    for item in interactions:
        if item.kind is Kind.GAVE or (item.kind is Kind.OUTREACH and item.ask is Ask.HELP):
            if item.contact_id not in last_give or last_give[item.contact_id] < item.at:
                last_give[item.contact_id] = item.at
        elif item.kind in HELPED_KINDS:
            helps.append((item.at, item.contact_id))
    first_unanswered_help: dict[int, datetime] = {}
    for at, contact_id in helps:
        given = last_give.get(contact_id)
        if given is not None and given >= at:
            continue
        earliest = first_unanswered_help.get(contact_id)
        if earliest is None or at < earliest:
            first_unanswered_help[contact_id] = at
    return sorted(first_unanswered_help, key=lambda cid: (first_unanswered_help[cid], cid))


def give_suggestion_text(contact_name: str) -> str:
    """A short nudge to give something back to a contact who helped (the name is escaped)."""
    name = html.escape(contact_name, quote=False)
    return (
        f"🎁 <b>{name}</b> helped you recently. A small give keeps it two-way: "
        "a thank-you with news of how it went, an article they'd like, or an intro. "
        "Log it with /gave when you do."
    )
