"""The morning message: one phone screen of what today asks, a restart-shaped one while the
user is finding their way back, and redrawn in place when one of its follow-ups is answered.

Composing only reads, so a message another replica ends up sending changes nothing; what it
showed is kept with its claim (`MorningPlan`), and a tap on one of its follow-ups redraws it
from that record and the store, so only that follow-up's line changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from bot.coaching.dates import is_rest_day, local_day_bounds, local_today
from bot.coaching.domain import (
    QUOTA_KINDS,
    Contact,
    ContactSummary,
    Fear,
    FollowUp,
    FollowUpReason,
    FollowUpStatus,
    User,
)
from bot.coaching.fears import PromptSetting, morning_prompt_due, parse_prompt_setting
from bot.coaching.followups import is_due
from bot.coaching.morning import (
    FEAR_PROMPT_BUTTONS,
    SILENCE_CHECK_BUTTONS,
    MorningPlan,
    morning_layout,
)
from bot.coaching.text import short_name
from bot.coaching.timing import MessageKind, local_date_of, stalled_since
from bot.coaching.today import TodayNumbers, silence_settled, suggest_contacts
from bot.messages.today import (
    morning_follow_up_line,
    morning_text,
    restart_morning_text,
    restart_text,
)
from bot.usecases.actions import FollowUpAnswer, MorningFollowUp, ReachedOut
from bot.usecases.fears import (
    NO_PROMPT,
    SILENCE_CHECK,
    FearPrompt,
    fear_question_settled,
    one_tap_fear_prompt,
    silence_check,
)
from bot.usecases.followups import BOOKING_REASONS, open_follow_up, settle_follow_up
from bot.usecases.progress import morning_habit
from bot.usecases.replies import Button, ButtonRow, Edit, Refusal, Reply, Response, edited
from bot.usecases.today import today_counts
from storage import Store

OLD_MORNING = "That morning has passed: /followups has today's buttons."
# Answers that only open more choices on the follow-up's row.
OPENERS = (FollowUpAnswer.MORE, FollowUpAnswer.REPLIED)


@dataclass(frozen=True)
class Morning:
    """A composed morning (or restart) message: the key it is claimed under, what it says,
    what it showed, and the keys it settles too (a silence check, asked once)."""

    kind: MessageKind
    period_key: str
    reply: Reply
    plan: MorningPlan | None = None
    also_claim: tuple[tuple[str, str], ...] = ()


async def compose_morning(
    store: Store, user: User, scheduled_at: datetime, now: datetime
) -> Morning | None:
    """Today's morning message, the restart nudge when the user has gone quiet, or, until they
    reach out again, a restart-shaped morning with one small step; None on a rest day, while
    paused, or once today's quota is met."""
    today = local_date_of(scheduled_at, user.timezone)
    if user.paused(now) or is_rest_day(today, user.rest_days):
        return None
    summaries = await store.contact_summaries(user.chat_id)
    suggestions = suggest_contacts(summaries, now, limit=1)
    suggestion = suggestions[0] if suggestions else None
    open_items = await store.open_follow_ups(user.chat_id)
    due = [pair for pair in open_items if is_due(pair[0].due_at, now, user.timezone)]
    since = await _stalled_since(store, user, today)
    if since is not None:
        return await _restart(store, user, (today, since), suggestion, open_items, len(due))
    numbers = await today_counts(store, user, now)
    if numbers.remaining == 0:
        return None
    habit = await morning_habit(store, user, today)
    silence = await _silence_to_check(store, user, summaries, now)
    fear_buttons = 0
    if silence is not None:
        fear_buttons = SILENCE_CHECK_BUTTONS
    elif morning_prompt_due(user.fear_prompts, today):
        fear_buttons = FEAR_PROMPT_BUTTONS
    layout = morning_layout(
        len(due),
        suggestion=suggestion is not None,
        give=bool(habit[1]),
        fear_buttons=fear_buttons,
    )
    asks_silence = layout.fear_question and silence is not None
    plan = MorningPlan(
        follow_up_ids=tuple(item.id for item, _ in due[: layout.follow_ups]),
        more=layout.more,
        suggestion_id=suggestion.id if suggestion else None,
        fear_prompt=layout.fear_question and silence is None,
        silence_fear_id=silence.id if asks_silence and silence else None,
    )
    # Everything on it was just read: drawn without reading it again.
    state = _MorningState(numbers, due[: layout.follow_ups], suggestion, False, habit)
    reply = await _draw(store, user, now, (today, plan), state, None)
    also = ((SILENCE_CHECK, str(plan.silence_fear_id)),) if plan.silence_fear_id else ()
    return Morning(MessageKind.MORNING, today.isoformat(), reply, plan, also)


