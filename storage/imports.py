"""Imports: a file's people held until the user taps Import, then added in one transaction."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import fields
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.coaching.domain import Tier
from bot.coaching.imports.people import ImportedPerson, ImportSource, PendingImport, SkipReason
from bot.coaching.imports.plan import ContactUpdate
from bot.coaching.names import name_key
from storage.queries import Queries
from storage.rows import imported_person_record, pending_import_record
from storage.schema import contacts, pending_import_rows, pending_imports

# Rows go to the database this many at a time.
CHUNK = 500
_UPDATE_FIELDS = tuple(item.name for item in fields(ContactUpdate) if item.name != "contact_id")


class ImportQueries(Queries):
    """Holding, reading, confirming and dropping a chat's pending imports."""

    async def hold_import(
        self,
        chat_id: int,
        *,
        source: ImportSource,
        file_name: str | None,
        people: Sequence[ImportedPerson],
        skipped: Mapping[SkipReason, int],
        left_out: int,
        now: datetime,
        keep: int,
        drop_before: datetime,
    ) -> PendingImport:
        """Hold a file's people until Import or Cancel. The chat keeps at most `keep` pending
        imports (this one and the newest others); any made before `drop_before` go."""
        async with self._engine.begin() as conn:
            await _drop_old_imports(conn, chat_id, keep - 1, drop_before)
            row = (
                await conn.execute(
                    pending_imports.insert()
                    .values(
                        chat_id=chat_id,
                        source=source.value,
                        file_name=file_name,
                        skipped={reason.value: count for reason, count in skipped.items()},
                        left_out=left_out,
                        created_at=now,
                    )
                    .returning(*pending_imports.c)
                )
            ).one()
            values = [_person_values(row.id, chat_id, person) for person in people]
            for start in range(0, len(values), CHUNK):
                await conn.execute(pending_import_rows.insert(), values[start : start + CHUNK])
        return pending_import_record(row)

    async def pending_import(self, chat_id: int, import_id: int) -> PendingImport | None:
        """The pending import, only if it is this chat's (and not confirmed or cancelled)."""
        async with self._engine.connect() as conn:
            row = (await conn.execute(_import_query(chat_id, import_id))).first()
        return pending_import_record(row) if row else None

    async def pending_people(self, chat_id: int, import_id: int) -> list[ImportedPerson]:
        """The people of a pending import, in the order they were held."""
        query = (
            sa.select(pending_import_rows)
            .where(
                pending_import_rows.c.chat_id == chat_id,
                pending_import_rows.c.import_id == import_id,
            )
            .order_by(pending_import_rows.c.id)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [imported_person_record(row) for row in rows]

    async def keep_import_emails(
        self, chat_id: int, import_id: int, keep: bool
    ) -> PendingImport | None:
        """Whether Import keeps the e-mail addresses; the import as it now is (None: gone)."""
        async with self._engine.begin() as conn:
            await conn.execute(
                pending_imports.update()
                .where(pending_imports.c.chat_id == chat_id, pending_imports.c.id == import_id)
                .values(keep_emails=keep)
            )
            row = (await conn.execute(_import_query(chat_id, import_id))).first()
        return pending_import_record(row) if row else None

    async def drop_import(self, chat_id: int, import_id: int) -> bool:
        """Forget a pending import and its people; False when there was none."""
        async with self._engine.begin() as conn:
            return await _claim(conn, chat_id, import_id)

    async def apply_import(
        self,
        chat_id: int,
        import_id: int,
        *,
        tier: Tier,
        new: Sequence[ImportedPerson],
        updates: Sequence[ContactUpdate],
        keep_emails: bool,
        now: datetime,
    ) -> bool:
        """Add the new contacts and update the known ones, and forget the pending import, in
        one transaction; False (nothing changed) when it was confirmed or dropped already.
        A new contact whose name the chat has meanwhile is left as it is."""
        async with self._engine.begin() as conn:
            if not await _claim(conn, chat_id, import_id):
                return False
            values = [_new_contact(chat_id, person, tier, keep_emails, now) for person in new]
            insert = self._insert_once(contacts).on_conflict_do_nothing(
                index_elements=["chat_id", "name_key"]
            )
            for start in range(0, len(values), CHUNK):
                await conn.execute(insert, values[start : start + CHUNK])
            await _update_contacts(conn, chat_id, updates)
        return True


async def _claim(conn: AsyncConnection, chat_id: int, import_id: int) -> bool:
    """Delete the pending import (its people cascade): only one press can use it."""
    result = await conn.execute(
        pending_imports.delete().where(
            pending_imports.c.chat_id == chat_id, pending_imports.c.id == import_id
        )
    )
    return result.rowcount > 0


async def _drop_old_imports(
    conn: AsyncConnection, chat_id: int, keep: int, drop_before: datetime
) -> None:
    newest = (
        sa.select(pending_imports.c.id)
        .where(pending_imports.c.chat_id == chat_id)
        .order_by(pending_imports.c.id.desc())
        .limit(max(keep, 0))
    )
    kept = set((await conn.execute(newest)).scalars())
    old = sa.select(pending_imports.c.id).where(
        pending_imports.c.chat_id == chat_id,
        sa.or_(pending_imports.c.created_at < drop_before, pending_imports.c.id.not_in(kept)),
    )
    stale = list((await conn.execute(old)).scalars())
    if stale:
        await conn.execute(pending_imports.delete().where(pending_imports.c.id.in_(stale)))


def _person_values(import_id: int, chat_id: int, person: ImportedPerson) -> dict[str, Any]:
    return {
        "import_id": import_id,
        "chat_id": chat_id,
        "name": person.name,
        "company": person.company,
        "position": person.position,
        "profile_url": person.profile_url,
        "email": person.email,
        "connected_on": person.connected_on,
    }


def _new_contact(
    chat_id: int, person: ImportedPerson, tier: Tier, keep_emails: bool, now: datetime
) -> dict[str, Any]:
    return {
        "chat_id": chat_id,
        "name": person.name,
        "name_key": name_key(person.name),
        "tier": tier.value,
        "note": None,
        "introduced_by_id": None,
        "rest_until": None,
        "created_at": now,
        "company": person.company,
        "position": person.position,
        "profile_url": person.profile_url,
        "connected_on": person.connected_on,
        "email": person.email if keep_emails else None,
    }


async def _update_contacts(
    conn: AsyncConnection, chat_id: int, updates: Sequence[ContactUpdate]
) -> None:
    """Each update sets only its own fields: updates that set the same fields go together."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for update in updates:
        values = {name: getattr(update, name) for name in _UPDATE_FIELDS}
        changed = tuple(name for name, value in values.items() if value is not None)
        if changed:
            row = {f"new_{name}": values[name] for name in changed}
            groups.setdefault(changed, []).append({"contact": update.contact_id, **row})
    for changed, rows in groups.items():
        statement = (
            contacts.update()
            .where(contacts.c.chat_id == chat_id, contacts.c.id == sa.bindparam("contact"))
            .values({name: sa.bindparam(f"new_{name}") for name in changed})
        )
        for start in range(0, len(rows), CHUNK):
            await conn.execute(statement, rows[start : start + CHUNK])


def _import_query(chat_id: int, import_id: int) -> sa.Select[Any]:
    return sa.select(pending_imports).where(
        pending_imports.c.chat_id == chat_id, pending_imports.c.id == import_id
    )
