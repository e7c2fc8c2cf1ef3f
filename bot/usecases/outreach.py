"""Logging what the user did: an outreach, a reply, a coffee chat, a give, and their buttons."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from bot.coaching.dates import (
    check_back_day,
    days_before,
    is_rest_day,
    local_day_bounds,
    local_today,
    moved_to_day,
)
from bot.coaching.domain import (
    MAX_NOTE_LENGTH,
    QUOTA_KINDS,
    Ask,
    Channel,
    Contact,
    FollowUpStatus,
    Kind,
    Tier,
    User,
)
from bot.coaching.errors import InputError
from bot.coaching.followups import (
    follow_up_channel,
    follow_up_effects,
    rest_until,
)
from bot.coaching.names import clean_contact_name, doubtful_name, match_contacts, name_key
from bot.coaching.parsing import (
    parse_chat_args,
    parse_gave_args,
    parse_reach_args,
    parse_reply_args,
)
from bot.coaching.pending import (
    AwaitGift,
    AwaitLogArguments,
    AwaitNextStep,
    LogCommand,
    LogOrigin,
    PendingLog,
)
from bot.messages.common import (
    ALREADY_HANDLED,
    ASK_LABELS,
    CHANNEL_LABELS,
    CONTACT_GONE,
    CONTACT_GONE_NOT_SAVED,
    CONTACT_GONE_NOTHING_SAVED,
    esc,
    format_day,
    with_setup_hint,
)
from bot.messages.history import name_question
from bot.usecases.actions import (
    DraftChoice,
    GaveSomething,
    GotReply,
    HadCoffeeChat,
    LogReply,
    NextStepPlan,
    PlanNextStep,
    ReachedOut,
    ReachedOutVia,
    ResolveDraft,
    RestContact,
)
from bot.usecases.cadence import cadence_of, next_step_plan
from bot.usecases.fears import FearPrompt, after_outcome, after_outreach, after_silence
from bot.usecases.names import name_rows
from bot.usecases.progress import ladder_tip, milestone_note
from bot.usecases.replies import Button, ButtonRow, Refusal, Reply, Response, edited, sent
from bot.usecases.undo import undo_row
from storage import DuplicateContactError, Store

CHANNEL_BUTTONS = (
    (Channel.MESSAGE, "💬 Message"),
    (Channel.EMAIL, "✉️ Email"),
    (Channel.LINKEDIN, "🔗 LinkedIn"),
    (Channel.CALL, "📞 Call"),
    (Channel.IN_PERSON, "🤝 In person"),
    (Channel.OTHER, "Other"),
)
COMMAND_PROMPTS = {
    LogCommand.REACH: "Who did you reach out to? For example: <code>Ana via linkedin advice</code>",
    LogCommand.REPLY: "Who replied? For example: <code>Ana positive</code> (or declined, later)",
    LogCommand.CHAT: "Who did you have a coffee chat with? For example: "
    "<code>Ana - met at the cafe</code>",
    LogCommand.GAVE: "Who did you give something to, and what? For example: "
    "<code>Ana - shared the hiring article</code>",
}
SOMETHING_USEFUL = "something useful"


# --- commands -----------------------------------------------------------------------------


async def log_command(
    store: Store, user: User, now: datetime, command: tuple[LogCommand, str]
) -> Response:
    """/reach, /reply, /chat or /gave with their arguments (asked for when missing)."""
    which, args = command
    if not args.strip():
        await store.set_awaiting(user.chat_id, AwaitLogArguments(which))
        return sent(Reply(COMMAND_PROMPTS[which]))
    try:
        log = await _parse(store, user, now, which, args)
    except InputError as error:
        return sent(Reply(error.message))
    contacts = await store.list_contacts(user.chat_id)
    matches = match_contacts(log.name, contacts)
    if len(matches) == 1:
        return sent(await log_pending(store, user, now, matches[0], log))
    draft_id = await store.create_draft(user.chat_id, log, now)
    cancel = Button("Cancel", ResolveDraft(draft_id, DraftChoice.CANCEL))
    doubt = doubtful_name(log.name) if not matches else None
    if doubt is not None:
        text = f"I don't have <b>{esc(log.name)}</b> in your contacts. "
        return sent(Reply(text + name_question(log.name, doubt), name_rows(draft_id, doubt)))
    if not matches:
        add = Button(f"➕ Add {log.name[:24]}", ResolveDraft(draft_id, DraftChoice.ADD))
        return sent(
            Reply(
                f"I don't have <b>{esc(log.name)}</b> in your contacts yet. Add them and log this?",
                ((add, cancel),),
            )
        )
    rows = tuple(
        (Button(contact.name[:30], ResolveDraft(draft_id, contact.id)),) for contact in matches[:6]
    )
    return sent(Reply("Which one did you mean?", (*rows, (cancel,))))


async def _parse(
    store: Store, user: User, now: datetime, command: LogCommand, args: str
) -> PendingLog:
    origin = LogOrigin.COMMAND
    if command is LogCommand.REACH:
        reach = parse_reach_args(args)
        channel = reach.channel if reach.channel_given else None
        return PendingLog(
            origin, Kind.OUTREACH, reach.name, channel=channel, ask=reach.ask, note=reach.note
        )
    if command is LogCommand.REPLY:
        reply = parse_reply_args(args)
        check_back = check_back_day(reply.note or "", local_today(now, user.timezone))
        return PendingLog(origin, reply.kind, reply.name, note=reply.note, check_back=check_back)
    if command is LogCommand.CHAT:
        chat = parse_chat_args(args)
        return PendingLog(origin, Kind.COFFEE_CHAT, chat.name, note=chat.note)
    known = [contact.name for contact in await store.list_contacts(user.chat_id)]
    gave = parse_gave_args(args, known)
    return PendingLog(origin, Kind.GAVE, gave.name, note=gave.what)


async def resolve_draft(store: Store, user: User, now: datetime, action: ResolveDraft) -> Response:
    """A choice on a log waiting for its contact: add the contact, pick one, or cancel."""
    draft = await store.get_draft(user.chat_id, action.draft_id)
    if not isinstance(draft, PendingLog) or draft.origin is not LogOrigin.COMMAND:
        raise Refusal(ALREADY_HANDLED)
    if action.choice is DraftChoice.CANCEL:
        await store.delete_draft(user.chat_id, action.draft_id)
        return edited(Reply("Cancelled: nothing was saved."), toast="Cancelled.")
    if action.choice is DraftChoice.ADD:
        return await save_command_draft(store, user, now, action.draft_id, draft, draft.name)
    if not await store.delete_draft(user.chat_id, action.draft_id):  # claim it: one use only
        raise Refusal(ALREADY_HANDLED)
    contact = await store.get_contact(user.chat_id, action.choice)
    if contact is None:
        return edited(Reply(CONTACT_GONE_NOTHING_SAVED), toast=CONTACT_GONE)
    return edited(await log_pending(store, user, now, contact, draft))


async def save_command_draft(
    store: Store,
    user: User,
    now: datetime,
    draft_id: int,
    log: PendingLog,
    name: str,
    contact_note: str | None = None,
) -> Response:
    """Save a command's log waiting for its contact (once), adding the contact `name`."""
    if not await store.delete_draft(user.chat_id, draft_id):  # claim it: one use only
        raise Refusal(ALREADY_HANDLED)
    contact = await add_contact_named(store, user, now, name, contact_note)
    return edited(await log_pending(store, user, now, contact, log))


