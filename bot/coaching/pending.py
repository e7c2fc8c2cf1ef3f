"""What waits on the user: the question the bot asked last, and logs or fears not yet saved.

A pending question is one small typed value (the kind of question and its fields), stored in
`users.awaiting` as versioned JSON; a pending log or fear is a draft row. Both are read back
through `question_from_json` and `draft_from_payload`, which refuse anything malformed (None), so
a stored value from an older version can never be misread.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from datetime import date
from enum import StrEnum
from typing import Any, ClassVar

from bot.coaching.domain import Ask, Channel, Kind, Tier

FORMAT_VERSION = 1


class LogCommand(StrEnum):
    """The logging commands that can ask for their arguments."""

    REACH = "reach"
    REPLY = "reply"
    CHAT = "chat"
    GAVE = "gave"


class Question(StrEnum):
    """What the next plain text answers."""

    ONBOARDING = "onboarding"
    LOG_ARGUMENTS = "log_arguments"
    NEW_CONTACT = "new_contact"
    NEXT_STEP = "next_step"
    GIFT = "gift"
    SETTING = "setting"
    FEAR = "fear"
    DRAFT_NAME = "draft_name"
    OPPORTUNITY_TITLE = "opportunity_title"
    ENTRY_NOTE = "entry_note"
    ENTRY_DAY = "entry_day"
    CONTACT_NAME = "contact_name"
    CONTACT_NOTE = "contact_note"
    MERGE_TARGET = "merge_target"
    TARGET_NAME = "target_name"


@dataclass(frozen=True)
class AwaitOnboarding:
    """The answer to the current onboarding step."""

    question: ClassVar[Question] = Question.ONBOARDING


@dataclass(frozen=True)
class AwaitLogArguments:
    """The arguments of /reach, /reply, /chat or /gave, sent without them."""

    command: LogCommand
    question: ClassVar[Question] = Question.LOG_ARGUMENTS


@dataclass(frozen=True)
class AwaitNewContact:
    """The arguments of /add, sent without them."""

    question: ClassVar[Question] = Question.NEW_CONTACT


@dataclass(frozen=True)
class AwaitNextStep:
    """A lead or next step after a coffee chat, for the contact's card."""

    contact_id: int
    question: ClassVar[Question] = Question.NEXT_STEP


@dataclass(frozen=True)
class AwaitGift:
    """What the user gave a contact."""

    contact_id: int
    question: ClassVar[Question] = Question.GIFT


@dataclass(frozen=True)
class AwaitSetting:
    """A new value for the setting with this key."""

    key: str
    question: ClassVar[Question] = Question.SETTING


@dataclass(frozen=True)
class AwaitFear:
    """The text of a fear."""

    question: ClassVar[Question] = Question.FEAR


@dataclass(frozen=True)
class AwaitDraftName:
    """The name of someone new, for a sentence's log waiting as a draft."""

    draft_id: int
    question: ClassVar[Question] = Question.DRAFT_NAME


@dataclass(frozen=True)
class AwaitOpportunityTitle:
    """The title of a new opportunity with a contact."""

    contact_id: int
    question: ClassVar[Question] = Question.OPPORTUNITY_TITLE


@dataclass(frozen=True)
class AwaitEntryNote:
    """A new note for a logged interaction."""

    interaction_id: int
    question: ClassVar[Question] = Question.ENTRY_NOTE


@dataclass(frozen=True)
class AwaitEntryDay:
    """The day a logged interaction happened ("yesterday", "3 days ago", "21 Nov")."""

    interaction_id: int
    question: ClassVar[Question] = Question.ENTRY_DAY


@dataclass(frozen=True)
class AwaitContactName:
    """A contact's new name."""

    contact_id: int
    question: ClassVar[Question] = Question.CONTACT_NAME


@dataclass(frozen=True)
class AwaitContactNote:
    """A contact's note, as it should read."""

    contact_id: int
    question: ClassVar[Question] = Question.CONTACT_NOTE


@dataclass(frozen=True)
class AwaitMergeTarget:
    """The name of the contact to merge this one into."""

    contact_id: int
    question: ClassVar[Question] = Question.MERGE_TARGET


@dataclass(frozen=True)
class AwaitTargetName:
    """The name of a company to add to the user's targets."""

    question: ClassVar[Question] = Question.TARGET_NAME


