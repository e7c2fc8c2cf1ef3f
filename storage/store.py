"""The Store: every query the bot makes, each scoped by chat id, one transaction per use case.

Rows become the frozen dataclasses of bot.coaching.domain at this boundary; nothing here knows
Telegram.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.coaching.domain import (
    DEFAULT_DAILY_QUOTA,
    DEFAULT_FOLLOW_UP_DAYS,
    DEFAULT_GOAL_COUNT,
    DEFAULT_MORNING_TIME,
    DEFAULT_REST_DAYS,
    DEFAULT_TIMEZONE,
    DEFAULT_WEEKLY_CHATS,
    Ask,
    Channel,
    Contact,
    ContactSummary,
    Fear,
    FearOutcome,
    FollowUp,
    FollowUpStatus,
    Interaction,
    Kind,
    OnboardingStep,
    Opportunity,
    Stage,
    Tier,
    User,
)
from bot.coaching.pending import (
    Draft,
    draft_from_payload,
    draft_kind,
    draft_to_payload,
    question_from_json,
    question_to_json,
)
from storage.database import create_engine, migrate
from storage.schema import (
    contacts,
    drafts,
    fears,
    follow_ups,
    interactions,
    opportunities,
    processed_updates,
    schedules,
    sent_messages,
    users,
)
from storage.types import UtcDateTime


class DuplicateContactError(Exception):
    """The chat already has a contact with that name (compared by matching key)."""

    def __init__(self, existing: Contact) -> None:
        super().__init__(existing.name)
        self.existing = existing


@dataclass(frozen=True)
class DueSchedule:
    """A scheduled message whose time has come, for a user who can still be messaged."""

    chat_id: int
    kind: str
    next_at: datetime


class SendStatus:
    """What became of a claimed scheduled message."""

    CLAIMED = "claimed"
    SENT = "sent"
    FAILED = "failed"


@dataclass(frozen=True)
class FollowUpPlan:
    """A follow-up to schedule together with a logged interaction."""

    due_at: datetime
    attempt: int


# Settings a user can change, and how each is written to its column.
_USER_FIELDS = {
    "name",
    "timezone",
    "goal_count",
    "goal_date",
    "weekly_chats",
    "daily_quota",
    "morning_time",
    "evening_time",
    "follow_up_days",
    "rest_days",
    "onboarding_step",
    "onboarded_at",
    "awaiting",
    "active",
    "paused_at",
    "paused_until",
    "review_day",
    "review_time",
    "stall_days",
    "fear_prompts",
}


class Store:
    """Async access to one database (SQLite file or PostgreSQL)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        # SQLite has one writer at a time. The scheduled tick's many concurrent sends would
        # otherwise wait for it in SQLite's busy handler, which sleeps and polls: under load a
        # write can starve past the busy timeout ("database is locked"). They queue here.
        self._tick_writes = asyncio.Lock() if engine.dialect.name == "sqlite" else None

    @classmethod
    async def open(cls, database_url: str) -> Store:
        """Connect, apply pending migrations and return a ready store."""
        engine = create_engine(database_url)
        await migrate(engine)
        return cls(engine)

    async def close(self) -> None:
        """Release every connection."""
        await self._engine.dispose()

    @property
    def engine(self) -> AsyncEngine:
        """The engine underneath, for maintenance checks and tests."""
        return self._engine

    @asynccontextmanager
    async def _tick_write(self) -> AsyncIterator[AsyncConnection]:
        """A write transaction of scheduled coaching; on SQLite, one at a time per process."""
        if self._tick_writes is None:
            async with self._engine.begin() as conn:
                yield conn
            return
        async with self._tick_writes, self._engine.begin() as conn:
            yield conn

    # --- users -----------------------------------------------------------------------------

    async def get_user(self, chat_id: int) -> User | None:
        """The user of this chat, or None for a chat the bot has never seen."""
        async with self._engine.connect() as conn:
            row = (await conn.execute(sa.select(users).where(users.c.chat_id == chat_id))).first()
        return _user(row) if row else None

    async def ensure_user(self, chat_id: int, now: datetime) -> User:
        """The user of this chat, created with the default settings when new."""
        async with self._engine.begin() as conn:
            row = (await conn.execute(sa.select(users).where(users.c.chat_id == chat_id))).first()
            if row is None:
                await conn.execute(
                    users.insert().values(
                        chat_id=chat_id,
                        timezone=DEFAULT_TIMEZONE,
                        goal_count=DEFAULT_GOAL_COUNT,
                        weekly_chats=DEFAULT_WEEKLY_CHATS,
                        daily_quota=DEFAULT_DAILY_QUOTA,
                        morning_time=_time_text(DEFAULT_MORNING_TIME),
                        follow_up_days=_int_list_text(DEFAULT_FOLLOW_UP_DAYS),
                        rest_days=_int_list_text(DEFAULT_REST_DAYS),
                        created_at=now,
                    )
                )
                row = (await conn.execute(sa.select(users).where(users.c.chat_id == chat_id))).one()
        return _user(row)

    async def update_user(self, chat_id: int, **changes: Any) -> User:
        """Change some of the user's settings; unknown names are a programming error."""
        unknown = set(changes) - _USER_FIELDS
        if unknown:
            raise TypeError(f"not user settings: {sorted(unknown)}")
        values = {name: _user_column_value(name, value) for name, value in changes.items()}
        async with self._engine.begin() as conn:
            await conn.execute(users.update().where(users.c.chat_id == chat_id).values(**values))
            row = (await conn.execute(sa.select(users).where(users.c.chat_id == chat_id))).one()
        return _user(row)

    # --- contacts --------------------------------------------------------------------------

    async def add_contact(
        self,
        chat_id: int,
        *,
        name: str,
        name_key: str,
        tier: Tier,
        note: str | None,
        now: datetime,
    ) -> Contact:
        """Add a contact; raise DuplicateContactError when the name is already there."""
        try:
            async with self._engine.begin() as conn:
                result = await conn.execute(
                    contacts.insert()
                    .values(
                        chat_id=chat_id,
                        name=name,
                        name_key=name_key,
                        tier=tier.value,
                        note=note,
                        created_at=now,
                    )
                    .returning(*contacts.c)
                )
                return _contact(result.one())
        except IntegrityError:
            existing = await self.contact_by_key(chat_id, name_key)
            if existing is None:
                raise
            raise DuplicateContactError(existing) from None

    async def contact_by_key(self, chat_id: int, name_key: str) -> Contact | None:
        """The contact whose matching key is exactly `name_key`."""
        query = sa.select(contacts).where(
            contacts.c.chat_id == chat_id, contacts.c.name_key == name_key
        )
        async with self._engine.connect() as conn:
            row = (await conn.execute(query)).first()
        return _contact(row) if row else None

    async def get_contact(self, chat_id: int, contact_id: int) -> Contact | None:
        """The contact with this id, only if it belongs to this chat."""
        query = sa.select(contacts).where(
            contacts.c.chat_id == chat_id, contacts.c.id == contact_id
        )
        async with self._engine.connect() as conn:
            row = (await conn.execute(query)).first()
        return _contact(row) if row else None

    async def list_contacts(self, chat_id: int, tier: Tier | None = None) -> list[Contact]:
        """The chat's contacts, by name; only one tier when `tier` is given."""
        query = sa.select(contacts).where(contacts.c.chat_id == chat_id)
        if tier is not None:
            query = query.where(contacts.c.tier == tier.value)
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query.order_by(contacts.c.name_key, contacts.c.id))).all()
        return [_contact(row) for row in rows]

    async def update_contact(
        self, chat_id: int, contact_id: int, *, tier: Tier | None = None, note: str | None = None
    ) -> Contact | None:
        """Change a contact's tier or note; None when it is not this chat's contact."""
        values: dict[str, Any] = {}
        if tier is not None:
            values["tier"] = tier.value
        if note is not None:
            values["note"] = note
        async with self._engine.begin() as conn:
            if values:
                await conn.execute(
                    contacts.update()
                    .where(contacts.c.chat_id == chat_id, contacts.c.id == contact_id)
                    .values(**values)
                )
            row = (
                await conn.execute(
                    sa.select(contacts).where(
                        contacts.c.chat_id == chat_id, contacts.c.id == contact_id
                    )
                )
            ).first()
        return _contact(row) if row else None

    async def contact_summaries(self, chat_id: int) -> list[ContactSummary]:
        """Every contact of the chat with its last touch, outreach count and open follow-up."""
        last_touch = (
            sa.select(sa.type_coerce(sa.func.max(interactions.c.at), UtcDateTime()))
            .where(interactions.c.contact_id == contacts.c.id)
            .scalar_subquery()
        )
        outreach_count = (
            sa.select(sa.func.count())
            .where(
                interactions.c.contact_id == contacts.c.id,
                interactions.c.kind.in_([Kind.OUTREACH.value, Kind.FOLLOW_UP.value]),
            )
            .scalar_subquery()
        )
        open_follow_up = sa.exists().where(
            follow_ups.c.contact_id == contacts.c.id,
            follow_ups.c.status == FollowUpStatus.OPEN.value,
        )
        query = (
            sa.select(
                contacts,
                last_touch.label("last_touch"),
                outreach_count.label("outreach_count"),
                open_follow_up.label("has_open_follow_up"),
            )
            .where(contacts.c.chat_id == chat_id)
            .order_by(contacts.c.id)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [
            ContactSummary(
                contact=_contact(row),
                last_interaction_at=row.last_touch,
                outreach_count=row.outreach_count,
                has_open_follow_up=bool(row.has_open_follow_up),
            )
            for row in rows
        ]

    # --- the interaction log and follow-ups ------------------------------------------------

    async def record_interaction(
        self,
        chat_id: int,
        contact_id: int,
        *,
        kind: Kind,
        at: datetime,
        channel: Channel | None = None,
        ask: Ask | None = None,
        note: str | None = None,
        close_open_follow_ups: FollowUpStatus | None = None,
        schedule: FollowUpPlan | None = None,
    ) -> Interaction:
        """Append one interaction and, in the same transaction, settle the contact's follow-ups.

        `close_open_follow_ups` closes every open follow-up of the contact with that status;
        `schedule` then adds the next one.
        """
        async with self._engine.begin() as conn:
            await _require_contact(conn, chat_id, contact_id)
            result = await conn.execute(
                interactions.insert()
                .values(
                    chat_id=chat_id,
                    contact_id=contact_id,
                    kind=kind.value,
                    channel=channel.value if channel else None,
                    ask=ask.value if ask else None,
                    note=note,
                    at=at,
                )
                .returning(*interactions.c)
            )
            interaction = _interaction(result.one())
            if close_open_follow_ups is not None:
                await _close_follow_ups(conn, chat_id, contact_id, close_open_follow_ups, at)
            if schedule is not None:
                await conn.execute(
                    follow_ups.insert().values(
                        chat_id=chat_id,
                        contact_id=contact_id,
                        due_at=schedule.due_at,
                        attempt=schedule.attempt,
                        status=FollowUpStatus.OPEN.value,
                    )
                )
        return interaction

    async def contact_history(
        self, chat_id: int, contact_id: int, limit: int = 10
    ) -> list[Interaction]:
        """The contact's latest interactions, newest first."""
        query = (
            sa.select(interactions)
            .where(interactions.c.chat_id == chat_id, interactions.c.contact_id == contact_id)
            .order_by(interactions.c.at.desc(), interactions.c.id.desc())
            .limit(limit)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [_interaction(row) for row in rows]

    async def count_interactions(
        self,
        chat_id: int,
        kinds: Iterable[Kind],
        *,
        start: datetime | None = None,
        end: datetime | None = None,
    ) -> int:
        """How many interactions of these kinds the chat logged in [start, end)."""
        query = sa.select(sa.func.count()).where(
            interactions.c.chat_id == chat_id,
            interactions.c.kind.in_([kind.value for kind in kinds]),
        )
        if start is not None:
            query = query.where(interactions.c.at >= start)
        if end is not None:
            query = query.where(interactions.c.at < end)
        async with self._engine.connect() as conn:
            return int((await conn.execute(query)).scalar_one())

    async def open_follow_up(self, chat_id: int, contact_id: int) -> FollowUp | None:
        """The contact's open follow-up, if there is one."""
        query = (
            sa.select(follow_ups)
            .where(
                follow_ups.c.chat_id == chat_id,
                follow_ups.c.contact_id == contact_id,
                follow_ups.c.status == FollowUpStatus.OPEN.value,
            )
            .order_by(follow_ups.c.due_at)
        )
        async with self._engine.connect() as conn:
            row = (await conn.execute(query)).first()
        return _follow_up(row) if row else None

    async def get_follow_up(self, chat_id: int, follow_up_id: int) -> FollowUp | None:
        """The follow-up with this id, only if it belongs to this chat."""
        query = sa.select(follow_ups).where(
            follow_ups.c.chat_id == chat_id, follow_ups.c.id == follow_up_id
        )
        async with self._engine.connect() as conn:
            row = (await conn.execute(query)).first()
        return _follow_up(row) if row else None

    async def open_follow_ups(self, chat_id: int) -> list[tuple[FollowUp, Contact]]:
        """Every open follow-up of the chat with its contact, soonest due first."""
        query = (
            sa.select(follow_ups, contacts)
            .join(contacts, contacts.c.id == follow_ups.c.contact_id)
            .where(
                follow_ups.c.chat_id == chat_id,
                follow_ups.c.status == FollowUpStatus.OPEN.value,
            )
            .order_by(follow_ups.c.due_at, follow_ups.c.id)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [
            (_follow_up(_part(row, follow_ups)), _contact(_part(row, contacts))) for row in rows
        ]

    async def snooze_follow_up(
        self, chat_id: int, follow_up_id: int, until: datetime
    ) -> FollowUp | None:
        """Move an open follow-up's due time; None when it is not open or not this chat's."""
        async with self._engine.begin() as conn:
            result = await conn.execute(
                follow_ups.update()
                .where(
                    follow_ups.c.chat_id == chat_id,
                    follow_ups.c.id == follow_up_id,
                    follow_ups.c.status == FollowUpStatus.OPEN.value,
                )
                .values(due_at=until)
                .returning(*follow_ups.c)
            )
            row = result.first()
        return _follow_up(row) if row else None

    async def schedule_follow_up(
        self, chat_id: int, contact_id: int, plan: FollowUpPlan
    ) -> FollowUp:
        """Plan a follow-up with a contact of this chat (replacing any open one)."""
        async with self._engine.begin() as conn:
            await _require_contact(conn, chat_id, contact_id)
            await conn.execute(
                follow_ups.delete().where(
                    follow_ups.c.chat_id == chat_id,
                    follow_ups.c.contact_id == contact_id,
                    follow_ups.c.status == FollowUpStatus.OPEN.value,
                )
            )
            result = await conn.execute(
                follow_ups.insert()
                .values(
                    chat_id=chat_id,
                    contact_id=contact_id,
                    due_at=plan.due_at,
                    attempt=plan.attempt,
                    status=FollowUpStatus.OPEN.value,
                )
                .returning(*follow_ups.c)
            )
            return _follow_up(result.one())

    async def rest_contact(
        self, chat_id: int, contact_id: int, *, now: datetime, until: datetime
    ) -> Contact | None:
        """Park a contact until `until`, closing its open follow-ups as rested."""
        async with self._engine.begin() as conn:
            result = await conn.execute(
                contacts.update()
                .where(contacts.c.chat_id == chat_id, contacts.c.id == contact_id)
                .values(rest_until=until)
                .returning(*contacts.c)
            )
            row = result.first()
            if row is None:
                return None
            await _close_follow_ups(conn, chat_id, contact_id, FollowUpStatus.RESTED, now)
        return _contact(row)

    async def last_interaction_at(self, chat_id: int, kinds: Iterable[Kind]) -> datetime | None:
        """When the chat last logged one of these kinds, or None."""
        query = sa.select(sa.type_coerce(sa.func.max(interactions.c.at), UtcDateTime())).where(
            interactions.c.chat_id == chat_id,
            interactions.c.kind.in_([kind.value for kind in kinds]),
        )
        async with self._engine.connect() as conn:
            value: datetime | None = (await conn.execute(query)).scalar_one()
        return value

    async def interactions_between(
        self, chat_id: int, start: datetime, end: datetime
    ) -> list[Interaction]:
        """The chat's interactions in [start, end), oldest first."""
        query = (
            sa.select(interactions)
            .where(
                interactions.c.chat_id == chat_id,
                interactions.c.at >= start,
                interactions.c.at < end,
            )
            .order_by(interactions.c.at, interactions.c.id)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [_interaction(row) for row in rows]

    # --- opportunities and progress --------------------------------------------------------

    async def interactions_of(self, chat_id: int) -> list[Interaction]:
        """The chat's whole interaction log, oldest first (for progress, streak and projection)."""
        query = (
            sa.select(interactions)
            .where(interactions.c.chat_id == chat_id)
            .order_by(interactions.c.at, interactions.c.id)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [_interaction(row) for row in rows]

    async def add_opportunity(
        self, chat_id: int, contact_id: int, *, title: str, stage: Stage, now: datetime
    ) -> Opportunity:
        """Start an opportunity with a contact of this chat (LookupError for another's)."""
        async with self._engine.begin() as conn:
            await _require_contact(conn, chat_id, contact_id)
            result = await conn.execute(
                opportunities.insert()
                .values(
                    chat_id=chat_id,
                    contact_id=contact_id,
                    title=title,
                    stage=stage.value,
                    created_at=now,
                    updated_at=now,
                )
                .returning(*opportunities.c)
            )
            return _opportunity(result.one())

    async def get_opportunity(
        self, chat_id: int, opportunity_id: int
    ) -> tuple[Opportunity, Contact] | None:
        """The opportunity and its contact, only if it belongs to this chat."""
        query = (
            sa.select(opportunities, contacts)
            .join(contacts, contacts.c.id == opportunities.c.contact_id)
            .where(opportunities.c.chat_id == chat_id, opportunities.c.id == opportunity_id)
        )
        async with self._engine.connect() as conn:
            row = (await conn.execute(query)).first()
        return (
            (_opportunity(_part(row, opportunities)), _contact(_part(row, contacts)))
            if row
            else None
        )

    async def list_opportunities(self, chat_id: int) -> list[tuple[Opportunity, Contact]]:
        """The chat's opportunities with their contacts, the most recently moved first."""
        query = (
            sa.select(opportunities, contacts)
            .join(contacts, contacts.c.id == opportunities.c.contact_id)
            .where(opportunities.c.chat_id == chat_id)
            .order_by(opportunities.c.updated_at.desc(), opportunities.c.id.desc())
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [
            (_opportunity(_part(row, opportunities)), _contact(_part(row, contacts)))
            for row in rows
        ]

    async def move_opportunity(
        self, chat_id: int, opportunity_id: int, stage: Stage, now: datetime
    ) -> Opportunity | None:
        """Move an opportunity to `stage`; None when it is not this chat's."""
        async with self._engine.begin() as conn:
            result = await conn.execute(
                opportunities.update()
                .where(opportunities.c.chat_id == chat_id, opportunities.c.id == opportunity_id)
                .values(stage=stage.value, updated_at=now)
                .returning(*opportunities.c)
            )
            row = result.first()
        return _opportunity(row) if row else None

    async def last_claimed_at(self, chat_id: int, kind: str) -> datetime | None:
        """When a message of this kind was last claimed for the chat (suggestions pacing)."""
        query = sa.select(
            sa.type_coerce(sa.func.max(sent_messages.c.claimed_at), UtcDateTime())
        ).where(sent_messages.c.chat_id == chat_id, sent_messages.c.kind == kind)
        async with self._engine.connect() as conn:
            value: datetime | None = (await conn.execute(query)).scalar_one()
        return value

    # --- scheduled coaching ------------------------------------------------------------------

    async def set_schedule(self, chat_id: int, kind: str, next_at: datetime | None) -> None:
        """Set when a scheduled message is next due for this chat (None: never)."""
        async with self._tick_write() as conn:
            await conn.execute(
                schedules.delete().where(schedules.c.chat_id == chat_id, schedules.c.kind == kind)
            )
            if next_at is not None:
                await conn.execute(
                    schedules.insert().values(chat_id=chat_id, kind=kind, next_at=next_at)
                )

    async def schedules_of(self, chat_id: int) -> dict[str, datetime]:
        """Every scheduled message of the chat and when it is next due."""
        query = sa.select(schedules.c.kind, schedules.c.next_at).where(
            schedules.c.chat_id == chat_id
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return {row.kind: row.next_at for row in rows}

    async def due_schedules(self, now: datetime, limit: int) -> list[DueSchedule]:
        """Scheduled messages due at `now` for active users, the longest overdue first."""
        query = (
            sa.select(schedules.c.chat_id, schedules.c.kind, schedules.c.next_at)
            .join(users, users.c.chat_id == schedules.c.chat_id)
            .where(schedules.c.next_at <= now, users.c.active.is_(True))
            .order_by(schedules.c.next_at, schedules.c.chat_id)
            .limit(limit)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [DueSchedule(row.chat_id, row.kind, row.next_at) for row in rows]

    async def advance_schedule(
        self, chat_id: int, kind: str, was_at: datetime, next_at: datetime
    ) -> bool:
        """Move a schedule from `was_at` to `next_at`; False when another worker moved it first."""
        async with self._tick_write() as conn:
            result = await conn.execute(
                schedules.update()
                .where(
                    schedules.c.chat_id == chat_id,
                    schedules.c.kind == kind,
                    schedules.c.next_at == was_at,
                )
                .values(next_at=next_at)
            )
        return result.rowcount > 0

    async def advance_and_claim(
        self,
        chat_id: int,
        schedule: tuple[str, datetime, datetime],
        claim: tuple[str, str],
        now: datetime,
    ) -> str:
        """In one transaction, move a schedule (kind, was_at, next_at) on and claim a message
        (kind, period): "taken" when another worker moved the schedule first, "duplicate" when
        the message was claimed before, otherwise "claimed"."""
        kind, was_at, next_at = schedule
        async with self._tick_write() as conn:
            moved = await conn.execute(
                schedules.update()
                .where(
                    schedules.c.chat_id == chat_id,
                    schedules.c.kind == kind,
                    schedules.c.next_at == was_at,
                )
                .values(next_at=next_at)
            )
            if moved.rowcount == 0:
                return "taken"
            inserted = await conn.execute(self._claim_statement(chat_id, *claim, now))
        return "claimed" if inserted.rowcount > 0 else "duplicate"

    async def claim_message(self, chat_id: int, kind: str, period_key: str, now: datetime) -> bool:
        """Claim the one send of (chat, kind, period); False when it was claimed before."""
        async with self._engine.begin() as conn:
            result = await conn.execute(self._claim_statement(chat_id, kind, period_key, now))
        return result.rowcount > 0

    def _claim_statement(
        self, chat_id: int, kind: str, period_key: str, now: datetime
    ) -> sa.Insert:
        insert = (
            postgresql.insert(sent_messages)
            if self._engine.dialect.name == "postgresql"
            else sqlite.insert(sent_messages)
        )
        return insert.values(
            chat_id=chat_id,
            kind=kind,
            period_key=period_key,
            status=SendStatus.CLAIMED,
            claimed_at=now,
        ).on_conflict_do_nothing(index_elements=["chat_id", "kind", "period_key"])

    async def finish_message(
        self, chat_id: int, kind: str, period_key: str, status: str, now: datetime
    ) -> None:
        """Record how a claimed send ended (sent, or failed for good)."""
        async with self._tick_write() as conn:
            await conn.execute(
                sent_messages.update()
                .where(
                    sent_messages.c.chat_id == chat_id,
                    sent_messages.c.kind == kind,
                    sent_messages.c.period_key == period_key,
                )
                .values(status=status, finished_at=now)
            )

    async def is_claimed(self, chat_id: int, kind: str, period_key: str) -> bool:
        """Whether (chat, kind, period) was claimed already."""
        query = sa.select(sent_messages.c.id).where(
            sent_messages.c.chat_id == chat_id,
            sent_messages.c.kind == kind,
            sent_messages.c.period_key == period_key,
        )
        async with self._engine.connect() as conn:
            return (await conn.execute(query)).first() is not None

    async def release_message(self, chat_id: int, kind: str, period_key: str) -> None:
        """Give a claim back after a send that surely did not reach the user, to retry it."""
        async with self._tick_write() as conn:
            await conn.execute(
                sent_messages.delete().where(
                    sent_messages.c.chat_id == chat_id,
                    sent_messages.c.kind == kind,
                    sent_messages.c.period_key == period_key,
                    sent_messages.c.status == SendStatus.CLAIMED,
                )
            )

    async def sent_log(self, chat_id: int) -> list[tuple[str, str, str]]:
        """(kind, period, status) of every scheduled message claimed for the chat."""
        query = (
            sa.select(sent_messages.c.kind, sent_messages.c.period_key, sent_messages.c.status)
            .where(sent_messages.c.chat_id == chat_id)
            .order_by(sent_messages.c.id)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [(row.kind, row.period_key, row.status) for row in rows]

    # --- fears ---------------------------------------------------------------------------------

    async def add_fear(
        self,
        chat_id: int,
        *,
        text: str,
        strength: int,
        now: datetime,
        tie_until: datetime | None = None,
    ) -> Fear:
        """Write a complete fear down; it waits for the next outreach logged before `tie_until`."""
        async with self._engine.begin() as conn:
            result = await conn.execute(
                fears.insert()
                .values(
                    chat_id=chat_id,
                    text=text,
                    strength_before=strength,
                    tie_until=tie_until,
                    created_at=now,
                )
                .returning(*fears.c)
            )
            return _fear(result.one())

    async def rate_nervousness(
        self, chat_id: int, interaction_id: int, strength: int, now: datetime
    ) -> Fear | None:
        """How nervous the user was before an outreach: a fear without words, tied to it.

        None when the outreach is not this chat's or already carries a fear.
        """
        async with self._engine.begin() as conn:
            contact_id = (
                await conn.execute(
                    sa.select(interactions.c.contact_id).where(
                        interactions.c.chat_id == chat_id, interactions.c.id == interaction_id
                    )
                )
            ).scalar_one_or_none()
            taken = sa.select(fears.c.id).where(
                fears.c.chat_id == chat_id, fears.c.interaction_id == interaction_id
            )
            if contact_id is None or (await conn.execute(taken)).first() is not None:
                return None
            result = await conn.execute(
                fears.insert()
                .values(
                    chat_id=chat_id,
                    contact_id=contact_id,
                    interaction_id=interaction_id,
                    strength_before=strength,
                    created_at=now,
                )
                .returning(*fears.c)
            )
            return _fear(result.one())

    async def get_fear(self, chat_id: int, fear_id: int) -> Fear | None:
        """The fear with this id, only if it belongs to this chat."""
        query = sa.select(fears).where(fears.c.chat_id == chat_id, fears.c.id == fear_id)
        async with self._engine.connect() as conn:
            row = (await conn.execute(query)).first()
        return _fear(row) if row else None

    async def tie_fear(self, chat_id: int, fear_id: int, contact_id: int | None) -> Fear | None:
        """Tie an untested fear to a contact of this chat, or (None) keep it in the journal only.

        None when the fear or the contact is not this chat's, or the fear was tested already.
        """
        async with self._engine.begin() as conn:
            if contact_id is not None:
                try:
                    await _require_contact(conn, chat_id, contact_id)
                except LookupError:
                    return None
            result = await conn.execute(
                fears.update()
                .where(fears.c.chat_id == chat_id, fears.c.id == fear_id, fears.c.outcome.is_(None))
                .values(contact_id=contact_id, tie_until=None)
                .returning(*fears.c)
            )
            row = result.first()
        return _fear(row) if row else None

    async def tie_fears_to_outreach(
        self, chat_id: int, contact_id: int, interaction_id: int, now: datetime
    ) -> list[Fear]:
        """Tie to this outreach the fears waiting for the next one, and the contact's open fears
        not on an outreach yet; return the contact's open fears, newest first."""
        open_fear = sa.and_(fears.c.chat_id == chat_id, fears.c.outcome.is_(None))
        async with self._engine.begin() as conn:
            await _require_contact(conn, chat_id, contact_id)
            await conn.execute(
                fears.update()
                .where(open_fear, fears.c.contact_id.is_(None), fears.c.tie_until > now)
                .values(contact_id=contact_id, interaction_id=interaction_id, tie_until=None)
            )
            await conn.execute(
                fears.update()
                .where(
                    open_fear,
                    fears.c.contact_id == contact_id,
                    fears.c.interaction_id.is_(None),
                )
                .values(interaction_id=interaction_id)
            )
            rows = (
                await conn.execute(
                    sa.select(fears)
                    .where(open_fear, fears.c.contact_id == contact_id)
                    .order_by(fears.c.created_at.desc(), fears.c.id.desc())
                )
            ).all()
        return [_fear(row) for row in rows]

    async def open_fears_of_contact(self, chat_id: int, contact_id: int) -> list[Fear]:
        """The contact's fears still waiting for an outcome, newest first."""
        query = (
            sa.select(fears)
            .where(
                fears.c.chat_id == chat_id,
                fears.c.contact_id == contact_id,
                fears.c.outcome.is_(None),
            )
            .order_by(fears.c.created_at.desc(), fears.c.id.desc())
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [_fear(row) for row in rows]

    async def record_fear_outcome(
        self, chat_id: int, fear_id: int, outcome: FearOutcome, now: datetime
    ) -> Fear | None:
        """Whether the feared thing happened, recorded once: None when it is not this chat's
        fear or its outcome is known already."""
        async with self._engine.begin() as conn:
            result = await conn.execute(
                fears.update()
                .where(fears.c.chat_id == chat_id, fears.c.id == fear_id, fears.c.outcome.is_(None))
                .values(outcome=outcome.value, tested_at=now, tie_until=None)
                .returning(*fears.c)
            )
            row = result.first()
        return _fear(row) if row else None

    async def record_fear_strength_after(
        self, chat_id: int, fear_id: int, strength: int
    ) -> Fear | None:
        """How strong a tested fear is now, recorded once: None when it is not this chat's,
        not tested yet, or rated already."""
        async with self._engine.begin() as conn:
            result = await conn.execute(
                fears.update()
                .where(
                    fears.c.chat_id == chat_id,
                    fears.c.id == fear_id,
                    fears.c.outcome.is_not(None),
                    fears.c.strength_after.is_(None),
                )
                .values(strength_after=strength)
                .returning(*fears.c)
            )
            row = result.first()
        return _fear(row) if row else None

    async def fears_of(self, chat_id: int) -> list[Fear]:
        """Every fear of the chat, oldest first (the journal, the evidence and the export)."""
        query = (
            sa.select(fears)
            .where(fears.c.chat_id == chat_id)
            .order_by(fears.c.created_at, fears.c.id)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [_fear(row) for row in rows]

    # --- drafts: a log waiting for the user's confirmation ----------------------------------

    async def create_draft(self, chat_id: int, draft: Draft, now: datetime) -> int:
        """Keep a pending log or fear until the user confirms it; its id goes in the buttons."""
        async with self._engine.begin() as conn:
            result = await conn.execute(
                drafts.insert()
                .values(
                    chat_id=chat_id,
                    kind=draft_kind(draft),
                    payload=draft_to_payload(draft),
                    created_at=now,
                )
                .returning(drafts.c.id)
            )
            return int(result.scalar_one())

    async def get_draft(self, chat_id: int, draft_id: int) -> Draft | None:
        """The draft, only if it belongs to this chat (and reads as one)."""
        query = sa.select(drafts.c.kind, drafts.c.payload).where(
            drafts.c.chat_id == chat_id, drafts.c.id == draft_id
        )
        async with self._engine.connect() as conn:
            row = (await conn.execute(query)).first()
        return draft_from_payload(row.kind, row.payload) if row else None

    async def update_draft(self, chat_id: int, draft_id: int, draft: Draft) -> bool:
        """Replace a draft; False when it is gone or not this chat's."""
        async with self._engine.begin() as conn:
            result = await conn.execute(
                drafts.update()
                .where(drafts.c.chat_id == chat_id, drafts.c.id == draft_id)
                .values(kind=draft_kind(draft), payload=draft_to_payload(draft))
            )
        return result.rowcount > 0

    async def delete_draft(self, chat_id: int, draft_id: int) -> bool:
        """Drop a draft; False when there was none (already used, or not this chat's)."""
        async with self._engine.begin() as conn:
            result = await conn.execute(
                drafts.delete().where(drafts.c.chat_id == chat_id, drafts.c.id == draft_id)
            )
        return result.rowcount > 0

    # --- export and delete -----------------------------------------------------------------

    async def export_rows(self, chat_id: int) -> dict[str, list[dict[str, Any]]] | None:
        """Every row kept about the chat, by table, contacts named; None for an unknown chat."""
        named = contacts.c.name.label("contact")
        queries: dict[str, sa.Select[Any]] = {
            "contacts": sa.select(contacts).where(contacts.c.chat_id == chat_id),
            "interactions": sa.select(interactions, named)
            .join(contacts, contacts.c.id == interactions.c.contact_id)
            .where(interactions.c.chat_id == chat_id),
            "follow_ups": sa.select(follow_ups, named)
            .join(contacts, contacts.c.id == follow_ups.c.contact_id)
            .where(follow_ups.c.chat_id == chat_id),
            "fears": sa.select(fears, named)
            .outerjoin(contacts, contacts.c.id == fears.c.contact_id)
            .where(fears.c.chat_id == chat_id),
            "opportunities": sa.select(opportunities, named)
            .join(contacts, contacts.c.id == opportunities.c.contact_id)
            .where(opportunities.c.chat_id == chat_id),
            "sent_messages": sa.select(sent_messages).where(sent_messages.c.chat_id == chat_id),
            "drafts": sa.select(drafts).where(drafts.c.chat_id == chat_id),
            "schedules": sa.select(schedules).where(schedules.c.chat_id == chat_id),
        }
        async with self._engine.connect() as conn:
            user = (await conn.execute(sa.select(users).where(users.c.chat_id == chat_id))).first()
            if user is None:
                return None
            rows = {"user": [dict(user._mapping)]}
            for name, query in queries.items():
                table = query.get_final_froms()[0]
                ordered = query.order_by(*table.primary_key)
                rows[name] = [dict(row._mapping) for row in await conn.execute(ordered)]
        return rows

    async def delete_chat(self, chat_id: int) -> None:
        """Remove every row of the chat, in one transaction (the rest cascades from users)."""
        async with self._engine.begin() as conn:
            await conn.execute(
                processed_updates.delete().where(processed_updates.c.chat_id == chat_id)
            )
            await conn.execute(users.delete().where(users.c.chat_id == chat_id))

    # --- updates handled once --------------------------------------------------------------

    async def first_delivery(self, update_id: int, chat_id: int | None, now: datetime) -> bool:
        """Record that an update is being handled; False when it was handled before."""
        insert = (
            postgresql.insert(processed_updates)
            if self._engine.dialect.name == "postgresql"
            else sqlite.insert(processed_updates)
        )
        statement = insert.values(
            update_id=update_id, chat_id=chat_id, processed_at=now
        ).on_conflict_do_nothing(index_elements=["update_id"])
        async with self._engine.begin() as conn:
            result = await conn.execute(statement)
        return result.rowcount > 0

    async def forget_updates_before(self, cutoff: datetime) -> int:
        """Drop the record of updates handled before `cutoff`; Telegram redelivers for a day."""
        async with self._engine.begin() as conn:
            result = await conn.execute(
                processed_updates.delete().where(processed_updates.c.processed_at < cutoff)
            )
        return result.rowcount


async def _require_contact(conn: AsyncConnection, chat_id: int, contact_id: int) -> None:
    query = sa.select(contacts.c.id).where(
        contacts.c.chat_id == chat_id, contacts.c.id == contact_id
    )
    if (await conn.execute(query)).first() is None:
        raise LookupError(f"contact {contact_id} is not in chat {chat_id}")


async def _close_follow_ups(
    conn: AsyncConnection, chat_id: int, contact_id: int, status: FollowUpStatus, at: datetime
) -> None:
    await conn.execute(
        follow_ups.update()
        .where(
            follow_ups.c.chat_id == chat_id,
            follow_ups.c.contact_id == contact_id,
            follow_ups.c.status == FollowUpStatus.OPEN.value,
        )
        .values(status=status.value, closed_at=at)
    )


# --- rows to records ---------------------------------------------------------------------------


def _user(row: Any) -> User:
    return User(
        chat_id=row.chat_id,
        name=row.name,
        timezone=row.timezone,
        goal_count=row.goal_count,
        goal_date=row.goal_date,
        weekly_chats=row.weekly_chats,
        daily_quota=row.daily_quota,
        morning_time=time.fromisoformat(row.morning_time),
        evening_time=time.fromisoformat(row.evening_time) if row.evening_time else None,
        follow_up_days=_int_tuple(row.follow_up_days),
        rest_days=_int_tuple(row.rest_days),
        onboarding_step=_onboarding_step(row.onboarding_step),
        onboarded_at=row.onboarded_at,
        awaiting=question_from_json(row.awaiting),
        created_at=row.created_at,
        active=bool(row.active),
        paused_at=row.paused_at,
        paused_until=row.paused_until,
        review_day=row.review_day,
        review_time=time.fromisoformat(row.review_time),
        stall_days=row.stall_days,
        fear_prompts=row.fear_prompts,
    )


def _part(row: Any, table: sa.Table) -> SimpleNamespace:
    """One table's columns of a joined row, by name (both tables have an `id`, a `chat_id`...)."""
    mapping = row._mapping
    return SimpleNamespace(**{column.name: mapping[column] for column in table.c})


def _contact(row: Any) -> Contact:
    return Contact(
        id=row.id,
        chat_id=row.chat_id,
        name=row.name,
        tier=Tier(row.tier),
        note=row.note,
        introduced_by_id=row.introduced_by_id,
        rest_until=row.rest_until,
        created_at=row.created_at,
    )


def _interaction(row: Any) -> Interaction:
    return Interaction(
        id=row.id,
        chat_id=row.chat_id,
        contact_id=row.contact_id,
        kind=Kind(row.kind),
        channel=Channel(row.channel) if row.channel else None,
        ask=Ask(row.ask) if row.ask else None,
        note=row.note,
        at=row.at,
    )


def _follow_up(row: Any) -> FollowUp:
    return FollowUp(
        id=row.id,
        chat_id=row.chat_id,
        contact_id=row.contact_id,
        due_at=row.due_at,
        attempt=row.attempt,
        status=FollowUpStatus(row.status),
        closed_at=row.closed_at,
    )


def _opportunity(row: Any) -> Opportunity:
    return Opportunity(
        id=row.id,
        chat_id=row.chat_id,
        contact_id=row.contact_id,
        title=row.title,
        stage=Stage(row.stage),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _fear(row: Any) -> Fear:
    return Fear(
        id=row.id,
        chat_id=row.chat_id,
        text=row.text,
        strength_before=row.strength_before,
        strength_after=row.strength_after,
        outcome=FearOutcome(row.outcome) if row.outcome else None,
        contact_id=row.contact_id,
        interaction_id=row.interaction_id,
        tie_until=row.tie_until,
        created_at=row.created_at,
        tested_at=row.tested_at,
    )


def _onboarding_step(value: str | None) -> OnboardingStep | None:
    return OnboardingStep(value) if value in set(OnboardingStep) else None


def _user_column_value(name: str, value: Any) -> Any:
    if name == "awaiting":
        return question_to_json(value) if value is not None else None
    if name in ("morning_time", "evening_time", "review_time"):
        return _time_text(value) if value is not None else None
    if name in ("follow_up_days", "rest_days"):
        return _int_list_text(value)
    if name == "goal_date" and value is not None and not isinstance(value, date):
        raise TypeError("goal_date takes a date")
    return value


def _time_text(value: time) -> str:
    return value.strftime("%H:%M")


def _int_list_text(values: Sequence[int]) -> str:
    return ",".join(str(value) for value in values)


def _int_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(",") if part)
