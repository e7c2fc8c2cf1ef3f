"""Add, reach, reply, chat and give, end to end through the emulator, with what is stored."""

from __future__ import annotations

from datetime import timedelta

from bot.coaching.domain import Ask, Channel, FollowUpReason, FollowUpStatus, Kind, Tier
from tests.harness import CHAT, BotHarness


async def _history(bot: BotHarness, name: str) -> list[tuple[Kind, Channel | None, Ask | None]]:
    contacts = {contact.name: contact for contact in await bot.store.list_contacts(CHAT)}
    history = await bot.store.contact_history(CHAT, contacts[name].id)
    return [(item.kind, item.channel, item.ask) for item in reversed(history)]


async def test_add_with_tier_and_note(bot: BotHarness) -> None:
    [reply] = await bot.say("/add Ana López second - met at PyCon")
    assert "Added Ana López · LinkedIn 2nd" in reply.text
    [contact] = await bot.store.list_contacts(CHAT)
    assert (contact.name, contact.tier, contact.note) == ("Ana López", Tier.SECOND, "met at PyCon")


async def test_add_twice_points_to_the_existing_card(bot: BotHarness) -> None:
    await bot.say("/add Ana")
    [reply] = await bot.say("/add ana")
    assert "already in your contacts" in reply.text
    assert len(await bot.store.list_contacts(CHAT)) == 1


async def test_add_without_a_name_asks_for_one(bot: BotHarness) -> None:
    [prompt] = await bot.say("/add")
    assert "Who should I add" in prompt.text
    [reply] = await bot.say("Bob first")
    assert "Added Bob · LinkedIn 1st" in reply.text


async def test_reach_schedules_the_first_follow_up(bot: BotHarness) -> None:
    await bot.say("/add Ana")
    [reply] = await bot.say("/reach Ana via linkedin advice - asked about the PM role")
    assert "Logged: LinkedIn to Ana (asked for advice)" in reply.text
    assert "follow up on Thu 26 Nov" in reply.text
    assert "Today: 1 of 3" in reply.text
    assert await _history(bot, "Ana") == [(Kind.OUTREACH, Channel.LINKEDIN, Ask.ADVICE)]
    [(follow_up, contact)] = await bot.store.open_follow_ups(CHAT)
    assert contact.name == "Ana"
    assert follow_up.attempt == 1
    assert follow_up.due_at == bot.clock.now() + timedelta(days=3)


async def test_reach_again_counts_as_the_follow_up_and_plans_the_next(bot: BotHarness) -> None:
    await bot.say("/add Ana")
    await bot.say("/reach Ana")
    bot.clock.advance(timedelta(days=3))
    [reply] = await bot.say("/reach Ana via email")
    assert "Logged follow-up 1 of 3 with Ana" in reply.text
    [(follow_up, _)] = await bot.store.open_follow_ups(CHAT)
    assert (follow_up.attempt, follow_up.due_at) == (2, bot.clock.now() + timedelta(days=7))
    kinds = [kind for kind, _, _ in await _history(bot, "Ana")]
    assert kinds == [Kind.OUTREACH, Kind.FOLLOW_UP]


async def test_after_the_last_follow_up_the_bot_offers_to_let_it_rest(bot: BotHarness) -> None:
    await bot.say("/add Ana")
    for _ in range(4):
        [reply] = await bot.say("/reach Ana")
        bot.clock.advance(timedelta(days=1))
    assert "last planned follow-up" in reply.text
    assert await bot.store.open_follow_ups(CHAT) == []
    [] = await bot.press("Let it rest a month")
    assert "Ana</b> can rest until" in bot.last().html
    [contact] = await bot.store.list_contacts(CHAT)
    assert contact.rest_until == bot.clock.now() + timedelta(days=30)


async def test_reach_unknown_name_offers_to_add_and_logs_after_confirming(bot: BotHarness) -> None:
    [offer] = await bot.say("/reach Zoë Kravitz via email")
    assert "don't have <b>Zoë Kravitz</b>" in offer.html
    assert await bot.store.list_contacts(CHAT) == []
    await bot.press("Add Zoë Kravitz")
    assert "Logged: email to Zoë Kravitz" in bot.last().text
    assert await _history(bot, "Zoë Kravitz") == [(Kind.OUTREACH, Channel.EMAIL, None)]
    before = await bot.store.count_interactions(CHAT, (Kind.OUTREACH,))
    await bot.press_data(offer.buttons[0][0].callback_data or "")
    assert bot.emulator.callback_answers[-1].get("text") == "Already handled."
    assert await bot.store.count_interactions(CHAT, (Kind.OUTREACH,)) == before


async def test_reach_unknown_name_cancel_stores_nothing(bot: BotHarness) -> None:
    await bot.say("/reach Nobody")
    await bot.press("Cancel")
    assert "nothing was saved" in bot.last().text
    assert await bot.store.list_contacts(CHAT) == []


async def test_names_match_forgivingly_and_close_ones_get_a_choice(bot: BotHarness) -> None:
    await bot.say("/add José Núñez")
    [reply] = await bot.say("/reach jose nunez")
    assert "to José Núñez" in reply.text
    await bot.say("/add Jon Berg")
    await bot.say("/add John Berg")
    [choice] = await bot.say("/reach Jhon Berg")
    assert "Which one" in choice.text
    await bot.press("John Berg")
    assert "to John Berg" in bot.last().text