async def add_contact_named(
    store: Store, user: User, now: datetime, raw_name: str, note: str | None = None
) -> Contact:
    """The contact called `raw_name`, added as warm when new; `note` goes on its card (added to
    an existing contact's note)."""
    name = clean_contact_name(raw_name)
    try:
        return await store.add_contact(
            user.chat_id, name=name, name_key=name_key(name), tier=Tier.WARM, note=note, now=now
        )
    except DuplicateContactError as error:
        existing = error.existing
    if note and note not in (existing.note or ""):
        combined = f"{existing.note}\n{note}" if existing.note else note
        return await store.update_contact(user.chat_id, existing.id, note=combined) or existing
    return existing


async def log_pending(
    store: Store, user: User, now: datetime, contact: Contact, log: PendingLog
) -> Reply:
    """Log what a command or a confirmed sentence describes; the reply says what was logged."""
    at = days_before(now, log.days_ago) if log.days_ago else None
    if log.kind in (Kind.OUTREACH, Kind.FOLLOW_UP):
        reply = await log_reach(store, user, now, contact, log.channel, log.ask, log.note, at=at)
    elif log.kind is Kind.COFFEE_CHAT:
        reply = await log_chat(store, user, now, contact, log.note, at=at)
    elif log.kind is Kind.GAVE:
        reply = await log_gave(store, user, now, contact, log.note or SOMETHING_USEFUL, at=at)
    else:
        reply = await log_reply(
            store, user, now, contact, log.kind, note=log.note, check_back=log.check_back, at=at
        )
    return replace(reply, text=with_setup_hint(user, reply.text))


