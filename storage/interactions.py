"""The append-only interaction log and the follow-ups planned from it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.coaching.domain import (
    CLEAR,
    MAX_LOGS_PER_DAY,
    Ask,
    Channel,
    Contact,
    FollowUp,
    FollowUpEffects,
    FollowUpPlan,
    FollowUpReason,
    FollowUpStatus,
    Interaction,
    InteractionChanges,
    Kind,
    LogEntry,
)
from bot.coaching.errors import LimitReached
from storage.contacts import require_contact
from storage.fears import fears_riding_on, untie_fears
from storage.queries import Queries, insert_row
from storage.rows import contact_record, follow_up_record, interaction_record, part
from storage.schema import contacts, follow_ups, interactions
from storage.types import UtcDateTime

__all__ = ["FollowUpPlan", "InteractionQueries"]


# The statements of the reply path, built once (a statement made afresh for each call costs
# more to run than to answer); their parameters are bound by name.
_LOG_OF_CHAT = (
    sa.select(interactions)
    .where(interactions.c.chat_id == sa.bindparam("chat_id"))
    .order_by(interactions.c.at, interactions.c.id)
)
_OPEN_FOLLOW_UPS = (
    sa.select(follow_ups, contacts)
    .join(contacts, contacts.c.id == follow_ups.c.contact_id)
    .where(
        follow_ups.c.chat_id == sa.bindparam("chat_id"),
        follow_ups.c.status == FollowUpStatus.OPEN.value,
    )
    .order_by(follow_ups.c.due_at, follow_ups.c.id)
)


@cache
def _count_query(with_start: bool, with_end: bool) -> sa.Select[Any]:
    """How many interactions of the chat `chat_id` of the `kinds` [`start`, `end`)."""
    query = sa.select(sa.func.count()).where(
        interactions.c.chat_id == sa.bindparam("chat_id"),
        interactions.c.kind.in_(sa.bindparam("kinds", expanding=True)),
    )
    if with_start:
        query = query.where(interactions.c.at >= sa.bindparam("start", type_=UtcDateTime()))
    if with_end:
        query = query.where(interactions.c.at < sa.bindparam("end", type_=UtcDateTime()))
    return query


class InteractionQueries(Queries):
    """Logging interactions, reading the log, and the follow-ups that keep outreach going."""

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
            await require_contact(conn, chat_id, contact_id)
            await _require_room_for_a_log(conn, chat_id, at)
            row = await insert_row(
                conn,
                interactions,
                chat_id=chat_id,
                contact_id=contact_id,
                kind=kind.value,
                channel=channel.value if channel else None,
                ask=ask.value if ask else None,
                note=note,
                at=at,
            )
            interaction = interaction_record(row)
            effects = FollowUpEffects(close_open_follow_ups, schedule)
            await _apply_effects(conn, interaction, effects)
        return interaction

    async def last_logged(self, chat_id: int) -> Interaction | None:
        """The chat's most recently logged interaction (whatever day it was logged for)."""
        query = (
            sa.select(interactions)
            .where(interactions.c.chat_id == chat_id)
            .order_by(interactions.c.id.desc())
            .limit(1)
        )
        async with self._engine.connect() as conn:
            row = (await conn.execute(query)).first()
        return interaction_record(row) if row else None

    async def log_entry(self, chat_id: int, interaction_id: int) -> LogEntry | None:
        """The chat's interaction with what logging it changed; None when it is not there."""
        async with self._engine.connect() as conn:
            return await _log_entry(conn, chat_id, interaction_id)

    async def remove_interaction(self, chat_id: int, interaction_id: int) -> LogEntry | None:
        """Take a log back, in one transaction: the follow-up it planned goes, one it closed is
        open again as it was (unless a later log settled it), and the fears riding on it are
        untied (a bare nervousness rating of it goes). Returns what was removed, or None when
        it was already gone.
        """
        async with self._engine.begin() as conn:
            entry = await _log_entry(conn, chat_id, interaction_id)
            if entry is None:
                return None
            await _reverse_effects(conn, entry)
            await untie_fears(conn, chat_id, interaction_id)
            await conn.execute(
                interactions.delete().where(
                    interactions.c.chat_id == chat_id, interactions.c.id == interaction_id
                )
            )
        return entry

    async def edit_interaction(
        self,
        chat_id: int,
        interaction_id: int,
        changes: InteractionChanges,
        *,
        replan: FollowUpEffects | None = None,
    ) -> Interaction | None:
        """Change a logged interaction's fields, in one transaction; with `replan`, its follow-up
        changes are taken back first and `replan` applied instead. None when it is gone."""
        async with self._engine.begin() as conn:
            entry = await _log_entry(conn, chat_id, interaction_id)
            if entry is None:
                return None
            if replan is not None:
                await _reverse_effects(conn, entry)
            values = _interaction_values(changes)
            if values:
                await conn.execute(
                    interactions.update()
                    .where(interactions.c.chat_id == chat_id, interactions.c.id == interaction_id)
                    .values(**values)
                )
            row = (
                await conn.execute(
                    sa.select(interactions).where(
                        interactions.c.chat_id == chat_id, interactions.c.id == interaction_id
                    )
                )
            ).one()
            interaction = interaction_record(row)
            if replan is not None:
                await _apply_effects(conn, interaction, replan)
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
        return [interaction_record(row) for row in rows]

    async def count_interactions(
        self,
        chat_id: int,
        kinds: Iterable[Kind],
        *,
        start: datetime | None = None,
        end: datetime | None = None,
    ) -> int:
        """How many interactions of these kinds the chat logged in [start, end)."""
        parameters: dict[str, Any] = {
            "chat_id": chat_id,
            "kinds": [kind.value for kind in kinds],
            "start": start,
            "end": end,
        }
        query = _count_query(start is not None, end is not None)
        async with self._engine.connect() as conn:
            return int((await conn.execute(query, parameters)).scalar_one())

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
        return await self._interactions(
            chat_id, interactions.c.at >= start, interactions.c.at < end
        )

    async def interactions_of(self, chat_id: int) -> list[Interaction]:
        """The chat's whole interaction log, oldest first (for progress, streak and projection)."""
        async with self._engine.connect() as conn:
            rows = (await conn.execute(_LOG_OF_CHAT, {"chat_id": chat_id})).all()
        return [interaction_record(row) for row in rows]

    async def _interactions(
        self, chat_id: int, *conditions: sa.ColumnElement[bool]
    ) -> list[Interaction]:
        query = (
            sa.select(interactions)
            .where(interactions.c.chat_id == chat_id, *conditions)
            .order_by(interactions.c.at, interactions.c.id)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [interaction_record(row) for row in rows]

    # --- follow-ups ----------------------------------------------------------------------------

    async def open_follow_up(self, chat_id: int, contact_id: int) -> FollowUp | None:
        """The contact's open follow-up, if there is one."""
        query = (
            sa.select(follow_ups)
            .where(_open_follow_ups_of(chat_id, contact_id))
            .order_by(follow_ups.c.due_at)
        )
        async with self._engine.connect() as conn:
            row = (await conn.execute(query)).first()
        return follow_up_record(row) if row else None

    async def get_follow_up(self, chat_id: int, follow_up_id: int) -> FollowUp | None:
        """The follow-up with this id, only if it belongs to this chat."""
        query = sa.select(follow_ups).where(
            follow_ups.c.chat_id == chat_id, follow_ups.c.id == follow_up_id
        )
        async with self._engine.connect() as conn:
            row = (await conn.execute(query)).first()
        return follow_up_record(row) if row else None

    async def open_follow_ups(self, chat_id: int) -> list[tuple[FollowUp, Contact]]:
        """Every open follow-up of the chat with its contact, soonest due first."""
        async with self._engine.connect() as conn:
            rows = (await conn.execute(_OPEN_FOLLOW_UPS, {"chat_id": chat_id})).all()
        return [
            (follow_up_record(part(row, follow_ups)), contact_record(part(row, contacts)))
            for row in rows
        ]

    async def snooze_follow_up(
        self,
        chat_id: int,
        follow_up_id: int,
        until: datetime,
        reason: FollowUpReason | None = None,
    ) -> FollowUp | None:
        """Move an open follow-up's due time (and give it a new reason); None when it is not
        open or not this chat's."""
        values: dict[str, object] = {"due_at": until}
        if reason is not None:
            values["reason"] = reason.value
        async with self._engine.begin() as conn:
            result = await conn.execute(
                follow_ups.update()
                .where(
                    follow_ups.c.chat_id == chat_id,
                    follow_ups.c.id == follow_up_id,
                    follow_ups.c.status == FollowUpStatus.OPEN.value,
                )
                .values(**values)
                .returning(*follow_ups.c)
            )
            row = result.first()
        return follow_up_record(row) if row else None

    async def schedule_follow_up(
        self, chat_id: int, contact_id: int, plan: FollowUpPlan, *, opened_by: int | None = None
    ) -> FollowUp:
        """Plan a follow-up with a contact of this chat (replacing any open one); `opened_by`
        is the log it belongs to, so taking that log back takes it back too."""
        async with self._engine.begin() as conn:
            await require_contact(conn, chat_id, contact_id)
            await conn.execute(follow_ups.delete().where(_open_follow_ups_of(chat_id, contact_id)))
            result = await conn.execute(
                _insert_follow_up(chat_id, contact_id, plan, opened_by).returning(*follow_ups.c)
            )
            return follow_up_record(result.one())

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
        return contact_record(row)


def _open_follow_ups_of(chat_id: int, contact_id: int) -> sa.ColumnElement[bool]:
    return sa.and_(
        follow_ups.c.chat_id == chat_id,
        follow_ups.c.contact_id == contact_id,
        follow_ups.c.status == FollowUpStatus.OPEN.value,
    )


def _insert_follow_up(
    chat_id: int, contact_id: int, plan: FollowUpPlan, opened_by: int | None = None
) -> sa.Insert:
    return follow_ups.insert().values(
        chat_id=chat_id,
        contact_id=contact_id,
        due_at=plan.due_at,
        attempt=plan.attempt,
        status=FollowUpStatus.OPEN.value,
        opened_by_id=opened_by,
        reason=plan.reason.value,
    )


async def _close_follow_ups(
    conn: AsyncConnection,
    chat_id: int,
    contact_id: int,
    status: FollowUpStatus,
    at: datetime,
    closed_by: int | None = None,
) -> None:
    await conn.execute(
        follow_ups.update()
        .where(_open_follow_ups_of(chat_id, contact_id))
        .values(status=status.value, closed_at=at, closed_by_id=closed_by)
    )


async def _require_room_for_a_log(conn: AsyncConnection, chat_id: int, at: datetime) -> None:
    """LimitReached when the chat has MAX_LOGS_PER_DAY logs on the (UTC) day of `at`."""
    day_start = at.replace(hour=0, minute=0, second=0, microsecond=0)
    same_day = sa.select(sa.func.count()).where(
        interactions.c.chat_id == chat_id,
        interactions.c.at >= day_start,
        interactions.c.at < day_start + timedelta(days=1),
    )
    if (await conn.execute(same_day)).scalar_one() >= MAX_LOGS_PER_DAY:
        raise LimitReached(
            f"That's {MAX_LOGS_PER_DAY} logs in one day, the most I keep. Nothing was saved: "
            "take a breather, and carry on tomorrow. 🌿"
        )


async def _apply_effects(
    conn: AsyncConnection, interaction: Interaction, effects: FollowUpEffects
) -> None:
    """Close the contact's open follow-ups and plan the next one, both on behalf of the log."""
    chat_id, contact_id = interaction.chat_id, interaction.contact_id
    if effects.close is not None:
        await _close_follow_ups(
            conn, chat_id, contact_id, effects.close, interaction.at, interaction.id
        )
    if effects.plan is not None:
        await conn.execute(_insert_follow_up(chat_id, contact_id, effects.plan, interaction.id))


async def _reverse_effects(conn: AsyncConnection, entry: LogEntry) -> None:
    """Undo what a log did to follow-ups: the ones it planned go; the ones it closed open again
    as they were, unless a later log closed what it planned (then that log closed them) or the
    contact has another open follow-up by now."""
    chat_id = entry.interaction.chat_id
    planned = [item.id for item in entry.planned]
    if planned:
        await conn.execute(
            follow_ups.delete().where(follow_ups.c.chat_id == chat_id, follow_ups.c.id.in_(planned))
        )
    closed_here = sa.and_(
        follow_ups.c.chat_id == chat_id, follow_ups.c.closed_by_id == entry.interaction.id
    )
    settled = [item for item in entry.planned if item.status is not FollowUpStatus.OPEN]
    if settled:
        closer = settled[0].closed_by_id
        await conn.execute(follow_ups.update().where(closed_here).values(closed_by_id=closer))
        return
    still_open = (
        await conn.execute(
            sa.select(follow_ups.c.id).where(_open_follow_ups_of(chat_id, entry.contact.id))
        )
    ).first()
    values: dict[str, Any] = {"closed_by_id": None}
    if still_open is None:
        values |= {"status": FollowUpStatus.OPEN.value, "closed_at": None}
    await conn.execute(follow_ups.update().where(closed_here).values(**values))


async def _log_entry(conn: AsyncConnection, chat_id: int, interaction_id: int) -> LogEntry | None:
    row = (
        await conn.execute(
            sa.select(interactions, contacts)
            .join(contacts, contacts.c.id == interactions.c.contact_id)
            .where(interactions.c.chat_id == chat_id, interactions.c.id == interaction_id)
        )
    ).first()
    if row is None:
        return None
    interaction = interaction_record(part(row, interactions))
    linked = [
        follow_up_record(item)
        for item in await conn.execute(
            sa.select(follow_ups)
            .where(
                follow_ups.c.chat_id == chat_id,
                sa.or_(
                    follow_ups.c.opened_by_id == interaction_id,
                    follow_ups.c.closed_by_id == interaction_id,
                ),
            )
            .order_by(follow_ups.c.id)
        )
    ]
    newest = (
        await conn.execute(
            sa.select(sa.func.max(interactions.c.id)).where(
                interactions.c.chat_id == chat_id,
                interactions.c.contact_id == interaction.contact_id,
            )
        )
    ).scalar_one()
    return LogEntry(
        interaction=interaction,
        contact=contact_record(part(row, contacts)),
        planned=tuple(item for item in linked if item.opened_by_id == interaction_id),
        closed=tuple(item for item in linked if item.closed_by_id == interaction_id),
        fears=tuple(await fears_riding_on(conn, chat_id, interaction_id)),
        latest=newest == interaction_id,
    )


def _interaction_values(changes: InteractionChanges) -> dict[str, Any]:
    """The columns `changes` sets, as stored (CLEAR stores NULL)."""
    values: dict[str, Any] = {}
    for name in ("kind", "channel", "ask"):
        value = getattr(changes, name)
        if value is not None:
            values[name] = None if value is CLEAR else value.value
    if changes.note is not None:
        values["note"] = None if changes.note is CLEAR else changes.note
    if changes.at is not None:
        values["at"] = changes.at
    return values
