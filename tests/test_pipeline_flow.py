"""/pipeline end to end: starting an opportunity from a contact card, moving it by stage with
buttons, the celebration when it gets hot, and buttons checked against the chat."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import FrozenClock
from bot.coaching.domain import Stage
from bot.usecases.actions import MoveOpportunity, OpenOpportunity, pack
from tests.harness import CHAT, BotHarness

OTHER_CHAT = 5151


async def test_an_empty_pipeline_says_how_to_start_one(bot: BotHarness) -> None:
    [reply] = await bot.say("/pipeline")
    assert "Your pipeline is empty for now" in reply.text
    assert "tap 🚀 Opportunity" in reply.text
    await bot.press("Contacts")
    assert "No contacts yet" in bot.last().text


async def test_start_from_a_card_move_it_to_interview_and_close_it(
    bot: BotHarness, clock: FrozenClock
) -> None:
    await bot.say("/add Ana López")
    [prompt] = await bot.press("🚀 Opportunity")
    assert "What's the opportunity with Ana López?" in prompt.text
    [added] = await bot.say("Product designer at <Acme>")
    assert "Added to your pipeline: Product designer at <Acme>." in added.text
    assert "Through Ana López · ☕ Coffee chat since Mon 23 Nov" in added.text
    [(opportunity, contact)] = await bot.store.list_opportunities(CHAT)
    assert (opportunity.title, opportunity.stage, contact.name) == (
        "Product designer at <Acme>",
        Stage.CHAT,
        "Ana López",
    )

    clock.advance(timedelta(days=2))
    assert await bot.press("Interview") == []  # edited in place
    moved = bot.last()
    assert moved.edited
    assert "An interview!" in moved.text
    assert "Keep your coffee-chat pace" in moved.text
    assert "🎤 Interview since Wed 25 Nov" in moved.text
    assert "• 🎤 Interview" in [button.text for row in moved.buttons for button in row]
    assert bot.emulator.callback_answers[-1].get("text") == "Moved to 🎤 Interview"
    stored = await bot.store.get_opportunity(CHAT, opportunity.id)
    assert stored is not None
    assert stored[0].stage is Stage.INTERVIEW

    await bot.press("• 🎤 Interview")
    assert bot.emulator.callback_answers[-1].get("text") == "It's there already."

    [listing] = await bot.say("/pipeline")
    assert "Your pipeline: 1 open" in listing.text
    assert "🎤 Interview\n• Product designer at <Acme> · Ana López, since Wed 25 Nov" in (
        listing.text
    )
    assert "is at the interview stage. Keep your coffee-chat pace" in listing.text
    await bot.press("Product designer")
    assert "Where does it stand now?" in bot.last().text
    await bot.press("Closed")
    assert "📦 Closed. Whatever the outcome" in bot.last().text
    await bot.press("◀ Pipeline")
    assert "Your pipeline: 0 open" in bot.last().text
    assert "📦 Closed\n• Product designer" in bot.last().text


async def test_a_title_too_long_is_asked_again(bot: BotHarness) -> None:
    await bot.say("/add Ana")
    await bot.press("🚀 Opportunity")
    [again] = await bot.say("x" * 201)
    assert "up to 200 characters" in again.text
    await bot.say("Staff engineer at Initech")
    [(opportunity, _)] = await bot.store.list_opportunities(CHAT)
    assert opportunity.title == "Staff engineer at Initech"


async def test_a_command_instead_of_the_title_leaves_nothing_behind(bot: BotHarness) -> None:
    await bot.say("/add Ana")
    await bot.press("🚀 Opportunity")
    await bot.say("/today")
    [hint] = await bot.say("Staff engineer at Initech")
    assert "I didn't catch that" in hint.text
    assert await bot.store.list_opportunities(CHAT) == []


async def test_another_chat_cannot_move_an_opportunity(bot: BotHarness) -> None:
    await bot.say("/add Ana")
    await bot.press("🚀 Opportunity")
    await bot.say("Role at Acme")
    [(opportunity, _)] = await bot.store.list_opportunities(CHAT)
    await bot.say("/pipeline", chat_id=OTHER_CHAT)
    await bot.press_data(pack(MoveOpportunity(opportunity.id, Stage.OFFER)), chat_id=OTHER_CHAT)
    assert bot.emulator.callback_answers[-1].get("text") == "That opportunity is no longer here."
    await bot.press_data(pack(OpenOpportunity(opportunity.id)), chat_id=OTHER_CHAT)
    assert bot.emulator.callback_answers[-1].get("text") == "That opportunity is no longer here."
    stored = await bot.store.get_opportunity(CHAT, opportunity.id)
    assert stored is not None
    assert stored[0].stage is Stage.CHAT
    assert await bot.store.get_opportunity(OTHER_CHAT, opportunity.id) is None
