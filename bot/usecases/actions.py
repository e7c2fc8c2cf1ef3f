"""Button actions: one typed registry, packed and decoded in this one place.

A payload is `VERSION:code:arg:arg...`, at most 64 bytes (Telegram's limit). Each action is a
frozen dataclass that names its code and declares its fields with their types and bounds: an
id, a number in a range, one of a closed set. `unpack` returns an action whose every value is
inside its bounds, or raises `StaleButton`; it never raises anything else.

Buttons carry ids, never names, so they keep working after a restart; whoever handles an
action still checks each id against the chat that pressed the button.
"""

from __future__ import annotations

import re
import types
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date
from enum import Enum, StrEnum
from typing import Annotated, Any, ClassVar, Protocol, Union, get_args, get_origin, get_type_hints

from bot.coaching.domain import Ask, Channel, Kind, OnboardingStep, Stage, Tier
from bot.coaching.fears import MAX_STRENGTH, OutcomeSource, PromptSetting
from bot.coaching.partners import Cheer, is_invite_code
from bot.coaching.preferences import BY_KEY, WEEKDAYS

VERSION = "1"
MAX_BYTES = 64
MAX_ID = 10**12 - 1
MAX_PAGE = 10_000
_ARG = re.compile(r"^[A-Za-z0-9_.-]{1,20}$")


class StaleButton(ValueError):
    """A payload this version of the bot would not make: old, malformed or forged.

    `readable` is False when the payload cannot be read at all (another version, an unknown
    action, the wrong number or shape of arguments), True when it reads but a value is outside
    what the button can mean.
    """

    def __init__(self, reason: str, *, readable: bool) -> None:
        super().__init__(reason)
        self.readable = readable


# --- field bounds ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Range:
    """An integer field's bounds, both inclusive."""

    low: int
    high: int


@dataclass(frozen=True)
class Codes:
    """A field that travels as a short code: code -> value."""

    values: Mapping[str, Any]


@dataclass(frozen=True)
class OneOf:
    """A text field limited to a closed set of values."""

    values: frozenset[str]


Id = Annotated[int, Range(1, MAX_ID)]
Strength = Annotated[int, Range(0, MAX_STRENGTH)]  # 0 skips
Page = Annotated[int, Range(0, MAX_PAGE)]
Weekday = Annotated[int, Range(0, len(WEEKDAYS) - 1)]
DaysAgo = Annotated[int, Range(0, 6)]
DayNumber = Annotated[int, Range(1, date.max.toordinal())]  # a local date, as its ordinal

# Interaction kinds as one letter, the one table every button uses.
KIND_CODES: Mapping[str, Kind] = {
    "o": Kind.OUTREACH,
    "f": Kind.FOLLOW_UP,
    "p": Kind.REPLY_POSITIVE,
    "d": Kind.REPLY_DECLINED,
    "l": Kind.REPLY_LATER,
    "c": Kind.COFFEE_CHAT,
    "g": Kind.GAVE,
}
ReplyKind = Annotated[Kind, Codes({code: KIND_CODES[code] for code in "pdl"})]
FearOutcomeSource = Annotated[
    OutcomeSource,
    Codes(
        {
            "p": OutcomeSource.REPLY_POSITIVE,
            "d": OutcomeSource.REPLY_DECLINED,
            "l": OutcomeSource.REPLY_LATER,
            "c": OutcomeSource.COFFEE_CHAT,
            "s": OutcomeSource.SILENCE,
            "h": OutcomeSource.BY_HAND,
        }
    ),
]
AnyKind = Annotated[Kind, Codes(KIND_CODES)]
PromptFrequency = Annotated[PromptSetting, Codes({s.value[0]: s for s in PromptSetting})]
# "targets": the contacts at the user's target companies.
TierFilter = Annotated[str, OneOf(frozenset({"all", "targets", *Tier}))]
NO_ASK = "none"
AskChoice = Annotated[str, OneOf(frozenset({NO_ASK, *Ask}))]
PreferenceKey = Annotated[str, OneOf(frozenset(BY_KEY))]


class FollowUpAnswer(StrEnum):
    """The one-tap answers to a follow-up: done, snooze, replied (asks how), let it rest; how
    they replied; for a chat to book, we met or it's booked; in the morning message, 'more'
    opens the rest of the answers."""

    DONE = "d"
    SNOOZE = "s"
    REPLIED = "r"
    REST = "x"
    POSITIVE = "p"
    DECLINED = "n"
    LATER = "l"
    MET = "c"
    BOOKED = "b"
    MORE = "m"


