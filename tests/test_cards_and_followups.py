"""Contact cards, the list, /followups, and every one-tap button on them."""

from __future__ import annotations

from datetime import timedelta

from bot.coaching.domain import Channel, FollowUpStatus, Kind, Tier
from tests.harness import CHAT, BotHarness


async def test_contact_list_filters_and_pages(bot: BotHarness) -> None:
    for index in range(10):
        await bot.say(f"/add Person {index:02d} {'warm' if index % 2 else 'first'}")
    [listing] = await bot.say("/contacts")
    assert "Your contacts</b>: 10 · page 1 of 2" in listing.html
    await bot.press("Next ▶")
    assert "page 2 of 2" in bot.last().text
    await bot.press("Warm")
    assert "Your contacts (warm)</b>: 5" in bot.last().html
    [reply] = await bot.say("/contacts first")
    assert "(LinkedIn 1st)</b>: 5" in reply.html


async def test_empty_contact_list_invites_a_first_contact(bot: BotHarness) -> None:
    [reply] = await bot.say("/contacts")
    assert "No contacts yet" in reply.text


async def test_card_shows_history_and_its_buttons_log(bot: BotHarness) -> None:
    await bot.say("/add Ana - former manager")
    await bot.say("/reach Ana via email coffee")
    await bot.say("/contacts")
    await bot.press("Ana")
    card = bot.last()
    assert "Ana · warm" in card.text
    assert "former manager" in card.text
    assert "reached out by email (asked for a coffee chat)" in card.text
    await bot.press("Coffee chat")
    assert "1 of 50" in bot.last().text
    await bot.press("No next step")
    await bot.say("/contacts")
    await bot.press("Ana")
    await bot.press("Gave")
    [reply] = await bot.say("sent her the conference talk")
    assert "sent her the conference talk" in reply.text
    await bot.say("/contacts")
    await bot.press("Ana")
    await bot.press("Tier")
    await bot.press("LinkedIn 1st")
    assert "Ana · LinkedIn 1st" in bot.last().text
    [contact] = await bot.store.list_contacts(CHAT)
    assert contact.tier is Tier.FIRST
    kinds = [item.kind for item in await bot.store.contact_history(CHAT, contact.id)]
    assert kinds == [Kind.GAVE, Kind.COFFEE_CHAT, Kind.OUTREACH]


async def test_card_reached_out_asks_the_channel(bot: BotHarness) -> None:
    await bot.say("/add Ana")
    await bot.say("/contacts")
    await bot.press("Ana")
    await bot.press("Reached out")
    await bot.press("In person")
    [contact] = await bot.store.list_contacts(CHAT)
    [item] = await bot.store.contact_history(CHAT, contact.id)
    assert (item.kind, item.channel) == (Kind.OUTREACH, Channel.IN_PERSON)


async def test_followups_lists_due_and_upcoming(bot: BotHarness) -> None:
    [empty] = await bot.say("/followups")
    assert "No follow-ups waiting" in empty.text
    await bot.say("/add Ana")
    await bot.say("/add Bob")
    await bot.say("/reach Ana")
    bot.clock.advance(timedelta(days=2))
    await bot.say("/reach Bob")
    bot.clock.advance(timedelta(days=1))
    [listing] = await bot.say("/followups")
    assert "Due now (1)" in listing.text
    assert "Ana: follow-up 1 of 3" in listing.text
    assert "Coming up (1)" in listing.text
    assert "Bob: Mon 30 Nov" in listing.text  # Saturday is a rest day: Monday it is
    assert [button.text for button in listing.buttons[0]] == ["✅ Ana", "⏰", "💬", "🌙"]
    assert [button.text for button in listing.buttons[1]] == ["✅ Bob", "⏰", "💬", "🌙"]


async def _one_due_follow_up(bot: BotHarness) -> None:
    await bot.say("/add Ana")
    await bot.say("/reach Ana")
    bot.clock.advance(timedelta(days=3))
    await bot.say("/followups")


async def test_followup_done_logs_and_plans_the_next(bot: BotHarness) -> None:
    await _one_due_follow_up(bot)
    await bot.press("✅ Ana")
    [(follow_up, _)] = await bot.store.open_follow_ups(CHAT)
    assert follow_up.attempt == 2
    assert await bot.store.count_interactions(CHAT, (Kind.FOLLOW_UP,)) == 1


async def test_followup_snooze_moves_it_two_days(bot: BotHarness) -> None:
    await _one_due_follow_up(bot)
    listing = bot.last()
    await bot.press("⏰")
    [(follow_up, _)] = await bot.store.open_follow_ups(CHAT)
    # Thursday plus two days is a Saturday, a rest day: it comes back on Monday.
    assert follow_up.due_at == bot.clock.now() + timedelta(days=4)
    [edited] = [m for m in bot.emulator.messages(CHAT) if m.message_id == listing.message_id]
    assert "Coming up (1)" in edited.text
    assert [button.text for button in edited.buttons[0]] == ["✅ Ana", "⏰", "💬", "🌙"]


async def test_followup_replied_asks_how(bot: BotHarness) -> None:
    await _one_due_follow_up(bot)
    await bot.press("💬")
    await bot.press("Later")
    [(follow_up, _)] = await bot.store.open_follow_ups(CHAT)
    assert follow_up.due_at == bot.clock.now() + timedelta(days=14)


async def test_followup_let_it_rest_parks_the_contact(bot: BotHarness) -> None:
    await _one_due_follow_up(bot)
    await bot.press("🌙")
    assert await bot.store.open_follow_ups(CHAT) == []
    follow_up = await bot.store.get_follow_up(CHAT, 1)
    assert follow_up is not None
    assert follow_up.status is FollowUpStatus.RESTED
    [today] = await bot.say("/today")
    assert "Who to reach next" not in today.text  # Ana, the only contact, is resting
    assert "Follow-ups due" not in today.text
