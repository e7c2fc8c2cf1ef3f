"""The Mini App's JSON API, below the HTTP edge: each endpoint is a function of the store, the
user (proven by their launch parameters), `now` and the request's input, that reads the store
or calls the same use cases as the chat, and answers with a typed view.

Input arrives as decoded JSON (or query parameters) and is checked here: anything malformed
is an ApiError(400) with a sentence the page can show. A contact or an entry that is not the
user's finds nothing (404), exactly as a button from another chat does.
"""

from __future__ import annotations

import html
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from http import HTTPStatus
from typing import TypeVar

from bot.coaching.browse import (
    ContactFilter,
    ContactStatus,
    Standing,
    companies_of,
    narrowed,
    standings,
)
from bot.coaching.companies import company_key, works_at
from bot.coaching.dates import local_today, parse_past_day
from bot.coaching.domain import (
    MAX_NOTE_LENGTH,
    QUOTA_KINDS,
    Ask,
    Channel,
    Contact,
    Interaction,
    Kind,
    Tier,
    User,
)
from bot.coaching.errors import InputError
from bot.coaching.fears import evidence_of
from bot.coaching.followups import is_due
from bot.coaching.names import clean_contact_name
from bot.coaching.pending import LogOrigin, PendingLog
from bot.messages.charts import MAX_WEEKS_SHOWN, WeekNumbers
from bot.messages.common import (
    CHANNEL_LABELS,
    CONTACT_GONE,
    TIER_LABELS,
    days_ago_text,
    format_date,
    format_day,
)
from bot.messages.fears import evidence_sentence
from bot.messages.history import delete_contact_question, what_happened
from bot.messages.progress import gives_and_asks_text, pipeline_line, rung_text, streak_text
from bot.usecases import contact_edits, contacts, history
from bot.usecases.actions import (
    KIND_CODES,
    NO_ASK,
    DeleteContact,
    DeleteEntry,
    MergeInto,
    SetEntryAsk,
    SetEntryChannel,
    SetEntryKind,
    SetTier,
)
from bot.usecases.companies import target_keys
from bot.usecases.history import ASK_BUTTONS
from bot.usecases.outreach import checked_note, log_pending
from bot.usecases.progress import progress_numbers, projection_words
from bot.usecases.replies import Edit, Refusal, Reply, Response
from bot.usecases.sentences import KIND_BUTTONS
from bot.webapp.chart import progress_svg
from storage import DuplicateContactError, Store

# The list shows this many at a time: search and filters narrow a longer one.
LIST_LIMIT = 200
HISTORY_LIMIT = 100
MAX_DAYS_AGO = 6
MAX_QUERY_TEXT = 100
NOT_STARTED = "Say hello to the bot first: send /start in the chat, then open this again."
NO_CHANGE = "Nothing to change: send at least one field."

Json = Mapping[str, object]
E = TypeVar("E", bound=Enum)
T = TypeVar("T")
R = TypeVar("R")

STATUS_LABELS = {
    ContactStatus.NEVER_CONTACTED: "Never contacted",
    ContactStatus.WAITING: "Waiting for a reply",
    ContactStatus.REPLIED: "Replied",
    ContactStatus.PARKED: "Parked",
}


class ApiError(Exception):
    """An answer other than success: its HTTP status and a sentence for the page."""

    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


# --- views -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    """One option of a select: the value the API takes and its label."""

    value: str
    label: str


@dataclass(frozen=True)
class About:
    """The user's today, the words for the page's selects and the companies to filter by."""

    today: date
    tiers: tuple[Choice, ...]
    statuses: tuple[Choice, ...]
    kinds: tuple[Choice, ...]
    channels: tuple[Choice, ...]
    asks: tuple[Choice, ...]
    companies: tuple[Choice, ...]  # value: the company key
    has_targets: bool


