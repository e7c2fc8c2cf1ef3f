"""/followups: due and upcoming follow-ups, each with its one-tap answers, and what each answer
does wherever it is tapped (the list, or the morning message)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.coaching.domain import (
    Contact,
    FollowUp,
    FollowUpReason,
    FollowUpStatus,
    Kind,
    User,
)
from bot.coaching.followups import (
    BOOKED_CHECK_DAYS,
    is_due,
    on_active_day,
    rest_until,
    snooze_until,
)
from bot.coaching.text import short_name
from bot.messages.common import esc, format_day
from bot.messages.today import follow_ups_text
from bot.usecases.actions import AnswerFollowUp, FollowUpAnswer, GotReply
from bot.usecases.fears import after_silence
from bot.usecases.outreach import got_reply, log_chat, log_reach, log_reply
from bot.usecases.replies import Button, ButtonRow, Edit, Refusal, Reply, Response, sent
from storage import Store

MAX_ROWS = 8
ALREADY_DONE = "Already done ✅"
FOLLOW_UP_GONE = "That follow-up is no longer here."
BOOKING_REASONS = (FollowUpReason.BOOK_CHAT, FollowUpReason.CHAT_BOOKED)
REPLY_KINDS_BY_ANSWER = {
    FollowUpAnswer.POSITIVE: Kind.REPLY_POSITIVE,
    FollowUpAnswer.DECLINED: Kind.REPLY_DECLINED,
    FollowUpAnswer.LATER: Kind.REPLY_LATER,
}


async def show_follow_ups(store: Store, user: User, now: datetime, _: object = None) -> Response:
    """/followups (and its button): the list, as a new message."""
    return sent(await _follow_up_list(store, user, now))


async def answer_follow_up(
    store: Store, user: User, now: datetime, action: AnswerFollowUp
) -> Response:
    """An answer tapped in the list: carried out, then the list again, updated in place."""
    follow_up, contact = await open_follow_up(store, user, action.follow_up_id)
    if action.answer is FollowUpAnswer.MORE:
        raise Refusal(ALREADY_DONE)  # the list shows every answer already
    response = await settle_follow_up(store, user, now, (follow_up, contact), action.answer)
    return response.then(Edit(await _follow_up_list(store, user, now)))


async def open_follow_up(store: Store, user: User, follow_up_id: int) -> tuple[FollowUp, Contact]:
    """The chat's follow-up with this id and its contact, while it is open; a Refusal when it
    is gone or settled already."""
    follow_up = await store.get_follow_up(user.chat_id, follow_up_id)
    contact = await store.get_contact(user.chat_id, follow_up.contact_id) if follow_up else None
    if follow_up is None or contact is None:
        raise Refusal(FOLLOW_UP_GONE)
    if follow_up.status is not FollowUpStatus.OPEN:
        raise Refusal(ALREADY_DONE)
    return follow_up, contact


async def settle_follow_up(
    store: Store,
    user: User,
    now: datetime,
    item: tuple[FollowUp, Contact],
    answer: FollowUpAnswer,
) -> Response:
    """Carry out one answer to an open follow-up: what is logged or moved, and what is said."""
    follow_up, contact = item
    if answer is FollowUpAnswer.DONE:
        logged = await log_reach(store, user, now, contact, None, None, None)
        return sent(logged, toast="Followed up ✅")
    if answer is FollowUpAnswer.REPLIED:
        return await got_reply(store, user, now, GotReply(contact.id))
    if answer in REPLY_KINDS_BY_ANSWER:
        reply = await log_reply(store, user, now, contact, REPLY_KINDS_BY_ANSWER[answer])
        return sent(reply, toast="Logged ✅")
    if answer is FollowUpAnswer.MET:
        return sent(await log_chat(store, user, now, contact, None), toast="Logged ☕")
    if answer is FollowUpAnswer.SNOOZE:
        # An upcoming follow-up snoozes from its own day, never to an earlier one.
        until = snooze_until(max(now, follow_up.due_at), tz=user.timezone, rest_days=user.rest_days)
        await store.snooze_follow_up(user.chat_id, follow_up.id, until)
        return Response(toast=f"Snoozed to {format_day(until, user.timezone)} ⏰")
    if answer is FollowUpAnswer.BOOKED:
        until = on_active_day(
            now + timedelta(days=BOOKED_CHECK_DAYS), user.timezone, user.rest_days
        )
        await store.snooze_follow_up(
            user.chat_id, follow_up.id, until, reason=FollowUpReason.CHAT_BOOKED
        )
        return Response(
            toast=f"Booked 📅 I'll ask how it went on {format_day(until, user.timezone)}"
        )
    until = rest_until(now)
    await store.rest_contact(user.chat_id, contact.id, now=now, until=until)
    rested = Reply(
        f"🌙 Letting <b>{esc(contact.name)}</b> rest until "
        f"{format_day(until, user.timezone)}. No blame: timing is everything."
    )
    fear_check = await after_silence(store, user, contact)
    return sent(fear_check.apply(rested), toast="Resting for a month 🌙")


async def _follow_up_list(store: Store, user: User, now: datetime) -> Reply:
    items = await store.open_follow_ups(user.chat_id)
    due = [(item, contact) for item, contact in items if is_due(item.due_at, now, user.timezone)]
    upcoming = [pair for pair in items if pair not in due]
    return Reply(follow_ups_text(due, upcoming, user), tuple(follow_up_rows([*due, *upcoming])))


def follow_up_rows(items: Sequence[tuple[FollowUp, Contact]]) -> list[ButtonRow]:
    """One row of one-tap answers per follow-up (the first few): done, snooze, replied, let it
    rest; for a chat to book: we met, booked, snooze, let it rest."""
    return [_list_row(item, contact) for item, contact in items[:MAX_ROWS]]


def _list_row(item: FollowUp, contact: Contact) -> ButtonRow:
    def answer(label: str, how: FollowUpAnswer) -> Button:
        return Button(label, AnswerFollowUp(item.id, how))

    name = short_name(contact.name, 18)
    first: ButtonRow
    if item.reason is FollowUpReason.BOOK_CHAT:
        first = (answer(f"☕ {name}", FollowUpAnswer.MET), answer("📅", FollowUpAnswer.BOOKED))
    elif item.reason is FollowUpReason.CHAT_BOOKED:
        first = (answer(f"☕ {name}", FollowUpAnswer.MET),)
    else:
        first = (answer(f"✅ {name}", FollowUpAnswer.DONE),)
    rest = (answer("⏰", FollowUpAnswer.SNOOZE), answer("🌙", FollowUpAnswer.REST))
    if item.reason in BOOKING_REASONS:
        return (*first, *rest)
    return (*first, rest[0], answer("💬", FollowUpAnswer.REPLIED), rest[1])
