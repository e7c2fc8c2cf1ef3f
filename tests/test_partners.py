"""The accountability partner end to end, with two people against the emulator: Sam invites,
Kim opens the link and agrees, and from then on Kim sees Sam's numbers and nothing else."""

from __future__ import annotations

import asyncio
import json
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from bot.clock import FrozenClock
from bot.coaching.domain import PreferenceChanges, Stage
from bot.local.emulator import BotMessage
from bot.usecases.schedules import sync_schedules
from storage.schema import partnerships
from tests.conftest import MONDAY_MORNING
from tests.harness import CHAT, BotHarness, running_bot

SAM, KIM, LEE = CHAT, 7001, 7002
SUNDAY_EVENING = datetime(2026, 11, 29, 18, 0, tzinfo=UTC)
_LINK = re.compile(r"https://t\.me/outreach_coach_bot\?start=([A-Za-z0-9_-]+)")


async def set_up(bot: BotHarness, chat_id: int = SAM, name: str = "Sam", **changes: object) -> None:
    """A user who finished onboarding now (UTC unless changed), a goal of 30 coffee chats."""
    now = bot.clock.now()
    await bot.store.ensure_user(chat_id, now)
    values: dict[str, object] = {"name": name, "goal_count": 30, "stall_days": 60}
    await bot.store.update_preferences(chat_id, PreferenceChanges(**(values | changes)))  # type: ignore[arg-type]
    user = await bot.store.set_onboarding(chat_id, None, onboarded_at=now)
    await sync_schedules(bot.store, user, now)


async def invite(bot: BotHarness) -> str:
    """Sam asks for an invite link (a new one while one is out); returns its code."""
    [answer] = await bot.say("/partner")
    await bot.press("New link" if "waiting" in answer.text else "Invite a partner")
    match = _LINK.search(bot.last(SAM).text)
    assert match is not None, bot.last(SAM).text
    return match[1]


async def kim(bot: BotHarness, text: str) -> list[BotMessage]:
    """Kim, another Telegram user, sends `text`."""
    return await bot.say(text, KIM, first_name="Kim")


async def partnered(bot: BotHarness) -> None:
    """Sam invites, Kim opens the link and says yes."""
    code = await invite(bot)
    await kim(bot, f"/start {code}")
    await bot.press("Yes, I'm in", KIM)


def texts(bot: BotHarness, chat_id: int) -> list[str]:
    return [message.text for message in bot.emulator.messages(chat_id)]


def toast(bot: BotHarness) -> str | None:
    return bot.emulator.callback_answers[-1].get("text")


async def test_an_invite_link_opened_and_accepted_makes_a_partner(bot: BotHarness) -> None:
    await set_up(bot)
    [none] = await bot.say("/partner")
    assert "Accountability partner" in none.text
    assert "Never names, notes, fears" in none.text
    await bot.press("Invite a partner")
    explained, link = bot.emulator.messages(SAM)[-2:]
    assert "Forward the next message" in explained.text
    assert "until Mon 30 Nov" in explained.text
    assert link.text.startswith("🤝 Sam would love you as an accountability partner")
    match = _LINK.search(link.text)
    assert match is not None
    code = match[1]
    assert len(code) <= 64

    sam_before = len(bot.emulator.messages(SAM))
    [consent] = await kim(bot, f"/start {code}")
    assert "Hi Kim! Sam would like you as their accountability partner" in consent.text
    assert "reach-outs, replies, coffee chats" in consent.text
    assert "Never names, notes, fears" in consent.text
    assert [b.text for row in consent.buttons for b in row] == ["✅ Yes, I'm in", "No thanks"]
    assert len(bot.emulator.messages(SAM)) == sam_before  # nothing shared, nobody told yet
    assert (await bot.store.open_partnership(SAM)).accepted_at is None  # type: ignore[union-attr]

    await bot.press("Yes, I'm in", KIM)
    assert "You're Sam's accountability partner now" in bot.last(KIM).text
    [told] = bot.emulator.messages(SAM)[sam_before:]
    assert "Kim said yes" in told.text
    [status] = await bot.say("/partner")
    assert "Kim has been your accountability partner since Mon 23 Nov" in status.text
    assert [b.text for row in status.buttons for b in row] == ["🚪 End partnership"]
    [again] = await kim(bot, f"/start {code}")
    assert again.text == "You're Sam's accountability partner already. 🤝"

    # Kim was not onboarded by accepting; /start on its own still sets up a coach of her own.
    kim_user = await bot.store.get_user(KIM)
    assert kim_user is not None
    assert (kim_user.onboarding_step, kim_user.onboarded_at) == (None, None)
    assert await bot.store.schedules_of(KIM) == {}
    [welcome] = await kim(bot, "/start")
    assert "what should I call you" in welcome.text

    # The code itself is not kept: only its digest.
    async with bot.store.engine.connect() as conn:
        rows = (await conn.execute(sa.select(partnerships))).all()
    assert code not in repr(rows)