async def test_reply_positive_keeps_the_follow_up_for_booking_the_chat(bot: BotHarness) -> None:
    await bot.say("/add Ana")
    await bot.say("/reach Ana")
    [reply] = await bot.say("/reply Ana")
    assert "Ana</b> replied" in reply.html
    assert "Not booked yet? I'll check in on Thu 26 Nov." in reply.text
    # Issue 12: a yes with no chat yet keeps the follow-up, now about booking the chat.
    [(follow_up, _)] = await bot.store.open_follow_ups(CHAT)
    assert follow_up.reason is FollowUpReason.BOOK_CHAT
    await bot.say("/chat Ana")
    follow_up = await bot.store.get_follow_up(CHAT, follow_up.id)
    assert follow_up is not None
    assert follow_up.status is FollowUpStatus.REPLIED
    assert [kind for kind, _, _ in await _history(bot, "Ana")][-2] is Kind.REPLY_POSITIVE


async def test_reply_declined_is_met_without_blame(bot: BotHarness) -> None:
    await bot.say("/add Ana")
    await bot.say("/reach Ana")
    [reply] = await bot.say("/reply Ana declined")
    assert "One answer from one person on one day" in reply.text
    assert await bot.store.open_follow_ups(CHAT) == []


async def test_reply_later_reschedules_in_two_weeks(bot: BotHarness) -> None:
    await bot.say("/add Ana")
    await bot.say("/reach Ana")
    [reply] = await bot.say("/reply Ana later")
    assert "check back on Mon 7 Dec" in reply.text
    [(follow_up, _)] = await bot.store.open_follow_ups(CHAT)
    assert follow_up.due_at == bot.clock.now() + timedelta(days=14)


async def test_reply_for_an_unknown_contact_stores_nothing(bot: BotHarness) -> None:
    [offer] = await bot.say("/reply Ghost positive")
    assert "don't have" in offer.text
    assert await bot.store.count_interactions(CHAT, list(Kind)) == 0


async def test_coffee_chat_counts_toward_the_goal_and_takes_a_next_step(bot: BotHarness) -> None:
    await bot.say("/add Ana")
    await bot.say("/reach Ana")
    [reply] = await bot.say("/chat Ana - talked about the data team")
    assert "1 of 50 toward your goal" in reply.text
    assert await bot.store.open_follow_ups(CHAT) == []
    [saved] = await bot.say("She'll intro me to Lee")
    assert "Added to Ana's card" in saved.text
    [contact] = await bot.store.list_contacts(CHAT)
    assert contact.note == "Next step (Mon 23 Nov): She'll intro me to Lee"


async def test_coffee_chat_reminder_button_plans_a_follow_up(bot: BotHarness) -> None:
    await bot.say("/add Ana")
    await bot.say("/chat Ana")
    await bot.press("Remind me in 2 weeks")
    assert "follow up on Mon 7 Dec" in bot.last().text
    [(follow_up, _)] = await bot.store.open_follow_ups(CHAT)
    assert follow_up.due_at == bot.clock.now() + timedelta(days=14)


async def test_gave_logs_what_was_given(bot: BotHarness) -> None:
    await bot.say("/add Ana López")
    [reply] = await bot.say("/gave Ana López shared the hiring article")
    assert "for Ana López, shared the hiring article" in reply.text
    assert "1 give so far" in reply.text
    contacts = await bot.store.list_contacts(CHAT)
    [gift] = await bot.store.contact_history(CHAT, contacts[0].id)
    assert (gift.kind, gift.note) == (Kind.GAVE, "shared the hiring article")


async def test_commands_without_arguments_ask_and_use_the_next_message(bot: BotHarness) -> None:
    await bot.say("/add Ana")
    [prompt] = await bot.say("/reach")
    assert "Who did you reach out to" in prompt.text
    [reply] = await bot.say("Ana via call")
    assert "Logged: call to Ana" in reply.text


async def test_today_shows_quota_due_follow_ups_and_warm_suggestions_first(
    bot: BotHarness,
) -> None:
    await bot.say("/add Zed third")
    await bot.say("/add Ana warm")
    await bot.say("/add Bea warm")
    await bot.say("/reach Bea")
    bot.clock.advance(timedelta(days=3))
    [today] = await bot.say("/today")
    assert "0 of 3 reach-outs" in today.text
    assert "Follow-ups due: Bea" in today.text
    suggestions = today.text.split("Who to reach next:")[1]
    assert suggestions.index("Ana") < suggestions.index("Zed")
    assert "Bea" not in suggestions
    await bot.press("📨 Ana")
    await bot.press("LinkedIn")
    assert "Logged: LinkedIn to Ana" in bot.last().text


async def test_state_survives_a_restart_and_old_buttons_still_work(bot: BotHarness) -> None:
    await bot.say("/add Ana")
    await bot.say("/reach Ana")
    await bot.say("/contacts")
    await bot.restart()
    await bot.press("Ana")
    assert "Follow-up 1 of 3 due" in bot.last().text
    await bot.press("Got a reply")
    await bot.press("Positive")
    assert "Ana</b> replied" in bot.last().html
    [(follow_up, _)] = await bot.store.open_follow_ups(CHAT)  # now: book the chat
    assert follow_up.reason is FollowUpReason.BOOK_CHAT
