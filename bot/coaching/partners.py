"""The accountability partner: invite codes, where a partnership stands, and the numbers a
partner is allowed to see.

A partner sees a few counts about the user's week and nothing else: `PartnerWeek` holds only
numbers and a yes/no, so no name, note or fear can travel in it.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.coaching.domain import QUOTA_KINDS, REPLY_KINDS, Interaction, Kind, User
from bot.coaching.progress import chats_done, user_projection, user_streak

INVITE_VALID_FOR = timedelta(days=7)
# 15 random bytes are 20 URL-safe characters: 120 bits, unguessable, and short enough to ride
# in a button's payload as well as in Telegram's start parameter (at most 64 characters).
_CODE_BYTES = 15
CODE_LENGTH = 20
_CODE = re.compile(rf"[A-Za-z0-9_-]{{{CODE_LENGTH}}}")


def new_invite_code() -> str:
    """A fresh single-use invite code: 20 characters of A-Z, a-z, 0-9, `_` and `-`."""
    return secrets.token_urlsafe(_CODE_BYTES)


def is_invite_code(text: str) -> bool:
    """Whether `text` has the shape of an invite code (it may still be unknown or used)."""
    return _CODE.fullmatch(text) is not None


def code_digest(code: str) -> str:
    """What the database keeps of a code: its SHA-256, so a copy of the database cannot
    be used to accept someone's invite."""
    return hashlib.sha256(code.encode()).hexdigest()


def invite_link(bot_username: str, code: str) -> str:
    """The deep link a partner opens: Telegram then sends the bot `/start <code>`."""
    return f"https://t.me/{bot_username}?start={code}"


@dataclass(frozen=True)
class Partnership:
    """An invite, and once accepted, a partnership: `chat_id` is the user who invited."""

    id: int
    chat_id: int
    owner_name: str | None
    created_at: datetime
    expires_at: datetime
    partner_chat_id: int | None
    partner_name: str | None
    accepted_at: datetime | None
    ended_at: datetime | None

    @property
    def active(self) -> bool:
        """Accepted and not ended: the partner receives the user's numbers."""
        return self.accepted_at is not None and self.ended_at is None

    def invite_open(self, now: datetime) -> bool:
        """Still waiting for someone to accept it."""
        return self.accepted_at is None and self.ended_at is None and now < self.expires_at


class InviteProblem(StrEnum):
    """Why an invite link cannot be accepted."""

    GONE = "gone"  # unknown, expired, used, refused or cancelled: all look alike to the opener
    OWN = "own"  # the user opened their own link
    ACCEPTED = "accepted"  # the opener accepted it already and is the partner


def invite_problem(invite: Partnership | None, chat_id: int, now: datetime) -> InviteProblem | None:
    """Why `chat_id` cannot accept `invite` at `now`, or None when it can."""
    if invite is not None and invite.active and invite.partner_chat_id == chat_id:
        return InviteProblem.ACCEPTED
    if invite is None or not invite.invite_open(now):
        return InviteProblem.GONE
    if invite.chat_id == chat_id:
        return InviteProblem.OWN
    return None


class Cheer(StrEnum):
    """The one-tap cheers a partner can send."""

    APPLAUSE = "a"
    KEEP_GOING = "k"
    THINKING_OF_YOU = "t"


@dataclass(frozen=True)
class PartnerWeek:
    """The numbers a partner sees for one week: counts and a yes/no, nothing else."""

    week_start: date
    week_end: date
    reach_outs: int
    replies: int
    chats: int
    chats_total: int
    goal_count: int
    streak_days: int
    on_track: bool


def partner_week(user: User, log: Sequence[Interaction], today: date) -> PartnerWeek:
    """The week from Monday to `today` (the user's local dates), in numbers.

    On track: the goal's projection when there is a target date; without one, this week's
    coffee chats against the weekly plan.
    """
    week_start = today - timedelta(days=today.weekday())
    zone = ZoneInfo(user.timezone)
    week = [item for item in log if week_start <= item.at.astimezone(zone).date() <= today]
    chats = sum(1 for item in week if item.kind is Kind.COFFEE_CHAT)
    projection = user_projection(user, log, today)
    on_track = projection.on_track
    if on_track is None:
        on_track = projection.goal_met or chats >= user.weekly_chats
    return PartnerWeek(
        week_start=week_start,
        week_end=week_start + timedelta(days=6),
        reach_outs=sum(1 for item in week if item.kind in QUOTA_KINDS),
        replies=sum(1 for item in week if item.kind in REPLY_KINDS),
        chats=chats,
        chats_total=chats_done(log),
        goal_count=user.goal_count,
        streak_days=user_streak(user, log, today).days,
        on_track=on_track,
    )