@dataclass(frozen=True)
class ContactRow:
    """One contact in the list."""

    id: int
    name: str
    tier: Tier
    tier_label: str
    company: str | None
    at_target: bool
    status: ContactStatus
    status_label: str
    last_touch: str | None
    next_follow_up: str | None
    follow_up_due: bool


@dataclass(frozen=True)
class ContactList:
    """The contacts matching the filters, who to reach next first (at most LIST_LIMIT)."""

    total: int
    matching: int
    contacts: tuple[ContactRow, ...]


@dataclass(frozen=True)
class EntryView:
    """One logged interaction of a contact's history."""

    id: int
    kind: Kind
    label: str
    channel: Channel | None
    ask: Ask | None
    note: str | None
    day: date  # the user's local date
    when: str
    reach: bool  # an outreach or follow-up: the channel and the ask apply


@dataclass(frozen=True)
class ContactDetail:
    """A contact with where things stand and its history, newest first."""

    row: ContactRow
    position: str | None
    note: str | None
    resting_until: str | None
    entries: tuple[EntryView, ...]
    more_entries: int
    delete_question: str


@dataclass(frozen=True)
class Outcome:
    """What a change did, in the chat's words, and the contact as it is now (None once it is
    deleted)."""

    message: str
    contact: ContactDetail | None


@dataclass(frozen=True)
class Logged:
    """An outreach logged: the outcome for the page, and the "Logged" message for the chat
    (with its Undo and any fear question), as /reach would have answered."""

    outcome: Outcome
    chat_message: Reply


@dataclass(frozen=True)
class WeekRow:
    """One week of the chart, in numbers."""

    week: str
    outreach: int
    replies: int
    chats: int


@dataclass(frozen=True)
class ProgressView:
    """The same numbers as /progress, the chart as SVG, and the fear evidence."""

    weeks_since_start: int
    chats_done: int
    goal_count: int
    goal_date: str | None
    projection: str
    streak: str
    gives_and_asks: str
    rung: str
    pipeline: str | None
    weeks: tuple[WeekRow, ...]
    chart_svg: str
    fear_evidence: str | None
    fears_open: int


# --- who -------------------------------------------------------------------------------------


async def user_of(store: Store, chat_id: int) -> User:
    """The user of the chat the launch parameters name; 409 before they ever wrote to the bot
    (nothing is created from the page)."""
    user = await store.get_user(chat_id)
    if user is None:
        raise ApiError(HTTPStatus.CONFLICT, NOT_STARTED)
    return user


async def about(store: Store, user: User, now: datetime) -> About:
    """Today in the user's zone, the vocabulary, and the companies their contacts work at."""
    summaries = await store.contact_summaries(user.chat_id)
    keys = await target_keys(store, user)
    companies = tuple(
        Choice(key, ("🎯 " if works_at(name, keys) else "") + name)
        for key, name in companies_of(summaries)
    )
    return About(
        today=local_today(now, user.timezone),
        tiers=tuple(Choice(tier.value, TIER_LABELS[tier]) for tier in Tier),
        statuses=tuple(Choice(status.value, STATUS_LABELS[status]) for status in ContactStatus),
        kinds=tuple(Choice(KIND_CODES[code].value, label) for code, label in KIND_BUTTONS),
        channels=tuple(
            Choice(channel.value, _capital(CHANNEL_LABELS[channel])) for channel in Channel
        ),
        asks=tuple(Choice(value, label) for value, label in ASK_BUTTONS),
        companies=companies,
        has_targets=bool(keys),
    )


# --- reading ---------------------------------------------------------------------------------


