"""The words the data uses, and the plain records that storage returns.

Nothing here knows about Telegram or the database: rules, storage and handlers all
speak in these types. All datetimes are aware and in UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import Enum, StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.coaching.pending import PendingQuestion


class Tier(StrEnum):
    """How the user knows a contact."""

    WARM = "warm"
    FIRST = "first"
    SECOND = "second"
    THIRD = "third"
    INTRO = "intro"


class Kind(StrEnum):
    """What happened in one logged interaction."""

    OUTREACH = "outreach"
    FOLLOW_UP = "follow_up"
    REPLY_POSITIVE = "reply_positive"
    REPLY_DECLINED = "reply_declined"
    REPLY_LATER = "reply_later"
    COFFEE_CHAT = "coffee_chat"
    GAVE = "gave"


class Channel(StrEnum):
    """How an outreach was sent."""

    MESSAGE = "message"
    CALL = "call"
    EMAIL = "email"
    LINKEDIN = "linkedin"
    INMAIL = "inmail"
    IN_PERSON = "in_person"
    OTHER = "other"


class Ask(StrEnum):
    """The kind of ask, least to most demanding (the order of the members is the ladder)."""

    HELP = "help"
    ADVICE = "advice"
    INTRO = "intro"
    COFFEE = "coffee"
    REFERRAL = "referral"


class Stage(StrEnum):
    """Where an opportunity stands, in pipeline order."""

    CHAT = "chat"
    EXPLORING = "exploring"
    APPLY = "apply"
    INTERVIEW = "interview"
    NEGOTIATION = "negotiation"
    OFFER = "offer"
    CLOSED = "closed"


class OnboardingStep(StrEnum):
    """The steps of onboarding, in order."""

    NAME = "name"
    TIMEZONE = "timezone"
    GOAL = "goal"
    DATE = "date"
    WEEKLY = "weekly"
    QUOTA = "quota"
    MORNING = "morning"
    CONTACTS = "contacts"


class FollowUpStatus(StrEnum):
    """Where a follow-up stands."""

    OPEN = "open"
    DONE = "done"
    REPLIED = "replied"
    RESTED = "rested"


REPLY_KINDS = (Kind.REPLY_POSITIVE, Kind.REPLY_DECLINED, Kind.REPLY_LATER)
# Actions that count toward the daily quota: a new outreach or a follow-up.
QUOTA_KINDS = (Kind.OUTREACH, Kind.FOLLOW_UP)

DEFAULT_TIMEZONE = "UTC"
DEFAULT_GOAL_COUNT = 50
DEFAULT_WEEKLY_CHATS = 2
DEFAULT_DAILY_QUOTA = 3
DEFAULT_MORNING_TIME = time(8, 0)
DEFAULT_FOLLOW_UP_DAYS = (3, 7, 14)
DEFAULT_REST_DAYS = (5, 6)  # Saturday and Sunday, Monday being 0
DEFAULT_STALL_DAYS = 3
DEFAULT_REVIEW_DAY = 6  # Sunday
DEFAULT_REVIEW_TIME = time(18, 0)
MAX_NAME_LENGTH = 64
MAX_NOTE_LENGTH = 1000
# Bounds that keep one chat's data (and every query and message built from it) bounded.
MAX_CONTACTS = 5000
MAX_LOGS_PER_DAY = 200
DRAFT_LIFETIME = timedelta(days=1)


@dataclass(frozen=True)
class User:
    """One chat's settings and where it stands in onboarding."""

    chat_id: int
    name: str | None
    timezone: str
    goal_count: int
    goal_date: date | None
    weekly_chats: int
    daily_quota: int
    morning_time: time
    evening_time: time | None
    follow_up_days: tuple[int, ...]
    rest_days: tuple[int, ...]
    onboarding_step: OnboardingStep | None
    onboarded_at: datetime | None
    awaiting: PendingQuestion | None
    created_at: datetime
    active: bool = True
    paused_at: datetime | None = None
    paused_until: datetime | None = None
    review_day: int = DEFAULT_REVIEW_DAY
    review_time: time = DEFAULT_REVIEW_TIME
    stall_days: int = DEFAULT_STALL_DAYS
    fear_prompts: str = "some"

    @property
    def onboarded(self) -> bool:
        """Whether the user has finished (or skipped to the end of) onboarding."""
        return self.onboarded_at is not None

    def paused(self, now: datetime) -> bool:
        """Whether nudges are paused at `now` (until /resume when there is no end)."""
        if self.paused_at is None:
            return False
        return self.paused_until is None or now < self.paused_until


class Clear(Enum):
    """The value that empties an optional preference in PreferenceChanges."""

    CLEAR = "clear"