PendingQuestion = (
    AwaitOnboarding
    | AwaitLogArguments
    | AwaitNewContact
    | AwaitNextStep
    | AwaitGift
    | AwaitSetting
    | AwaitFear
    | AwaitDraftName
    | AwaitOpportunityTitle
    | AwaitEntryNote
    | AwaitEntryDay
    | AwaitContactName
    | AwaitContactNote
    | AwaitMergeTarget
    | AwaitTargetName
)
_QUESTIONS: dict[Question, type[PendingQuestion]] = {
    kind.question: kind
    for kind in (
        AwaitOnboarding,
        AwaitLogArguments,
        AwaitNewContact,
        AwaitNextStep,
        AwaitGift,
        AwaitSetting,
        AwaitFear,
        AwaitDraftName,
        AwaitOpportunityTitle,
        AwaitEntryNote,
        AwaitEntryDay,
        AwaitContactName,
        AwaitContactNote,
        AwaitMergeTarget,
        AwaitTargetName,
    )
}


def question_to_json(pending: PendingQuestion) -> str:
    """The stored form: `{"v": 1, "q": "next_step", "contact_id": 5}`."""
    return json.dumps({"v": FORMAT_VERSION, "q": pending.question.value, **asdict(pending)})


def question_from_json(text: str | None) -> PendingQuestion | None:
    """The question stored as `text`; None for nothing, or anything not exactly our format."""
    data = _object(text)
    if data is None or data.pop("v", None) != FORMAT_VERSION:
        return None
    kind = _QUESTIONS.get(data.pop("q", None))  # type: ignore[arg-type]
    return _build(kind, data) if kind is not None else None


# --- drafts: logs and fears waiting for a choice --------------------------------------------


class LogOrigin(StrEnum):
    """Where a pending log came from: a command with an unknown name, or a plain sentence."""

    COMMAND = "command"
    SENTENCE = "sentence"


@dataclass(frozen=True)
class PendingLog:
    """A log shown to the user and not stored yet. For a give, `note` is what was given.

    `channel` is None when the user did not say one; `check_back` is the day a "later" answer
    named ("after xmas"), if any.
    """

    origin: LogOrigin
    kind: Kind
    name: str
    contact_id: int | None = None
    channel: Channel | None = None
    ask: Ask | None = None
    note: str | None = None
    days_ago: int = 0
    check_back: date | None = None


@dataclass(frozen=True)
class PendingFear:
    """A fear written down, waiting for its strength."""

    text: str


@dataclass(frozen=True)
class PendingContact:
    """A contact to add once the user says what its name is (it looked like something else)."""

    name: str
    tier: Tier
    note: str | None = None


@dataclass(frozen=True)
class PendingRename:
    """A contact's new name, once the user says it is the name they meant."""

    contact_id: int
    name: str


Draft = PendingLog | PendingFear | PendingContact | PendingRename
_DRAFTS: dict[str, type[Draft]] = {
    "log": PendingLog,
    "fear": PendingFear,
    "contact": PendingContact,
    "rename": PendingRename,
}


def draft_kind(draft: Draft) -> str:
    """The drafts.kind column of a draft."""
    return next(kind for kind, draft_type in _DRAFTS.items() if isinstance(draft, draft_type))


def draft_to_payload(draft: Draft) -> dict[str, Any]:
    """The drafts.payload column (JSON) of a draft (dates as "2027-01-07")."""
    values = {
        name: value.isoformat() if isinstance(value, date) else value
        for name, value in asdict(draft).items()
    }
    return {"v": FORMAT_VERSION, **values}


def draft_from_payload(kind: str, payload: object) -> Draft | None:
    """The draft stored as (`kind`, `payload`); None when it is not exactly our format."""
    if not isinstance(payload, dict) or kind not in _DRAFTS:
        return None
    data = dict(payload)
    if data.pop("v", None) != FORMAT_VERSION:
        return None
    return _build(_DRAFTS[kind], data)


_ENUMS: dict[str, type[StrEnum]] = {
    "command": LogCommand,
    "origin": LogOrigin,
    "kind": Kind,
    "channel": Channel,
    "ask": Ask,
    "tier": Tier,
}
_DATES = frozenset({"check_back"})


def _object(text: str | None) -> dict[str, Any] | None:
    if not text:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _build(kind: type[Any], data: dict[str, Any]) -> Any:
    """An instance of the dataclass `kind` from exactly its fields, each of the right type."""
    names = {item.name for item in fields(kind)}
    if set(data) - names:
        return None
    values: dict[str, Any] = {}
    for name, value in data.items():
        enum = _ENUMS.get(name)
        if enum is not None and value is not None:
            if value not in {member.value for member in enum}:
                return None
            value = enum(value)
        elif name in _DATES and value is not None:
            try:
                value = date.fromisoformat(value) if isinstance(value, str) else None
            except ValueError:
                value = None
            if value is None:
                return None
        elif name.endswith("_id") or name == "days_ago":
            if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
                return None
        elif value is not None and not isinstance(value, str):
            return None
        values[name] = value
    try:
        return kind(**values)
    except TypeError:  # a required field is missing
        return None
