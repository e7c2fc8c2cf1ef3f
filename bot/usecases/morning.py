"""The morning message: one phone screen of what today asks, a restart-shaped one while the
user is finding their way back, and redrawn in place when one of its follow-ups is answered.

Composing only reads, so a message another replica ends up sending changes nothing; what it
showed is kept with its claim (`MorningPlan`), and a tap on one of its follow-ups redraws it
from that record and the store, so only that follow-up's line changes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from bot.coaching.dates import is_rest_day, local_day_bounds, local_today
from bot.coaching.domain import (
    QUOTA_KINDS,
    Contact,
    Fear,
    FollowUp,
    FollowUpReason,
    FollowUpStatus,
    Interaction,
    Opportunity,
    User,
)
from bot.coaching.fears import PromptSetting, morning_prompt_due, parse_prompt_setting
from bot.coaching.followups import is_due
from bot.coaching.ladder import contacts_owed_a_give, give_suggestion_text
from bot.coaching.morning import (
    FEAR_PROMPT_BUTTONS,
    SILENCE_CHECK_BUTTONS,
    MorningInputs,
    MorningPlan,
    morning_layout,
)
from bot.coaching.progress import hot_opportunities, is_give_day, user_streak
from bot.coaching.text import short_name
from bot.coaching.timing import MessageKind, local_date_of, stalled_since
from bot.coaching.today import (
    TodayNumbers,
    count_quota_actions,
    silence_settled,
    suggest_contacts,
    today_numbers,
)
from bot.messages.progress import keep_pace_text, streak_text
from bot.messages.today import (
    morning_follow_up_line,
    morning_text,
    restart_morning_text,
    restart_text,
)
from bot.usecases.actions import FollowUpAnswer, GaveSomething, MorningFollowUp, ReachedOut
from bot.usecases.fears import (
    FEAR_QUESTION_SETTLED,
    NO_PROMPT,
    SILENCE_CHECK,
    FearPrompt,
    fear_question_settled,
    one_tap_fear_prompt,
    silence_check,
)
from bot.usecases.followups import BOOKING_REASONS, open_follow_up, settle_follow_up
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


# The sent-log keys a morning asks about: the restart nudge of a stall, a silence check asked
# once, today's fear question answered or skipped.
MORNING_CLAIM_KINDS = (MessageKind.RESTART.value, SILENCE_CHECK, FEAR_QUESTION_SETTLED)


async def compose_morning(
    store: Store, user: User, scheduled_at: datetime, now: datetime
) -> Morning | None:
    """Today's morning message, the restart nudge when the user has gone quiet, or, until they
    reach out again, a restart-shaped morning with one small step; None on a rest day, while
    paused, or once today's quota is met. The batch path (`compose_mornings`) for one user."""
    (morning,) = await compose_mornings(store, [(user, scheduled_at)], now)
    if isinstance(morning, Exception):
        raise morning
    return morning


async def compose_mornings(
    store: Store, due: Sequence[tuple[User, datetime]], now: datetime
) -> list[Morning | Exception | None]:
    """The morning of each (user, instant it was scheduled for), in order, read for the whole
    batch in a few queries; an error composing one user's morning stands in its place."""
    wanted = [user for user, at in due if _has_morning(user, local_date_of(at, user.timezone), now)]
    inputs = await store.morning_inputs(wanted, MORNING_CLAIM_KINDS) if wanted else {}
    mornings: list[Morning | Exception | None] = []
    for user, scheduled_at in due:
        try:
            found = inputs.get(user.chat_id)
            mornings.append(morning_of(found, scheduled_at, now) if found else None)
        except Exception as error:  # one user's data breaks only that user's morning
            mornings.append(error)
    return mornings