CLEAR = Clear.CLEAR


@dataclass(frozen=True)
class PreferenceChanges:
    """New values for some of the user's preferences.

    None leaves a preference as it is; CLEAR empties one that may be empty (no goal date, no
    evening check-in).
    """

    name: str | None = None
    timezone: str | None = None
    goal_count: int | None = None
    goal_date: date | Clear | None = None
    weekly_chats: int | None = None
    daily_quota: int | None = None
    morning_time: time | None = None
    evening_time: time | Clear | None = None
    follow_up_days: tuple[int, ...] | None = None
    rest_days: tuple[int, ...] | None = None
    review_day: int | None = None
    review_time: time | None = None
    stall_days: int | None = None
    fear_prompts: str | None = None

    @classmethod
    def of(cls, field: str, value: object) -> PreferenceChanges:
        """A change of one preference named by its field; None empties it (CLEAR)."""
        changes: dict[str, Any] = {field: CLEAR if value is None else value}
        return cls(**changes)


NO_CHANGES = PreferenceChanges()


@dataclass(frozen=True)
class Contact:
    """A person the user may reach out to."""

    id: int
    chat_id: int
    name: str
    tier: Tier
    note: str | None
    introduced_by_id: int | None
    rest_until: datetime | None
    created_at: datetime


@dataclass(frozen=True)
class Interaction:
    """One entry of the append-only log."""

    id: int
    chat_id: int
    contact_id: int
    kind: Kind
    channel: Channel | None
    ask: Ask | None
    note: str | None
    at: datetime


@dataclass(frozen=True)
class FollowUp:
    """A planned nudge to follow up with a contact who has not answered yet."""

    id: int
    chat_id: int
    contact_id: int
    due_at: datetime
    attempt: int
    status: FollowUpStatus
    closed_at: datetime | None
    opened_by_id: int | None = None  # the log that planned it
    closed_by_id: int | None = None  # the log that closed it


@dataclass(frozen=True)
class FollowUpPlan:
    """A follow-up to schedule together with a logged interaction."""

    due_at: datetime
    attempt: int


@dataclass(frozen=True)
class FollowUpEffects:
    """What logging one interaction does to its contact's follow-ups: close the open ones with
    `close`, then plan `plan`."""

    close: FollowUpStatus | None = None
    plan: FollowUpPlan | None = None


@dataclass(frozen=True)
class InteractionChanges:
    """New values for some fields of a logged interaction; None leaves a field as it is and
    CLEAR empties an optional one."""

    kind: Kind | None = None
    channel: Channel | Clear | None = None
    ask: Ask | Clear | None = None
    note: str | Clear | None = None
    at: datetime | None = None


@dataclass(frozen=True)
class ContactSummary:
    """A contact with what the coaching rules need to know about its history."""

    contact: Contact
    last_interaction_at: datetime | None
    outreach_count: int
    has_open_follow_up: bool


@dataclass(frozen=True)
class Opportunity:
    """A possible role or project that came through a contact."""

    id: int
    chat_id: int
    contact_id: int
    title: str
    stage: Stage
    created_at: datetime
    updated_at: datetime


class FearOutcome(StrEnum):
    """Whether the feared thing happened, once the outcome of the outreach is known."""

    YES = "yes"
    PARTLY = "partly"
    NO = "no"


@dataclass(frozen=True)
class Fear:
    """A fear written down before reaching out: a prediction to test against what happens.

    `text` is None for a quick 'how nervous were you?' rating. A fear waits to be tied to the
    next outreach logged before `tie_until`, or is tied to a contact (and then to the outreach
    it rides on); it is tested once `outcome` is known.
    """

    id: int
    chat_id: int
    text: str | None
    strength_before: int
    strength_after: int | None
    outcome: FearOutcome | None
    contact_id: int | None
    interaction_id: int | None
    tie_until: datetime | None
    created_at: datetime
    tested_at: datetime | None
    waited_until: datetime | None = None  # it waited for the next outreach until then


@dataclass(frozen=True)
class LogEntry:
    """A logged interaction with what logging it changed, as it stands now.

    `planned`: the follow-ups it planned; `closed`: the ones it closed; `fears`: the fears that
    ride on it. `latest` is True when it is its contact's newest log, so its follow-up changes
    are still the ones in force.
    """

    interaction: Interaction
    contact: Contact
    planned: tuple[FollowUp, ...]
    closed: tuple[FollowUp, ...]
    fears: tuple[Fear, ...]
    latest: bool


@dataclass(frozen=True)
class ContactFootprint:
    """How much is kept about one contact: what goes with it when it is deleted or merged."""

    logs: int
    follow_ups: int
    fears: int
    opportunities: int