# --- the logs -------------------------------------------------------------------------------


async def log_reach(
    store: Store,
    user: User,
    now: datetime,
    contact: Contact,
    channel: Channel | None,
    ask: Ask | None,
    note: str | None,
    *,
    at: datetime | None = None,
) -> Reply:
    """Log an outreach (or a follow-up, when one was open) and plan the next follow-up.

    `at` is when it happened, for a sentence such as "messaged Ana yesterday"; default now.
    Without a `channel`, it goes by the channel of the contact's last outreach (or a message).
    """
    happened = at or now
    open_follow_up = await store.open_follow_up(user.chat_id, contact.id)
    attempt = open_follow_up.attempt if open_follow_up else 0
    kind = Kind.FOLLOW_UP if open_follow_up else Kind.OUTREACH
    if channel is None:
        channel = follow_up_channel(await store.contact_history(user.chat_id, contact.id))
    effects = follow_up_effects(
        kind, happened, open_follow_up.attempt if open_follow_up else None, cadence_of(user)
    )
    due = effects.plan.due_at if effects.plan else None
    interaction = await store.record_interaction(
        user.chat_id,
        contact.id,
        kind=kind,
        at=happened,
        channel=channel,
        ask=ask,
        note=note,
        close_open_follow_ups=effects.close,
        schedule=effects.plan,
    )
    name = f"<b>{esc(contact.name)}</b>"
    how = CHANNEL_LABELS[channel]
    if kind is Kind.OUTREACH:
        lines = [f"📨 Logged: {how} to {name}" + (f" ({ASK_LABELS[ask]})" if ask else "") + "."]
    else:
        lines = [
            f"🔁 Logged follow-up {attempt} of {len(user.follow_up_days)} with {name} ({how})."
        ]
    rows: tuple[ButtonRow, ...] = ()
    if due is not None:
        lines.append(
            f"If there's no reply, I'll nudge you to follow up on {format_day(due, user.timezone)}."
        )
    else:
        lines.append(
            "That was your last planned follow-up. If it stays quiet, let it rest and try "
            "again in a month: people get busy, and it's rarely about you."
        )
        rows = ((Button("🌙 Let it rest a month", RestContact(contact.id)),),)
    lines.append(await _quota_line(store, user, now))
    prompt = await after_outreach(store, user, contact, interaction)
    return logged(Reply("\n".join(lines), rows), prompt, interaction.id)