async def test_the_export_names_the_partner_and_since_when_only(bot: BotHarness) -> None:
    await set_up(bot)
    await partnered(bot)
    await bot.say("/export")
    document = json.loads(bot.emulator.messages(SAM)[-2].data or b"")
    assert document["partner"] == {"name": "Kim", "since": "2026-11-23T09:00:00Z"}
    assert document["user"]["partner_invites"] == [
        {
            "name_shown": "Sam",
            "created_at": "2026-11-23T09:00:00Z",
            "expires_at": "2026-11-30T09:00:00Z",
            "accepted_at": "2026-11-23T09:00:00Z",
            "ended_at": None,
        }
    ]
    await kim(bot, "/add Priya Secret - Kim's own contact")
    await kim(bot, "/export")
    kim_document = json.loads(bot.emulator.messages(KIM)[-2].data or b"")
    assert kim_document["partner"] is None
    assert kim_document["user"]["partner_of"] == [
        {"first_name": "Kim", "since": "2026-11-23T09:00:00Z"}
    ]
    assert "Sam" not in json.dumps(kim_document)
    assert "Priya" not in json.dumps(document)


async def test_no_thanks_shares_nothing_and_uses_the_link_up(bot: BotHarness) -> None:
    await set_up(bot)
    code = await invite(bot)
    await kim(bot, f"/start {code}")
    sam_before = len(bot.emulator.messages(SAM))
    await bot.press("No thanks", KIM)
    assert "nothing was shared" in bot.last(KIM).text
    [told] = bot.emulator.messages(SAM)[sam_before:]
    assert "wasn't taken up this time" in told.text
    [again] = await kim(bot, f"/start {code}")
    assert "expired or was used already" in again.text
    [none] = await bot.say("/partner")
    assert "Invite a partner" in none.buttons[0][0].text


async def test_expired_unknown_own_and_replaced_links_get_a_friendly_line(
    bot: BotHarness, clock: FrozenClock
) -> None:
    await set_up(bot)
    first = await invite(bot)
    [own] = await bot.say(f"/start {first}")
    assert "your own invite link" in own.text
    [unknown] = await kim(bot, "/start " + "A" * 20)
    assert "expired or was used already" in unknown.text
    assert (await bot.store.get_user(KIM)).onboarding_step is None  # type: ignore[union-attr]
    [welcome] = await bot.say("/start over", LEE, first_name="Lee")  # not a code: /start
    assert "what should I call you" in welcome.text

    # A new invite cancels the old one.
    second = await invite(bot)
    [replaced] = await kim(bot, f"/start {first}")
    assert "expired or was used already" in replaced.text

    # Seven days on, the link has expired, and a tap on an old consent finds it gone.
    await kim(bot, f"/start {second}")
    clock.advance(timedelta(days=7, minutes=1))
    [expired] = await bot.say(f"/start {second}", LEE, first_name="Lee")
    assert "expired or was used already" in expired.text
    await bot.press("Yes, I'm in", KIM)
    assert "expired or was used already" in bot.last(KIM).text
    assert await bot.store.partnerships_as_partner(KIM) == []

    # Used once, a link is spent: one partner at a time.
    third = await invite(bot)
    await kim(bot, f"/start {third}")
    await bot.press("Yes, I'm in", KIM)
    [used] = await bot.say(f"/start {third}", LEE, first_name="Lee")
    assert "expired or was used already" in used.text
    [status] = await bot.say("/partner")
    assert "Invite" not in " ".join(b.text for row in status.buttons for b in row)


