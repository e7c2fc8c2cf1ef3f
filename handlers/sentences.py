"""Plain sentences ("messaged Ana on LinkedIn yesterday"): shown back with Save, Change kind,
Change contact and Cancel. Nothing is stored before Save; the pending log is a draft."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardMarkup, Update

from bot.coaching.dates import local_today
from bot.coaching.domain import Contact, Kind, User
from bot.coaching.errors import InputError
from bot.coaching.names import clean_contact_name, match_contacts
from bot.coaching.sentences import SentenceLog, parse_sentence
from bot.context import CoachContext
from bot.messages.texts import sentence_summary
from handlers.callback_data import ButtonAction
from handlers.common import answer_button, button, current_user, keyboard, send, show
from handlers.outreach import add_contact_for, perform_log

DRAFT_KIND = "sentence"
AWAIT_DRAFT_NAME = "dn:"
KIND_CODES = {
    "o": Kind.OUTREACH,
    "f": Kind.FOLLOW_UP,
    "p": Kind.REPLY_POSITIVE,
    "d": Kind.REPLY_DECLINED,
    "l": Kind.REPLY_LATER,
    "c": Kind.COFFEE_CHAT,
    "g": Kind.GAVE,
}
KIND_BUTTONS = (
    ("o", "📨 Outreach"),
    ("f", "🔁 Follow-up"),
    ("p", "💬 Replied"),
    ("d", "🙅 Said no"),
    ("l", "⏳ Said later"),
    ("c", "☕ Coffee chat"),
    ("g", "🎁 I gave"),
)
COMMAND_OF_KIND = {
    Kind.OUTREACH: "reach",
    Kind.FOLLOW_UP: "reach",
    Kind.REPLY_POSITIVE: "reply",
    Kind.REPLY_DECLINED: "reply",
    Kind.REPLY_LATER: "reply",
    Kind.COFFEE_CHAT: "chat",
    Kind.GAVE: "gave",
}
MAX_CANDIDATES = 6


async def sentence_message(update: Update, context: CoachContext, user: User, text: str) -> bool:
    """Read `text` as a log and ask to confirm it; False when it is not a log."""
    log = parse_sentence(text, local_today(context.clock.now(), user.timezone))
    if log is None:
        return False
    contacts = await context.store.list_contacts(user.chat_id)
    matches = match_contacts(log.name, contacts)
    payload = _payload(log, matches[0] if len(matches) == 1 else None)
    draft_id = await context.store.create_draft(
        user.chat_id, DRAFT_KIND, payload, context.clock.now()
    )
    if len(matches) > 1:
        await send(update, context, *_choose_contact(draft_id, payload, matches))
        return True
    await send(update, context, *_summary(draft_id, payload))
    return True


async def sentence_button(update: Update, context: CoachContext, action: ButtonAction) -> None:
    """Save, Cancel, Change kind or Change contact on a sentence's summary."""
    user = await current_user(update, context)
    draft_id, choice = action.int_arg(0), action.args[1]
    payload = await _draft(context, user, draft_id)
    if payload is None:
        await answer_button(update, "Already handled.")
        return
    if choice == "cancel":
        await context.store.delete_draft(user.chat_id, draft_id)
        await answer_button(update, "Cancelled.")
        await show(update, context, "Okay: nothing was saved.")
    elif choice == "kind":
        await answer_button(update)
        rows = [
            tuple(button(label, "sk", draft_id, code) for code, label in KIND_BUTTONS[i : i + 2])
            for i in range(0, len(KIND_BUTTONS), 2)
        ]
        await show(update, context, "What happened?", keyboard(*rows))
    elif choice == "who":
        await answer_button(update)
        contacts = await context.store.list_contacts(user.chat_id)
        likely = match_contacts(payload["name"], contacts)
        candidates = likely + [contact for contact in contacts if contact not in likely]
        await show(update, context, *_choose_contact(draft_id, payload, candidates))
    elif choice == "save":
        await _save(update, context, user, draft_id, payload)
    else:
        await answer_button(update, "That button has expired.")


async def kind_button(update: Update, context: CoachContext, action: ButtonAction) -> None:
    """A new kind picked for a sentence's log."""
    user = await current_user(update, context)
    draft_id, kind = action.int_arg(0), KIND_CODES.get(action.args[1])
    payload = await _draft(context, user, draft_id)
    if payload is None or kind is None:
        await answer_button(update, "That button has expired.")
        return
    await answer_button(update)
    payload = {**payload, **_kind_fields(kind, payload.get("note"))}
    await context.store.update_draft(user.chat_id, draft_id, payload)
    await show(update, context, *_summary(draft_id, payload))


