"""Pending questions and drafts: typed values stored as versioned JSON, and the migration that
turned the old string prefixes into them."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.engine import Connection

from bot.coaching.domain import Ask, Channel, Kind
from bot.coaching.pending import (
    AwaitDraftName,
    AwaitFear,
    AwaitGift,
    AwaitLogArguments,
    AwaitNewContact,
    AwaitNextStep,
    AwaitOnboarding,
    AwaitOpportunityTitle,
    AwaitSetting,
    AwaitTargetName,
    LogCommand,
    LogOrigin,
    PendingFear,
    PendingLog,
    draft_from_payload,
    draft_kind,
    draft_to_payload,
    question_from_json,
    question_to_json,
)
from storage import Store
from storage.database import MIGRATIONS_DIR, create_engine

ids = st.integers(min_value=1, max_value=10**12 - 1)
questions = st.one_of(
    st.just(AwaitOnboarding()),
    st.builds(AwaitLogArguments, st.sampled_from(LogCommand)),
    st.just(AwaitNewContact()),
    st.builds(AwaitNextStep, ids),
    st.builds(AwaitGift, ids),
    st.builds(AwaitSetting, st.sampled_from(["tz", "mt", "rd"])),
    st.just(AwaitFear()),
    st.builds(AwaitDraftName, ids),
    st.builds(AwaitOpportunityTitle, ids),
    st.just(AwaitTargetName()),
)
logs = st.builds(
    PendingLog,
    st.sampled_from(LogOrigin),
    st.sampled_from(Kind),
    st.text(min_size=1, max_size=64),
    contact_id=st.none() | ids,
    channel=st.none() | st.sampled_from(Channel),
    ask=st.none() | st.sampled_from(Ask),
    note=st.none() | st.text(max_size=100),
    days_ago=st.integers(min_value=0, max_value=3650),
)


@given(questions)
def test_every_question_round_trips_and_fits_its_column(question: object) -> None:
    stored = question_to_json(question)  # type: ignore[arg-type]
    assert len(stored) <= 64
    assert question_from_json(stored) == question


@given(logs | st.builds(PendingFear, st.text(max_size=300)))
def test_every_draft_round_trips(draft: PendingLog | PendingFear) -> None:
    assert draft_from_payload(draft_kind(draft), draft_to_payload(draft)) == draft


@pytest.mark.parametrize(
    "stored",
    [
        None,
        "",
        "opp:12",  # the old format
        "cmd:",
        "not json",
        "[1, 2]",
        '{"q": "fear"}',  # no version
        '{"v": 2, "q": "fear"}',
        '{"v": 1, "q": "nothing"}',
        '{"v": 1, "q": "gift"}',  # a field missing
        '{"v": 1, "q": "gift", "contact_id": "12"}',
        '{"v": 1, "q": "gift", "contact_id": true}',
        '{"v": 1, "q": "fear", "contact_id": 3}',  # a field too many
        '{"v": 1, "q": "log_arguments", "command": "delete"}',
    ],
)
def test_anything_else_reads_as_no_question(stored: str | None) -> None:
    assert question_from_json(stored) is None


@pytest.mark.parametrize(
    ("kind", "payload"),
    [
        ("sentence", {"name": "Ana", "command": "reach"}),  # the old format
        ("log", {"v": 1, "origin": "sentence", "kind": "outreach"}),
        ("log", {"v": 1, "origin": "sentence", "kind": "lunch", "name": "Ana"}),
        ("fear", {"v": 1, "text": 5}),
        ("ghost", {"v": 1, "text": "x"}),
    ],
)
def test_a_draft_not_in_our_format_reads_as_none(kind: str, payload: object) -> None:
    assert draft_from_payload(kind, payload) is None


OLD_VALUES = {
    1: ("onboarding", AwaitOnboarding()),
    2: ("cmd:add", AwaitNewContact()),
    3: ("cmd:reach", AwaitLogArguments(LogCommand.REACH)),
    4: ("next:7", AwaitNextStep(7)),
    5: ("gave:8", AwaitGift(8)),
    6: ("set:mt", AwaitSetting("mt")),
    7: ("fear:", AwaitFear()),
    8: ("dn:9", AwaitDraftName(9)),
    9: ("opp:10", AwaitOpportunityTitle(10)),
    10: ("opp:ten", None),
}


async def test_the_migration_turns_old_prefixes_into_typed_questions(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_engine(url)
    now = datetime(2026, 11, 1, tzinfo=UTC)

    def upgrade_to(connection: Connection, revision: str) -> None:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

    async with engine.begin() as connection:
        await connection.run_sync(upgrade_to, "0005")
        for chat_id, (old, _) in OLD_VALUES.items():
            await connection.execute(
                sa.text(
                    "INSERT INTO users (chat_id, timezone, goal_count, weekly_chats, daily_quota,"
                    " morning_time, follow_up_days, rest_days, awaiting, created_at) VALUES"
                    " (:chat, 'UTC', 50, 2, 3, '08:00', '3,7,14', '5,6', :old, :now)"
                ),
                {"chat": chat_id, "old": old, "now": now.isoformat()},
            )
    await engine.dispose()
    store = await Store.open(url)
    try:
        for chat_id, (_, question) in OLD_VALUES.items():
            user = await store.get_user(chat_id)
            assert user is not None
            assert user.awaiting == question, chat_id
    finally:
        await store.close()