async def test_an_old_cancel_button_never_ends_an_accepted_invite(bot: BotHarness) -> None:
    await set_up(bot)
    code = await invite(bot)
    [waiting] = await bot.say("/partner")
    assert "waiting for an answer until Mon 30 Nov" in waiting.text
    await kim(bot, f"/start {code}")
    await bot.press("Yes, I'm in", KIM)
    await bot.press("Cancel the invite")
    assert toast(bot) == "They've accepted already: /partner shows it."
    assert (await bot.store.open_partnership(SAM)).active  # type: ignore[union-attr]


async def test_a_cancelled_invite_link_stops_working(bot: BotHarness) -> None:
    await set_up(bot)
    code = await invite(bot)
    await bot.say("/partner")
    await bot.press("Cancel the invite")
    assert bot.last(SAM).text == "Invite cancelled: that link no longer works."
    [gone] = await kim(bot, f"/start {code}")
    assert "expired or was used already" in gone.text


async def test_the_weekly_summary_carries_the_numbers_once(
    bot: BotHarness, clock: FrozenClock
) -> None:
    await set_up(bot)
    await set_up(bot, KIM, "Kim")  # Kim coaches herself too: her own review is unaffected
    await partnered(bot)
    await bot.say("/add Ana warm")
    await bot.say("/reach Ana via email - asked about the design team")
    await bot.say("/add Bob")
    await bot.say("/reach Bob")
    await bot.say("/reply Ana positive")
    await bot.say("/chat Ana - she'll intro me")
    clock.move_to(SUNDAY_EVENING)
    kim_before = len(bot.emulator.messages(KIM))
    await bot.tick()
    new = texts(bot, KIM)[kim_before:]
    assert len(new) == 2  # her own review, and Sam's numbers
    [summary] = [text for text in new if "Sam's week" in text]
    assert summary == (
        "📊 Sam's week, 23 Nov – 29 Nov\n"
        "📨 2 reach-outs · 💬 1 reply · ☕ 1 coffee chat\n"
        "🎯 1 of 30 coffee chats toward the goal\n"
        "🔥 No streak running right now\n"
        "⏳ A little behind their plan: a cheer helps."
    )
    assert any("Your week" in text for text in new)
    [message] = [m for m in bot.emulator.messages(KIM)[kim_before:] if "Sam's week" in m.text]
    labels = [b.text for row in message.buttons for b in row]
    assert labels == ["👏 Well done", "☕ Keep going", "Stop these updates"]
    assert ("partner_week", "2026-W48:1", "sent") in await bot.store.sent_log(SAM)

    # Never twice: not on the next tick, nor after a restart.
    clock.advance(timedelta(minutes=1))
    await bot.tick()
    await bot.restart()
    await bot.tick()
    assert sum("Sam's week" in text for text in texts(bot, KIM)) == 1


async def test_on_track_with_a_streak(bot: BotHarness, clock: FrozenClock) -> None:
    await set_up(bot, daily_quota=1, weekly_chats=1)
    await partnered(bot)
    await bot.say("/add Ana")
    for day in range(5):  # Monday to Friday, one a day
        clock.move_to(datetime(2026, 11, 23 + day, 10, 0, tzinfo=UTC))
        await bot.say("/reach Ana")
    await bot.say("/chat Ana")
    clock.move_to(SUNDAY_EVENING)
    await bot.tick()
    summary = bot.last(KIM).text
    assert "🔥 Streak: 5 days" in summary
    assert "✅ On track for their goal." in summary