async def contact_list(
    store: Store, user: User, now: datetime, query: Mapping[str, str]
) -> ContactList:
    """The contacts narrowed by `q` (name or company), `tier`, `status`, `company` (a key) and
    `targets` ("1": at a target company), who to reach next first."""
    unknown = set(query) - {"q", "tier", "status", "company", "targets"}
    if unknown:
        raise ApiError(HTTPStatus.BAD_REQUEST, f"Unknown filter: {sorted(unknown)[0]}.")
    text = query.get("q", "")
    if len(text) > MAX_QUERY_TEXT:
        raise ApiError(HTTPStatus.BAD_REQUEST, f"Search for at most {MAX_QUERY_TEXT} characters.")
    company = query.get("company", "").strip()
    wanted = ContactFilter(
        text=text,
        tier=_enum(Tier, query.get("tier") or None, "tier"),
        status=_enum(ContactStatus, query.get("status") or None, "status"),
        company=company_key(company) if company else None,
        at_target=_flag(query.get("targets", ""), "targets"),
    )
    everyone = await _standings(store, user, now)
    keys = await target_keys(store, user)
    matching = narrowed(everyone, wanted, keys)
    rows = tuple(_row(item, user, now, keys) for item in matching[:LIST_LIMIT])
    return ContactList(total=len(everyone), matching=len(matching), contacts=rows)


async def contact_detail(store: Store, user: User, now: datetime, contact_id: int) -> ContactDetail:
    """One contact, where things stand, and its history; 404 when it is not the user's."""
    contact = await store.get_contact(user.chat_id, contact_id)
    if contact is None:
        raise ApiError(HTTPStatus.NOT_FOUND, CONTACT_GONE)
    return await _detail(store, user, now, contact)


async def progress(store: Store, user: User, now: datetime) -> ProgressView:
    """The progress screen: what /progress says, week by week, and the fear evidence."""
    numbers = await progress_numbers(store, user, now)
    weeks = numbers.weeks(MAX_WEEKS_SHOWN, user.timezone)
    evidence = evidence_of(await store.fears_of(user.chat_id))
    return ProgressView(
        weeks_since_start=(numbers.today - numbers.since).days // 7 + 1,
        chats_done=numbers.chats_done,
        goal_count=user.goal_count,
        goal_date=format_date(user.goal_date) if user.goal_date else None,
        projection=plain(projection_words(numbers.projection)),
        streak=plain(streak_text(numbers.streak, rest_day=numbers.rest_day)),
        gives_and_asks=plain(gives_and_asks_text(numbers.gives, numbers.asks)),
        rung=plain(rung_text(numbers.rung)),
        pipeline=(
            pipeline_line(numbers.open_opportunities, numbers.hot_opportunities)
            if numbers.open_opportunities
            else None
        ),
        weeks=tuple(
            WeekRow(f"{week.week_start.day} {week.week_start:%b}", *_counts(week))
            for week in reversed(weeks)
        ),
        chart_svg=progress_svg(weeks, user.weekly_chats),
        fear_evidence=plain(evidence_sentence(evidence)) if evidence.has_evidence else None,
        fears_open=evidence.open,
    )


# --- changing a contact ----------------------------------------------------------------------


async def change_contact(
    store: Store, user: User, now: datetime, given: tuple[int, Json]
) -> Outcome:
    """A new `name`, `tier` or `note` (an empty note clears it), as the card's buttons do.
    Everything is checked before anything changes."""
    contact_id, body = given
    _only(body, {"name", "tier", "note"})
    name, note = _text(body, "name"), _text(body, "note")
    tier = _enum(Tier, _text(body, "tier"), "tier")
    if name is None and tier is None and note is None:
        raise ApiError(HTTPStatus.BAD_REQUEST, NO_CHANGE)
    name = _checked(clean_contact_name, name)
    _checked(checked_note, note.strip() if note and note.strip() else None)
    await _contact(store, user, contact_id)
    said: list[str] = []
    if name is not None:
        said.append(await _rename(store, user, contact_id, name))
    if tier is not None:
        response = await _run(contacts.set_tier(store, user, now, SetTier(contact_id, tier)))
        said.append(_toast(response))
    if note is not None:
        response = await _run(contact_edits.set_contact_note(store, user, now, (contact_id, note)))
        said.append(_toast(response))
    return Outcome("\n".join(said), await contact_detail(store, user, now, contact_id))