async def contact_button(update: Update, context: CoachContext, action: ButtonAction) -> None:
    """A contact picked for a sentence's log, or 'someone new' (then the name is typed)."""
    user = await current_user(update, context)
    draft_id, choice = action.int_arg(0), action.args[1]
    payload = await _draft(context, user, draft_id)
    if payload is None:
        await answer_button(update, "That button has expired.")
        return
    if choice == "new":
        await answer_button(update)
        await context.store.update_user(user.chat_id, awaiting=f"{AWAIT_DRAFT_NAME}{draft_id}")
        await show(update, context, "Who was it? Send their name.")
        return
    contact = await context.store.get_contact(user.chat_id, action.int_arg(1))
    if contact is None:
        await answer_button(update, "That contact is no longer here.")
        return
    await answer_button(update)
    payload = {**payload, "name": contact.name, "contact_id": contact.id}
    await context.store.update_draft(user.chat_id, draft_id, payload)
    await show(update, context, *_summary(draft_id, payload))


async def awaited_draft_name(update: Update, context: CoachContext, user: User, text: str) -> bool:
    """A typed name for the sentence being confirmed; False when none was asked for."""
    awaiting = user.awaiting or ""
    if not awaiting.startswith(AWAIT_DRAFT_NAME):
        return False
    await context.store.update_user(user.chat_id, awaiting=None)
    draft_id = awaiting.removeprefix(AWAIT_DRAFT_NAME)
    payload = await _draft(context, user, int(draft_id)) if draft_id.isdecimal() else None
    if payload is None:
        await send(update, context, "That log was already handled.")
        return True
    try:
        name = clean_contact_name(text)
    except InputError as error:
        await send(update, context, error.message)
        return True
    matches = match_contacts(name, await context.store.list_contacts(user.chat_id))
    exact = matches[0] if len(matches) == 1 else None
    payload = {**payload, "name": exact.name if exact else name, "contact_id": exact and exact.id}
    await context.store.update_draft(user.chat_id, int(draft_id), payload)
    await send(update, context, *_summary(int(draft_id), payload))
    return True


async def _save(
    update: Update, context: CoachContext, user: User, draft_id: int, payload: dict[str, Any]
) -> None:
    if not await context.store.delete_draft(user.chat_id, draft_id):  # claim: one use only
        await answer_button(update, "Already handled.")
        return
    contact: Contact | None
    if payload.get("contact_id"):
        contact = await context.store.get_contact(user.chat_id, int(payload["contact_id"]))
    else:
        contact = await add_contact_for(context, user, payload["name"])
    if contact is None:
        await answer_button(update, "That contact is no longer here.")
        await show(update, context, "That contact is no longer here, so nothing was saved.")
        return
    await answer_button(update, "Saved ✅")
    await perform_log(update, context, user, contact, payload, in_place=True)


async def _draft(context: CoachContext, user: User, draft_id: int) -> dict[str, Any] | None:
    draft = await context.store.get_draft(user.chat_id, draft_id)
    return draft[1] if draft and draft[0] == DRAFT_KIND else None


def _payload(log: SentenceLog, contact: Contact | None) -> dict[str, Any]:
    return {
        "name": contact.name if contact else log.name,
        "contact_id": contact.id if contact else None,
        "channel": log.channel.value if log.channel else None,
        "ask": log.ask.value if log.ask else None,
        "days_ago": log.days_ago,
        **_kind_fields(log.kind, log.note),
    }


def _kind_fields(kind: Kind, note: str | None) -> dict[str, Any]:
    fields: dict[str, Any] = {"kind": kind.value, "command": COMMAND_OF_KIND[kind], "note": note}
    if kind is Kind.GAVE:
        fields["what"] = note or "something useful"
    return fields


def _summary(draft_id: int, payload: dict[str, Any]) -> tuple[str, InlineKeyboardMarkup]:
    markup = keyboard(
        (button("✅ Save", "sn", draft_id, "save"), button("Cancel", "sn", draft_id, "cancel")),
        (
            button("Change kind", "sn", draft_id, "kind"),
            button("Change contact", "sn", draft_id, "who"),
        ),
    )
    return sentence_summary(payload), markup


def _choose_contact(
    draft_id: int, payload: dict[str, Any], candidates: list[Contact]
) -> tuple[str, InlineKeyboardMarkup]:
    rows = [(button(c.name[:30], "sc", draft_id, c.id),) for c in candidates[:MAX_CANDIDATES]]
    rows.append((button("Someone new…", "sc", draft_id, "new"),))
    rows.append((button("Cancel", "sn", draft_id, "cancel"),))
    return f"{sentence_summary(payload)}\n\nWhich contact was it?", keyboard(*rows)
