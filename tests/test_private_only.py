"""The coach works in private chats only, never re-runs an edited message, and ignores
commands meant for another bot (issue 11, points 2 and 3)."""

from __future__ import annotations

import sqlalchemy as sa

from bot.coaching.domain import Kind
from storage.schema import metadata
from tests.harness import CHAT, BotHarness

GROUP = -100_200
CHANNEL = -100_300
MEMBER_A, MEMBER_B = 7001, 7002


async def _rows_of(bot: BotHarness, chat_id: int) -> dict[str, int]:
    """Rows that mention `chat_id` in any table that has a chat_id column."""
    counts: dict[str, int] = {}
    async with bot.store.engine.connect() as conn:
        for table in metadata.sorted_tables:
            if "chat_id" in table.c:
                query = sa.select(sa.func.count()).where(table.c.chat_id == chat_id)
                counts[table.name] = (await conn.execute(query)).scalar_one()
    return {name: count for name, count in counts.items() if count}


async def _in_group(bot: BotHarness, sender: int, text: str) -> None:
    await bot.emulator.wait_processed(bot.emulator.send_in_group(GROUP, sender, text))


async def test_a_groups_commands_leave_no_row_and_get_one_pointer(bot: BotHarness) -> None:
    await _in_group(bot, MEMBER_A, "/start")
    await _in_group(bot, MEMBER_B, "/add Ana warm")
    await _in_group(bot, MEMBER_A, "/export")
    await _in_group(bot, MEMBER_B, "/delete")
    await _in_group(bot, MEMBER_A, "coffee with Ana")
    [pointer] = bot.emulator.messages(GROUP)  # told once, not five times
    assert "only work in a private chat" in pointer.text
    assert "https://t.me/outreach_coach_bot" in pointer.html
    for chat_id in (GROUP, MEMBER_A, MEMBER_B):
        assert await _rows_of(bot, chat_id) == {}
    assert bot.emulator.messages(MEMBER_A) == []


async def test_a_supergroup_is_a_group_too(bot: BotHarness) -> None:
    update_id = bot.emulator.send_in_group(GROUP, MEMBER_A, "/today", chat_type="supergroup")
    await bot.emulator.wait_processed(update_id)
    assert len(bot.emulator.messages(GROUP)) == 1
    assert await _rows_of(bot, GROUP) == {}


async def test_channel_posts_are_ignored(bot: BotHarness) -> None:
    await bot.emulator.wait_processed(bot.emulator.post_in_channel(CHANNEL, "/start"))
    await bot.emulator.wait_processed(bot.emulator.post_in_channel(CHANNEL, "messaged Ana"))
    assert bot.emulator.messages(CHANNEL) == []
    assert await _rows_of(bot, CHANNEL) == {}


async def test_a_command_for_another_bot_is_not_ours(bot: BotHarness) -> None:
    assert await bot.say("/help@otherbot") == []
    assert await bot.say("/frobnicate@otherbot") == []
    assert await _rows_of(bot, CHAT) == {}
    [help_text] = await bot.say("/help@outreach_coach_bot")
    assert "What I can do" in help_text.text


async def test_an_edited_message_is_not_a_second_log(bot: BotHarness) -> None:
    await bot.say("/add Ana")
    await bot.say("/reach Ana via email")
    assert await bot.store.count_interactions(CHAT, list(Kind)) == 1
    update_id = bot.emulator.edit_text(CHAT, "/reach Ana via linkedin")
    await bot.emulator.wait_processed(update_id)
    assert "Edits don't change what I saved" in bot.last().text
    update_id = bot.emulator.edit_text(CHAT, "coffee with Ana")
    await bot.emulator.wait_processed(update_id)
    log = await bot.store.interactions_of(CHAT)
    assert [(item.kind, item.channel) for item in log] == [(Kind.OUTREACH, "email")]
