"""The morning message end to end (issue 12, points 5 and 6): one phone screen, a tap changes
only its own line, and after a restart nudge the mornings stay one small step until the user
reaches out again."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from bot.coaching.domain import FollowUpReason, Kind, PreferenceChanges
from bot.coaching.morning import MAX_MORNING_BUTTONS
from bot.local.emulator import BotMessage
from bot.usecases.schedules import sync_schedules
from tests.harness import CHAT, BotHarness

NAMES = ("Rui", "Carla Mendes da Silva Santos", "Helen", "Marta", "Tiago", "Ines")


async def set_up(bot: BotHarness, **settings: object) -> None:
    """Maria, onboarded on Monday 23 November (UTC, mornings at 08:00, weekends off)."""
    now = bot.clock.now()
    await bot.store.ensure_user(CHAT, now)
    values: dict[str, object] = {"name": "Maria", "stall_days": 3, "fear_prompts": "never"}
    await bot.store.update_preferences(CHAT, PreferenceChanges(**(values | settings)))  # type: ignore[arg-type]
    user = await bot.store.set_onboarding(CHAT, None, onboarded_at=now)
    await sync_schedules(bot.store, user, now)


async def morning(bot: BotHarness, month: int, day: int) -> BotMessage:
    """Tick at 08:00 UTC that day; the one message sent."""
    before = len(bot.emulator.messages(CHAT))
    bot.clock.move_to(datetime(2026, month, day, 8, 0, tzinfo=UTC))
    await bot.tick()
    sent = bot.emulator.messages(CHAT)[before:]
    assert len(sent) == 1, [message.text for message in sent]
    return sent[0]


def labels(message: BotMessage) -> list[str]:
    return [button.text for row in message.buttons for button in row]


async def tap(bot: BotHarness, message: BotMessage, label: str, nth: int = 0) -> list[BotMessage]:
    """Press the `nth` button labelled `label` on this very message, as it is now."""
    before = len(bot.emulator.messages(CHAT))
    found = [button for row in current(bot, message).buttons for button in row]
    data = [button.callback_data for button in found if button.text == label][nth]
    assert data is not None
    await bot.emulator.wait_processed(bot.emulator.press(CHAT, message.message_id, data))
    return bot.emulator.messages(CHAT)[before:]


def current(bot: BotHarness, message: BotMessage) -> BotMessage:
    """A message as it is now (after edits)."""
    [now] = [m for m in bot.emulator.messages(CHAT) if m.message_id == message.message_id]
    return now


async def export(bot: BotHarness) -> dict[str, list[dict[str, object]]]:
    before = len(bot.emulator.messages(CHAT))
    await bot.say("/export")
    data = bot.emulator.messages(CHAT)[before].data
    assert data is not None
    document: dict[str, list[dict[str, object]]] = json.loads(data)
    return document


async def test_six_follow_ups_on_the_day_after_a_restart_nudge(bot: BotHarness) -> None:
    await set_up(bot)
    for name in (*NAMES, "Joana"):
        await bot.say(f"/add {name}")
    for name in NAMES:
        await bot.say(f"/reach {name.split()[0]}")  # Monday: six reach-outs
    for day in (24, 25, 26):  # quiet Tuesday to Thursday; the follow-ups come due Thursday
        await morning(bot, 11, day)
    nudge = await morning(bot, 11, 27)  # Friday: the restart nudge
    assert "it's been a few quiet days" in nudge.text
    assert labels(nudge) == ["📨 Done: Joana"]

    # Monday, the day after the nudge (the weekend rests): still one small step, not six
    # follow-ups and thirty buttons.
    monday = await morning(bot, 11, 30)
    assert monday.text.startswith("☀️ Good morning, Maria! Just one small step today.")
    assert "send Joana a two-line hello" in monday.text
    assert "Your 6 follow-ups can wait in /followups" in monday.text
    assert labels(monday) == ["📨 Done: Joana"]
    await bot.press("📨 Done: Joana")
    await bot.press("💬 Message")
    assert "Logged: message to Joana" in bot.last().text

    # Tuesday: back in rhythm, the full morning fits one phone screen.
    tuesday = await morning(bot, 12, 1)
    assert "🔁 Follow-ups due (6), silence is usually just busy:" in tuesday.text
    assert "• Rui (follow-up 1 of 3)" in tuesday.text
    assert "• Carla Mendes da Silva Santos (follow-up 1 of 3)" in tuesday.text
    assert "• Helen (follow-up 1 of 3)" in tuesday.text
    assert "Marta" not in tuesday.text
    assert "…and 3 more: /followups" in tuesday.text
    assert labels(tuesday) == ["✅ Rui", "⋯", "✅ Carla Mendes…", "⋯", "✅ Helen", "⋯"]
    assert len(labels(tuesday)) <= MAX_MORNING_BUTTONS
    assert len(tuesday.text.splitlines()) <= 16

    # Followed up with Rui: his line says so, everything else stays.
    [logged] = await tap(bot, tuesday, "✅ Rui")
    assert "Logged follow-up 1 of 3 with Rui" in logged.text
    after = current(bot, tuesday)
    assert "• Rui: ✅ followed up" in after.text
    assert (
        after.text.replace("• Rui: ✅ followed up", "• Rui (follow-up 1 of 3)").replace(
            "Today asks for 2 reach-outs. (1 done already.)", "Today asks for 3 reach-outs."
        )
        == tuesday.text
    )
    assert labels(after) == ["✅ Carla Mendes…", "⋯", "✅ Helen", "⋯"]
    assert bot.emulator.callback_answers[-1].get("text") == "Followed up ✅"

    # Carla replied: "⋯", then "replied", then how, all on her row.
    await tap(bot, tuesday, "⋯")  # Carla's
    assert labels(current(bot, tuesday)) == [
        "💬 Carla Mendes… replied",
        "⏰ 2 days",
        "🌙 Rest",
        "✅ Helen",
        "⋯",
    ]
    await tap(bot, tuesday, "💬 Carla Mendes… replied")
    assert labels(current(bot, tuesday))[:3] == ["👍 Carla Mendes…: yes", "🙅 No", "⏳ Later"]
    [reply] = await tap(bot, tuesday, "👍 Carla Mendes…: yes")
    assert "Carla Mendes da Silva Santos</b> replied!" in reply.html
    final = current(bot, tuesday)
    assert "• Carla Mendes da Silva Santos: 💬 said yes! I'll check on Fri 4 Dec" in final.text
    assert "• Rui: ✅ followed up" in final.text
    assert "• Helen (follow-up 1 of 3)" in final.text
    assert labels(final) == ["✅ Helen", "⋯"]

    # Helen can wait two days: her line says when she is back.
    await tap(bot, tuesday, "⋯")
    await tap(bot, tuesday, "⏰ 2 days")
    assert "• Helen: ⏰ back on Thu 3 Dec" in current(bot, tuesday).text
    assert labels(current(bot, tuesday)) == []

    document = await export(bot)
    kinds = [(item["contact"], item["kind"]) for item in document["interactions"]]
    assert ("Rui", "follow_up") in kinds
    assert ("Carla Mendes da Silva Santos", "reply_positive") in kinds
    follow_ups = {
        (item["contact"], item["status"], item["reason"]) for item in document["follow_ups"]
    }
    assert ("Carla Mendes da Silva Santos", "open", FollowUpReason.BOOK_CHAT.value) in follow_ups
    assert ("Rui", "done", "no_reply") in follow_ups


async def test_restart_mode_lasts_until_the_user_reaches_out(bot: BotHarness) -> None:
    await set_up(bot)
    await bot.say("/add Ana")
    await bot.say("/reach Ana")  # Monday 23; nothing more that week
    for day in (24, 25, 26):
        await morning(bot, 11, day)
    assert "quiet days" in (await morning(bot, 11, 27)).text
    small_steps = [await morning(bot, 11, 30), await morning(bot, 12, 1), await morning(bot, 12, 2)]
    for message in small_steps:
        assert "Just one small step today." in message.text
        assert "quiet days" not in message.text  # the nudge itself came once
        assert "a friendly two-line nudge to <b>Ana</b>" in message.html
        assert labels(message) == ["📨 Done: Ana"]
    # A reply or a chat is not the user reaching out; an outreach is.
    await bot.say("/reply Ana later")
    assert "Just one small step today." in (await morning(bot, 12, 3)).text
    await bot.say("/reach Ana")
    thursday_after = await morning(bot, 12, 4)
    assert "Today asks for 3 reach-outs." in thursday_after.text
    kinds = [kind for kind, _, _ in await bot.store.sent_log(CHAT)]
    assert kinds.count("restart") == 1
    assert await bot.store.count_interactions(CHAT, (Kind.FOLLOW_UP,)) == 1


async def test_the_fear_question_comes_only_on_a_light_day(bot: BotHarness) -> None:
    await set_up(bot, fear_prompts="daily", stall_days=60)
    for name in ("Ana", "Bea", "Cy", "Dee"):
        await bot.say(f"/add {name}")
    await bot.say("/reach Ana")
    light = await morning(bot, 11, 24)  # nothing due yet
    assert "what are you afraid might happen today?" in light.text
    assert "Not today" in labels(light)
    for name in ("Bea", "Cy"):
        await bot.say(f"/reach {name}")
    busy = await morning(bot, 11, 27)  # three follow-ups due Friday
    assert "Follow-ups due (3)" in busy.text
    assert "afraid" not in busy.text
    assert len(labels(busy)) <= MAX_MORNING_BUTTONS


async def test_a_follow_up_answered_elsewhere_catches_up_in_the_morning(
    bot: BotHarness,
) -> None:
    await set_up(bot, stall_days=60)
    await bot.say("/add Ana")
    await bot.say("/reach Ana")
    thursday = await morning(bot, 11, 26)
    await bot.say("/reach Ana via email")  # followed up by a command instead
    await tap(bot, thursday, "✅ Ana")
    assert bot.emulator.callback_answers[-1].get("text") == "Already done ✅"
    assert "• Ana: ✅ followed up" in current(bot, thursday).text
    assert labels(current(bot, thursday)) == []
    assert await bot.store.count_interactions(CHAT, (Kind.FOLLOW_UP,)) == 1


async def test_an_older_morning_still_works_and_loses_its_buttons(bot: BotHarness) -> None:
    await set_up(bot, stall_days=60)
    await bot.say("/add Ana")
    await bot.say("/add Bea")
    await bot.say("/reach Ana")
    await bot.say("/reach Bea")
    thursday = await morning(bot, 11, 26)
    await morning(bot, 11, 27)  # the next morning; Thursday's buttons are still there
    [logged] = await tap(bot, thursday, "✅ Ana")
    assert "Logged follow-up 1 of 3 with Ana" in logged.text
    assert current(bot, thursday).buttons == []
    bea_more = thursday.buttons[1][1].callback_data
    assert bea_more is not None
    await bot.emulator.wait_processed(bot.emulator.press(CHAT, thursday.message_id, bea_more))
    assert "has today's buttons" in str(bot.emulator.callback_answers[-1].get("text"))
