"""The partnerships table: invites, and the accountability partners who accepted them.

Every change is a compare-and-set inside one transaction, so two replicas (or two taps) can
never both accept an invite, both end a partnership, or give a user two partners.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from bot.coaching.partners import Partnership
from storage.queries import Queries, insert_row
from storage.schema import partnerships

_OPEN = partnerships.c.ended_at.is_(None)
_ACCEPTED = partnerships.c.accepted_at.is_not(None)


class PartnerQueries(Queries):
    """Invites and partnerships, read and changed for the chats on either side."""

    async def create_invite(
        self, chat_id: int, *, digest: str, owner_name: str | None, now: datetime, until: datetime
    ) -> Partnership | None:
        """A new invite for the chat, cancelling the one it had; None when the chat has a
        partner already (at most one at a time)."""
        try:
            async with self._engine.begin() as conn:
                current = await conn.execute(
                    sa.select(partnerships.c.id).where(
                        partnerships.c.chat_id == chat_id, _OPEN, _ACCEPTED
                    )
                )
                if current.first() is not None:
                    return None
                await conn.execute(
                    partnerships.update()
                    .where(partnerships.c.chat_id == chat_id, _OPEN)
                    .values(ended_at=now)
                )
                row = await insert_row(
                    conn,
                    partnerships,
                    chat_id=chat_id,
                    code_digest=digest,
                    owner_name=owner_name,
                    created_at=now,
                    expires_at=until,
                )
        except IntegrityError:  # another replica opened one at the same moment
            return None
        return _record(row)

    async def open_partnership(self, chat_id: int) -> Partnership | None:
        """The chat's invite waiting for an answer, or its partnership, if it has either."""
        query = sa.select(partnerships).where(partnerships.c.chat_id == chat_id, _OPEN)
        return await self._one(query)

    async def invite_by_digest(self, digest: str) -> Partnership | None:
        """The invite a code was made for, whatever became of it."""
        return await self._one(sa.select(partnerships).where(partnerships.c.code_digest == digest))

    async def get_partnership(self, partnership_id: int) -> Partnership | None:
        """One partnership by id (the caller checks that the chat asking is on either side)."""
        return await self._one(sa.select(partnerships).where(partnerships.c.id == partnership_id))

    async def partnerships_as_partner(self, partner_chat_id: int) -> list[Partnership]:
        """The partnerships in which this chat is the partner, still going."""
        query = (
            sa.select(partnerships)
            .where(partnerships.c.partner_chat_id == partner_chat_id, _OPEN, _ACCEPTED)
            .order_by(partnerships.c.id)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [_record(row) for row in rows]

    async def accept_invite(
        self, partnership_id: int, *, partner_chat_id: int, partner_name: str, now: datetime
    ) -> Partnership | None:
        """Accept an open invite as this chat; None when it was accepted, refused, cancelled
        or expired first, or when it is the chat's own."""
        async with self._engine.begin() as conn:
            accepted = await conn.execute(
                partnerships.update()
                .where(
                    partnerships.c.id == partnership_id,
                    partnerships.c.chat_id != partner_chat_id,
                    partnerships.c.accepted_at.is_(None),
                    partnerships.c.expires_at > now,
                    _OPEN,
                )
                .values(partner_chat_id=partner_chat_id, partner_name=partner_name, accepted_at=now)
            )
            if accepted.rowcount == 0:
                return None
            row = (await conn.execute(_by_id(partnership_id))).one()
        return _record(row)

    async def end_partnership(self, partnership_id: int, now: datetime) -> Partnership | None:
        """End an invite or a partnership and forget who the partner was. Returns it as it
        was before, or None when it had ended already: only one caller ever gets it, so the
        other side is told once."""
        async with self._engine.begin() as conn:
            before = (await conn.execute(_by_id(partnership_id))).first()
            if before is None or before.ended_at is not None:
                return None
            ended = await conn.execute(
                partnerships.update()
                .where(partnerships.c.id == partnership_id, _OPEN)
                .values(ended_at=now, partner_chat_id=None, partner_name=None)
            )
            if ended.rowcount == 0:
                return None
        return _record(before)

    async def _one(self, query: sa.Select[Any]) -> Partnership | None:
        async with self._engine.connect() as conn:
            row = (await conn.execute(query)).first()
        return _record(row) if row else None


def _by_id(partnership_id: int) -> sa.Select[Any]:
    return sa.select(partnerships).where(partnerships.c.id == partnership_id)


def _record(row: Any) -> Partnership:
    return Partnership(
        id=row.id,
        chat_id=row.chat_id,
        owner_name=row.owner_name,
        created_at=row.created_at,
        expires_at=row.expires_at,
        partner_chat_id=row.partner_chat_id,
        partner_name=row.partner_name,
        accepted_at=row.accepted_at,
        ended_at=row.ended_at,
    )
