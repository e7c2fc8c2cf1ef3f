"""A batch of users' mornings read in a handful of set-based queries, whatever the batch's size.

The scheduled fan-out composes the morning messages of up to a batch of users at once: each
query below reads what one kind of row holds for the whole batch (`WHERE chat_id IN (...)`),
and the rows are split by chat in the order a one-user query would return them. A user's
morning is then composed in memory, from the same `MorningInputs` the one-user path reads.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.coaching.companies import company_key
from bot.coaching.domain import ContactSummary, FollowUpStatus, User
from bot.coaching.morning import MorningInputs
from storage.contacts import contact_summary, summaries_query
from storage.queries import Queries
from storage.rows import (
    contact_record,
    fear_record,
    follow_up_record,
    interaction_record,
    opportunity_record,
    part,
    user_record,
)
from storage.schema import (
    contacts,
    fears,
    follow_ups,
    interactions,
    opportunities,
    sent_messages,
    targets,
    users,
)


class MorningInputQueries(Queries):
    """Users and their mornings' inputs, for a batch of chats at a time."""

    async def users_by_chat(self, chat_ids: Collection[int]) -> dict[int, User]:
        """The users of these chats (a chat the bot has never seen is left out)."""
        if not chat_ids:
            return {}
        query = sa.select(users).where(users.c.chat_id.in_(chat_ids))
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return {row.chat_id: user_record(row) for row in rows}

    async def morning_inputs(
        self, batch: Sequence[User], claim_kinds: Collection[str]
    ) -> dict[int, MorningInputs]:
        """Each user's morning inputs, by chat id: seven queries for the whole batch. `claims`
        holds the keys of `claim_kinds` claimed in each user's sent-log."""
        if not batch:
            return {}
        chat_ids = [user.chat_id for user in batch]
        async with self._engine.connect() as conn:
            summaries = await _summaries(conn, chat_ids)
            waiting = await _by_chat(
                conn,
                sa.select(follow_ups, contacts)
                .join(contacts, contacts.c.id == follow_ups.c.contact_id)
                .where(
                    follow_ups.c.chat_id.in_(chat_ids),
                    follow_ups.c.status == FollowUpStatus.OPEN.value,
                )
                .order_by(follow_ups.c.due_at, follow_ups.c.id),
                lambda row: (
                    follow_up_record(part(row, follow_ups)),
                    contact_record(part(row, contacts)),
                ),
                follow_ups.c.chat_id,
            )
            logs = await _by_chat(
                conn,
                sa.select(interactions)
                .where(interactions.c.chat_id.in_(chat_ids))
                .order_by(interactions.c.at, interactions.c.id),
                interaction_record,
            )
            pipelines = await _by_chat(
                conn,
                sa.select(opportunities, contacts)
                .join(contacts, contacts.c.id == opportunities.c.contact_id)
                .where(opportunities.c.chat_id.in_(chat_ids))
                .order_by(opportunities.c.updated_at.desc(), opportunities.c.id.desc()),
                lambda row: (
                    opportunity_record(part(row, opportunities)),
                    contact_record(part(row, contacts)),
                ),
                opportunities.c.chat_id,
            )
            open_fears = await _by_chat(
                conn,
                sa.select(fears)
                .where(fears.c.chat_id.in_(chat_ids), fears.c.outcome.is_(None))
                .order_by(fears.c.created_at, fears.c.id),
                fear_record,
            )
            claims = await _claims(conn, chat_ids, claim_kinds)
        return {
            user.chat_id: MorningInputs(
                user=user,
                summaries=tuple(summaries.get(user.chat_id, ())),
                open_follow_ups=tuple(waiting.get(user.chat_id, ())),
                log=tuple(logs.get(user.chat_id, ())),
                pipeline=tuple(pipelines.get(user.chat_id, ())),
                open_fears=tuple(open_fears.get(user.chat_id, ())),
                claims=frozenset(claims.get(user.chat_id, ())),
            )
            for user in batch
        }


async def _by_chat(
    conn: AsyncConnection,
    query: sa.Select[Any],
    record: Callable[[Any], Any],
    chat_column: sa.ColumnElement[int] | None = None,
) -> dict[int, list[Any]]:
    """The query's rows as records, split by chat in the query's order (`chat_column` names
    the chat of a joined row; otherwise the row's own `chat_id`)."""
    if chat_column is not None:
        query = query.add_columns(chat_column.label("owner_chat_id"))
    split: dict[int, list[Any]] = defaultdict(list)
    for row in await conn.execute(query):
        owner = row.owner_chat_id if chat_column is not None else row.chat_id
        split[owner].append(record(row))
    return split


async def _summaries(
    conn: AsyncConnection, chat_ids: Sequence[int]
) -> dict[int, list[ContactSummary]]:
    """Every contact of these chats in brief, by chat, by id (as `contact_summaries`)."""
    query = summaries_query(contacts.c.chat_id.in_(chat_ids)).order_by(contacts.c.id)
    target_rows = await conn.execute(
        sa.select(targets.c.chat_id, targets.c.name).where(targets.c.chat_id.in_(chat_ids))
    )
    target_keys: dict[int, set[str]] = defaultdict(set)
    for chat_id, name in target_rows:
        target_keys[chat_id].add(company_key(name))
    split: dict[int, list[ContactSummary]] = defaultdict(list)
    for row in await conn.execute(query):
        split[row.chat_id].append(contact_summary(row, target_keys[row.chat_id]))
    return split


async def _claims(
    conn: AsyncConnection, chat_ids: Sequence[int], kinds: Collection[str]
) -> dict[int, list[tuple[str, str]]]:
    """The (kind, period) keys of these kinds claimed in each chat's sent-log."""
    query = sa.select(
        sent_messages.c.chat_id, sent_messages.c.kind, sent_messages.c.period_key
    ).where(sent_messages.c.chat_id.in_(chat_ids), sent_messages.c.kind.in_(list(kinds)))
    split: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for chat_id, kind, period_key in await conn.execute(query):
        split[chat_id].append((kind, period_key))
    return split
