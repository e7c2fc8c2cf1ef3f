"""Fears end to end through the emulator: written down, tied to an outreach, met by its
outcome, and shown back as the user's own evidence; prompts, skips, privacy and crisis care."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from bot.clock import FrozenClock
from bot.coaching.domain import Fear, FearOutcome, PreferenceChanges
from bot.coaching.fears import morning_prompt_due
from bot.usecases.schedules import sync_schedules
from storage.schema import contacts, users
from tests.harness import CHAT, BotHarness

OTHER_CHAT = 5151


async def _contact_id(bot: BotHarness, name: str, chat_id: int = CHAT) -> int:
    by_name = {contact.name: contact.id for contact in await bot.store.list_contacts(chat_id)}
    return by_name[name]


async def _only_fear(bot: BotHarness, chat_id: int = CHAT) -> Fear:
    [fear] = await bot.store.fears_of(chat_id)
    return fear


def _labels(bot: BotHarness, chat_id: int = CHAT) -> list[str]:
    return [item.text for row in bot.last(chat_id).buttons for item in row]


async def _set_up_user(bot: BotHarness, chat_id: int = CHAT, fear_prompts: str = "some") -> None:
    """An onboarded user in UTC with no rest days, whose schedules are planned."""
    now = bot.clock.now()
    await bot.store.ensure_user(chat_id, now)
    await bot.store.update_preferences(
        chat_id,
        PreferenceChanges(
            name="Sam",
            rest_days=(),
            stall_days=60,
            morning_time=time(8, 0),
            fear_prompts=fear_prompts,
        ),
    )
    user = await bot.store.set_onboarding(chat_id, None, onboarded_at=now)
    await sync_schedules(bot.store, user, now)


# --- the whole loop ---------------------------------------------------------------------------


async def test_a_fear_meets_its_outcome_and_becomes_evidence(bot: BotHarness) -> None:
    await bot.say("/add Ana")
    [question] = await bot.say("/fear they'll think I only want a job")
    assert "“they'll think I only want a job”" in question.text
    assert "How strong is this fear" in question.text
    assert await bot.store.fears_of(CHAT) == []  # nothing stored before it has a strength

    await bot.press("4")
    assert "Written down: “they'll think I only want a job” (4/5)" in bot.last().text
    assert "next outreach you log today" in bot.last().text
    fear = await _only_fear(bot)
    assert (fear.strength_before, fear.contact_id, fear.outcome) == (4, None, None)
    assert fear.tie_until == datetime(2026, 11, 24, tzinfo=UTC)  # the end of the local day

    [logged] = await bot.say("/reach Ana via email")
    assert "Logged: email to Ana" in logged.text
    assert "Your fear “they'll think I only want a job” rides on this one" in logged.text
    assert "How nervous" not in logged.text  # a fear already rides on it
    fear = await _only_fear(bot)
    assert fear.contact_id == await _contact_id(bot, "Ana")
    assert fear.interaction_id is not None
    assert fear.tie_until is None

    bot.clock.advance(timedelta(days=2))
    [reply] = await bot.say("/reply Ana declined")
    assert "One answer from one person on one day" in reply.text
    assert "You feared “they'll think I only want a job” (4/5). Did it happen?" in reply.text
    assert _labels(bot) == ["↩️ Undo", "Yes", "Partly", "No", "Skip"]

    [after] = await bot.press("No")
    answered = bot.emulator.messages(CHAT)[-2]  # the question is answered; the way back stays
    assert [button.text for row in answered.buttons for button in row] == ["↩️ Undo"]
    assert after.text.startswith("It didn't happen. Worth noting")
    assert "It was 4/5" in after.text
    fear = await _only_fear(bot)
    assert (fear.outcome, fear.tested_at, fear.strength_after) == (
        FearOutcome.NO,
        bot.clock.now(),
        None,
    )

    await bot.press("2")
    rated = bot.last()
    assert "Noted: 4/5 before, 2/5 now." in rated.text
    assert "1 fear tested: 1 didn't happen, 0 partly, 0 came true. Strength 4.0 → 2.0." in (
        rated.text
    )
    assert (await _only_fear(bot)).strength_after == 2

    [journal] = await bot.say("/fears")
    assert "1 fear tested: 1 didn't happen" in journal.text
    assert "Mon 23 Nov “they'll think I only want a job” · Ana: didn't happen, 4/5 → 2/5" in (
        journal.text
    )
    assert "Waiting for an outcome" not in journal.text


async def test_a_fear_tied_to_a_contact_is_asked_about_after_the_coffee_chat(
    bot: BotHarness,
) -> None:
    await bot.say("/add Ana")
    await bot.say("/add Bob")
    await bot.say("/reach Ana")
    await bot.press("Skip")  # how nervous: skipped, nothing stored
    assert await bot.store.fears_of(CHAT) == []
    await bot.say("/fear I'll be awkward in the chat")
    await bot.press("3")
    assert "👤 Ana" in _labels(bot)  # she is waiting to answer, so she is offered first
    await bot.press("👤 Ana")
    assert "is tied to <b>Ana</b>" in bot.last().html
    fear = await _only_fear(bot)
    assert fear.contact_id == await _contact_id(bot, "Ana")
    assert fear.tie_until is None

    [logged] = await bot.say("/reach Bob")  # the next outreach is someone else: not tied
    assert "rides on" not in logged.text
    [chat] = await bot.say("/chat Ana - lovely talk")
    assert "Coffee chat with Ana logged" in chat.text
    assert "You feared “I'll be awkward in the chat” (3/5)" in chat.text
    assert "📌 Remind me in 2 weeks" in _labels(bot)  # the chat's own buttons stay
    await bot.press("Partly")
    assert "Partly happened. Worth noting" in bot.last().text
    assert "📌 Remind me in 2 weeks" in [
        item.text for row in bot.emulator.messages(CHAT)[-2].buttons for item in row
    ]
    await bot.press("Skip")  # strength now: skipped, the outcome stays
    assert "1 fear tested: 0 didn't happen, 1 partly, 0 came true." in bot.last().text
    fear = await _only_fear(bot)
    assert (fear.outcome, fear.strength_after) == (FearOutcome.PARTLY, None)


async def test_fear_text_is_asked_for_and_every_skip_stores_nothing(bot: BotHarness) -> None:
    [ask] = await bot.say("/fear")
    assert "What are you afraid might happen?" in ask.text
    [question] = await bot.say("  they   won't remember me  ")
    assert "“they won't remember me”" in question.text
    assert (await bot.store.get_user(CHAT)).awaiting is None  # type: ignore[union-attr]
    await bot.press("Skip")
    assert "nothing written down" in bot.last().text
    assert await bot.store.fears_of(CHAT) == []

    await bot.say("/fear")
    await bot.press("Never mind")
    assert (await bot.store.get_user(CHAT)).awaiting is None  # type: ignore[union-attr]
    [hint] = await bot.say("they will laugh")  # no longer taken as a fear
    assert "didn't catch that" in hint.text
    assert await bot.store.fears_of(CHAT) == []

    # A second tap on a used strength button finds the draft gone.
    [question] = await bot.say("/fear they'll say no")
    await bot.press("5")
    await bot.press_data(question.buttons[0][1].callback_data or "")
    assert bot.emulator.callback_answers[-1].get("text") == "Already handled."
    assert [fear.strength_before for fear in await bot.store.fears_of(CHAT)] == [5]


async def test_a_fear_kept_in_the_journal_or_left_past_its_day_stays_open(
    bot: BotHarness, clock: FrozenClock
) -> None:
    await bot.say("/add Ana")
    await bot.say("/fear I'm not good enough for this field")
    await bot.press("5")
    await bot.press("Journal only")
    assert "is in your journal" in bot.last().text
    await bot.say("/fear they'll ignore me")
    await bot.press("2")
    clock.advance(timedelta(days=1))  # the day passed without an outreach
    [logged] = await bot.say("/reach Ana")
    assert "rides on" not in logged.text
    assert "how nervous were you" in logged.text
    [journal] = await bot.say("/fears")
    assert "No fear has met its outcome yet" in journal.text
    assert "Waiting for an outcome (2)" in journal.text
    assert "“they'll ignore me” (2/5) · journal only" in journal.text
    assert all(fear.contact_id is None for fear in await bot.store.fears_of(CHAT))


async def test_nervousness_is_asked_once_a_day_after_the_first_outreach(
    bot: BotHarness, clock: FrozenClock
) -> None:
    for name in ("Ana", "Bob", "Cy"):
        await bot.say(f"/add {name}")
    [first] = await bot.say("/reach Ana")
    assert "how nervous were you before sending it?" in first.text
    assert _labels(bot) == ["↩️ Undo", "1", "2", "3", "4", "5", "Skip"]
    [second] = await bot.say("/reach Bob")
    assert "nervous" not in second.text
    await bot.press("3")  # on the first message, still the newest with these buttons
    rated = bot.emulator.messages(CHAT)[-2]
    assert [button.text for row in rated.buttons for button in row] == ["↩️ Undo"]
    fear = await _only_fear(bot)
    assert (fear.text, fear.strength_before) == (None, 3)
    assert fear.contact_id == await _contact_id(bot, "Ana")
    await bot.press_data("1:fn:1:4")  # a second rating of the same outreach is refused
    assert (await _only_fear(bot)).strength_before == 3

    [reply] = await bot.say("/reply Ana")
    assert "Before reaching Ana you were nervous (3/5). Did what you feared happen?" in reply.text
    assert "☕ We had the chat" in _labels(bot)
    await bot.press("Yes")
    assert bot.last().text.startswith("It happened. Worth noting")
    await bot.press("1")
    assert "Noted: 3/5 before, 1/5 now." in bot.last().text

    clock.advance(timedelta(days=1))
    [next_day] = await bot.say("/reach Cy")
    assert "how nervous were you" in next_day.text
    [follow_up] = await bot.say("/reach Bob")  # a follow-up, and not the first outreach
    assert "nervous" not in follow_up.text


async def test_a_follow_up_on_a_feared_silence_gets_the_silence_reframe(
    bot: BotHarness, clock: FrozenClock
) -> None:
    await bot.say("/add Ana")
    await bot.say("/fear she won't answer")
    await bot.press("3")
    await bot.say("/reach Ana")
    clock.advance(timedelta(days=3))
    [follow_up] = await bot.say("/reach Ana")
    assert "Logged follow-up 1 of 3 with Ana" in follow_up.text
    assert "busy, not no" in follow_up.text
    [later] = await bot.say("/reply Ana later")
    assert "You feared “she won't answer” (3/5)" in later.text
    await bot.press("Skip")  # no answer now: the fear stays open and nothing changes
    assert bot.emulator.callback_answers[-1].get("text") == "Skipped: it stays open in /fears."
    assert (await _only_fear(bot)).outcome is None
    [again] = await bot.say("/reply Ana positive")
    assert "You feared “she won't answer”" in again.text
    await bot.press("Partly")
    await bot.press_data(again.buttons[-1][1].callback_data or "")  # "Partly" again
    assert bot.emulator.callback_answers[-1].get("text") == "Already answered."
    assert (await _only_fear(bot)).outcome is FearOutcome.PARTLY


# --- the morning prompt and its setting ----------------------------------------------------------


async def _mornings(bot: BotHarness, clock: FrozenClock, days: int) -> dict[date, bool]:
    """Tick each morning at 08:00 UTC; whether each day's morning message asked about fears."""
    asked: dict[date, bool] = {}
    start = datetime.combine(clock.now().date(), time(8, 0), tzinfo=UTC)
    for offset in range(1, days + 1):
        clock.move_to(start + timedelta(days=offset))
        await bot.tick()
        morning = bot.last()
        assert "Good morning" in morning.text
        asked[clock.now().date()] = "what are you afraid might happen today?" in morning.text
    return asked