async def merge_contact(
    store: Store, user: User, now: datetime, given: tuple[int, Json]
) -> Outcome:
    """Merge the contact `into` another (its history, follow-ups, fears and opportunities
    move), as the card's 🔀 does."""
    contact_id, body = given
    _only(body, {"into"})
    into = body.get("into")
    if not isinstance(into, int) or isinstance(into, bool) or into <= 0:
        raise ApiError(HTTPStatus.BAD_REQUEST, "Say which contact to merge into (its id).")
    if into == contact_id:
        raise ApiError(HTTPStatus.BAD_REQUEST, "Pick another contact to merge into.")
    action = MergeInto(contact_id, into, True)
    response = await _run(contact_edits.merge_into(store, user, now, action))
    return Outcome(_heading(response), await contact_detail(store, user, now, into))


async def delete_contact(store: Store, user: User, now: datetime, contact_id: int) -> Outcome:
    """Delete the contact with everything logged about them."""
    action = DeleteContact(contact_id, True)
    response = await _run(contact_edits.delete_contact(store, user, now, action))
    return Outcome(_heading(response), None)


async def log_outreach(store: Store, user: User, now: datetime, given: tuple[int, Json]) -> Logged:
    """Log an outreach to the contact (`channel`, `ask`, `note`, `days_ago`, all optional) by
    the same use case as /reach: a follow-up when one was open, the next one planned."""
    contact_id, body = given
    _only(body, {"channel", "ask", "note", "days_ago"})
    channel = _enum(Channel, _text(body, "channel"), "channel")
    ask = _enum(Ask, _text(body, "ask") or None, "ask")
    note = _text(body, "note")
    days_ago = body.get("days_ago", 0)
    if (
        not isinstance(days_ago, int)
        or isinstance(days_ago, bool)
        or not 0 <= days_ago <= MAX_DAYS_AGO
    ):
        raise ApiError(
            HTTPStatus.BAD_REQUEST, f"days_ago is a whole number from 0 to {MAX_DAYS_AGO}."
        )
    contact = await _contact(store, user, contact_id)
    log = PendingLog(
        LogOrigin.COMMAND,
        Kind.OUTREACH,
        contact.name,
        contact.id,
        channel=channel,
        ask=ask,
        note=_checked(checked_note, note.strip() if note and note.strip() else None),
        days_ago=days_ago,
    )
    reply = await _run(log_pending(store, user, now, contact, log))
    detail = await contact_detail(store, user, now, contact.id)
    # The page says what was logged; a question that needs the chat's buttons (how nervous
    # were you?) and the setup hint stay in the chat's copy.
    return Logged(Outcome(plain(reply.text.split("\n\n")[0]), detail), reply)


# --- changing an entry -----------------------------------------------------------------------