async def test_the_heads_up_comes_once_per_stall(bot: BotHarness, clock: FrozenClock) -> None:
    await set_up(bot, stall_days=3, rest_days=(5, 6))
    await partnered(bot)
    await bot.say("/add Ana warm")
    await bot.say("/reach Ana")  # Monday 23 November
    for day in range(24, 31):  # Tuesday to Monday: the nudge comes on Friday
        clock.move_to(datetime(2026, 11, day, 8, 0, tzinfo=UTC))
        await bot.tick()
    heads_up = [text for text in texts(bot, KIM) if "quiet few days" in text]
    assert heads_up == [
        "👋 Sam has had a quiet few days. That happens to everyone; a short hello from you "
        "might help them get going again."
    ]
    assert "Ana" not in heads_up[0]
    log = await bot.store.sent_log(SAM)
    assert ("partner_stall", "2026-11-23:1", "sent") in log
    [message] = [m for m in bot.emulator.messages(KIM) if "quiet few days" in m.text]
    labels = [b.text for row in message.buttons for b in row]
    assert labels == ["💛 Thinking of you", "☕ Keep going", "Stop these updates"]
    await bot.press("Thinking of you", KIM)
    assert bot.last(SAM).text == ("💛 Kim is thinking of you: one small step and you're back.")


async def test_a_cheer_reaches_the_user_once_a_day(bot: BotHarness, clock: FrozenClock) -> None:
    await set_up(bot)
    await partnered(bot)
    clock.move_to(SUNDAY_EVENING)
    await bot.tick()
    sam_before = len(bot.emulator.messages(SAM))
    await bot.press("Well done", KIM)
    assert toast(bot) == "Sent! 💛"
    await bot.press("Keep going", KIM)
    assert "One cheer a day" in str(toast(bot))
    assert texts(bot, SAM)[sam_before:] == ["👏 Kim applauds your week!"]
    clock.advance(timedelta(days=1))
    await bot.press("Keep going", KIM)
    assert texts(bot, SAM)[sam_before:] == [
        "👏 Kim applauds your week!",
        "☕ Kim says: keep going!",
    ]
    cheers = [entry for entry in await bot.store.sent_log(SAM) if entry[0] == "cheer"]
    assert cheers == [("cheer", "2026-11-29", "sent"), ("cheer", "2026-11-30", "sent")]


async def test_the_user_ends_it_and_the_partner_is_told_once(
    bot: BotHarness, clock: FrozenClock
) -> None:
    await set_up(bot)
    await partnered(bot)
    clock.move_to(SUNDAY_EVENING)
    await bot.tick()  # Kim has a summary with cheers under it
    await bot.say("/partner")
    await bot.press("End partnership")
    assert "End the partnership with Kim?" in bot.last(SAM).text
    await bot.press("Keep it")
    assert "Nothing changed" in bot.last(SAM).text
    await bot.say("/partner")
    await bot.press("End partnership")
    kim_before = len(bot.emulator.messages(KIM))
    await bot.press("Yes, end it")
    assert "Kim won't get your numbers any more" in bot.last(SAM).text
    assert texts(bot, KIM)[kim_before:] == [
        "Sam has ended the partnership, so their updates stop here. Thanks for cheering them on! 💛"
    ]
    await bot.press_data("1:pte:1:y")  # a second tap on an old "Yes, end it"
    assert toast(bot) == "These updates have ended."
    await bot.press("Well done", KIM)
    assert toast(bot) == "These updates have ended."
    clock.advance(timedelta(days=7))
    await bot.tick()
    assert len(bot.emulator.messages(KIM)) == kim_before + 1
    [none] = await bot.say("/partner")
    assert "Invite a partner" in none.buttons[0][0].text


