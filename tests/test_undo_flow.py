"""Issue 12, point 1: every "Logged" message can be taken back in a tap, and /undo shows what it
takes back first. The log goes with what it changed: the follow-up it planned, the one it
closed (open again as it was), the fear riding on it (waiting again)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.coaching.domain import FollowUpStatus, Kind
from tests.exports import exported, labels
from tests.harness import CHAT, BotHarness

UNDO = "↩️ Undo"


async def _kinds(bot: BotHarness) -> list[Kind]:
    return [item.kind for item in await bot.store.interactions_of(CHAT)]


async def test_an_unwanted_follow_up_is_undone_and_the_one_it_closed_comes_back(
    bot: BotHarness,
) -> None:
    await bot.say("/add Marta")
    await bot.say("/reach Marta via linkedin")
    await bot.press("Skip")  # how nervous: not today
    bot.clock.advance(timedelta(days=1))
    [prompt] = await bot.say("/reach")
    assert "Who did you reach out to?" in prompt.text
    [logged] = await bot.say("Marta")
    assert "Logged follow-up 1 of 3 with Marta (LinkedIn)" in logged.text
    assert UNDO in labels(bot)

    [] = await bot.press(UNDO)
    undone = bot.last()
    assert undone.text.startswith("↩️ Undone: Marta · Tue 24 Nov: 🔁 followed up by LinkedIn.")
    assert "Its follow-up for Tue 1 Dec is gone too." in undone.text
    assert "The follow-up due Thu 26 Nov is back on your list." in undone.text
    assert undone.buttons == []
    assert await _kinds(bot) == [Kind.OUTREACH]
    [(follow_up, _)] = await bot.store.open_follow_ups(CHAT)
    assert (follow_up.attempt, follow_up.closed_at) == (1, None)
    assert follow_up.due_at == datetime(2026, 11, 26, 9, 0, tzinfo=UTC)

    # The same Undo pressed again (a second tap, an old message): nothing changes.
    await bot.press_data(logged.buttons[-1][0].callback_data or "")
    assert bot.emulator.callback_answers[-1].get("text") == (
        "Already undone: that log is gone, nothing else changed."
    )
    assert await _kinds(bot) == [Kind.OUTREACH]

    document = await exported(bot)
    assert [(item["contact"], item["kind"]) for item in document["interactions"]] == [
        ("Marta", "outreach")
    ]
    assert [(item["attempt"], item["status"]) for item in document["follow_ups"]] == [(1, "open")]


async def test_undo_shows_what_it_takes_back_and_asks_first(bot: BotHarness) -> None:
    [nothing] = await bot.say("/undo")
    assert nothing.text == "Nothing to undo: there are no logs right now."
    await bot.say("/add Ana")
    [logged] = await bot.say("/reach Ana via email coffee")
    assert "how nervous" in logged.text  # a one-tap question: the way back is /undo, in words
    assert "Not right? /undo takes it back." in logged.text
    assert UNDO not in labels(bot)

    [question] = await bot.say("/undo")
    assert question.text.splitlines() == [
        "↩️ Undo your last log?",
        "Ana · Mon 23 Nov: 📨 reached out by email (asked for a coffee chat)",
        "• its follow-up planned for Thu 26 Nov goes too",
    ]
    assert labels(bot) == ["↩️ Yes, undo it", "Keep it"]
    await bot.press("Keep it")
    assert bot.last().text == "Okay, it stays as it is. 👍"
    assert await _kinds(bot) == [Kind.OUTREACH]

    await bot.say("/undo")
    await bot.press("↩️ Yes, undo it")
    assert bot.last().text.startswith("↩️ Undone: Ana · Mon 23 Nov")
    assert await _kinds(bot) == []
    assert await bot.store.open_follow_ups(CHAT) == []
    [again] = await bot.say("/undo")  # twice: nothing else is taken
    assert again.text == "Nothing to undo: there are no logs right now."


async def test_every_kind_of_logged_message_has_its_undo(bot: BotHarness) -> None:
    await bot.say("/add Ana")
    await bot.say("/add Bob")
    await bot.say("/reach Ana")
    await bot.press("Skip")
    [positive] = await bot.say("Ana replied, happy to chat next week")
    await bot.press("✅ Save")
    assert "Ana</b> replied" in bot.last().html
    assert positive.message_id == bot.last().message_id  # the summary became the log
    assert labels(bot) == ["☕ We had the chat", UNDO]

    [chat] = await bot.say("/chat Ana - she'll intro me to Lee")
    assert "Coffee chat with Ana logged" in chat.text
    assert labels(bot) == ["📌 Remind me in 2 weeks", "No next step", UNDO]
    await bot.press("📌 Remind me in 2 weeks")
    assert "I'll remind you to follow up on Mon 7 Dec" in bot.last().text
    assert labels(bot) == [UNDO]  # the edited message keeps its way back

    [gift] = await bot.say("/gave Bob shared the hiring article")
    assert "Logged: for Bob" in gift.text
    assert labels(bot) == [UNDO]

    await bot.say("/contacts")
    await bot.press("Bob")
    await bot.press("Reached out")
    await bot.press("✉️ Email")
    assert "Logged: email to Bob" in bot.last().text
    assert UNDO in labels(bot)

    # Taking the chat back takes its reminder with it.
    await bot.press(UNDO, chat_id=CHAT)  # Bob's outreach first: the newest Undo
    chat_message = next(
        message for message in bot.emulator.messages(CHAT) if message.message_id == chat.message_id
    )
    await bot.press_data(chat_message.buttons[-1][0].callback_data or "")
    assert await _kinds(bot) == [Kind.OUTREACH, Kind.REPLY_POSITIVE, Kind.GAVE]
    assert await bot.store.open_follow_ups(CHAT) == []


async def test_a_follow_up_done_from_the_list_can_be_undone(bot: BotHarness) -> None:
    await bot.say("/add Ana")
    await bot.say("/reach Ana via linkedin")
    await bot.press("Skip")
    bot.clock.advance(timedelta(days=3))
    await bot.say("/followups")
    await bot.press("✅ Ana")
    done = bot.last()
    assert "Logged follow-up 1 of 3 with Ana (LinkedIn)" in done.text
    await bot.press(UNDO)
    [(follow_up, _)] = await bot.store.open_follow_ups(CHAT)
    assert (follow_up.attempt, follow_up.status) == (1, FollowUpStatus.OPEN)


async def test_a_fear_riding_on_an_undone_outreach_waits_for_the_next_one(
    bot: BotHarness,
) -> None:
    await bot.say("/add Ana")
    await bot.say("/add Bob")
    await bot.say("/fear they'll ignore me")
    await bot.press("4")
    await bot.press("➡️ Next outreach")
    [logged] = await bot.say("/reach Ana")
    assert "rides on this one" in logged.text

    [question] = await bot.say("/undo")
    assert "• your fear “they'll ignore me” waits for your next outreach again" in question.text
    await bot.press("↩️ Yes, undo it")
    assert "Your fear “they'll ignore me” waits for your next outreach again." in bot.last().text
    [fear] = await bot.store.fears_of(CHAT)
    assert (fear.contact_id, fear.interaction_id) == (None, None)
    assert fear.tie_until == datetime(2026, 11, 24, tzinfo=UTC)

    [right] = await bot.say("/reach Bob")
    assert "rides on this one" in right.text
    [fear] = await bot.store.fears_of(CHAT)
    bob = next(c for c in await bot.store.list_contacts(CHAT) if c.name == "Bob")
    assert fear.contact_id == bob.id