async def log_reply(
    store: Store,
    user: User,
    now: datetime,
    contact: Contact,
    kind: Kind,
    *,
    note: str | None = None,
    check_back: date | None = None,
    at: datetime | None = None,
) -> Reply:
    """Log a response with its note; close the open follow-up, or move it out for a 'later'
    (to `check_back` when the answer named a day, such as "after xmas")."""
    happened = at or now
    effects = follow_up_effects(
        kind,
        happened,
        None,
        cadence_of(user),
        check_back=moved_to_day(happened, check_back, user.timezone) if check_back else None,
    )
    interaction = await store.record_interaction(
        user.chat_id,
        contact.id,
        kind=kind,
        at=happened,
        note=note,
        close_open_follow_ups=effects.close,
        schedule=effects.plan,
    )
    prompt = await after_outcome(store, user, contact, kind)
    name = f"<b>{esc(contact.name)}</b>"
    noted = f"\n📝 {esc(note)}" if note else ""
    if kind is Kind.REPLY_POSITIVE:
        text = (
            f"💬 {name} replied! That's what reaching out is for. "
            "When you meet, log it with a tap below or /chat."
        )
        if effects.plan is not None:
            day = format_day(effects.plan.due_at, user.timezone)
            text += f" Not booked yet? I'll check in on {day}."
        text += noted
        tip = await ladder_tip(store, user, now)  # not `at`: paced in real time
        text += f"\n\n{tip}" if tip else ""
        chat = Button("☕ We had the chat", HadCoffeeChat(contact.id))
        return logged(Reply(text, ((chat,),)), prompt, interaction.id)
    if kind is Kind.REPLY_DECLINED:
        text = (
            f"Noted: {name} said no this time. One answer from one person on one day: "
            f"you asked, and that's the part you control. 💪{noted}"
        )
        return logged(Reply(text), prompt, interaction.id)
    assert effects.plan is not None
    text = (
        f"⏳ {name} said later. I'll remind you to check back on "
        f"{format_day(effects.plan.due_at, user.timezone)}.{noted}"
    )
    return logged(Reply(text), prompt, interaction.id)


async def log_chat(
    store: Store,
    user: User,
    now: datetime,
    contact: Contact,
    note: str | None,
    *,
    at: datetime | None = None,
) -> Reply:
    """Log a coffee chat held; it counts toward the goal."""
    interaction = await store.record_interaction(
        user.chat_id,
        contact.id,
        kind=Kind.COFFEE_CHAT,
        at=at or now,
        note=note,
        close_open_follow_ups=FollowUpStatus.REPLIED,
    )
    total = await store.count_interactions(user.chat_id, (Kind.COFFEE_CHAT,))
    await store.set_awaiting(user.chat_id, AwaitNextStep(contact.id))
    milestone = await milestone_note(store, user, total, now)
    text = (
        f"☕ Coffee chat with <b>{esc(contact.name)}</b> logged: "
        f"{total} of {user.goal_count} toward your goal.\n"
        + (f"{milestone}\n" if milestone else "")
        + "Any lead or next step? Type it and I'll add it to their card."
    )
    plan = PlanNextStep(interaction.id, NextStepPlan.FOLLOW_UP)
    rows = (
        (Button("📌 Remind me in 2 weeks", plan),),
        (Button("No next step", PlanNextStep(interaction.id, NextStepPlan.NONE)),),
    )
    prompt = await after_outcome(store, user, contact, Kind.COFFEE_CHAT)
    return logged(Reply(text, rows), prompt, interaction.id)


async def log_gave(
    store: Store,
    user: User,
    now: datetime,
    contact: Contact,
    what: str,
    *,
    at: datetime | None = None,
) -> Reply:
    """Log something the user gave."""
    interaction = await store.record_interaction(
        user.chat_id, contact.id, kind=Kind.GAVE, at=at or now, note=what
    )
    gives = await store.count_interactions(user.chat_id, (Kind.GAVE,))
    return Reply(
        f"🎁 Logged: for <b>{esc(contact.name)}</b>, {esc(what)}.\n"
        f"Networking runs both ways: that's {gives} give{'s' if gives != 1 else ''} so far.",
        (undo_row(interaction.id),),
    )


