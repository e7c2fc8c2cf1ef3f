"""/followups: due and upcoming follow-ups, each due one with Done / Snooze / Replied / Rest."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.coaching.domain import Contact, FollowUp, FollowUpStatus, User
from bot.coaching.followups import is_due, rest_until, snooze_until
from bot.messages.common import esc, format_day
from bot.messages.today import follow_ups_text
from bot.usecases.actions import AnswerFollowUp, FollowUpAnswer, GotReply
from bot.usecases.outreach import got_reply, log_reach
from bot.usecases.replies import Button, ButtonRow, Edit, Refusal, Reply, Response, sent
from storage import Store

MAX_ROWS = 8


async def show_follow_ups(store: Store, user: User, now: datetime, _: object = None) -> Response:
    """/followups (and its button): the list, as a new message."""
    return sent(await _follow_up_list(store, user, now))


async def answer_follow_up(
    store: Store, user: User, now: datetime, action: AnswerFollowUp
) -> Response:
    """One of the four answers to a due follow-up, then the list again, updated in place."""
    follow_up = await store.get_follow_up(user.chat_id, action.follow_up_id)
    contact = await store.get_contact(user.chat_id, follow_up.contact_id) if follow_up else None
    if follow_up is None or contact is None:
        raise Refusal("That follow-up is no longer here.")
    if follow_up.status is not FollowUpStatus.OPEN:
        raise Refusal("Already done ✅")
    if action.answer is FollowUpAnswer.REPLIED:
        return await got_reply(store, user, now, GotReply(contact.id))
    if action.answer is FollowUpAnswer.DONE:
        logged = await log_reach(store, user, now, contact, None, None, None)
        response = sent(logged, toast="Followed up ✅")
    elif action.answer is FollowUpAnswer.SNOOZE:
        until = snooze_until(now)
        await store.snooze_follow_up(user.chat_id, follow_up.id, until)
        response = Response(toast=f"Snoozed to {format_day(until, user.timezone)} ⏰")
    else:
        until = rest_until(now)
        await store.rest_contact(user.chat_id, contact.id, now=now, until=until)
        rested = Reply(
            f"🌙 Letting <b>{esc(contact.name)}</b> rest until "
            f"{format_day(until, user.timezone)}. No blame: timing is everything."
        )
        response = sent(rested, toast="Resting for a month 🌙")
    return response.then(Edit(await _follow_up_list(store, user, now)))


async def _follow_up_list(store: Store, user: User, now: datetime) -> Reply:
    items = await store.open_follow_ups(user.chat_id)
    due = [(item, contact) for item, contact in items if is_due(item.due_at, now, user.timezone)]
    upcoming = [pair for pair in items if pair not in due]
    return Reply(follow_ups_text(due, upcoming, user), tuple(follow_up_rows(due)))


def follow_up_rows(due: Sequence[tuple[FollowUp, Contact]]) -> list[ButtonRow]:
    """One row of one-tap actions per due follow-up: done, snooze, replied, let it rest."""
    return [
        (
            Button(f"✅ {contact.name[:18]}", AnswerFollowUp(item.id, FollowUpAnswer.DONE)),
            Button("⏰", AnswerFollowUp(item.id, FollowUpAnswer.SNOOZE)),
            Button("💬", AnswerFollowUp(item.id, FollowUpAnswer.REPLIED)),
            Button("🌙", AnswerFollowUp(item.id, FollowUpAnswer.REST)),
        )
        for item, contact in due[:MAX_ROWS]
    ]