async def test_the_partner_stops_it_under_a_summary(bot: BotHarness, clock: FrozenClock) -> None:
    await set_up(bot)
    await partnered(bot)
    clock.move_to(SUNDAY_EVENING)
    await bot.tick()
    [question] = await bot.press("Stop these updates", KIM)
    assert "Stop getting Sam's weekly numbers?" in question.text
    assert "Sam's week" in bot.emulator.messages(KIM)[-2].text  # the summary stays
    sam_before = len(bot.emulator.messages(SAM))
    await bot.press("Yes, end it", KIM)
    assert "no more updates about Sam" in bot.last(KIM).text
    assert texts(bot, SAM)[sam_before:] == [
        "Kim has stopped getting your weekly updates. That's okay: /partner if you'd like to "
        "invite someone else."
    ]
    await bot.press("Well done", KIM)
    assert toast(bot) == "These updates have ended."
    assert len(bot.emulator.messages(SAM)) == sam_before + 1
    assert await bot.store.open_partnership(SAM) is None


async def test_delete_by_the_partner_ends_it_and_forgets_them(bot: BotHarness) -> None:
    await set_up(bot)
    await partnered(bot)
    sam_before = len(bot.emulator.messages(SAM))
    await kim(bot, "/delete")
    await bot.press("Yes, delete everything", KIM)
    assert texts(bot, SAM)[sam_before:] == [
        "Kim has stopped getting your weekly updates. That's okay: /partner if you'd like to "
        "invite someone else."
    ]
    async with bot.store.engine.connect() as conn:
        rows = (await conn.execute(sa.select(partnerships))).all()
    assert [(row.partner_chat_id, row.partner_name) for row in rows] == [(None, None)]
    await bot.say("/export")
    assert json.loads(bot.emulator.messages(SAM)[-2].data or b"")["partner"] is None


async def test_delete_by_the_user_ends_it(bot: BotHarness) -> None:
    await set_up(bot)
    await partnered(bot)
    kim_before = len(bot.emulator.messages(KIM))
    await bot.say("/delete")
    await bot.press("Yes, delete everything")
    assert texts(bot, KIM)[kim_before:] == [
        "Sam has ended the partnership, so their updates stop here. Thanks for cheering them on! 💛"
    ]
    assert await bot.store.partnerships_as_partner(KIM) == []


async def test_a_partner_who_blocked_the_bot_is_dropped_and_the_user_told_once(
    bot: BotHarness, clock: FrozenClock
) -> None:
    await set_up(bot)
    await partnered(bot)
    bot.emulator.block(KIM)
    clock.move_to(SUNDAY_EVENING)
    report = await bot.tick()
    assert report.outcomes == {"sent": 1, "dropped": 1}  # Sam's review; not 08:00's morning
    assert "can't reach Kim on Telegram any more" in bot.last(SAM).text
    assert await bot.store.open_partnership(SAM) is None
    clock.advance(timedelta(days=7))
    await bot.tick()
    assert sum("can't reach Kim" in text for text in texts(bot, SAM)) == 1
    assert ("partner_week", "2026-W48:1", "failed") in await bot.store.sent_log(SAM)


async def test_partners_off_answers_so_and_sends_nothing(
    bot: BotHarness, clock: FrozenClock
) -> None:
    await set_up(bot)
    code = await invite(bot)
    await kim(bot, f"/start {code}")
    await bot.press("Yes, I'm in", KIM)
    bot.partners = False
    await bot.restart()
    [off] = await bot.say("/partner")
    assert off.text == "The accountability partner is switched off on this bot."
    [off_too] = await bot.say(f"/start {code}", LEE, first_name="Lee")
    assert off_too.text == off.text
    kim_before = len(bot.emulator.messages(KIM))
    clock.move_to(SUNDAY_EVENING)
    await bot.tick()
    assert len(bot.emulator.messages(KIM)) == kim_before
    assert "Your week" in bot.last(SAM).text


# --- nothing else leaks: a property over rich weeks ----------------------------------------

_FIRST_NAMES = ("Marguerite", "Bartholomew", "Oluwaseun", "Siobhan", "Xiomara", "Leopold")
_MARK = st.from_regex(r"Zq[a-z]{5,9}", fullmatch=True)  # no template word looks like this