async def answer_morning_follow_up(
    store: Store, user: User, now: datetime, action: MorningFollowUp
) -> Response:
    """An answer tapped on a follow-up of the morning message: carried out, then the message
    redrawn with that line changed (the rest stays). On an older morning's message, carried
    out and its follow-up buttons taken off."""
    day = date.fromordinal(action.day)
    stored = await store.message_content(user.chat_id, MessageKind.MORNING.value, day.isoformat())
    plan = MorningPlan.from_json(stored)
    current = plan is not None and day == local_today(now, user.timezone)
    try:
        follow_up, contact = await open_follow_up(store, user, action.follow_up_id)
    except Refusal as settled:
        if plan is None or not current:
            raise
        # Answered elsewhere since (/followups, a command): the line catches up.
        return edited(await render_morning(store, user, now, day, plan), toast=settled.toast)
    if action.answer in OPENERS:
        if plan is None or not current:
            raise Refusal(OLD_MORNING)
        opened = (follow_up.id, action.answer)
        return edited(await render_morning(store, user, now, day, plan, opened=opened))
    response = await settle_follow_up(store, user, now, (follow_up, contact), action.answer)
    if plan is None or not current:
        return Response(response.steps, response.toast, drop=MorningFollowUp)
    return response.then(Edit(await render_morning(store, user, now, day, plan)))


async def render_morning(
    store: Store,
    user: User,
    now: datetime,
    day: date,
    plan: MorningPlan,
    *,
    opened: tuple[int, FollowUpAnswer] | None = None,
) -> Reply:
    """The morning message of `day` as it stands now: what it showed, each follow-up as it is
    now, today's numbers; `opened` is a follow-up whose row shows more answers."""
    items: list[tuple[FollowUp, Contact]] = []
    for follow_up_id in plan.follow_up_ids:
        follow_up = await store.get_follow_up(user.chat_id, follow_up_id)
        follow_up = await _answered_into(store, user, follow_up) if follow_up else None
        contact = await store.get_contact(user.chat_id, follow_up.contact_id) if follow_up else None
        if follow_up is not None and contact is not None:
            items.append((follow_up, contact))
    suggestion = (
        await store.get_contact(user.chat_id, plan.suggestion_id) if plan.suggestion_id else None
    )
    state = _MorningState(
        numbers=await today_counts(store, user, now),
        items=items,
        suggestion=suggestion,
        reached=suggestion is not None and await _reached_today(store, user, suggestion, now),
        habit=await morning_habit(store, user, day),
    )
    return await _draw(store, user, now, (day, plan), state, opened)


# A listed follow-up answered by a yes or a "later" lives on as the check that answer planned:
# its line follows it ("said yes! I'll check on Thu that the chat is booked").
_ANSWERS_THAT_PLAN = (FollowUpReason.BOOK_CHAT, FollowUpReason.LATER)


async def _answered_into(store: Store, user: User, follow_up: FollowUp) -> FollowUp:
    """The follow-up a listed one became: itself, or the check planned by the reply that
    answered it."""
    if follow_up.status is FollowUpStatus.OPEN or follow_up.closed_by_id is None:
        return follow_up
    entry = await store.log_entry(user.chat_id, follow_up.closed_by_id)
    planned = [item for item in entry.planned if item.reason in _ANSWERS_THAT_PLAN] if entry else []
    return planned[0] if planned else follow_up


@dataclass(frozen=True)
class _MorningState:
    """What a morning message shows that changes during the day, as read from the store."""

    numbers: TodayNumbers
    items: Sequence[tuple[FollowUp, Contact]]
    suggestion: Contact | None
    reached: bool
    habit: tuple[list[str], list[ButtonRow]]


async def _draw(
    store: Store,
    user: User,
    now: datetime,
    shown: tuple[date, MorningPlan],
    state: _MorningState,
    opened: tuple[int, FollowUpAnswer] | None,
) -> Reply:
    day, plan = shown
    waiting = [
        (item, contact)
        for item, contact in state.items
        if item.status is FollowUpStatus.OPEN and is_due(item.due_at, now, user.timezone)
    ]
    text = morning_text(
        user,
        state.numbers,
        [morning_follow_up_line(item, contact, user, now) for item, contact in state.items],
        len(plan.follow_up_ids) + plan.more,
        state.suggestion,
        reached_today=state.reached,
        waiting=[item.reason for item, _ in waiting],
    )
    rows = [_follow_up_row(item, contact, day, opened) for item, contact in waiting]
    if state.suggestion is not None and not state.reached:
        label = f"📨 I reached out to {short_name(state.suggestion.name, 20)}"
        rows.append((Button(label, ReachedOut(state.suggestion.id)),))
    habit_lines, habit_rows = state.habit
    rows += habit_rows
    fear = await _fear_question(store, user, plan, day)
    parts = [text, *habit_lines, *([fear.line] if fear.line else [])]
    return Reply("\n\n".join(parts), (*rows, *fear.rows))