async def change_entry(store: Store, user: User, now: datetime, given: tuple[int, Json]) -> Outcome:
    """A new `kind`, `channel`, `ask` ("none" for no ask), `note` (empty clears it) or `day`
    (YYYY-MM-DD) for a logged interaction, each by the use case its ✏️ button runs.
    Everything is checked before anything changes."""
    entry_id, body = given
    _only(body, {"kind", "channel", "ask", "note", "day"})
    kind = _enum(Kind, _text(body, "kind"), "kind")
    channel = _enum(Channel, _text(body, "channel"), "channel")
    ask = _text(body, "ask")
    if ask != NO_ASK:
        _enum(Ask, ask, "ask")
    note, day = _text(body, "note"), _text(body, "day")
    if (kind, channel, ask, note, day) == (None, None, None, None, None):
        raise ApiError(HTTPStatus.BAD_REQUEST, NO_CHANGE)
    if day is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
        raise ApiError(HTTPStatus.BAD_REQUEST, "day is a date: YYYY-MM-DD.")
    _checked(checked_note, note.strip() if note and note.strip() else None)
    _checked(lambda text: parse_past_day(text, local_today(now, user.timezone)), day)
    entry = await store.log_entry(user.chat_id, entry_id)
    if entry is None:
        raise ApiError(HTTPStatus.NOT_FOUND, history.ENTRY_GONE)
    if (kind or entry.interaction.kind) not in QUOTA_KINDS and (
        channel or ask not in (None, NO_ASK)
    ):
        raise ApiError(
            HTTPStatus.BAD_REQUEST, "A channel and an ask go with an outreach or a follow-up."
        )
    # Each change by its own use case, made one after the other (never before all are checked).
    changes: list[Callable[[], Awaitable[Response]]] = []
    if kind is not None:
        changes.append(
            lambda: history.set_entry_kind(store, user, now, SetEntryKind(entry_id, kind))
        )
    if channel is not None:
        action = SetEntryChannel(entry_id, channel)
        changes.append(lambda: history.set_entry_channel(store, user, now, action))
    if ask is not None:
        changes.append(lambda: history.set_entry_ask(store, user, now, SetEntryAsk(entry_id, ask)))
    if note is not None:
        changes.append(lambda: history.set_entry_note(store, user, now, (entry_id, note)))
    if day is not None:
        changes.append(lambda: history.set_entry_date(store, user, now, (entry_id, day)))
    said = [_toast(await _run(change())) for change in changes]
    return Outcome(said[-1], await contact_detail(store, user, now, entry.contact.id))


async def delete_entry(store: Store, user: User, now: datetime, entry_id: int) -> Outcome:
    """Delete a logged interaction with what it changed (its follow-up), as ✏️ 🗑 does."""
    entry = await store.log_entry(user.chat_id, entry_id)
    if entry is None:
        raise ApiError(HTTPStatus.NOT_FOUND, history.ENTRY_GONE)
    response = await _run(history.delete_entry(store, user, now, DeleteEntry(entry_id, True)))
    return Outcome(_heading(response), await contact_detail(store, user, now, entry.contact.id))


# --- helpers ---------------------------------------------------------------------------------


def plain(text: str) -> str:
    """Telegram HTML as the plain text the user reads (the page shows it as text)."""
    return html.unescape(re.sub(r"<[^>]*>", "", text))


async def _standings(store: Store, user: User, now: datetime) -> list[Standing]:
    summaries = await store.contact_summaries(user.chat_id)
    log = await store.interactions_of(user.chat_id)
    due = {contact.id: item.due_at for item, contact in await store.open_follow_ups(user.chat_id)}
    return standings(summaries, log, due, now)


async def _detail(store: Store, user: User, now: datetime, contact: Contact) -> ContactDetail:
    [standing] = [
        item for item in await _standings(store, user, now) if item.summary.contact.id == contact.id
    ]
    entries = await store.contact_history(user.chat_id, contact.id, limit=HISTORY_LIMIT)
    footprint = await store.contact_footprint(user.chat_id, contact.id)
    logs = footprint.logs if footprint else len(entries)
    resting = contact.rest_until if contact.rest_until and contact.rest_until > now else None
    return ContactDetail(
        row=_row(standing, user, now, await target_keys(store, user)),
        position=contact.position,
        note=contact.note,
        resting_until=format_day(resting, user.timezone) if resting else None,
        entries=tuple(_entry(item, user) for item in entries),
        more_entries=max(0, logs - len(entries)),
        delete_question=plain(delete_contact_question(contact, footprint)) if footprint else "",
    )


