"""Issue 12, point 2: names are taken as the user meant them. A list adds each name; a name that
looks like a time, a number or a sentence is asked about before it is stored; "Someone new…"
is someone new even when the name is close to one the user has."""

from __future__ import annotations

from bot.coaching.domain import Kind
from tests.exports import exported, labels
from tests.harness import CHAT, BotHarness


async def _names(bot: BotHarness) -> list[str]:
    return [contact.name for contact in await bot.store.list_contacts(CHAT)]


async def test_add_takes_a_list_of_names(bot: BotHarness) -> None:
    [added] = await bot.say("/add Rui, Carla Mendes, Helen O'Brien")
    assert added.text.splitlines()[:4] == [
        "👤 Added 3:",
        "• Rui · warm",
        "• Carla Mendes · warm",
        "• Helen O'Brien · warm",
    ]
    [again] = await bot.say("/add Rui, Bea first - met at the UX meetup, Lisbon")
    assert "• Bea · LinkedIn 1st" in again.text
    assert "Rui</b> is already in your contacts." in again.html
    assert await _names(bot) == ["Bea", "Carla Mendes", "Helen O'Brien", "Rui"]
    document = await exported(bot)
    bea = next(item for item in document["contacts"] if item["name"] == "Bea")
    assert (bea["tier"], bea["note"]) == ("first", "met at the UX meetup, Lisbon")


async def test_a_sentence_for_a_name_is_questioned_before_it_is_stored(bot: BotHarness) -> None:
    [question] = await bot.say("/add Inês from my old school")
    assert question.text == "Is the name Inês? I'll keep “from my old school” as a note."
    assert labels(bot) == ["✅ Yes, “Inês”", "Keep as typed", "Cancel"]
    assert await _names(bot) == []  # nothing stored before the answer
    await bot.press("✅ Yes, “Inês”")
    assert bot.last().text.startswith("👤 Added Inês · warm.")
    [contact] = await bot.store.list_contacts(CHAT)
    assert (contact.name, contact.note) == ("Inês", "from my old school")


async def test_a_time_for_a_name_can_be_cancelled_or_kept(bot: BotHarness) -> None:
    [question] = await bot.say("/add 8:00")
    assert question.text == "“8:00” looks like a time, not a name. Save it as a name anyway?"
    assert labels(bot) == ["Keep as typed", "Cancel"]
    await bot.press("Cancel")
    assert bot.last().text == "Okay: nothing was saved."
    assert await _names(bot) == []
    await bot.say("/add 42")
    await bot.press("Keep as typed")
    assert await _names(bot) == ["42"]


async def test_onboarding_asks_about_a_time_among_the_names(bot: BotHarness) -> None:
    await bot.say("/start")
    for label in ("Skip", "Keep UTC", "Skip (50)", "No date", "2", "Skip (3)", "Skip (08:00)"):
        await bot.press(label)
    added, question = await bot.say("Ana, 8:00\nBob and Priya")
    assert "Added Ana, Bob, Priya. 👥" in added.text
    assert question.text.startswith("“8:00” looks like a time")
    await bot.press("Cancel")
    await bot.press("Done")
    assert await _names(bot) == ["Ana", "Bob", "Priya"]


async def test_onboarding_asks_first_when_the_only_name_is_doubtful(bot: BotHarness) -> None:
    await bot.say("/start")
    for label in ("Skip", "Keep UTC", "Skip (50)", "No date", "2", "Skip (3)", "Skip (08:00)"):
        await bot.press(label)
    question, prompt = await bot.say("42")
    assert question.text.startswith("“42” looks like a number")
    assert prompt.text == "Send more names, or tap Done when you have your first few."
    await bot.press("Keep as typed")
    await bot.press("Done")
    assert await _names(bot) == ["42"]


async def test_reach_to_a_sentence_asks_the_name_then_logs(bot: BotHarness) -> None:
    [question] = await bot.say("/reach Inês from my old school via email")
    assert question.text == (
        "I don't have Inês from my old school in your contacts. "
        "Is the name Inês? I'll keep “from my old school” as a note."
    )
    await bot.press("✅ Yes, “Inês”")
    assert "Logged: email to Inês" in bot.last().text
    [contact] = await bot.store.list_contacts(CHAT)
    assert (contact.name, contact.note) == ("Inês", "from my old school")


async def test_someone_new_is_new_even_when_the_name_is_close(bot: BotHarness) -> None:
    await bot.say("/add Helen O'Brien, Carla Mendes")
    [summary] = await bot.say("messaged Helen on LinkedIn")
    assert "Outreach to Helen O'Brien" in summary.text  # the likely one, first
    await bot.press("Change contact")
    await bot.press("Someone new…")
    [new] = await bot.say("Helen")
    assert "New contact: saving adds Helen." in new.text
    await bot.press("✅ Save")
    assert "Logged: LinkedIn to Helen." in bot.last().text

    await bot.say("coffee with Carla Mendes")
    await bot.press("Change contact")
    await bot.press("Someone new…")
    await bot.say("Carla")
    await bot.press("✅ Save")
    assert await _names(bot) == ["Carla", "Carla Mendes", "Helen", "Helen O'Brien"]
    document = await exported(bot)
    assert [(item["contact"], item["kind"]) for item in document["interactions"]] == [
        ("Helen", Kind.OUTREACH.value),
        ("Carla", Kind.COFFEE_CHAT.value),
    ]


async def test_someone_new_with_a_sentence_for_a_name_is_asked_about(bot: BotHarness) -> None:
    await bot.say("/add Bea")
    await bot.say("coffee with Bea")
    await bot.press("Change contact")
    await bot.press("Someone new…")
    await bot.say("Tomás who runs the meetup")
    await bot.press("✅ Save")
    assert bot.last().text == "Is the name Tomás? I'll keep “who runs the meetup” as a note."
    await bot.press("✅ Yes, “Tomás”")
    assert "Coffee chat with Tomás logged" in bot.last().text
    tomas = next(c for c in await bot.store.list_contacts(CHAT) if c.name == "Tomás")
    assert tomas.note == "who runs the meetup"
