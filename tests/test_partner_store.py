"""The partnerships table on SQLite and PostgreSQL alike: one open invite or partnership per
user, accepted once, ended once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from bot.coaching.partners import Partnership
from storage import Store
from storage.schema import partnerships
from tests.postgres import fresh_postgres_database

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
WEEK = timedelta(days=7)
SAM, KIM, LEE = 1, 2, 3
NAMES = {SAM: "Sam", KIM: "Kim", LEE: "Lee"}


@pytest.fixture(params=["sqlite", "postgresql"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    """The same contract on an SQLite file and on a fresh PostgreSQL database, three users."""
    if request.param == "sqlite":
        async with _opened(f"sqlite:///{tmp_path / 'store.db'}") as opened:
            yield opened
        return
    async with fresh_postgres_database() as url, _opened(url) as opened:
        yield opened


@asynccontextmanager
async def _opened(url: str) -> AsyncIterator[Store]:
    opened = await Store.open(url)
    try:
        for chat in (SAM, KIM, LEE):
            await opened.ensure_user(chat, NOW)
        yield opened
    finally:
        await opened.close()


async def _invite(store: Store, digest: str) -> int:
    invite = await store.create_invite(
        SAM, digest=digest, owner_name="Sam", now=NOW, until=NOW + WEEK
    )
    assert invite is not None
    return invite.id


async def _accept(store: Store, invite: int, chat: int, now: datetime) -> Partnership | None:
    return await store.accept_invite(
        invite, partner_chat_id=chat, partner_name=NAMES[chat], now=now
    )


async def test_a_new_invite_cancels_the_old_one(store: Store) -> None:
    first = await _invite(store, "a" * 64)
    second = await _invite(store, "b" * 64)
    assert (await store.get_partnership(first)).ended_at == NOW  # type: ignore[union-attr]
    assert (await store.open_partnership(SAM)).id == second  # type: ignore[union-attr]
    assert await _accept(store, first, KIM, NOW) is None


async def test_an_invite_is_accepted_once_never_by_its_owner_nor_late(store: Store) -> None:
    invite = await _invite(store, "a" * 64)
    assert await _accept(store, invite, SAM, NOW) is None
    late = NOW + WEEK
    assert await _accept(store, invite, KIM, late) is None
    accepted = await _accept(store, invite, KIM, NOW)
    assert accepted is not None
    assert (accepted.partner_chat_id, accepted.partner_name, accepted.active) == (KIM, "Kim", True)
    assert await _accept(store, invite, LEE, NOW) is None
    assert [p.id for p in await store.partnerships_as_partner(KIM)] == [invite]
    # One partner at a time: no new invite while it lasts.
    assert (
        await store.create_invite(SAM, digest="c" * 64, owner_name=None, now=NOW, until=late)
        is None
    )


async def test_ending_happens_once_and_forgets_the_partner(store: Store) -> None:
    invite = await _invite(store, "a" * 64)
    await _accept(store, invite, KIM, NOW)
    ended = await store.end_partnership(invite, NOW)
    assert ended is not None
    assert (ended.partner_chat_id, ended.partner_name) == (KIM, "Kim")  # as it was, to tell Kim
    assert await store.end_partnership(invite, NOW) is None
    after = await store.get_partnership(invite)
    assert after is not None
    assert (after.partner_chat_id, after.partner_name, after.ended_at) == (None, None, NOW)
    assert await store.partnerships_as_partner(KIM) == []
    assert await store.open_partnership(SAM) is None
    assert await _invite(store, "b" * 64)  # free to invite again


async def test_the_database_refuses_a_second_open_row(store: Store) -> None:
    await _invite(store, "a" * 64)
    with pytest.raises(IntegrityError):
        async with store.engine.begin() as conn:
            await conn.execute(
                partnerships.insert().values(
                    chat_id=SAM, code_digest="b" * 64, created_at=NOW, expires_at=NOW + WEEK
                )
            )


async def test_the_partners_user_row_going_clears_them(store: Store) -> None:
    invite = await _invite(store, "a" * 64)
    await _accept(store, invite, KIM, NOW)
    await store.delete_chat(KIM)
    after = await store.get_partnership(invite)
    assert after is not None
    assert after.partner_chat_id is None
