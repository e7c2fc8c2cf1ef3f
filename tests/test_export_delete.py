"""/export gives back everything that was logged; /delete leaves nothing of the chat behind."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from bot.usecases.schedules import sync_schedules
from storage.schema import metadata
from tests.harness import CHAT, BotHarness

OTHER_CHAT = CHAT + 1


async def _log_a_week(bot: BotHarness, chat_id: int = CHAT) -> None:
    await bot.say("/start", chat_id=chat_id)
    for label in ("Skip", "Keep UTC", "Skip (50)", "No date", "2", "Skip (3)", "Skip (08:00)"):
        await bot.press(label, chat_id=chat_id)
    await bot.say("Ana López, Bob", chat_id=chat_id)
    await bot.press("Done", chat_id=chat_id)
    await bot.say("/reach Ana via linkedin advice - asked about the PM role", chat_id=chat_id)
    bot.clock.advance(timedelta(hours=1))
    await bot.say("/reach Bob via email", chat_id=chat_id)
    await bot.say("/reply Ana positive", chat_id=chat_id)
    await bot.say("/chat Ana - she'll intro me to Lee", chat_id=chat_id)
    await bot.press("No next step", chat_id=chat_id)
    await bot.say("/gave Bob shared the hiring article", chat_id=chat_id)
    await bot.say("/fear she'll think I'm only after a job", chat_id=chat_id)
    await bot.press("3", chat_id=chat_id)


async def _export(bot: BotHarness) -> tuple[dict[str, object], dict[str, list[dict[str, str]]]]:
    before = len(bot.emulator.messages(CHAT))
    await bot.say("/export")
    json_file, zip_file = bot.emulator.messages(CHAT)[before:]
    assert json_file.kind == zip_file.kind == "document"
    assert json_file.filename == "outreach-coach-2026-11-23.json"
    assert json_file.data is not None
    assert zip_file.data is not None
    document = json.loads(json_file.data)
    with zipfile.ZipFile(io.BytesIO(zip_file.data)) as archive:
        tables = {
            name.removesuffix(".csv"): list(
                csv.DictReader(io.StringIO(archive.read(name).decode()))
            )
            for name in archive.namelist()
        }
    return document, tables


async def test_the_export_holds_what_was_logged_in_the_product_format(bot: BotHarness) -> None:
    await _log_a_week(bot)
    document, tables = await _export(bot)
    assert list(document) == [
        "user",
        "contacts",
        "interactions",
        "follow_ups",
        "fears",
        "opportunities",
        "targets",  # PRODUCT section 5: the target companies
        "partner",
    ]
    assert document["partner"] is None
    user = document["user"]
    assert isinstance(user, dict)
    assert (user["timezone"], user["morning_time"], user["daily_quota"]) == ("UTC", "08:00", 3)
    assert (user["weekly_chats"], user["goal_count"], user["goal_date"]) == (2, 50, None)
    assert [c["name"] for c in document["contacts"]] == ["Ana López", "Bob"]  # type: ignore[union-attr]
    interactions = document["interactions"]
    assert isinstance(interactions, list)
    assert [set(item) for item in interactions] == [
        {"contact", "kind", "channel", "ask", "note", "at"}
    ] * len(interactions)
    assert [(i["contact"], i["kind"], i["channel"], i["ask"]) for i in interactions] == [
        ("Ana López", "outreach", "linkedin", "advice"),
        ("Bob", "outreach", "email", None),
        ("Ana López", "reply_positive", None, None),
        ("Ana López", "coffee_chat", None, None),
        ("Bob", "gave", None, None),
    ]
    assert interactions[0]["note"] == "asked about the PM role"
    assert interactions[0]["at"] == "2026-11-23T09:00:00Z"
    assert interactions[1]["at"] == "2026-11-23T10:00:00Z"
    follow_ups = document["follow_ups"]
    assert isinstance(follow_ups, list)
    assert [(f["contact"], f["attempt"], f["status"], f["reason"]) for f in follow_ups] == [
        ("Ana López", 1, "replied", "no_reply"),
        ("Bob", 1, "open", "no_reply"),
        ("Ana López", 1, "replied", "book_chat"),  # planned by her yes, answered by the chat
    ]
    [fear] = document["fears"]  # type: ignore[misc]
    assert fear["text"] == "she'll think I'm only after a job"
    assert (fear["strength_before"], fear["outcome"]) == (3, None)
    assert user["scheduled_next"] == {
        "morning": "2026-11-24T08:00:00Z",
        "weekly_review": "2026-11-29T18:00:00Z",
    }
    assert [row["kind"] for row in tables["interactions"]] == [
        "outreach",
        "outreach",
        "reply_positive",
        "coffee_chat",
        "gave",
    ]
    assert tables["user"][0]["timezone"] == "UTC"
    assert tables["contacts"][0]["name"] == "Ana López"
    assert tables["fears"][0]["strength_before"] == "3"


async def test_the_export_holds_nothing_of_another_chat(bot: BotHarness) -> None:
    await bot.say("/add Secret Person", chat_id=OTHER_CHAT)
    await bot.say("/add Ana")
    document, _ = await _export(bot)
    assert "Secret" not in json.dumps(document)


async def _rows_of(bot: BotHarness, chat_id: int) -> dict[str, int]:
    counts = {}
    async with bot.store.engine.connect() as conn:
        for table in metadata.sorted_tables:
            if "chat_id" in table.c:
                query = sa.select(sa.func.count()).where(table.c.chat_id == chat_id)
                counts[table.name] = int((await conn.execute(query)).scalar_one())
    return counts


async def test_delete_asks_first_then_leaves_nothing_of_the_chat(bot: BotHarness) -> None:
    await _log_a_week(bot)
    await _log_a_week(bot, chat_id=OTHER_CHAT)
    user = await bot.store.get_user(CHAT)
    assert user is not None
    await sync_schedules(bot.store, user, bot.clock.now())
    other_before = await _rows_of(bot, OTHER_CHAT)
    [question] = await bot.say("/delete")
    assert "can't be undone" in question.text
    await bot.press("Keep my data")
    assert any(count for count in (await _rows_of(bot, CHAT)).values())
    await bot.say("/delete")
    await bot.press("Yes, delete everything")
    assert "everything I kept about you is deleted" in bot.last().text
    assert await _rows_of(bot, CHAT) == dict.fromkeys(other_before, 0)
    assert await _rows_of(bot, OTHER_CHAT) == other_before
    [nothing] = await bot.say("/export")
    assert "nothing to export" in nothing.text
    async with bot.store.engine.connect() as conn:
        assert (await conn.exec_driver_sql("PRAGMA integrity_check")).scalar() == "ok"
        assert (await conn.exec_driver_sql("PRAGMA foreign_key_check")).all() == []


async def test_after_delete_the_bot_treats_them_as_new(bot: BotHarness) -> None:
    await _log_a_week(bot)
    await bot.say("/delete")
    await bot.press("Yes, delete everything")
    [welcome] = await bot.say("/start")
    assert "what should I call you" in welcome.text
    [today] = await bot.say("/today")
    assert "0 of 3" in today.text


async def test_after_delete_no_deleted_text_is_readable_on_disk(
    bot: BotHarness, tmp_path: Path
) -> None:
    secrets = ["Zanzibar Quillfeather", "mentioned the tangerine reorg", "they'll laugh at my CV"]
    await bot.say(f"/add {secrets[0]} warm - {secrets[1]}")
    await bot.say(f"/fear {secrets[2]}")
    await bot.press("4")
    database = tmp_path / "coach.db"
    files = (database, Path(f"{database}-wal"))
    assert all(secret.encode() in _bytes_of(files) for secret in secrets)  # the test sees them
    await bot.say("/delete")
    await bot.press("Yes, delete everything")
    assert [secret for secret in secrets if secret.encode() in _bytes_of(files)] == []


def _bytes_of(paths: tuple[Path, ...]) -> bytes:
    """The files' contents, one after the other (a missing file is empty)."""
    return b"".join(path.read_bytes() for path in paths if path.exists())