async def test_the_morning_prompt_follows_the_setting(bot: BotHarness, clock: FrozenClock) -> None:
    await _set_up_user(bot)
    await bot.say("/add Ana")
    some = await _mornings(bot, clock, 6)
    assert some == {day: morning_prompt_due("some", day) for day in some}
    assert 1 <= sum(some.values()) <= 3

    await bot.say("/fears")
    assert "Fear question in the morning message: some days" in bot.last().text
    await bot.press("Daily")
    assert "Fear question in the morning message: every morning" in bot.last().text
    assert "✓ Daily" in _labels(bot)
    assert all((await _mornings(bot, clock, 3)).values())

    await bot.say("/fears")
    await bot.press("Never")
    assert (await bot.store.get_user(CHAT)).fear_prompts == "never"  # type: ignore[union-attr]
    assert not any((await _mornings(bot, clock, 3)).values())
    clock.advance(timedelta(hours=2))
    [logged] = await bot.say("/reach Ana")
    assert "nervous" not in logged.text  # never means no quick fear prompts at all


async def test_a_morning_prompt_is_one_tap_to_answer_or_skip(
    bot: BotHarness, clock: FrozenClock
) -> None:
    await _set_up_user(bot, fear_prompts="daily")
    await bot.say("/add Ana")
    await bot.say("/add Bea warm")
    await bot.say("/reach Ana via email")
    clock.move_to(datetime(2026, 11, 26, 8, 0, tzinfo=UTC))
    await bot.tick()
    morning = bot.last()
    assert "Follow-ups due (1)" in morning.text
    assert "what are you afraid might happen today? Tap one, or skip." in morning.text
    [question] = await bot.press("😶 No answer")
    assert "“They won't answer.”" in question.text
    labels = [item.text for row in bot.emulator.messages(CHAT)[-2].buttons for item in row]
    assert "✅ Ana" in labels  # the follow-up buttons stay; the fear question is gone
    assert "Not today" not in labels
    await bot.press("4")
    fear = await _only_fear(bot)
    assert (fear.text, fear.strength_before) == ("They won't answer.", 4)

    clock.move_to(datetime(2026, 11, 27, 8, 0, tzinfo=UTC))
    await bot.tick()
    await bot.press("Not today")
    assert "Not today" not in _labels(bot)
    clock.move_to(datetime(2026, 11, 30, 8, 0, tzinfo=UTC))
    await bot.tick()
    await bot.press("✍️ Something else")
    assert "What are you afraid might happen?" in bot.last().text
    await bot.say("that I'll freeze on the call")
    assert len(await bot.store.fears_of(CHAT)) == 1  # still waiting for a strength
    await bot.press("2")
    assert [fear.strength_before for fear in await bot.store.fears_of(CHAT)] == [4, 2]


