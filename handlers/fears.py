"""/fear and /fears: write a fear down, tie it to an outreach, and meet it with the evidence.

Also the quick prompts other modules carry: the morning question, 'how nervous were you?'
after an outreach, and 'did it happen?' when the outcome is logged. Fear data stays with the
user: nothing here is ever shared.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest

from bot.coaching.dates import local_day_bounds, local_today
from bot.coaching.domain import Contact, FearOutcome, Interaction, Kind, User
from bot.coaching.errors import InputError
from bot.coaching.fears import (
    MAX_STRENGTH,
    OUTCOME_KINDS,
    PRESET_FEARS,
    PromptSetting,
    ask_nervousness,
    clean_fear_text,
    evidence_of,
    morning_prompt_due,
    situation_of,
    sounds_like_crisis,
    valid_strength,
)
from bot.coaching.today import suggest_contacts
from bot.context import CoachContext
from bot.messages.texts import (
    CRISIS_TEXT,
    FEAR_ASK_TEXT,
    MORNING_FEAR_LINE,
    NERVOUS_LINE,
    fear_journal_only_text,
    fear_next_outreach_text,
    fear_outcome_question,
    fear_outcome_text,
    fear_rated_text,
    fear_rides_line,
    fear_saved_text,
    fear_strength_question,
    fear_tied_text,
    fears_text,
    reframe_text,
    weekly_fear_line,
)
from handlers.callback_data import VERSION, ButtonAction, StaleButtonError
from handlers.common import (
    Row,
    answer_button,
    button,
    current_user,
    keyboard,
    send,
    show,
    with_setup_hint,
)
from storage import Store

AWAIT_FEAR = "fear:"
DRAFT_KIND = "fear"
MAX_TIE_CHOICES = 4
# Reply kinds travel in the outcome buttons as one letter, to pick the reframe afterwards.
KIND_CODES = {
    "p": Kind.REPLY_POSITIVE,
    "d": Kind.REPLY_DECLINED,
    "l": Kind.REPLY_LATER,
    "c": Kind.COFFEE_CHAT,
}
OUTCOME_CODES = {"y": FearOutcome.YES, "p": FearOutcome.PARTLY, "n": FearOutcome.NO}
SETTING_CODES = {
    "n": PromptSetting.NEVER,
    "s": PromptSetting.SOME,
    "d": PromptSetting.DAILY,
}
SETTING_LABELS = {
    PromptSetting.NEVER: "Never",
    PromptSetting.SOME: "Some days",
    PromptSetting.DAILY: "Daily",
}


@dataclass(frozen=True)
class FearPrompt:
    """A line and button rows to add to a message another module sends (one message)."""

    line: str | None = None
    rows: tuple[Row, ...] = ()

    def apply(
        self, text: str, markup: InlineKeyboardMarkup | None
    ) -> tuple[str, InlineKeyboardMarkup | None]:
        """The message with this prompt added below its text and its buttons."""
        if self.line:
            text = f"{text}\n\n{self.line}"
        if self.rows:
            extra = keyboard(*self.rows).inline_keyboard
            markup = InlineKeyboardMarkup([*(markup.inline_keyboard if markup else ()), *extra])
        return text, markup


NO_PROMPT = FearPrompt()


# --- commands ---------------------------------------------------------------------------------


async def fear_command(update: Update, context: CoachContext) -> None:
    """/fear [TEXT]: write a fear down (asks for the text when it is missing)."""
    user = await current_user(update, context)
    text = " ".join(context.args or [])
    if not text.strip():
        await context.store.update_user(user.chat_id, awaiting=AWAIT_FEAR)
        await send(update, context, FEAR_ASK_TEXT, keyboard((button("Never mind", "fp", "s"),)))
        return
    if await answered_crisis(update, context, user, text):
        return
    await _take_fear_text(update, context, user, text)


async def fears_command(update: Update, context: CoachContext) -> None:
    """/fears: the journal and the evidence."""
    user = await current_user(update, context)
    text, markup = await _journal(context, user)
    await send(update, context, with_setup_hint(user, text), markup)


async def fear_text(update: Update, context: CoachContext, user: User, text: str) -> None:
    """The text of a fear the bot asked for (users.awaiting starts with AWAIT_FEAR)."""
    await context.store.update_user(user.chat_id, awaiting=None)
    await _take_fear_text(update, context, user, text)


async def answered_crisis(update: Update, context: CoachContext, user: User, text: str) -> bool:
    """When a message suggests a crisis, answer with care (no coaching) and return True."""
    if not sounds_like_crisis(text):
        return False
    if user.awaiting is not None:
        await context.store.update_user(user.chat_id, awaiting=None)
    await send(update, context, CRISIS_TEXT)
    return True


async def _take_fear_text(update: Update, context: CoachContext, user: User, raw: str) -> None:
    """Hold the text in a draft and ask for its strength: nothing is stored before that."""
    try:
        text = clean_fear_text(raw)
    except InputError as error:
        await send(update, context, error.message)
        return
    draft_id = await context.store.create_draft(
        user.chat_id, DRAFT_KIND, {"text": text}, context.clock.now()
    )
    await send(update, context, fear_strength_question(text), _strength_keyboard("fs", draft_id))


def _strength_keyboard(action: str, target_id: int) -> InlineKeyboardMarkup:
    return keyboard(*_strength_rows(action, target_id))


def _strength_rows(action: str, target_id: int) -> tuple[Row, Row]:
    """A row of 1-5 and a row to skip (0)."""
    numbers = tuple(
        button(str(value), action, target_id, value) for value in range(1, MAX_STRENGTH + 1)
    )
    return numbers, (button("Skip", action, target_id, 0),)


async def _journal(context: CoachContext, user: User) -> tuple[str, InlineKeyboardMarkup]:
    now = context.clock.now()
    fears = await context.store.fears_of(user.chat_id)
    contacts = await context.store.list_contacts(user.chat_id)
    names = {contact.id: contact.name for contact in contacts}
    text = fears_text(fears, evidence_of(fears), names, user, now)
    settings = tuple(
        button(("✓ " if user.fear_prompts == setting.value else "") + label, "ff", code)
        for code, setting in SETTING_CODES.items()
        for label in (SETTING_LABELS[setting],)
    )
    return text, keyboard((button("✍️ Write a fear down", "fp", "w"),), settings)


# --- buttons ----------------------------------------------------------------------------------


async def strength_button(update: Update, context: CoachContext, action: ButtonAction) -> None:
    """How strong the new fear is (or skip): the fear is stored only now, complete."""
    user = await current_user(update, context)
    draft_id, strength = action.int_arg(0), action.int_arg(1)
    if strength and not valid_strength(strength):
        raise StaleButtonError(f"strength {strength}")
    draft = await context.store.get_draft(user.chat_id, draft_id)
    if draft is None or draft[0] != DRAFT_KIND:
        await answer_button(update, "Already handled.")
        return
    if not await context.store.delete_draft(user.chat_id, draft_id):  # claim it: one use only
        await answer_button(update, "Already handled.")
        return
    if not strength:
        await answer_button(update, "Skipped")
        await show(update, context, "Okay, nothing written down. /fear whenever one shows up.")
        return
    now = context.clock.now()
    _, end_of_day = local_day_bounds(local_today(now, user.timezone), user.timezone)
    fear = await context.store.add_fear(
        user.chat_id, text=draft[1]["text"], strength=strength, now=now, tie_until=end_of_day
    )
    choices = await _tie_choices(context.store, user, now)
    rows: list[Row] = [
        tuple(button(f"👤 {contact.name[:20]}", "fc", fear.id, contact.id) for contact in pair)
        for pair in (choices[:2], choices[2:4])
        if pair
    ]
    rows.append(
        (
            button("➡️ Next outreach", "fc", fear.id, "x"),
            button("📓 Journal only", "fc", fear.id, "j"),
        )
    )
    await answer_button(update, "Written down 📓")
    await show(
        update,
        context,
        with_setup_hint(user, fear_saved_text(fear, has_contacts=bool(choices))),
        keyboard(*rows),
    )


async def tie_button(update: Update, context: CoachContext, action: ButtonAction) -> None:
    """Tie a new fear to a contact, to the next outreach (the default), or to nothing."""
    user = await current_user(update, context)
    store = context.store
    fear = await store.get_fear(user.chat_id, action.int_arg(0))
    choice = action.args[1]
    if fear is None or fear.outcome is not None:
        await answer_button(update, "That fear has already met its outcome.")
        return
    if choice == "x" and fear.contact_id is None:
        await answer_button(update)
        await show(update, context, fear_next_outreach_text(fear))
        return
    if choice == "j":
        tied = await store.tie_fear(user.chat_id, fear.id, None)
        if tied is None:
            await answer_button(update, "That fear has already met its outcome.")
            return
        await answer_button(update, "In the journal 📓")
        await show(update, context, fear_journal_only_text(tied))
        return
    contact_id = fear.contact_id if choice == "x" else action.int_arg(1)
    contact = await store.get_contact(user.chat_id, contact_id) if contact_id else None
    tied = await store.tie_fear(user.chat_id, fear.id, contact.id) if contact else None
    if contact is None or tied is None:
        await answer_button(update, "That contact is no longer here.")
        return
    await answer_button(update, "Tied 🫣")
    await show(update, context, fear_tied_text(tied, contact))


async def outcome_button(update: Update, context: CoachContext, action: ButtonAction) -> None:
    """Did the feared thing happen: yes, partly, no (or skip, and it stays open)."""
    user = await current_user(update, context)
    fear_id, kind, code = action.int_arg(0), KIND_CODES.get(action.args[1]), action.args[2]
    if kind is None or (code not in OUTCOME_CODES and code != "s"):
        raise StaleButtonError(f"outcome {action.args!r}")
    await _drop_rows(update, "fo")
    if code == "s":
        await answer_button(update, "Skipped: it stays open in /fears.")
        return
    fear = await context.store.record_fear_outcome(
        user.chat_id, fear_id, OUTCOME_CODES[code], context.clock.now()
    )
    if fear is None:
        await answer_button(update, "Already answered.")
        return
    await answer_button(update, "Noted ✅")
    situation = situation_of(kind, fear.outcome)
    await send(
        update, context, fear_outcome_text(fear, situation), _strength_keyboard("fa", fear.id)
    )


async def after_button(update: Update, context: CoachContext, action: ButtonAction) -> None:
    """How strong a tested fear is now (or skip), then the evidence so far."""
    user = await current_user(update, context)
    fear_id, strength = action.int_arg(0), action.int_arg(1)
    if strength and not valid_strength(strength):
        raise StaleButtonError(f"strength {strength}")
    store = context.store
    if strength:
        fear = await store.record_fear_strength_after(user.chat_id, fear_id, strength)
    else:
        fear = await store.get_fear(user.chat_id, fear_id)
        fear = fear if fear is not None and fear.outcome is not None else None
    if fear is None:
        await answer_button(update, "Already noted.")
        return
    await answer_button(update, "Noted ✅")
    evidence = evidence_of(await store.fears_of(user.chat_id))
    await show(update, context, fear_rated_text(fear, evidence))


async def nervous_button(update: Update, context: CoachContext, action: ButtonAction) -> None:
    """How nervous the user was before an outreach (or skip): stored complete, or not at all."""
    user = await current_user(update, context)
    interaction_id, strength = action.int_arg(0), action.int_arg(1)
    if strength and not valid_strength(strength):
        raise StaleButtonError(f"strength {strength}")
    await _drop_rows(update, "fn")
    if not strength:
        await answer_button(update, "Skipped")
        return
    fear = await context.store.rate_nervousness(
        user.chat_id, interaction_id, strength, context.clock.now()
    )
    if fear is None:
        await answer_button(update, "Already noted.")
        return
    await answer_button(update, f"Noted: {strength}/5. When they answer, we'll see how it went.")


async def prompt_button(update: Update, context: CoachContext, action: ButtonAction) -> None:
    """The one-tap fear question: a common fear, 'something else', or skip."""
    user = await current_user(update, context)
    code = action.args[0]
    if code != "w" and code != "s" and code not in PRESET_FEARS:
        raise StaleButtonError(f"fear prompt {code!r}")
    await _drop_rows(update, "fp")
    if code == "s":
        if (user.awaiting or "").startswith(AWAIT_FEAR):
            await context.store.update_user(user.chat_id, awaiting=None)
        await answer_button(update, "Okay 🙂")
        return
    await answer_button(update)
    if code == "w":
        await context.store.update_user(user.chat_id, awaiting=AWAIT_FEAR)
        await send(update, context, FEAR_ASK_TEXT, keyboard((button("Never mind", "fp", "s"),)))
        return
    await _take_fear_text(update, context, user, PRESET_FEARS[code])


async def setting_button(update: Update, context: CoachContext, action: ButtonAction) -> None:
    """How often the morning message asks about fears: never, some days, daily."""
    user = await current_user(update, context)
    setting = SETTING_CODES.get(action.args[0])
    if setting is None:
        raise StaleButtonError(f"fear prompt setting {action.args[0]!r}")
    user = await context.store.update_user(user.chat_id, fear_prompts=setting.value)
    await answer_button(update, f"Fear question: {SETTING_LABELS[setting].lower()}")
    text, markup = await _journal(context, user)
    await show(update, context, with_setup_hint(user, text), markup)


# --- hooks for the messages other modules send ------------------------------------------------


async def after_outreach(
    context: CoachContext, user: User, contact: Contact, interaction: Interaction
) -> FearPrompt:
    """After an outreach or follow-up: tie waiting fears to it, or ask how nervous it felt."""
    store = context.store
    open_fears = await store.tie_fears_to_outreach(
        user.chat_id, contact.id, interaction.id, interaction.at
    )
    riding = [fear for fear in open_fears if fear.interaction_id == interaction.id]
    if riding:
        return FearPrompt(line=fear_rides_line(riding[0], contact))
    if open_fears:
        # Still waiting on an answer to a fear: a follow-up is the moment for the silence reframe.
        if interaction.kind is Kind.FOLLOW_UP:
            return FearPrompt(line="🫣 " + reframe_text(situation_of(interaction.kind)))
        return NO_PROMPT
    start, end = local_day_bounds(local_today(interaction.at, user.timezone), user.timezone)
    new_today = await store.count_interactions(user.chat_id, (Kind.OUTREACH,), start=start, end=end)
    if not ask_nervousness(user.fear_prompts, interaction.kind, new_today, has_fear=False):
        return NO_PROMPT
    return FearPrompt(line=NERVOUS_LINE, rows=_strength_rows("fn", interaction.id))


async def after_outcome(
    context: CoachContext, user: User, contact: Contact, kind: Kind
) -> FearPrompt:
    """After a reply or a coffee chat: ask whether the contact's open fear came true."""
    kind_code = next((code for code, value in KIND_CODES.items() if value is kind), None)
    if kind not in OUTCOME_KINDS or kind_code is None:
        return NO_PROMPT
    open_fears = await context.store.open_fears_of_contact(user.chat_id, contact.id)
    if not open_fears:
        return NO_PROMPT
    fear = open_fears[0]
    row = (
        button("Yes", "fo", fear.id, kind_code, "y"),
        button("Partly", "fo", fear.id, kind_code, "p"),
        button("No", "fo", fear.id, kind_code, "n"),
        button("Skip", "fo", fear.id, kind_code, "s"),
    )
    return FearPrompt(line=fear_outcome_question(fear, contact), rows=(row,))