def logged(reply: Reply, prompt: FearPrompt, interaction_id: int) -> Reply:
    """A "Logged" message with its fear prompt and the way back, an Undo button. Under a
    one-tap question the Undo comes first, apart from the question's rows (so a quick tap on a
    rating never lands on it), and it stays once the question is answered."""
    if prompt.rows:
        with_undo = Reply(reply.text, (undo_row(interaction_id), *reply.rows))
        return prompt.apply(with_undo)
    return prompt.apply(reply).plus(rows=(undo_row(interaction_id),))


async def _quota_line(store: Store, user: User, now: datetime) -> str:
    start, end = local_day_bounds(local_today(now, user.timezone), user.timezone)
    done = await store.count_interactions(user.chat_id, QUOTA_KINDS, start=start, end=end)
    if is_rest_day(local_today(now, user.timezone), user.rest_days):
        return "🌿 A rest day: this one is a bonus."
    if done == user.daily_quota:
        return f"✅ {done} of {user.daily_quota} today: quota done. Anything more is a bonus."
    if done > user.daily_quota:
        return f"🌟 {done} today, over your quota of {user.daily_quota}."
    return f"📊 Today: {done} of {user.daily_quota}."


# --- buttons on cards and lists --------------------------------------------------------------


async def contact_of(store: Store, user: User, contact_id: int) -> Contact:
    """The user's contact with this id; a Refusal when it is gone (or another chat's)."""
    contact = await store.get_contact(user.chat_id, contact_id)
    if contact is None:
        raise Refusal(CONTACT_GONE)
    return contact


async def reached_out(store: Store, user: User, now: datetime, action: ReachedOut) -> Response:
    """'Reached out': choose how, then it is logged."""
    contact = await contact_of(store, user, action.contact_id)
    rows = tuple(
        tuple(Button(label, ReachedOutVia(contact.id, channel)) for channel, label in pair)
        for pair in (CHANNEL_BUTTONS[0:2], CHANNEL_BUTTONS[2:4], CHANNEL_BUTTONS[4:6])
    )
    return sent(Reply(f"How did you reach <b>{esc(contact.name)}</b>?", rows))


async def reached_out_via(
    store: Store, user: User, now: datetime, action: ReachedOutVia
) -> Response:
    """A channel was picked: log the outreach."""
    contact = await contact_of(store, user, action.contact_id)
    reply = await log_reach(store, user, now, contact, action.channel, None, None)
    return edited(reply, toast="Logged ✅")


async def got_reply(store: Store, user: User, now: datetime, action: GotReply) -> Response:
    """'Got a reply': choose how they answered."""
    contact = await contact_of(store, user, action.contact_id)
    row = (
        Button("👍 Positive", LogReply(contact.id, Kind.REPLY_POSITIVE)),
        Button("🙅 No", LogReply(contact.id, Kind.REPLY_DECLINED)),
        Button("⏳ Later", LogReply(contact.id, Kind.REPLY_LATER)),
    )
    return sent(Reply(f"How did <b>{esc(contact.name)}</b> answer?", (row,)))


async def reply_picked(store: Store, user: User, now: datetime, action: LogReply) -> Response:
    """A reply kind was picked: log it."""
    contact = await contact_of(store, user, action.contact_id)
    return edited(await log_reply(store, user, now, contact, action.kind), toast="Logged ✅")


async def had_coffee_chat(
    store: Store, user: User, now: datetime, action: HadCoffeeChat
) -> Response:
    """'We had the chat': log a coffee chat."""
    contact = await contact_of(store, user, action.contact_id)
    return sent(await log_chat(store, user, now, contact, None), toast="Logged ☕")


async def gave_something(
    store: Store, user: User, now: datetime, action: GaveSomething
) -> Response:
    """'I gave something': ask what."""
    contact = await contact_of(store, user, action.contact_id)
    await store.set_awaiting(user.chat_id, AwaitGift(contact.id))
    return sent(
        Reply(f"What did you give <b>{esc(contact.name)}</b>? An article, an intro, a kind word…")
    )