def morning_of(inputs: MorningInputs, scheduled_at: datetime, now: datetime) -> Morning | None:
    """The morning message composed from what the store held (no I/O): see `compose_morning`."""
    user = inputs.user
    today = local_date_of(scheduled_at, user.timezone)
    if not _has_morning(user, today, now):
        return None
    suggestions = suggest_contacts(inputs.summaries, now, limit=1)
    suggestion = suggestions[0] if suggestions else None
    open_items = inputs.open_follow_ups
    due = [pair for pair in open_items if is_due(pair[0].due_at, now, user.timezone)]
    since = _stalled_since(user, inputs.log, today)
    if since is not None:
        restarted = (MessageKind.RESTART.value, since.isoformat()) in inputs.claims
        return _restart(user, (today, since, restarted), suggestion, open_items, len(due))
    numbers = _today_numbers(user, inputs.log, now)
    if numbers.remaining == 0:
        return None
    contacts = {summary.contact.id: summary.contact for summary in inputs.summaries}
    habit = _habit(user, inputs.log, inputs.pipeline, contacts, today)
    silence = _silence_to_check(inputs, now)
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
    state = _MorningState(numbers, due[: layout.follow_ups], suggestion, False, habit)
    settled = (FEAR_QUESTION_SETTLED, today.isoformat()) in inputs.claims
    silence_contact = contacts.get(silence.contact_id) if silence and silence.contact_id else None
    fear = _fear_prompt(plan, settled, silence, silence_contact)
    reply = _draw(user, now, (today, plan), state, None, fear)
    also = ((SILENCE_CHECK, str(plan.silence_fear_id)),) if plan.silence_fear_id else ()
    return Morning(MessageKind.MORNING, today.isoformat(), reply, plan, also)


def _has_morning(user: User, today: date, now: datetime) -> bool:
    """Whether `today` may have a morning message at all: not paused, not a rest day."""
    return not (user.paused(now) or is_rest_day(today, user.rest_days))


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
        habit=await _habit_now(store, user, day),
    )
    fear = await _fear_question(store, user, plan, day)
    return _draw(user, now, (day, plan), state, opened, fear)


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