class FearTie(StrEnum):
    """Where a new fear goes when it is not tied to a contact."""

    NEXT_OUTREACH = "x"
    JOURNAL = "j"


class FearAnswer(StrEnum):
    """Did the feared thing happen (or skip the question)."""

    YES = "y"
    PARTLY = "p"
    NO = "n"
    SKIP = "s"


class FearPromptChoice(StrEnum):
    """The one-tap fear question: a common fear, write one's own, or not today."""

    NO_ANSWER = "i"
    A_NO = "n"
    AWKWARD = "a"
    WRITE = "w"
    SKIP = "s"


class DraftChoice(StrEnum):
    """On a log waiting for its contact: add the contact, or cancel."""

    ADD = "add"
    CANCEL = "cancel"


class SentenceChoice(StrEnum):
    """On a sentence's summary."""

    SAVE = "save"
    CANCEL = "cancel"
    KIND = "kind"
    WHO = "who"


class SomeoneNew(StrEnum):
    """Instead of a contact id: a new contact, its name typed next."""

    NEW = "new"


class NextStepPlan(StrEnum):
    """After a coffee chat: a follow-up in two weeks, or none."""

    FOLLOW_UP = "f"
    NONE = "n"


class NameChoice(StrEnum):
    """On a name that looked like something else: the name it probably is, as typed, or cancel."""

    SUGGESTED = "s"
    TYPED = "t"
    CANCEL = "c"


class EntryField(StrEnum):
    """What to change on a logged interaction."""

    KIND = "k"
    CHANNEL = "c"
    ASK = "a"
    NOTE = "n"
    DAY = "d"


# --- the actions ----------------------------------------------------------------------------