async def test_the_weekly_review_carries_one_line_of_evidence(
    bot: BotHarness, clock: FrozenClock
) -> None:
    await _set_up_user(bot)
    await bot.say("/add Ana")
    await bot.say("/fear she'll say no")
    await bot.press("4")
    await bot.say("/reach Ana")
    clock.move_to(datetime(2026, 11, 29, 18, 0, tzinfo=UTC))
    await bot.tick()
    review = next(m for m in reversed(bot.emulator.messages(CHAT)) if "Your week" in m.text)
    assert "fears so far" not in review.text  # no evidence yet: no line
    await bot.say("/reply Ana declined")
    await bot.press("Yes")
    await bot.press("3")
    clock.move_to(datetime(2026, 12, 6, 18, 0, tzinfo=UTC))
    await bot.tick()
    review = next(m for m in reversed(bot.emulator.messages(CHAT)) if "Your week" in m.text)
    assert "🧪 Your fears so far: 1 fear tested: 0 didn't happen, 0 partly, 1 came true." in (
        review.text
    )


# --- privacy, scoping and care -------------------------------------------------------------------


async def test_fears_are_scoped_to_their_chat_and_go_with_the_user(bot: BotHarness) -> None:
    await bot.say("/add Ana")
    await bot.say("/fear they'll ignore me")
    await bot.press("4")
    fear = await _only_fear(bot)
    [journal] = await bot.say("/fears", chat_id=OTHER_CHAT)
    assert "Nothing written down yet" in journal.text
    await bot.press_data(f"1:fo:{fear.id}:d:y", chat_id=OTHER_CHAT)
    await bot.press_data(f"1:fc:{fear.id}:j", chat_id=OTHER_CHAT)
    assert await bot.store.get_fear(OTHER_CHAT, fear.id) is None
    assert await _only_fear(bot) == fear

    ana = await _contact_id(bot, "Ana")
    async with bot.store.engine.begin() as conn:
        await conn.execute(contacts.delete().where(contacts.c.id == ana))
    await bot.say("/fear she'll say no")
    await bot.press("2")
    assert len(await bot.store.fears_of(CHAT)) == 2
    async with bot.store.engine.begin() as conn:
        await conn.execute(users.delete().where(users.c.chat_id == CHAT))
    assert await bot.store.fears_of(CHAT) == []


async def test_a_message_in_crisis_gets_care_not_coaching(bot: BotHarness) -> None:
    await bot.say("/fear")
    [care] = await bot.say("honestly I just want to end it all")
    assert "local emergency number" in care.text
    assert "therapy" not in care.text.lower()
    assert (await bot.store.get_user(CHAT)).awaiting is None  # type: ignore[union-attr]
    [care] = await bot.say("/fear that I'll kill myself if this fails")
    assert "local emergency number" in care.text
    assert await bot.store.fears_of(CHAT) == []
    async with bot.store.engine.connect() as conn:
        drafts = (await conn.execute(sa.text("SELECT count(*) FROM drafts"))).scalar_one()
    assert drafts == 0
    [hint] = await bot.say("this job hunt is killing me")
    assert "emergency" not in hint.text
