"""Bad input gets a clear, friendly answer, and nothing is stored wrongly."""

from __future__ import annotations

import pytest

from bot.coaching.domain import Kind, PreferenceChanges
from tests.harness import CHAT, BotHarness

RIGHT_TO_LEFT_NAME = "مريم الحسن"
EMOJI_NAME = "Ana 🌻"


async def _nothing_stored(bot: BotHarness) -> None:
    assert await bot.store.list_contacts(CHAT) == []
    assert await bot.store.count_interactions(CHAT, list(Kind)) == 0


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("/add " + "x" * 300, "64"),
        ("/add    - only a note", "name"),
        ("/add \u200b\u200b", "name"),
        ("/reach Ana via pigeon", "email"),
        ("/gave Ana", "what"),
    ],
)
async def test_bad_commands_explain_and_store_nothing(
    bot: BotHarness, command: str, expected: str
) -> None:
    [reply] = await bot.say(command)
    assert expected.lower() in reply.text.lower()
    await _nothing_stored(bot)


async def test_a_5000_character_note_is_refused_whole(bot: BotHarness) -> None:
    [reply] = await bot.say("/add Ana - " + "n" * 5000)
    assert "1000" in reply.text
    await _nothing_stored(bot)


async def test_over_long_messages_are_refused_and_nothing_changes(bot: BotHarness) -> None:
    await bot.say("/add Ana")
    await bot.say("/chat Ana")
    [reply] = await bot.say("n" * 4096)
    assert "nothing was saved" in reply.text
    [contact] = await bot.store.list_contacts(CHAT)
    assert contact.note is None


async def test_emoji_and_right_to_left_names_round_trip(bot: BotHarness) -> None:
    await bot.say(f"/add {EMOJI_NAME}")
    await bot.say(f"/add {RIGHT_TO_LEFT_NAME} first")
    [reply] = await bot.say(f"/reach {RIGHT_TO_LEFT_NAME} via email")
    assert RIGHT_TO_LEFT_NAME in reply.text
    names = {contact.name for contact in await bot.store.list_contacts(CHAT)}
    assert names == {EMOJI_NAME, RIGHT_TO_LEFT_NAME}


async def test_html_in_names_is_shown_as_text(bot: BotHarness) -> None:
    [reply] = await bot.say("/add <b>Bob</b> & Co")
    assert "&lt;b&gt;Bob&lt;/b&gt; &amp; Co" in reply.html
    assert "<b>Bob</b> & Co" in reply.text


async def test_unknown_commands_and_gibberish_get_a_hint(bot: BotHarness) -> None:
    [reply] = await bot.say("/frobnicate now")
    assert "I don't know /frobnicate" in reply.text
    [reply] = await bot.say("asdf qwerty")
    assert "/help" in reply.text


async def test_forged_and_stale_buttons_change_nothing(bot: BotHarness) -> None:
    await bot.say("/add Ana")
    await bot.press_data("0:ct:1")
    await bot.press_data("1:ct:not-an-id")
    await bot.press_data("1:zz:1")
    await bot.press_data("1:ct:999999")
    await bot.press_data("1:rk:1:q")
    await bot.press_data("1:fu:1:d")
    answers = [answer.get("text") for answer in bot.emulator.callback_answers[-6:]]
    assert answers[:3] == ["This button has expired. /today has fresh ones."] * 3
    assert answers[3] == "That contact is no longer here."
    assert answers[4] == "That button has expired."
    assert answers[5] == "That follow-up is no longer here."
    assert await bot.store.count_interactions(CHAT, list(Kind)) == 0


async def test_another_chats_ids_are_refused(bot: BotHarness) -> None:
    other_chat = CHAT + 1
    await bot.say("/add Secret Person", chat_id=other_chat)
    [secret] = await bot.store.list_contacts(other_chat)
    await bot.say("/add Ana")
    await bot.press_data(f"1:ct:{secret.id}")
    await bot.press_data(f"1:rc:{secret.id}:email")
    assert "Secret" not in " ".join(message.text for message in bot.emulator.messages(CHAT))
    assert await bot.store.count_interactions(other_chat, list(Kind)) == 0


async def test_stickers_and_photos_get_a_polite_answer(bot: BotHarness) -> None:
    update_id = bot.emulator.share_location(CHAT, 38.72, -9.14)
    await bot.emulator.wait_processed(update_id)
    assert "time zone" in bot.last().text


async def test_forged_quick_answers_are_refused_and_today_still_answers(bot: BotHarness) -> None:
    await bot.say("/start")
    await bot.press("Skip")  # name
    await bot.press("Keep UTC")
    before = await bot.store.get_user(CHAT)
    for forged in ("1:ob:goal:0", "1:ob:goal:1000000000", "1:ob:quota:1000000000"):
        await bot.press_data(forged)
        assert bot.emulator.callback_answers[-1].get("text") == "That button has expired."
    assert await bot.store.get_user(CHAT) == before


async def test_huge_stored_numbers_still_render_at_once(bot: BotHarness) -> None:
    await bot.say("/start")
    # As an older version could have stored from a forged button:
    await bot.store.update_preferences(
        CHAT, PreferenceChanges(daily_quota=10**9, goal_count=10**9, weekly_chats=10**9)
    )
    [today] = await bot.say("/today")
    assert "0 of 1000000000 reach-outs ○○○○○○○○○○" in today.text
    assert len(today.text) < 500