def _draw(
    user: User,
    now: datetime,
    shown: tuple[date, MorningPlan],
    state: _MorningState,
    opened: tuple[int, FollowUpAnswer] | None,
    fear: FearPrompt,
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
    if not (plan.fear_prompt or plan.silence_fear_id):
        return NO_PROMPT
    settled = await fear_question_settled(store, user, day)
    fear = None
    if plan.silence_fear_id is not None and not settled:
        fear = await store.get_fear(user.chat_id, plan.silence_fear_id)
    contact_id = fear.contact_id if fear is not None and fear.outcome is None else None
    contact = await store.get_contact(user.chat_id, contact_id) if contact_id else None
    return _fear_prompt(plan, settled, fear, contact)


def _fear_prompt(
    plan: MorningPlan, settled: bool, fear: Fear | None, contact: Contact | None
) -> FearPrompt:
    """The fear question of a morning that showed `plan`: none once `settled` (answered or
    skipped), the one-tap question, or "no answer: did it happen?" about `fear` and `contact`
    (none once that fear has its outcome, `contact` then being None)."""
    if not (plan.fear_prompt or plan.silence_fear_id) or settled:
        return NO_PROMPT
    if plan.silence_fear_id is None:
        return one_tap_fear_prompt()
    return silence_check(fear, contact) if fear is not None and contact is not None else NO_PROMPT


def _restart(
    user: User,
    days: tuple[date, date, bool],
    suggestion: Contact | None,
    open_items: Sequence[tuple[FollowUp, Contact]],
    due_count: int,
) -> Morning:
    """The restart nudge once per stall (`days`: today, the stall's first day, and whether its
    nudge went out); after it, until the user reaches out again, a short morning with the same
    one small step."""
    today, since, restarted = days
    # The smallest step back: a new hello, or else a nudge to someone already waiting.
    nudge_to, is_follow_up = suggestion, False
    if nudge_to is None and open_items:
        nudge_to, is_follow_up = open_items[0][1], True
    rows: tuple[ButtonRow, ...] = ()
    if nudge_to is not None:
        label = f"📨 Done: {short_name(nudge_to.name, 24)}"
        rows = ((Button(label, ReachedOut(nudge_to.id)),),)
    if not restarted:
        text = restart_text(user, nudge_to, follow_up=is_follow_up)
        return Morning(MessageKind.RESTART, since.isoformat(), Reply(text, rows))
    text = restart_morning_text(user, nudge_to, follow_up=is_follow_up, waiting=due_count)
    return Morning(MessageKind.MORNING, today.isoformat(), Reply(text, rows))


def _stalled_since(user: User, log: Sequence[Interaction], today: date) -> date | None:
    last = max((item.at for item in log if item.kind in QUOTA_KINDS), default=None)
    return stalled_since(
        local_date_of(last, user.timezone) if last else None,
        local_date_of(user.onboarded_at or user.created_at, user.timezone),
        today,
        user.rest_days,
        user.stall_days,
    )


def _today_numbers(user: User, log: Sequence[Interaction], now: datetime) -> TodayNumbers:
    """Today's quota numbers in the user's zone (as `today_counts` reads them)."""
    today = local_today(now, user.timezone)
    start, end = local_day_bounds(today, user.timezone)
    return today_numbers(
        quota=user.daily_quota,
        done=count_quota_actions(log, start, end),
        rest_day=is_rest_day(today, user.rest_days),
        due_follow_ups=0,
    )


async def _habit_now(store: Store, user: User, today: date) -> tuple[list[str], list[ButtonRow]]:
    """The morning's habit lines and buttons as the store holds them now."""
    log = await store.interactions_of(user.chat_id)
    pipeline = await store.list_opportunities(user.chat_id)
    contacts = {contact.id: contact for contact in await store.list_contacts(user.chat_id)}
    return _habit(user, log, pipeline, contacts, today)


def _habit(
    user: User,
    log: Sequence[Interaction],
    pipeline: Sequence[tuple[Opportunity, Contact]],
    contacts: Mapping[int, Contact],
    today: date,
) -> tuple[list[str], list[ButtonRow]]:
    """The morning message's habit lines and buttons: the streak; while something is hot, the
    coffee-chat pace; and once a week, a give for the contact who helped and waited longest."""
    lines = [
        streak_text(user_streak(user, log, today), rest_day=is_rest_day(today, user.rest_days))
    ]
    opportunity_contacts = {opportunity.id: contact for opportunity, contact in pipeline}
    hot = hot_opportunities(opportunity for opportunity, _ in pipeline)
    if hot:
        lines.append(keep_pace_text(hot[0], opportunity_contacts[hot[0].id]))
    rows: list[ButtonRow] = []
    owed = contacts_owed_a_give(log) if is_give_day(today, user.rest_days) else []
    contact = contacts.get(owed[0]) if owed else None
    if contact is not None:
        lines.append(give_suggestion_text(contact.name))
        label = f"🎁 I gave {short_name(contact.name, 20)} something"
        rows.append((Button(label, GaveSomething(contact.id)),))
    return lines, rows


def _silence_to_check(inputs: MorningInputs, now: datetime) -> Fear | None:
    """An open fear about someone whose last follow-up went unanswered a week ago, not asked
    about yet (none for a user who turned the morning fear questions off)."""
    if parse_prompt_setting(inputs.user.fear_prompts) is PromptSetting.NEVER:
        return None
    silent = {item.contact.id for item in inputs.summaries if silence_settled(item, now)}
    for fear in inputs.open_fears:
        waiting = fear.outcome is None and fear.contact_id in silent
        if waiting and (SILENCE_CHECK, str(fear.id)) not in inputs.claims:
            return fear
    return None


async def _reached_today(store: Store, user: User, contact: Contact, now: datetime) -> bool:
    start, _ = local_day_bounds(local_today(now, user.timezone), user.timezone)
    latest = await store.contact_history(user.chat_id, contact.id, limit=1)
    return bool(latest) and latest[0].kind in QUOTA_KINDS and latest[0].at >= start