def morning_prompt(user: User, today: date) -> FearPrompt:
    """The one-tap fear question inside the morning message, now and then (per the setting)."""
    if not morning_prompt_due(user.fear_prompts, today):
        return NO_PROMPT
    presets = (
        button("😶 No answer", "fp", "i"),
        button("🙅 A no", "fp", "n"),
        button("😬 Awkward", "fp", "a"),
    )
    other = (button("✍️ Something else", "fp", "w"), button("Not today", "fp", "s"))
    return FearPrompt(line=MORNING_FEAR_LINE, rows=(presets, other))


async def weekly_evidence_line(store: Store, user: User) -> str | None:
    """One line of fear evidence for the weekly review, when there is some."""
    return weekly_fear_line(evidence_of(await store.fears_of(user.chat_id)))


async def _tie_choices(store: Store, user: User, now: datetime) -> list[Contact]:
    """Who a new fear may be about: people awaiting an answer first, then today's suggestions."""
    waiting = [contact for _, contact in await store.open_follow_ups(user.chat_id)]
    suggested = suggest_contacts(await store.contact_summaries(user.chat_id), now, limit=3)
    choices: list[Contact] = []
    for contact in [*waiting, *suggested]:
        if contact.id not in {chosen.id for chosen in choices}:
            choices.append(contact)
    return choices[:MAX_TIE_CHOICES]


async def _drop_rows(update: Update, action: str) -> None:
    """Take this action's button rows off the pressed message, keeping the other buttons."""
    query = update.callback_query
    message = query.message if query else None
    if query is None or not isinstance(message, Message) or message.reply_markup is None:
        return
    prefix = f"{VERSION}:{action}:"
    rows = [
        row
        for row in message.reply_markup.inline_keyboard
        if not any(str(item.callback_data or "").startswith(prefix) for item in row)
    ]
    if len(rows) == len(message.reply_markup.inline_keyboard):
        return
    try:
        await query.edit_message_reply_markup(InlineKeyboardMarkup(rows) if rows else None)
    except BadRequest as error:
        if "not modified" not in error.message:
            raise