async def plan_next_step(store: Store, user: User, now: datetime, action: PlanNextStep) -> Response:
    """After a coffee chat: plan a follow-up in two weeks (it goes if the chat is undone), or
    nothing."""
    entry = await store.log_entry(user.chat_id, action.interaction_id)
    if entry is None:
        raise Refusal("That chat was undone.")
    contact = entry.contact
    await store.set_awaiting(user.chat_id, None)
    logged = f"☕ Coffee chat with <b>{esc(contact.name)}</b> logged."
    undo = (undo_row(entry.interaction.id),)
    if action.plan is NextStepPlan.NONE:
        return edited(Reply(logged, undo), toast="Okay!")
    plan = next_step_plan(user, now)
    due = plan.due_at
    await store.schedule_follow_up(user.chat_id, contact.id, plan, opened_by=entry.interaction.id)
    return edited(
        Reply(f"{logged} I'll remind you to follow up on {format_day(due, user.timezone)}.", undo),
        toast="Reminder set 📌",
    )


async def rest_contact(store: Store, user: User, now: datetime, action: RestContact) -> Response:
    """Let a contact rest for a month: no suggestions or nudges until then."""
    until = rest_until(now)
    contact = await store.rest_contact(user.chat_id, action.contact_id, now=now, until=until)
    if contact is None:
        raise Refusal(CONTACT_GONE)
    rested = Reply(
        f"🌙 <b>{esc(contact.name)}</b> can rest until {format_day(until, user.timezone)}. "
        "I'll bring them back then."
    )
    return edited((await after_silence(store, user, contact)).apply(rested), toast="Resting 🌙")


# --- answers to this module's questions ----------------------------------------------------


async def awaited_log_arguments(
    store: Store, user: User, now: datetime, given: tuple[LogCommand, str]
) -> Response:
    """The arguments of a logging command that was sent without them."""
    await store.set_awaiting(user.chat_id, None)
    return await log_command(store, user, now, given)


async def awaited_next_step(
    store: Store, user: User, now: datetime, given: tuple[int, str]
) -> Response:
    """A lead or next step typed after a coffee chat: added to the contact's card."""
    contact_id, text = given
    contact = await _awaited_contact(store, user, contact_id)
    day = format_day(now, user.timezone)
    entry = f"Next step ({day}): {text.strip()}"
    note = f"{contact.note}\n{entry}" if contact.note else entry
    try:
        note = checked_note(note)
    except InputError as error:
        return sent(Reply(error.message))
    await store.update_contact(user.chat_id, contact.id, note=note)
    return sent(Reply(f"📌 Added to {esc(contact.name)}'s card."))


async def awaited_gift(store: Store, user: User, now: datetime, given: tuple[int, str]) -> Response:
    """What the user gave a contact, typed after 'I gave something'."""
    contact_id, text = given
    contact = await _awaited_contact(store, user, contact_id)
    try:
        what = checked_note(text.strip())
    except InputError as error:
        return sent(Reply(error.message))
    return sent(await log_gave(store, user, now, contact, what))


async def _awaited_contact(store: Store, user: User, contact_id: int) -> Contact:
    await store.set_awaiting(user.chat_id, None)
    contact = await store.get_contact(user.chat_id, contact_id)
    if contact is None:
        raise Refusal(CONTACT_GONE_NOT_SAVED)
    return contact


def checked_note(note: str) -> str:
    """A typed note, or an InputError that says why it can't be saved (empty, too long)."""
    if not note:
        raise InputError("That was empty, so I didn't save anything.")
    if len(note) > MAX_NOTE_LENGTH:
        raise InputError(
            f"That's {len(note)} characters; notes hold up to {MAX_NOTE_LENGTH}. "
            "Nothing was saved: send a shorter version?"
        )
    return note
