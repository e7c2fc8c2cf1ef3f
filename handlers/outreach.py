"""Logging what the user did: /reach, /reply, /chat, /gave, and their one-tap buttons."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

from telegram import InlineKeyboardMarkup, Update

from bot.coaching.dates import days_before, local_day_bounds, local_today
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
from bot.coaching.followups import later_follow_up_due, next_follow_up_due, rest_until
from bot.coaching.names import clean_contact_name, match_contacts, name_key
from bot.coaching.parsing import (
    parse_chat_args,
    parse_gave_args,
    parse_reach_args,
    parse_reply_args,
)
from bot.context import CoachContext
from bot.messages.texts import ASK_LABELS, CHANNEL_LABELS, esc, format_day
from handlers import fears
from handlers.callback_data import ButtonAction
from handlers.common import (
    answer_button,
    button,
    button_contact,
    current_user,
    keyboard,
    send,
    show,
    with_setup_hint,
)
from handlers.progress import ladder_tip, milestone_note
from storage import DuplicateContactError
from storage.store import FollowUpPlan

EnumT = TypeVar("EnumT", bound=StrEnum)
AWAIT_COMMAND = "cmd:"
AWAIT_NEXT_STEP = "next:"
AWAIT_GIFT = "gave:"
REPLY_CODES = {"p": Kind.REPLY_POSITIVE, "d": Kind.REPLY_DECLINED, "l": Kind.REPLY_LATER}
CHANNEL_BUTTONS = (
    (Channel.MESSAGE, "💬 Message"),
    (Channel.EMAIL, "✉️ Email"),
    (Channel.LINKEDIN, "🔗 LinkedIn"),
    (Channel.CALL, "📞 Call"),
    (Channel.IN_PERSON, "🤝 In person"),
    (Channel.OTHER, "Other"),
)
COMMAND_PROMPTS = {
    "reach": "Who did you reach out to? For example: <code>Ana via linkedin advice</code>",
    "reply": "Who replied? For example: <code>Ana positive</code> (or declined, later)",
    "chat": "Who did you have a coffee chat with? For example: <code>Ana - met at the cafe</code>",
    "gave": "Who did you give something to, and what? For example: "
    "<code>Ana - shared the hiring article</code>",
}


# --- commands -----------------------------------------------------------------------------


async def reach_command(update: Update, context: CoachContext) -> None:
    """/reach NAME [via CHANNEL] [ask] [- note]."""
    await _run_command(update, context, "reach", _command_args(context))


async def reply_command(update: Update, context: CoachContext) -> None:
    """/reply NAME [positive|declined|later]."""
    await _run_command(update, context, "reply", _command_args(context))


async def chat_command(update: Update, context: CoachContext) -> None:
    """/chat NAME [- notes]."""
    await _run_command(update, context, "chat", _command_args(context))


async def gave_command(update: Update, context: CoachContext) -> None:
    """/gave NAME WHAT."""
    await _run_command(update, context, "gave", _command_args(context))


async def awaited_text(update: Update, context: CoachContext, user: User, text: str) -> bool:
    """Handle text that answers a question this module asked; False when it was not ours."""
    awaiting = user.awaiting or ""
    if awaiting.startswith(AWAIT_COMMAND):
        await context.store.update_user(user.chat_id, awaiting=None)
        await _run_command(update, context, awaiting.removeprefix(AWAIT_COMMAND), text)
        return True
    for prefix, handle in ((AWAIT_NEXT_STEP, _save_next_step), (AWAIT_GIFT, _save_gift)):
        if awaiting.startswith(prefix):
            contact = await _awaited_contact(context, user, awaiting.removeprefix(prefix))
            await context.store.update_user(user.chat_id, awaiting=None)
            if contact is None:
                await send(update, context, "That contact is gone, so I didn't save this.")
            else:
                await handle(update, context, user, contact, text)
            return True
    return False


def _command_args(context: CoachContext) -> str:
    return " ".join(context.args or [])


async def _run_command(update: Update, context: CoachContext, command: str, args: str) -> None:
    user = await current_user(update, context)
    if not args.strip():
        await context.store.update_user(user.chat_id, awaiting=AWAIT_COMMAND + command)
        await send(update, context, COMMAND_PROMPTS[command])
        return
    try:
        payload = await _parse(context, user, command, args)
    except InputError as error:
        await send(update, context, error.message)
        return
    contact = await _resolve_contact(update, context, user, payload)
    if contact is not None:
        await perform_log(update, context, user, contact, payload)


async def _parse(context: CoachContext, user: User, command: str, args: str) -> dict[str, Any]:
    if command == "reach":
        reach = parse_reach_args(args)
        return {
            "command": "reach",
            "name": reach.name,
            "channel": reach.channel.value,
            "ask": reach.ask.value if reach.ask else None,
            "note": reach.note,
        }
    if command == "reply":
        reply = parse_reply_args(args)
        return {"command": "reply", "name": reply.name, "kind": reply.kind.value}
    if command == "chat":
        chat = parse_chat_args(args)
        return {"command": "chat", "name": chat.name, "note": chat.note}
    known = [contact.name for contact in await context.store.list_contacts(user.chat_id)]
    gave = parse_gave_args(args, known)
    return {"command": "gave", "name": gave.name, "what": gave.what}


async def _resolve_contact(
    update: Update, context: CoachContext, user: User, payload: dict[str, Any]
) -> Contact | None:
    """The one contact the name means; otherwise ask (add it, or pick one) and return None."""
    contacts = await context.store.list_contacts(user.chat_id)
    matches = match_contacts(payload["name"], contacts)
    if len(matches) == 1:
        return matches[0]
    draft_id = await context.store.create_draft(
        user.chat_id, payload["command"], payload, context.clock.now()
    )
    cancel = button("Cancel", "dr", draft_id, "cancel")
    if not matches:
        name = esc(payload["name"])
        await send(
            update,
            context,
            f"I don't have <b>{name}</b> in your contacts yet. Add them and log this?",
            keyboard((button(f"➕ Add {payload['name'][:24]}", "dr", draft_id, "add"), cancel)),
        )
        return None
    rows = [(button(contact.name[:30], "dr", draft_id, contact.id),) for contact in matches[:6]]
    await send(update, context, "Which one did you mean?", keyboard(*rows, (cancel,)))
    return None


async def draft_button(update: Update, context: CoachContext, action: ButtonAction) -> None:
    """A choice on a pending log: add the contact, pick one, or cancel."""
    user = await current_user(update, context)
    draft_id = action.int_arg(0)
    choice = action.args[1]
    draft = await context.store.get_draft(user.chat_id, draft_id)
    if draft is None:
        await answer_button(update, "Already handled.")
        return
    _, payload = draft
    if choice == "cancel":
        await context.store.delete_draft(user.chat_id, draft_id)
        await answer_button(update, "Cancelled.")
        await show(update, context, "Cancelled: nothing was saved.")
        return
    contact_id = None if choice == "add" else action.int_arg(1)
    if not await context.store.delete_draft(user.chat_id, draft_id):  # claim it: one use only
        await answer_button(update, "Already handled.")
        return
    if contact_id is None:
        contact: Contact | None = await add_contact_for(context, user, payload["name"])
    else:
        contact = await context.store.get_contact(user.chat_id, contact_id)
    if contact is None:
        await answer_button(update, "That contact is no longer here.")
        await show(update, context, "That contact is no longer here, so nothing was saved.")
        return
    await answer_button(update)
    await perform_log(update, context, user, contact, payload, in_place=True)


async def add_contact_for(context: CoachContext, user: User, raw_name: str) -> Contact:
    """The contact called `raw_name`, added as warm when new."""
    name = clean_contact_name(raw_name)
    try:
        return await context.store.add_contact(
            user.chat_id,
            name=name,
            name_key=name_key(name),
            tier=Tier.WARM,
            note=None,
            now=context.clock.now(),
        )
    except DuplicateContactError as error:
        return error.existing


async def perform_log(
    update: Update,
    context: CoachContext,
    user: User,
    contact: Contact,
    payload: dict[str, Any],
    *,
    in_place: bool = False,
) -> None:
    """Log what a command or a confirmed sentence describes, and reply with the result."""
    command = payload["command"]
    days_ago = int(payload.get("days_ago") or 0)
    at = days_before(context.clock.now(), days_ago) if days_ago else None
    if command == "reach":
        ask = Ask(payload["ask"]) if payload.get("ask") else None
        channel = Channel(payload.get("channel") or Channel.MESSAGE)
        text, markup = await log_reach(
            context, user, contact, channel, ask, payload.get("note"), at=at
        )
    elif command == "reply":
        text, markup = await log_reply(context, user, contact, Kind(payload["kind"]), at=at)
    elif command == "chat":
        text, markup = await log_chat(context, user, contact, payload.get("note"), at=at)
    else:
        text, markup = await log_gave(context, user, contact, payload["what"], at=at)
    text = with_setup_hint(user, text)
    if in_place:
        await show(update, context, text, markup)
    else:
        await send(update, context, text, markup)


# --- the use cases ------------------------------------------------------------------------

Reply = tuple[str, InlineKeyboardMarkup | None]


async def log_reach(
    context: CoachContext,
    user: User,
    contact: Contact,
    channel: Channel,
    ask: Ask | None,
    note: str | None,
    *,
    at: datetime | None = None,
) -> Reply:
    """Log an outreach (or a follow-up, when one was open) and plan the next follow-up.

    `at` is when it happened, for a sentence such as "messaged Ana yesterday"; default now.
    """
    store, now = context.store, at or context.clock.now()
    open_follow_up = await store.open_follow_up(user.chat_id, contact.id)
    attempt = open_follow_up.attempt if open_follow_up else 0
    kind = Kind.FOLLOW_UP if open_follow_up else Kind.OUTREACH
    due = next_follow_up_due(now, attempt + 1, user.follow_up_days)
    interaction = await store.record_interaction(
        user.chat_id,
        contact.id,
        kind=kind,
        at=now,
        channel=channel,
        ask=ask,
        note=note,
        close_open_follow_ups=FollowUpStatus.DONE if open_follow_up else None,
        schedule=FollowUpPlan(due_at=due, attempt=attempt + 1) if due else None,
    )
    name = f"<b>{esc(contact.name)}</b>"
    how = CHANNEL_LABELS[channel]
    if kind is Kind.OUTREACH:
        lines = [f"📨 Logged: {how} to {name}" + (f" ({ASK_LABELS[ask]})" if ask else "") + "."]
    else:
        lines = [
            f"🔁 Logged follow-up {attempt} of {len(user.follow_up_days)} with {name} ({how})."
        ]
    markup = None
    if due is not None:
        lines.append(
            f"If there's no reply, I'll nudge you to follow up on {format_day(due, user.timezone)}."
        )
    else:
        lines.append(
            "That was your last planned follow-up. If it stays quiet, let it rest and try "
            "again in a month: people get busy, and it's rarely about you."
        )
        markup = keyboard((button("🌙 Let it rest a month", "rs", contact.id),))
    lines.append(await _quota_line(context, user))
    prompt = await fears.after_outreach(context, user, contact, interaction)
    return prompt.apply("\n".join(lines), markup)


async def log_reply(
    context: CoachContext,
    user: User,
    contact: Contact,
    kind: Kind,
    *,
    at: datetime | None = None,
) -> Reply:
    """Log a response; close the open follow-up, or move it out for a 'later'."""
    store, now = context.store, at or context.clock.now()
    later = kind is Kind.REPLY_LATER
    due = later_follow_up_due(now) if later else None
    await store.record_interaction(
        user.chat_id,
        contact.id,
        kind=kind,
        at=now,
        close_open_follow_ups=FollowUpStatus.REPLIED,
        schedule=FollowUpPlan(due_at=due, attempt=1) if due else None,
    )
    prompt = await fears.after_outcome(context, user, contact, kind)
    name = f"<b>{esc(contact.name)}</b>"
    if kind is Kind.REPLY_POSITIVE:
        text = (
            f"💬 {name} replied! That's what reaching out is for. "
            "When you meet, log it with a tap below or /chat."
        )
        tip = await ladder_tip(store, user, context.clock.now())  # not `at`: paced in real time
        text += f"\n\n{tip}" if tip else ""
        return prompt.apply(text, keyboard((button("☕ We had the chat", "ch", contact.id),)))
    if kind is Kind.REPLY_DECLINED:
        return prompt.apply(
            f"Noted: {name} said no this time. One answer from one person on one day: "
            "you asked, and that's the part you control. 💪",
            None,
        )
    assert due is not None
    return prompt.apply(
        f"⏳ {name} said later. I'll remind you to check back on {format_day(due, user.timezone)}.",
        None,
    )


async def log_chat(
    context: CoachContext,
    user: User,
    contact: Contact,
    note: str | None,
    *,
    at: datetime | None = None,
) -> Reply:
    """Log a coffee chat held; it counts toward the goal."""
    store, now = context.store, at or context.clock.now()
    await store.record_interaction(
        user.chat_id,
        contact.id,
        kind=Kind.COFFEE_CHAT,
        at=now,
        note=note,
        close_open_follow_ups=FollowUpStatus.REPLIED,
    )
    total = await store.count_interactions(user.chat_id, (Kind.COFFEE_CHAT,))
    await store.update_user(user.chat_id, awaiting=f"{AWAIT_NEXT_STEP}{contact.id}")
    milestone = await milestone_note(store, user, total, context.clock.now())
    text = (
        f"☕ Coffee chat with <b>{esc(contact.name)}</b> logged: "
        f"{total} of {user.goal_count} toward your goal.\n"
        + (f"{milestone}\n" if milestone else "")
        + "Any lead or next step? Type it and I'll add it to their card."
    )
    markup = keyboard(
        (button("📌 Remind me in 2 weeks", "nx", contact.id, "f"),),
        (button("No next step", "nx", contact.id, "n"),),
    )
    prompt = await fears.after_outcome(context, user, contact, Kind.COFFEE_CHAT)
    return prompt.apply(text, markup)


async def log_gave(
    context: CoachContext,
    user: User,
    contact: Contact,
    what: str,
    *,
    at: datetime | None = None,
) -> Reply:
    """Log something the user gave."""
    store, now = context.store, at or context.clock.now()
    await store.record_interaction(user.chat_id, contact.id, kind=Kind.GAVE, at=now, note=what)
    gives = await store.count_interactions(user.chat_id, (Kind.GAVE,))
    return (
        f"🎁 Logged: for <b>{esc(contact.name)}</b>, {esc(what)}.\n"
        f"Networking runs both ways: that's {gives} give{'s' if gives != 1 else ''} so far.",
        None,
    )


async def _quota_line(context: CoachContext, user: User) -> str:
    now = context.clock.now()
    start, end = local_day_bounds(local_today(now, user.timezone), user.timezone)
    done = await context.store.count_interactions(user.chat_id, QUOTA_KINDS, start=start, end=end)
    if done == user.daily_quota:
        return f"✅ {done} of {user.daily_quota} today: quota done. Anything more is a bonus."
    if done > user.daily_quota:
        return f"🌟 {done} today, over your quota of {user.daily_quota}."
    return f"📊 Today: {done} of {user.daily_quota}."


# --- buttons on cards and lists --------------------------------------------------------------


async def reached_button(update: Update, context: CoachContext, action: ButtonAction) -> None:
    """'Reached out': choose how, then it is logged."""
    user = await current_user(update, context)
    contact = await button_contact(update, context, user, action)
    if contact is None:
        return
    await answer_button(update)
    rows = [
        tuple(button(label, "rc", contact.id, channel.value) for channel, label in pair)
        for pair in (CHANNEL_BUTTONS[0:2], CHANNEL_BUTTONS[2:4], CHANNEL_BUTTONS[4:6])
    ]
    await send(
        update,
        context,
        f"How did you reach <b>{esc(contact.name)}</b>?",
        keyboard(*rows),
    )


async def reached_via_button(update: Update, context: CoachContext, action: ButtonAction) -> None:
    """A channel was picked: log the outreach."""
    user = await current_user(update, context)
    contact = await context.store.get_contact(user.chat_id, action.int_arg(0))
    channel = _enum_or_none(Channel, action.args[1])
    if contact is None or channel is None:
        await answer_button(update, "That button has expired.")
        return
    await answer_button(update, "Logged ✅")
    text, markup = await log_reach(context, user, contact, channel, None, None)
    await show(update, context, text, markup)


async def replied_button(update: Update, context: CoachContext, action: ButtonAction) -> None:
    """'Got a reply': choose how they answered."""
    user = await current_user(update, context)
    contact = await button_contact(update, context, user, action)
    if contact is None:
        return
    await answer_button(update)
    await send(
        update,
        context,
        f"How did <b>{esc(contact.name)}</b> answer?",
        keyboard(
            (
                button("👍 Positive", "rk", contact.id, "p"),
                button("🙅 No", "rk", contact.id, "d"),
                button("⏳ Later", "rk", contact.id, "l"),
            )
        ),
    )


async def reply_kind_button(update: Update, context: CoachContext, action: ButtonAction) -> None:
    """A reply kind was picked: log it."""
    user = await current_user(update, context)
    contact = await context.store.get_contact(user.chat_id, action.int_arg(0))
    kind = REPLY_CODES.get(action.args[1])
    if contact is None or kind is None:
        await answer_button(update, "That button has expired.")
        return
    await answer_button(update, "Logged ✅")
    text, markup = await log_reply(context, user, contact, kind)
    await show(update, context, text, markup)


async def chat_button(update: Update, context: CoachContext, action: ButtonAction) -> None:
    """'We had the chat': log a coffee chat."""
    user = await current_user(update, context)
    contact = await button_contact(update, context, user, action)
    if contact is None:
        return
    await answer_button(update, "Logged ☕")
    text, markup = await log_chat(context, user, contact, None)
    await send(update, context, text, markup)


async def gave_button(update: Update, context: CoachContext, action: ButtonAction) -> None:
    """'I gave something': ask what."""
    user = await current_user(update, context)
    contact = await button_contact(update, context, user, action)
    if contact is None:
        return
    await answer_button(update)
    await context.store.update_user(user.chat_id, awaiting=f"{AWAIT_GIFT}{contact.id}")
    await send(
        update,
        context,
        f"What did you give <b>{esc(contact.name)}</b>? An article, an intro, a kind word…",
    )


async def next_step_button(update: Update, context: CoachContext, action: ButtonAction) -> None:
    """After a coffee chat: plan a follow-up in two weeks, or nothing."""
    user = await current_user(update, context)
    contact = await context.store.get_contact(user.chat_id, action.int_arg(0))
    if contact is None or action.args[1] not in ("f", "n"):
        await answer_button(update, "That button has expired.")
        return
    await context.store.update_user(user.chat_id, awaiting=None)
    if action.args[1] == "n":
        await answer_button(update, "Okay!")
        await show(update, context, f"☕ Coffee chat with <b>{esc(contact.name)}</b> logged.")
        return
    due = later_follow_up_due(context.clock.now())
    await context.store.schedule_follow_up(user.chat_id, contact.id, FollowUpPlan(due, 1))
    await answer_button(update, "Reminder set 📌")
    await show(
        update,
        context,
        f"☕ Coffee chat with <b>{esc(contact.name)}</b> logged. "
        f"I'll remind you to follow up on {format_day(due, user.timezone)}.",
    )


async def rest_contact_button(update: Update, context: CoachContext, action: ButtonAction) -> None:
    """Let a contact rest for a month: no suggestions or nudges until then."""
    user = await current_user(update, context)
    now = context.clock.now()
    until = rest_until(now)
    contact = await context.store.rest_contact(
        user.chat_id, action.int_arg(0), now=now, until=until
    )
    if contact is None:
        await answer_button(update, "That contact is no longer here.")
        return
    await answer_button(update, "Resting 🌙")
    await show(
        update,
        context,
        f"🌙 <b>{esc(contact.name)}</b> can rest until {format_day(until, user.timezone)}. "
        "I'll bring them back then.",
    )


async def _save_next_step(
    update: Update, context: CoachContext, user: User, contact: Contact, text: str
) -> None:
    day = format_day(context.clock.now(), user.timezone)
    entry = f"Next step ({day}): {text.strip()}"
    note = f"{contact.note}\n{entry}" if contact.note else entry
    try:
        note = _check_note(note)
    except InputError as error:
        await send(update, context, error.message)
        return
    await context.store.update_contact(user.chat_id, contact.id, note=note)
    await send(update, context, f"📌 Added to {esc(contact.name)}'s card.")


async def _save_gift(
    update: Update, context: CoachContext, user: User, contact: Contact, text: str
) -> None:
    try:
        what = _check_note(text.strip())
    except InputError as error:
        await send(update, context, error.message)
        return
    reply, markup = await log_gave(context, user, contact, what)
    await send(update, context, reply, markup)


def _check_note(note: str) -> str:
    if not note:
        raise InputError("That was empty, so I didn't save anything.")
    if len(note) > MAX_NOTE_LENGTH:
        raise InputError(
            f"That's {len(note)} characters; notes hold up to {MAX_NOTE_LENGTH}. "
            "Nothing was saved: send a shorter version?"
        )
    return note


async def _awaited_contact(context: CoachContext, user: User, contact_id: str) -> Contact | None:
    if not contact_id.isdecimal():
        return None
    return await context.store.get_contact(user.chat_id, int(contact_id))


def _enum_or_none(enum: type[EnumT], value: str) -> EnumT | None:
    try:
        return enum(value)
    except ValueError:
        return None
