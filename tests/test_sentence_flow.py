"""Plain sentences end to end: understood, shown back, stored only on Save."""

from __future__ import annotations

import string
from datetime import UTC, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.coaching.domain import Channel, Contact, Interaction, Kind, Tier, User
from bot.coaching.pending import LogOrigin, PendingLog
from bot.local.emulator.spec import parse_html
from bot.messages.contacts import contact_card, contact_line, interaction_line, sentence_summary
from bot.messages.onboarding import plan_summary
from bot.messages.today import restart_text
from tests.harness import CHAT, BotHarness


async def _kinds(bot: BotHarness) -> list[tuple[str, Kind]]:
    names = {contact.id: contact.name for contact in await bot.store.list_contacts(CHAT)}
    rows = []
    for contact_id, name in names.items():
        for item in await bot.store.contact_history(CHAT, contact_id):
            rows.append((name, item.kind))
    return sorted(rows)


async def test_a_sentence_is_shown_back_and_saved_only_on_save(bot: BotHarness) -> None:
    await bot.say("/add Ana López")
    [summary] = await bot.say("messaged ana on LinkedIn yesterday about the PM role")
    assert "📨 Outreach to Ana López · LinkedIn · yesterday" in summary.text
    assert "about the PM role" in summary.text
    assert await _kinds(bot) == []
    await bot.press("✅ Save")
    assert "Logged: LinkedIn to Ana López" in bot.last().text
    [contact] = await bot.store.list_contacts(CHAT)
    [item] = await bot.store.contact_history(CHAT, contact.id)
    assert (item.kind, item.channel) == (Kind.OUTREACH, Channel.LINKEDIN)
    assert item.at == bot.clock.now() - timedelta(days=1)


async def test_an_unknown_name_is_added_on_save(bot: BotHarness) -> None:
    [summary] = await bot.say("coffee with Priya")
    assert "New contact: saving adds Priya" in summary.text
    await bot.press("Save")
    assert await _kinds(bot) == [("Priya", Kind.COFFEE_CHAT)]


async def test_cancel_stores_nothing(bot: BotHarness) -> None:
    await bot.say("Ana said no")
    await bot.press("Cancel")
    assert "nothing was saved" in bot.last().text
    assert await bot.store.list_contacts(CHAT) == []


async def test_change_kind_and_change_contact(bot: BotHarness) -> None:
    await bot.say("/add Bob Stone")
    await bot.say("/add Ana")
    await bot.say("Ana replied")
    await bot.press("Change kind")
    await bot.press("Said later")
    assert "⏳ A “later” from Ana" in bot.last().text
    await bot.press("Change contact")
    await bot.press("Bob Stone")
    assert "from Bob Stone" in bot.last().text
    await bot.press("Save")
    assert await _kinds(bot) == [("Bob Stone", Kind.REPLY_LATER)]


async def test_someone_new_by_name(bot: BotHarness) -> None:
    await bot.say("/add Sam")
    await bot.say("emailed Sam about an intro")
    await bot.press("Change contact")
    await bot.press("Someone new")
    [summary] = await bot.say("Samira Khan")
    assert "Outreach to Samira Khan · email · asked for an intro" in summary.text
    await bot.press("Save")
    assert await _kinds(bot) == [("Samira Khan", Kind.OUTREACH)]


async def test_two_close_names_get_a_choice(bot: BotHarness) -> None:
    await bot.say("/add Jon Berg")
    await bot.say("/add Jon Smith")
    [choice] = await bot.say("called Jon")
    assert "Which contact was it?" in choice.text
    await bot.press("Jon Smith")
    await bot.press("Save")
    assert await _kinds(bot) == [("Jon Smith", Kind.OUTREACH)]


async def test_a_gift_and_a_second_tap(bot: BotHarness) -> None:
    await bot.say("/add Lee")
    [summary] = await bot.say("sent Lee the hiring article")
    await bot.press("Save")
    assert "for Lee, the hiring article" in bot.last().text
    await bot.press_data(summary.buttons[0][0].callback_data or "")
    assert bot.emulator.callback_answers[-1].get("text") == "Already handled."
    assert await _kinds(bot) == [("Lee", Kind.GAVE)]


async def test_what_is_not_a_log_gets_a_hint(bot: BotHarness) -> None:
    [hint] = await bot.say("how are you?")
    assert "messaged Ana on LinkedIn" in hint.text


async def test_a_restart_keeps_the_pending_sentence(bot: BotHarness) -> None:
    await bot.say("coffee with Ana")
    await bot.restart()
    await bot.press("Save")
    assert await _kinds(bot) == [("Ana", Kind.COFFEE_CHAT)]


names = st.text(alphabet=string.ascii_letters + "<>&\"' éü", min_size=1, max_size=30).filter(
    lambda name: any(ch.isalpha() for ch in name)
)
NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)


@settings(max_examples=60)
@given(names)
def test_names_with_html_characters_are_escaped_in_what_the_bot_says(name: str) -> None:
    contact = Contact(1, CHAT, name, Tier.WARM, name, None, None, NOW)
    note = Interaction(1, CHAT, 1, Kind.OUTREACH, Channel.EMAIL, None, name, NOW)
    payload = PendingLog(LogOrigin.SENTENCE, Kind.OUTREACH, name, note=name)
    user = User(
        CHAT, name, "UTC", 50, None, 2, 3, time(8), None, (3, 7, 14), (5, 6), None, NOW, None, NOW
    )
    for html in (
        contact_line(contact),
        interaction_line(note, "UTC"),
        contact_card(contact, [note], None, user, NOW),
        plan_summary(user, [contact]),
        restart_text(user, contact),
        sentence_summary(payload),
    ):
        parsed = parse_html(html)
        assert parsed.error is None, html
        assert name in parsed.text