def _follow_up_row(
    item: FollowUp, contact: Contact, day: date, opened: tuple[int, FollowUpAnswer] | None
) -> ButtonRow:
    """A listed follow-up's buttons: the main answer and "⋯"; opened, the other answers, or
    how they replied."""

    def answer(label: str, how: FollowUpAnswer) -> Button:
        return Button(label, MorningFollowUp(item.id, day.toordinal(), how))

    name = short_name(contact.name, 16)
    rest = (answer("⏰ 2 days", FollowUpAnswer.SNOOZE), answer("🌙 Rest", FollowUpAnswer.REST))
    if opened == (item.id, FollowUpAnswer.REPLIED):
        return (
            answer(f"👍 {name}: yes", FollowUpAnswer.POSITIVE),
            answer("🙅 No", FollowUpAnswer.DECLINED),
            answer("⏳ Later", FollowUpAnswer.LATER),
        )
    if opened == (item.id, FollowUpAnswer.MORE):
        if item.reason is FollowUpReason.BOOK_CHAT:
            return (answer(f"📅 Booked {name}", FollowUpAnswer.BOOKED), *rest)
        if item.reason is FollowUpReason.CHAT_BOOKED:
            return (answer(f"⏰ {name}: 2 days", FollowUpAnswer.SNOOZE), rest[1])
        return (answer(f"💬 {name} replied", FollowUpAnswer.REPLIED), *rest)
    if item.reason in BOOKING_REASONS:
        return (answer(f"☕ Met {name}", FollowUpAnswer.MET), answer("⋯", FollowUpAnswer.MORE))
    return (answer(f"✅ {name}", FollowUpAnswer.DONE), answer("⋯", FollowUpAnswer.MORE))


async def _fear_question(store: Store, user: User, plan: MorningPlan, day: date) -> FearPrompt:
    """The fear question the morning carried, unless it was answered or skipped since."""
    if not (plan.fear_prompt or plan.silence_fear_id) or await fear_question_settled(
        store, user, day
    ):
        return NO_PROMPT
    if plan.silence_fear_id is None:
        return one_tap_fear_prompt()
    fear = await store.get_fear(user.chat_id, plan.silence_fear_id)
    contact_id = fear.contact_id if fear is not None and fear.outcome is None else None
    contact = await store.get_contact(user.chat_id, contact_id) if contact_id else None
    return silence_check(fear, contact) if fear is not None and contact is not None else NO_PROMPT


async def _restart(
    store: Store,
    user: User,
    days: tuple[date, date],
    suggestion: Contact | None,
    open_items: Sequence[tuple[FollowUp, Contact]],
    due_count: int,
) -> Morning:
    """The restart nudge once per stall; after it, until the user reaches out again, a short
    morning with the same one small step."""
    today, since = days
    # The smallest step back: a new hello, or else a nudge to someone already waiting.
    nudge_to, is_follow_up = suggestion, False
    if nudge_to is None and open_items:
        nudge_to, is_follow_up = open_items[0][1], True
    rows: tuple[ButtonRow, ...] = ()
    if nudge_to is not None:
        label = f"📨 Done: {short_name(nudge_to.name, 24)}"
        rows = ((Button(label, ReachedOut(nudge_to.id)),),)
    if not await store.is_claimed(user.chat_id, MessageKind.RESTART.value, since.isoformat()):
        text = restart_text(user, nudge_to, follow_up=is_follow_up)
        return Morning(MessageKind.RESTART, since.isoformat(), Reply(text, rows))
    text = restart_morning_text(user, nudge_to, follow_up=is_follow_up, waiting=due_count)
    return Morning(MessageKind.MORNING, today.isoformat(), Reply(text, rows))


async def _stalled_since(store: Store, user: User, today: date) -> date | None:
    last = await store.last_interaction_at(user.chat_id, QUOTA_KINDS)
    return stalled_since(
        local_date_of(last, user.timezone) if last else None,
        local_date_of(user.onboarded_at or user.created_at, user.timezone),
        today,
        user.rest_days,
        user.stall_days,
    )


async def _silence_to_check(
    store: Store, user: User, summaries: Sequence[ContactSummary], now: datetime
) -> Fear | None:
    """An open fear about someone whose last follow-up went unanswered a week ago, not asked
    about yet (none for a user who turned the morning fear questions off)."""
    if parse_prompt_setting(user.fear_prompts) is PromptSetting.NEVER:
        return None
    silent = {item.contact.id for item in summaries if silence_settled(item, now)}
    if not silent:
        return None
    for fear in await store.fears_of(user.chat_id):
        waiting = fear.outcome is None and fear.contact_id in silent
        if waiting and not await store.is_claimed(user.chat_id, SILENCE_CHECK, str(fear.id)):
            return fear
    return None


async def _reached_today(store: Store, user: User, contact: Contact, now: datetime) -> bool:
    start, _ = local_day_bounds(local_today(now, user.timezone), user.timezone)
    latest = await store.contact_history(user.chat_id, contact.id, limit=1)
    return bool(latest) and latest[0].kind in QUOTA_KINDS and latest[0].at >= start