class Action:
    """A button's meaning. Subclasses are frozen dataclasses: `class X(Action, code="xx")`."""

    code: ClassVar[str]
    _by_code: ClassVar[dict[str, type[Action]]] = {}

    def __init_subclass__(cls, *, code: str, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if code in Action._by_code:
            raise TypeError(f"two actions use the code {code!r}")
        cls.code = code
        Action._by_code[code] = cls

    def in_bounds(self) -> bool:
        """Bounds that span several fields; each field's own bounds are checked already."""
        return True


def actions() -> Mapping[str, type[Action]]:
    """Every action, by code."""
    return Action._by_code


@dataclass(frozen=True)
class OnboardingAnswer(Action, code="ob"):
    """A quick answer to an onboarding step: a value the step offers, or skip."""

    step: OnboardingStep
    value: str

    def in_bounds(self) -> bool:
        """The value means something for its step, within the bounds of a typed answer."""
        return self.value == "skip" or onboarding_value_ok(self.step, self.value)


@dataclass(frozen=True)
class ShowContacts(Action, code="cl"):
    """A filter and page of the contact list."""

    tier_filter: TierFilter
    page: Page


@dataclass(frozen=True)
class OpenCard(Action, code="ct"):
    """A contact's card."""

    contact_id: Id


@dataclass(frozen=True)
class ReachedOut(Action, code="ra"):
    """'I reached out': choose how, then it is logged."""

    contact_id: Id


@dataclass(frozen=True)
class ReachedOutVia(Action, code="rc"):
    """An outreach by the channel picked."""

    contact_id: Id
    channel: Channel


@dataclass(frozen=True)
class GotReply(Action, code="ry"):
    """'Got a reply': choose how they answered."""

    contact_id: Id


@dataclass(frozen=True)
class LogReply(Action, code="rk"):
    """A reply of the kind picked."""

    contact_id: Id
    kind: ReplyKind


@dataclass(frozen=True)
class HadCoffeeChat(Action, code="ch"):
    """A coffee chat held."""

    contact_id: Id


@dataclass(frozen=True)
class GaveSomething(Action, code="gv"):
    """'I gave something': asks what."""

    contact_id: Id


@dataclass(frozen=True)
class ChooseTier(Action, code="tr"):
    """Choose a new tier for a contact."""

    contact_id: Id


@dataclass(frozen=True)
class SetTier(Action, code="ts"):
    """The tier picked for a contact."""

    contact_id: Id
    tier: Tier


@dataclass(frozen=True)
class AnswerFollowUp(Action, code="fu"):
    """Done, snooze, replied or let it rest, on one follow-up."""

    follow_up_id: Id
    answer: FollowUpAnswer


@dataclass(frozen=True)
class MorningFollowUp(Action, code="mf"):
    """An answer to a follow-up listed in the morning message of local `day`, which is then
    redrawn in place."""

    follow_up_id: Id
    day: DayNumber
    answer: FollowUpAnswer


@dataclass(frozen=True)
class ShowFollowUps(Action, code="fl"):
    """The follow-up list."""


@dataclass(frozen=True)
class RateNewFear(Action, code="fs"):
    """How strong a fear just written down is (0 skips: nothing is stored)."""

    draft_id: Id
    strength: Strength


@dataclass(frozen=True)
class TieFear(Action, code="fc"):
    """Tie a fear to a contact, to the next outreach, or to the journal only."""

    fear_id: Id
    to: Id | FearTie


@dataclass(frozen=True)
class AnswerFearOutcome(Action, code="fo"):
    """Did the fear happen, asked after a reply, a chat, silence, or from /fears."""

    fear_id: Id
    after: FearOutcomeSource
    answer: FearAnswer


@dataclass(frozen=True)
class CheckFear(Action, code="ft"):
    """From /fears: record by hand whether a waiting fear came true."""

    fear_id: Id


@dataclass(frozen=True)
class RateTestedFear(Action, code="fa"):
    """How strong a tested fear is now (0 skips)."""

    fear_id: Id
    strength: Strength


@dataclass(frozen=True)
class RateNervousness(Action, code="fn"):
    """How nervous the user was before an outreach (0 skips)."""

    interaction_id: Id
    strength: Strength


@dataclass(frozen=True)
class AnswerFearPrompt(Action, code="fp"):
    """The one-tap fear question."""

    choice: FearPromptChoice


@dataclass(frozen=True)
class SetFearPrompts(Action, code="ff"):
    """How often the morning message asks about fears."""

    frequency: PromptFrequency


@dataclass(frozen=True)
class ResolveDraft(Action, code="dr"):
    """A choice on a log waiting for its contact: add it, pick one, or cancel."""

    draft_id: Id
    choice: Id | DraftChoice


@dataclass(frozen=True)
class PlanNextStep(Action, code="np"):
    """After a coffee chat (this logged one): a reminder in two weeks, or no next step."""

    interaction_id: Id
    plan: NextStepPlan


@dataclass(frozen=True)
class RestContact(Action, code="rs"):
    """Let a contact rest for a month."""

    contact_id: Id


@dataclass(frozen=True)
class ShowToday(Action, code="td"):
    """Today's dashboard."""


@dataclass(frozen=True)
class ReviewPlan(Action, code="rp"):
    """The plan as set up: goal, pace, schedule, and where it leads."""


@dataclass(frozen=True)
class ShowPipeline(Action, code="pl"):
    """The pipeline."""


@dataclass(frozen=True)
class OpenOpportunity(Action, code="po"):
    """One opportunity with its stages."""

    opportunity_id: Id


@dataclass(frozen=True)
class MoveOpportunity(Action, code="pm"):
    """Move an opportunity to a stage."""

    opportunity_id: Id
    stage: Stage


@dataclass(frozen=True)
class NewOpportunity(Action, code="pn"):
    """Start an opportunity from a contact's card (its title is asked next)."""

    contact_id: Id


@dataclass(frozen=True)
class ConfirmDelete(Action, code="dl"):
    """The answer to 'delete everything?'."""

    confirmed: bool


@dataclass(frozen=True)
class ReviewSentence(Action, code="sn"):
    """Save, cancel, change kind or change contact on a sentence's summary."""

    draft_id: Id
    choice: SentenceChoice


@dataclass(frozen=True)
class SetSentenceKind(Action, code="sk"):
    """A new kind for a sentence's log."""

    draft_id: Id
    kind: AnyKind


@dataclass(frozen=True)
class SetSentenceContact(Action, code="sc"):
    """The contact of a sentence's log, or someone new."""

    draft_id: Id
    contact: Id | SomeoneNew


@dataclass(frozen=True)
class ShowSettings(Action, code="sm"):
    """The settings menu."""


@dataclass(frozen=True)
class EditSetting(Action, code="se"):
    """Open one setting."""

    key: PreferenceKey


@dataclass(frozen=True)
class ChooseSetting(Action, code="sv"):
    """One of a setting's quick choices."""

    key: PreferenceKey
    token: str

    def in_bounds(self) -> bool:
        """Only the choices the setting offers."""
        return self.token in BY_KEY[self.key].tokens


@dataclass(frozen=True)
class ToggleRestDay(Action, code="sd"):
    """Switch one weekday between rest and active."""

    weekday: Weekday


class EndStep(StrEnum):
    """Ending a partnership: ask first, then yes or keep it; or cancel an invite not yet
    accepted (which never ends a partnership it has become since)."""

    ASK = "a"
    YES = "y"
    KEEP = "k"
    CANCEL = "c"


@dataclass(frozen=True)
class InvitePartner(Action, code="pti"):
    """Make an invite link for an accountability partner (a new one cancels the old)."""


@dataclass(frozen=True)
class AnswerInvite(Action, code="pta"):
    """Yes or no thanks to an invite, by whoever opened its link. The button carries the
    code itself: knowing it is what lets someone accept, exactly as with the link."""

    invite_code: str
    accept: bool

    def in_bounds(self) -> bool:
        """Only the shape of a code the bot makes."""
        return is_invite_code(self.invite_code)


@dataclass(frozen=True)
class EndPartnership(Action, code="pte"):
    """End a partnership (or cancel an invite), from either side."""

    partnership_id: Id
    step: EndStep


@dataclass(frozen=True)
class SendCheer(Action, code="ptc"):
    """A partner's one-tap cheer for the user."""

    partnership_id: Id
    cheer: Cheer


@dataclass(frozen=True)
class UndoLog(Action, code="ud"):
    """Take this log back, with what it changed."""

    interaction_id: Id


@dataclass(frozen=True)
class KeepLog(Action, code="uk"):
    """Keep the log /undo offered to take back."""


@dataclass(frozen=True)
class SettleName(Action, code="nm"):
    """The answer to 'is the name X?' on a contact or log waiting as a draft."""

    draft_id: Id
    choice: NameChoice


@dataclass(frozen=True)
class EditContact(Action, code="ce"):
    """A contact's edit menu: its history to fix, rename, merge, delete."""

    contact_id: Id


@dataclass(frozen=True)
class OpenEntry(Action, code="eo"):
    """One logged interaction, with what can be changed."""

    interaction_id: Id


@dataclass(frozen=True)
class EditEntry(Action, code="ef"):
    """The choices for one field of a logged interaction."""

    interaction_id: Id
    field: EntryField


@dataclass(frozen=True)
class SetEntryKind(Action, code="ek"):
    """A new kind for a logged interaction."""

    interaction_id: Id
    kind: AnyKind


@dataclass(frozen=True)
class SetEntryChannel(Action, code="ec"):
    """A new channel for a logged interaction."""

    interaction_id: Id
    channel: Channel


@dataclass(frozen=True)
class SetEntryAsk(Action, code="ea"):
    """A new ask for a logged interaction, or none."""

    interaction_id: Id
    ask: AskChoice


@dataclass(frozen=True)
class SetEntryDay(Action, code="ed"):
    """A logged interaction happened this many days ago."""

    interaction_id: Id
    days_ago: DaysAgo


@dataclass(frozen=True)
class ClearEntryNote(Action, code="en"):
    """Empty a logged interaction's note."""

    interaction_id: Id


@dataclass(frozen=True)
class DeleteEntry(Action, code="ex"):
    """Delete a logged interaction (asked first)."""

    interaction_id: Id
    confirmed: bool


@dataclass(frozen=True)
class RenameContact(Action, code="cn"):
    """Give a contact a new name (typed next)."""

    contact_id: Id


@dataclass(frozen=True)
class EditContactNote(Action, code="cw"):
    """Write a contact's note anew (typed next)."""

    contact_id: Id


@dataclass(frozen=True)
class ClearContactNote(Action, code="cz"):
    """Empty a contact's note."""

    contact_id: Id


@dataclass(frozen=True)
class ChooseMerge(Action, code="cm"):
    """Choose the contact to merge this one into."""

    contact_id: Id


@dataclass(frozen=True)
class MergeInto(Action, code="mg"):
    """Merge one contact into another (asked first)."""

    contact_id: Id
    into: Id
    confirmed: bool

    def in_bounds(self) -> bool:
        """A contact is never merged into itself."""
        return self.contact_id != self.into


@dataclass(frozen=True)
class DeleteContact(Action, code="cx"):
    """Delete a contact with everything of it (asked first)."""

    contact_id: Id
    confirmed: bool


@dataclass(frozen=True)
class ConfirmImport(Action, code="ix"):
    """Import the people of a file summarised (or of a shared contact)."""

    import_id: Id


@dataclass(frozen=True)
class CancelImport(Action, code="iz"):
    """Forget a file summarised: nothing is imported."""

    import_id: Id


@dataclass(frozen=True)
class KeepImportEmails(Action, code="ie"):
    """Keep (or leave out) the e-mail addresses of an import."""

    import_id: Id
    keep: bool


@dataclass(frozen=True)
class ShowTargets(Action, code="tg"):
    """The target companies."""


@dataclass(frozen=True)
class AskTarget(Action, code="tq"):
    """Add a target company: its name is typed next."""


@dataclass(frozen=True)
class TargetCompanyOf(Action, code="tw"):
    """Add the company a contact works at to the targets."""

    contact_id: Id


@dataclass(frozen=True)
class RemoveTarget(Action, code="tx"):
    """Take a company off the targets."""

    target_id: Id


@dataclass(frozen=True)
class ShowTargetContacts(Action, code="tl"):
    """A page of the contacts at one target company."""

    target_id: Id
    page: Page


@dataclass(frozen=True)
class PickOnboardingCity(Action, code="zo"):
    """Which of several cities of one name is the user's, in onboarding (a GeoNames id)."""

    city_id: Id


@dataclass(frozen=True)
class PickSettingsCity(Action, code="zs"):
    """Which of several cities of one name is the user's, in /settings (a GeoNames id)."""

    city_id: Id


# --- onboarding's quick answers ---------------------------------------------------------------

_ONBOARDING_PREFERENCE = {
    OnboardingStep.GOAL: "gc",
    OnboardingStep.DATE: "gd",
    OnboardingStep.WEEKLY: "wc",
    OnboardingStep.QUOTA: "dq",
    OnboardingStep.MORNING: "mt",
}


def onboarding_value_ok(step: OnboardingStep, value: str) -> bool:
    """Whether a quick-answer value is one the step can offer (a setting's quick choices)."""
    if step is OnboardingStep.NAME:
        return value == "tg"
    if step is OnboardingStep.CONTACTS:
        return value == "done"
    key = _ONBOARDING_PREFERENCE.get(step)
    return key is not None and value in BY_KEY[key].tokens


# --- packing and unpacking ------------------------------------------------------------------


class _FieldCodec(Protocol):
    def encode(self, value: Any) -> str: ...

    def decode(self, text: str) -> Any: ...


class _OutOfBounds(Exception):
    pass


class _Unreadable(Exception):
    pass


@dataclass(frozen=True)
class _IntCodec:
    bounds: Range

    def encode(self, value: Any) -> str:
        if not isinstance(value, int) or not self.bounds.low <= value <= self.bounds.high:
            raise ValueError(f"{value!r} is outside {self.bounds}")
        return str(value)

    def decode(self, text: str) -> Any:
        if not text.isdecimal() or len(text) > len(str(MAX_ID)):
            raise _Unreadable
        value = int(text)
        if not self.bounds.low <= value <= self.bounds.high:
            raise _OutOfBounds
        return value


@dataclass(frozen=True)
class _CodesCodec:
    by_code: Mapping[str, Any]

    def encode(self, value: Any) -> str:
        for code, known in self.by_code.items():
            if known == value:
                return code
        raise ValueError(f"{value!r} has no code here")

    def decode(self, text: str) -> Any:
        if text not in self.by_code:
            raise _OutOfBounds
        return self.by_code[text]


@dataclass(frozen=True)
class _EitherCodec:
    """An id, or one of a few words (a contact id or 'new')."""

    number: _IntCodec
    words: _CodesCodec

    def encode(self, value: Any) -> str:
        return self.words.encode(value) if isinstance(value, Enum) else self.number.encode(value)

    def decode(self, text: str) -> Any:
        if text in self.words.by_code:
            return self.words.decode(text)
        try:
            return self.number.decode(text)
        except _Unreadable:
            raise _OutOfBounds from None


@dataclass(frozen=True)
class _TextCodec:
    allowed: frozenset[str] | None  # None: any plain text, checked by the action

    def encode(self, value: Any) -> str:
        if not isinstance(value, str) or (self.allowed and value not in self.allowed):
            raise ValueError(f"{value!r} is not allowed here")
        return value

    def decode(self, text: str) -> Any:
        if self.allowed and text not in self.allowed:
            raise _OutOfBounds
        return text


def _enum_codes(enum: type[Enum]) -> dict[str, Any]:
    return {str(member.value): member for member in enum}


def _codec_for(hint: Any) -> _FieldCodec:
    metadata: tuple[Any, ...] = ()
    if get_origin(hint) is Annotated:
        hint, *extra = get_args(hint)
        metadata = tuple(extra)
    if get_origin(hint) in (Union, types.UnionType):
        number, words = (_codec_for(arg) for arg in get_args(hint))
        if not isinstance(number, _IntCodec) or not isinstance(words, _CodesCodec):
            raise TypeError(f"only an id or a word set: {hint!r}")
        return _EitherCodec(number, words)
    codes = next((item for item in metadata if isinstance(item, Codes)), None)
    if codes is not None:
        return _CodesCodec(codes.values)
    if hint is bool:
        return _CodesCodec({"y": True, "n": False})
    if isinstance(hint, type) and issubclass(hint, Enum):
        return _CodesCodec(_enum_codes(hint))
    if hint is int:
        bounds = next(item for item in metadata if isinstance(item, Range))
        return _IntCodec(bounds)
    if hint is str:
        one_of = next((item for item in metadata if isinstance(item, OneOf)), None)
        return _TextCodec(one_of.values if one_of and one_of.values else None)
    raise TypeError(f"no button codec for {hint!r}")


_CODECS: dict[type[Action], tuple[tuple[str, _FieldCodec], ...]] = {}


def _codecs(action: type[Action]) -> tuple[tuple[str, _FieldCodec], ...]:
    """Each field's name and codec, worked out from its type hints once per action."""
    if action not in _CODECS:
        hints = get_type_hints(action, include_extras=True)
        _CODECS[action] = tuple(
            (item.name, _codec_for(hints[item.name]))
            for item in fields(action)  # type: ignore[arg-type]
        )
    return _CODECS[action]


def payload_prefix(action: type[Action]) -> str:
    """The start that every payload of `action` shares."""
    return f"{VERSION}:{action.code}:"


def pack(action: Action) -> str:
    """The payload for a button; ValueError for one Telegram (or `unpack`) would refuse."""
    if not action.in_bounds():
        raise ValueError(f"{action!r} is out of its bounds")
    texts = [codec.encode(getattr(action, name)) for name, codec in _codecs(type(action))]
    for text in texts:
        if not _ARG.match(text):
            raise ValueError(f"button argument {text!r} is not short and plain")
    data = ":".join([VERSION, action.code, *texts])
    if len(data.encode()) > MAX_BYTES:
        raise ValueError("button payload over 64 bytes")
    return data


def unpack(data: str | None) -> Action:
    """The action a payload stands for; StaleButton for anything this version did not make."""
    if not data or len(data.encode()) > MAX_BYTES:
        raise StaleButton("empty or oversized payload", readable=False)
    version, _, rest = data.partition(":")
    if version != VERSION:
        raise StaleButton(f"unknown version {version!r}", readable=False)
    code, *args = rest.split(":")
    action = Action._by_code.get(code)
    if action is None:
        raise StaleButton(f"unknown action {code!r}", readable=False)
    codecs = _codecs(action)
    if len(args) != len(codecs) or not all(_ARG.match(arg) for arg in args):
        raise StaleButton(f"malformed payload {data!r}", readable=False)
    values: dict[str, Any] = {}
    for (name, codec), text in zip(codecs, args, strict=True):
        try:
            values[name] = codec.decode(text)
        except _Unreadable:
            raise StaleButton(f"{name} unreadable in {data!r}", readable=False) from None
        except _OutOfBounds:
            raise StaleButton(f"{name} out of bounds in {data!r}", readable=True) from None
    decoded = action(**values)
    if not decoded.in_bounds():
        raise StaleButton(f"out of bounds: {data!r}", readable=True)
    return decoded
