"""Small things a user notices, end to end (issue 12, point 10): buttons on upcoming follow-ups,
plurals, a pause in /settings, /start offering to review the plan, a skipped question that
leaves the message, long names on buttons, and toasts in the terminal chat."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

from bot.clock import OffsetClock
from bot.config import Settings
from bot.local.terminal import run_terminal_chat
from tests.harness import CHAT, BotHarness
from tests.test_morning_flow import labels, morning, set_up


async def test_upcoming_follow_ups_have_buttons_and_snooze_from_their_own_day(
    bot: BotHarness,
) -> None:
    await bot.say("/add Ana")
    await bot.say("/reach Ana")  # Monday: due Thursday
    [listing] = await bot.say("/followups")
    assert "Coming up (1)\n• Ana: Thu 26 Nov" in listing.text
    assert labels(listing) == ["✅ Ana", "⏰", "💬", "🌙"]
    await bot.press("⏰")
    assert bot.emulator.callback_answers[-1].get("text") == "Snoozed to Mon 30 Nov ⏰"
    [(follow_up, _)] = await bot.store.open_follow_ups(CHAT)
    assert follow_up.due_at.day == 30  # two days after Thursday is Saturday: Monday


async def test_plurals_read_right(bot: BotHarness) -> None:
    await set_up(bot, daily_quota=1, weekly_chats=1, goal_count=1, stall_days=60)
    assert "Today asks for 1 reach-out." in (await morning(bot, 11, 24)).text
    summary, _ = await bot.say("/progress")
    assert "🎯 0 of 1 coffee chat" in summary.text
    await bot.say("/settings")
    await bot.press("☕ Coffee chats a week")
    await bot.press("1")
    assert (
        "Your plan: 1 reach-out a day (Mon–Fri), 1 coffee chat a week, toward 1 coffee chat."
        in bot.last().text
    )
    [today] = await bot.say("/today")
    assert "0 of 1 reach-out" in today.text
    await bot.say("/add Ana")
    await bot.say("/chat Ana")
    assert "🎉 1 coffee chat: you reached your goal!" in bot.last().text


async def test_settings_show_a_pause_and_when_it_ends(bot: BotHarness) -> None:
    [menu] = await bot.say("/settings")
    assert "Paused" not in menu.text
    await bot.say("/pause 3")
    [menu] = await bot.say("/settings")
    assert "⏸ Paused: nudges start again on Thu 26 Nov." in menu.text
    await bot.say("/pause")
    [menu] = await bot.say("/settings")
    assert "⏸ Paused: no nudges until you /resume." in menu.text
    await bot.say("/resume")
    [menu] = await bot.say("/settings")
    assert "Paused" not in menu.text


async def test_start_for_a_known_user_offers_to_review_the_plan(bot: BotHarness) -> None:
    await set_up(bot, goal_count=30)
    [today] = await bot.say("/start")
    assert today.text.startswith("Today, Mon 23 Nov")
    assert "Want to look over your plan, or change it?" in today.text
    [plan] = await bot.press("🧭 Review my plan")
    assert plan.text.startswith("🧭 Your plan, Maria")
    assert "🎯 30 coffee chats (no end date yet)" in plan.text
    assert "📨 3 reach-outs a day, Mon–Fri" in plan.text
    assert "30 coffee chats to go: at your planned 2 chats a week" in plan.text
    await bot.press("⚙️ Change something")
    assert "Your settings" in bot.last().text
    assert bot.last().message_id == plan.message_id


async def test_the_nervousness_question_leaves_once_skipped_or_answered(bot: BotHarness) -> None:
    await bot.say("/add Ana")
    await bot.say("/add Bea")
    [logged] = await bot.say("/reach Ana")
    assert "how nervous were you" in logged.text
    await bot.press("Skip")
    [skipped] = [m for m in bot.emulator.messages(CHAT) if m.message_id == logged.message_id]
    assert "nervous" not in skipped.text
    assert skipped.text.startswith("📨 Logged: message to Ana.")
    assert skipped.text.endswith("/start sets it up in about a minute.")  # the rest stays
    # ... and keeps its formatting: Ana in bold, the setup hint in italics.
    [edit] = [call for call in bot.emulator.calls if call.method == "editMessageText"]
    units = skipped.text.encode("utf-16-le")  # entity offsets count UTF-16 code units
    marked = [
        (entity["type"], units[2 * entity["offset"] : 2 * (entity["offset"] + entity["length"])])
        for entity in edit.params["entities"]
    ]
    assert [(kind, part.decode("utf-16-le")) for kind, part in marked] == [
        ("bold", "Ana"),
        ("italic", "You're on the default plan for now. /start sets it up in about a minute."),
    ]
    bot.clock.advance(timedelta(days=1))
    [logged] = await bot.say("/reach Bea")
    await bot.press("4")
    [rated] = [m for m in bot.emulator.messages(CHAT) if m.message_id == logged.message_id]
    assert "🫣 Nerves before sending: 4/5." in rated.text
    assert [button.text for row in rated.buttons for button in row] == ["↩️ Undo"]


async def test_long_names_read_well_on_buttons(bot: BotHarness) -> None:
    await bot.say("/add Carla Mendes da Silva Santos")
    [today] = await bot.say("/today")
    assert labels(today) == ["📨 Carla Mendes da Silva…"]
    await bot.say("/reach Carla")
    bot.clock.advance(timedelta(days=3))
    [listing] = await bot.say("/followups")
    assert labels(listing)[0] == "✅ Carla Mendes…"


async def test_the_terminal_chat_prints_toasts(tmp_path: Path) -> None:
    output = io.StringIO()
    script = "/settings\n4\n5\n"  # 4: reach-outs a day; then the button "5"
    await run_terminal_chat(
        Settings(token=None, database_url=f"sqlite:///{tmp_path}/t.db"),
        OffsetClock(),
        input_stream=io.StringIO(script),
        output=output,
    )
    transcript = output.getvalue()
    assert "you> 5\n       (Saved ✅)\ncoach> (edited) ✅ 📨 Reach-outs a day: 5." in transcript