def _row(item: Standing, user: User, now: datetime, keys: set[str]) -> ContactRow:
    contact = item.summary.contact
    last = item.summary.last_interaction_at
    due = item.next_follow_up
    return ContactRow(
        id=contact.id,
        name=contact.name,
        tier=contact.tier,
        tier_label=TIER_LABELS[contact.tier],
        company=contact.company,
        at_target=works_at(contact.company, keys),
        status=item.status,
        status_label=STATUS_LABELS[item.status],
        last_touch=days_ago_text(last, now, user.timezone) if last else None,
        next_follow_up=format_day(due, user.timezone) if due else None,
        follow_up_due=due is not None and is_due(due, now, user.timezone),
    )


def _entry(item: Interaction, user: User) -> EntryView:
    return EntryView(
        id=item.id,
        kind=item.kind,
        label=what_happened(item),
        channel=item.channel,
        ask=item.ask,
        note=item.note,
        day=local_today(item.at, user.timezone),
        when=format_day(item.at, user.timezone),
        reach=item.kind in QUOTA_KINDS,
    )


async def _contact(store: Store, user: User, contact_id: int) -> Contact:
    contact = await store.get_contact(user.chat_id, contact_id)
    if contact is None:
        raise ApiError(HTTPStatus.NOT_FOUND, CONTACT_GONE)
    return contact


async def _rename(store: Store, user: User, contact_id: int, name: str) -> str:
    """Rename by the card's ✏️ Rename use case; 409 when another contact has the name."""
    try:
        renamed = await contact_edits.rename_to(store, user, contact_id, name)
    except Refusal as refusal:
        raise ApiError(HTTPStatus.NOT_FOUND, refusal.toast) from None
    except DuplicateContactError as error:
        raise ApiError(
            HTTPStatus.CONFLICT,
            f"You already have {error.existing.name}. If they're the same person, merge them.",
        ) from None
    return f"✏️ Renamed to {renamed.name}."


async def _run(work: Awaitable[T]) -> T:
    """A use case's answer; its refusal is a 404 (what it was about is gone), bad input or a
    limit a 400, each with the chat's own sentence."""
    try:
        return await work
    except Refusal as refusal:
        raise ApiError(HTTPStatus.NOT_FOUND, refusal.toast) from None
    except InputError as error:
        raise ApiError(HTTPStatus.BAD_REQUEST, error.message) from None


def _toast(response: Response) -> str:
    return response.toast or _heading(response)


def _heading(response: Response) -> str:
    """The first paragraph of what the chat would show: "🗑 Deleted: …"."""
    for step in response.steps:
        reply = step.reply if isinstance(step, Edit) else step
        if isinstance(reply, Reply):
            return plain(reply.text.split("\n\n")[0])
    return response.toast or "Done."


def _checked(check: Callable[[str], R], value: str | None) -> R | None:
    """`check(value)` (None for no value); its InputError is a 400 with its sentence."""
    if value is None:
        return None
    try:
        return check(value)
    except InputError as error:
        raise ApiError(HTTPStatus.BAD_REQUEST, error.message) from None


def _only(body: Json, allowed: set[str]) -> None:
    unknown = set(body) - allowed
    if unknown:
        raise ApiError(HTTPStatus.BAD_REQUEST, f"Unknown field: {sorted(unknown)[0]}.")


def _text(body: Json, key: str) -> str | None:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ApiError(HTTPStatus.BAD_REQUEST, f"{key} must be text.")
    if len(value) > MAX_NOTE_LENGTH * 2:
        raise ApiError(HTTPStatus.BAD_REQUEST, f"{key} is too long.")
    return value


def _enum(kind: type[E], value: str | None, key: str) -> E | None:
    if value is None:
        return None
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(str(item.value) for item in kind)
        raise ApiError(HTTPStatus.BAD_REQUEST, f"{key} must be one of: {allowed}.") from None


def _flag(value: str, key: str) -> bool:
    if value not in ("", "0", "1"):
        raise ApiError(HTTPStatus.BAD_REQUEST, f"{key} is 1 or 0.")
    return value == "1"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _counts(week: WeekNumbers) -> tuple[int, int, int]:
    return (week.outreach, week.replies, week.chats)