@dataclass(frozen=True)
class RichWeek:
    """What Sam logs in a week: contacts, notes, a gift, a fear, an opportunity, settings."""

    names: tuple[str, str, str]
    notes: tuple[str, str, str]
    gift: str
    fear: str
    opportunity: str
    zone: str

    def secrets(self) -> list[str]:
        """Every string that must never reach the partner."""
        words = [*self.names, *self.notes, self.gift, self.fear, self.opportunity, self.zone]
        return words + [part for name in self.names for part in name.split()]


@st.composite
def rich_weeks(draw: st.DrawFn) -> RichWeek:
    firsts = draw(st.lists(st.sampled_from(_FIRST_NAMES), min_size=3, max_size=3, unique=True))
    marks = draw(st.lists(_MARK, min_size=9, max_size=9, unique=True))
    zone = draw(st.sampled_from(["America/Argentina/Ushuaia", "Pacific/Chatham", "Asia/Kathmandu"]))
    return RichWeek(
        names=(f"{firsts[0]} {marks[0]}", f"{firsts[1]} {marks[1]}", f"{firsts[2]} {marks[2]}"),
        notes=(f"met at {marks[3]}", f"asked about {marks[4]}", f"she knows {marks[5]}"),
        gift=f"the {marks[6]} article",
        fear=f"{marks[7]} will think I'm pushy",
        opportunity=f"Designer at {marks[8]}",
        zone=zone,
    )


async def _live_a_rich_week(bot: BotHarness, week: RichWeek) -> list[str]:
    """Sam's week with a partner: logs, a stall, the review; Kim cheers and stops. Returns
    everything Kim was shown: messages (as edited) and the answers to her taps."""
    await set_up(bot, stall_days=3, rest_days=(5, 6), timezone=week.zone, name="Sam")
    await partnered(bot)
    one, two, three = week.names
    await bot.say(f"/add {one} warm - {week.notes[0]}")
    await bot.say(f"/add {two} first")
    await bot.say(f"/add {three}")
    await bot.say(f"/reach {one} via email advice - {week.notes[1]}")
    await bot.say(f"/reach {two} via linkedin")
    await bot.say(f"/reach {three}")
    await bot.say(f"/reply {one} positive")
    await bot.say(f"/chat {one} - {week.notes[2]}")
    await bot.say(f"/gave {two} {week.gift}")
    await bot.say(f"/fear {week.fear}")
    await bot.press("3")
    contact = (await bot.store.list_contacts(SAM))[0]
    await bot.store.add_opportunity(
        SAM, contact.id, title=week.opportunity, stage=Stage.INTERVIEW, now=bot.clock.now()
    )
    answers = len(bot.emulator.callback_answers)
    # Each scheduled message at its local time: quiet days bring the heads-up, Sunday the review.
    review_at = (await bot.store.schedules_of(SAM))["weekly_review"]
    while (due := min((await bot.store.schedules_of(SAM)).values())) <= review_at:
        bot.clock.move_to(due)
        await bot.tick()
    shown = texts(bot, KIM)
    assert any("Sam's week" in text for text in shown), shown
    assert any("quiet few days" in text for text in shown), shown
    await bot.press("Well done", KIM)
    await bot.press("Stop these updates", KIM)
    await bot.press("Yes, end it", KIM)
    shown = texts(bot, KIM)
    toasts = [str(answer.get("text")) for answer in bot.emulator.callback_answers[answers:]]
    return shown + toasts


async def _check_nothing_leaks(week: RichWeek) -> None:
    with tempfile.TemporaryDirectory() as folder:
        async with running_bot(Path(folder), FrozenClock(MONDAY_MORNING)) as bot:
            shown = await _live_a_rich_week(bot, week)
    seen = "\n".join(shown)
    leaked = [secret for secret in week.secrets() if secret.lower() in seen.lower()]
    assert leaked == [], seen


@settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "3")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # a failure prints its whole week
)
@given(rich_weeks())
def test_no_partner_message_holds_a_name_note_fear_or_setting(week: RichWeek) -> None:
    asyncio.run(_check_nothing_leaks(week))
