"""Fears: write one down, tie it to an outreach, and meet it with the evidence.

Also the quick prompts other messages carry: the morning question, 'how nervous were you?'
after an outreach, and 'did it happen?' when the outcome is logged. Fear data stays with the
user: nothing here is ever shared.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.coaching.dates import local_day_bounds, local_today
from bot.coaching.domain import (
    Contact,
    Fear,
    FearOutcome,
    Interaction,
    Kind,
    PreferenceChanges,
    User,
)
from bot.coaching.errors import InputError
from bot.coaching.fears import (
    MAX_STRENGTH,
    OUTCOME_KINDS,
    PRESET_FEARS,
    OutcomeSource,
    PromptSetting,
    ask_nervousness,
    clean_fear_text,
    evidence_of,
    outcome_source,
    situation_after,
    situation_of,
    sounds_like_crisis,
)
from bot.coaching.pending import AwaitFear, PendingFear
from bot.coaching.text import short_name, shorten
from bot.coaching.today import suggest_contacts
from bot.messages.common import ALREADY_HANDLED, CONTACT_GONE, with_setup_hint
from bot.messages.fears import (
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
    nervous_rated_line,
    reframe_text,
    silence_question,
    weekly_fear_line,
)
from bot.usecases.actions import (
    AnswerFearOutcome,
    AnswerFearPrompt,
    CheckFear,
    FearAnswer,
    FearPromptChoice,
    FearTie,
    RateNervousness,
    RateNewFear,
    RateTestedFear,
    SetFearPrompts,
    TieFear,
)
from bot.usecases.replies import (
    Button,
    ButtonRow,
    Refusal,
    Reply,
    Response,
    Retext,
    edited,
    sent,
)
from storage import Store

MAX_TIE_CHOICES = 4
# Sent-log kinds: today's morning fear question was answered or skipped (period: the local
# date), and a silence check was asked (period: the fear's id), each once.
FEAR_QUESTION_SETTLED = "fear_question"
SILENCE_CHECK = "silence_check"
MAX_FEARS_TO_TEST = 3
ALREADY_NOTED = "Already noted."
OUTCOME_MET = "That fear has already met its outcome."
OUTCOMES = {
    FearAnswer.YES: FearOutcome.YES,
    FearAnswer.PARTLY: FearOutcome.PARTLY,
    FearAnswer.NO: FearOutcome.NO,
}
SETTING_LABELS = {
    PromptSetting.NEVER: "Never",
    PromptSetting.SOME: "Some days",
    PromptSetting.DAILY: "Daily",
}
PRESET_CHOICES = {
    FearPromptChoice.NO_ANSWER: PRESET_FEARS["i"],
    FearPromptChoice.A_NO: PRESET_FEARS["n"],
    FearPromptChoice.AWKWARD: PRESET_FEARS["a"],
}
NEVER_MIND = Button("Never mind", AnswerFearPrompt(FearPromptChoice.SKIP))


@dataclass(frozen=True)
class FearPrompt:
    """A line and button rows to add to a message another use case sends (one message)."""

    line: str | None = None
    rows: tuple[ButtonRow, ...] = ()

    def apply(self, reply: Reply) -> Reply:
        """`reply` with this prompt added below its text and its buttons."""
        return reply.plus(self.line, self.rows)


NO_PROMPT = FearPrompt()


# --- writing a fear down ------------------------------------------------------------------------


async def write_fear(store: Store, user: User, now: datetime, text: str) -> Response:
    """/fear [TEXT]: hold the fear as a draft and ask its strength (asks for the text first)."""
    if not text.strip():
        await store.set_awaiting(user.chat_id, AwaitFear())
        return sent(Reply(FEAR_ASK_TEXT, ((NEVER_MIND,),)))
    crisis = await crisis_response(store, user, text)
    return crisis or await _take_fear_text(store, user, now, text)


async def awaited_fear(store: Store, user: User, now: datetime, text: str) -> Response:
    """The text of a fear the bot asked for."""
    await store.set_awaiting(user.chat_id, None)
    return await _take_fear_text(store, user, now, text)


async def crisis_response(store: Store, user: User, text: str) -> Response | None:
    """When a message suggests a crisis: care, never coaching (any pending question dropped)."""
    if not sounds_like_crisis(text):
        return None
    if user.awaiting is not None:
        await store.set_awaiting(user.chat_id, None)
    return sent(Reply(CRISIS_TEXT))


async def _take_fear_text(store: Store, user: User, now: datetime, raw: str) -> Response:
    """Hold the text in a draft and ask for its strength: nothing is stored before that."""
    try:
        text = clean_fear_text(raw)
    except InputError as error:
        return sent(Reply(error.message))
    draft_id = await store.create_draft(user.chat_id, PendingFear(text), now)
    return sent(Reply(fear_strength_question(text), _strength_rows(RateNewFear, draft_id)))


def _strength_rows(
    action: type[RateNewFear | RateTestedFear | RateNervousness], target_id: int
) -> tuple[ButtonRow, ButtonRow]:
    """A row of 1-5 and a row to skip (0)."""
    numbers = tuple(
        Button(str(value), action(target_id, value)) for value in range(1, MAX_STRENGTH + 1)
    )
    return numbers, (Button("Skip", action(target_id, 0)),)


# --- the journal ------------------------------------------------------------------------------


async def fear_journal(store: Store, user: User, now: datetime, _: None = None) -> Response:
    """/fears: the journal and the evidence."""
    reply = await _journal(store, user, now)
    return sent(Reply(with_setup_hint(user, reply.text), reply.rows))


async def _journal(store: Store, user: User, now: datetime) -> Reply:
    fears = await store.fears_of(user.chat_id)
    names = {contact.id: contact.name for contact in await store.list_contacts(user.chat_id)}
    text = fears_text(fears, evidence_of(fears), names, user, now)
    settings = tuple(
        Button(
            ("✓ " if user.fear_prompts == setting.value else "") + label,
            SetFearPrompts(setting),
        )
        for setting, label in SETTING_LABELS.items()
    )
    write = Button("✍️ Write a fear down", AnswerFearPrompt(FearPromptChoice.WRITE))
    waiting = [fear for fear in reversed(fears) if fear.outcome is None][:MAX_FEARS_TO_TEST]
    tests = tuple((Button(_test_label(fear, names), CheckFear(fear.id)),) for fear in waiting)
    return Reply(text, (*tests, (write,), settings))


def _test_label(fear: Fear, names: dict[int, str]) -> str:
    """A button to record whether a waiting fear came true: '🧪 Test “They'll say no.”'."""
    if fear.text is not None:
        return f"🧪 Test “{shorten(fear.text, 26)}”"
    name = names.get(fear.contact_id) if fear.contact_id is not None else None
    return f"🧪 Test your nerves about {short_name(name, 16)}" if name else "🧪 Test your nerves"


async def check_fear(store: Store, user: User, now: datetime, action: CheckFear) -> Response:
    """From /fears: did a waiting fear come true? Asked with the same one-tap answers."""
    fear = await store.get_fear(user.chat_id, action.fear_id)
    if fear is None or fear.outcome is not None:
        raise Refusal(OUTCOME_MET)
    contact = await store.get_contact(user.chat_id, fear.contact_id) if fear.contact_id else None
    question = fear_outcome_question(fear, contact)
    return sent(Reply(question, (_outcome_row(fear, OutcomeSource.BY_HAND),)))


async def set_fear_prompts(
    store: Store, user: User, now: datetime, action: SetFearPrompts
) -> Response:
    """How often the morning message asks about fears: never, some days, daily."""
    user = await store.update_preferences(
        user.chat_id, PreferenceChanges(fear_prompts=action.frequency.value)
    )
    reply = await _journal(store, user, now)
    return edited(
        Reply(with_setup_hint(user, reply.text), reply.rows),
        toast=f"Fear question: {SETTING_LABELS[action.frequency].lower()}",
    )


# --- buttons ----------------------------------------------------------------------------------


async def rate_new_fear(store: Store, user: User, now: datetime, action: RateNewFear) -> Response:
    """How strong the new fear is (or skip): the fear is stored only now, complete."""
    draft = await store.get_draft(user.chat_id, action.draft_id)
    if not isinstance(draft, PendingFear):
        raise Refusal(ALREADY_HANDLED)
    if not await store.delete_draft(user.chat_id, action.draft_id):  # claim it: one use only
        raise Refusal(ALREADY_HANDLED)
    if not action.strength:
        return edited(
            Reply("Okay, nothing written down. /fear whenever one shows up."), toast="Skipped"
        )
    _, end_of_day = local_day_bounds(local_today(now, user.timezone), user.timezone)
    fear = await store.add_fear(
        user.chat_id, text=draft.text, strength=action.strength, now=now, tie_until=end_of_day
    )
    choices = await _tie_choices(store, user, now)
    rows: list[ButtonRow] = [
        tuple(
            Button(f"👤 {short_name(contact.name, 20)}", TieFear(fear.id, contact.id))
            for contact in pair
        )
        for pair in (choices[:2], choices[2:4])
        if pair
    ]
    rows.append(
        (
            Button("➡️ Next outreach", TieFear(fear.id, FearTie.NEXT_OUTREACH)),
            Button("📓 Journal only", TieFear(fear.id, FearTie.JOURNAL)),
        )
    )
    text = with_setup_hint(user, fear_saved_text(fear, has_contacts=bool(choices)))
    return edited(Reply(text, tuple(rows)), toast="Written down 📓")


async def tie_fear(store: Store, user: User, now: datetime, action: TieFear) -> Response:
    """Tie a new fear to a contact, to the next outreach (the default), or to nothing."""
    fear = await store.get_fear(user.chat_id, action.fear_id)
    if fear is None or fear.outcome is not None:
        raise Refusal(OUTCOME_MET)
    if action.to is FearTie.NEXT_OUTREACH and fear.contact_id is None:
        return edited(Reply(fear_next_outreach_text(fear)))
    if action.to is FearTie.JOURNAL:
        journal_only = await store.tie_fear(user.chat_id, fear.id, None)
        if journal_only is None:
            raise Refusal(OUTCOME_MET)
        return edited(Reply(fear_journal_only_text(journal_only)), toast="In the journal 📓")
    contact_id = fear.contact_id if action.to is FearTie.NEXT_OUTREACH else action.to
    contact = await store.get_contact(user.chat_id, contact_id) if contact_id else None
    tied = await store.tie_fear(user.chat_id, fear.id, contact.id) if contact else None
    if contact is None or tied is None:
        raise Refusal(CONTACT_GONE)
    return edited(Reply(fear_tied_text(tied, contact)), toast="Tied 🫣")


async def answer_fear_outcome(
    store: Store, user: User, now: datetime, action: AnswerFearOutcome
) -> Response:
    """Did the feared thing happen: yes, partly, no (or skip, and it stays open)."""
    if action.answer is FearAnswer.SKIP:
        await _settle_fear_question(store, user, now)
        return Response(toast="Skipped: it stays open in /fears.", drop=AnswerFearOutcome)
    fear = await store.record_fear_outcome(
        user.chat_id, action.fear_id, OUTCOMES[action.answer], now
    )
    if fear is None:
        return Response(toast="Already answered.", drop=AnswerFearOutcome)
    situation = situation_after(action.after, fear.outcome)
    reply = Reply(fear_outcome_text(fear, situation), _strength_rows(RateTestedFear, fear.id))
    return Response((reply,), toast="Noted ✅", drop=AnswerFearOutcome)


async def rate_tested_fear(
    store: Store, user: User, now: datetime, action: RateTestedFear
) -> Response:
    """How strong a tested fear is now (or skip), then the evidence so far."""
    if action.strength:
        fear = await store.record_fear_strength_after(user.chat_id, action.fear_id, action.strength)
    else:
        fear = await store.get_fear(user.chat_id, action.fear_id)
        fear = fear if fear is not None and fear.outcome is not None else None
    if fear is None:
        raise Refusal(ALREADY_NOTED)
    evidence = evidence_of(await store.fears_of(user.chat_id))
    return edited(Reply(fear_rated_text(fear, evidence)), toast="Noted ✅")


async def rate_nervousness(
    store: Store, user: User, now: datetime, action: RateNervousness
) -> Response:
    """How nervous the user was before an outreach (or skip): stored complete, or not at all."""
    question = Retext(NERVOUS_LINE)  # skipped: the question goes with its buttons
    if not action.strength:
        return Response(toast="Skipped", drop=RateNervousness, retext=question)
    fear = await store.rate_nervousness(user.chat_id, action.interaction_id, action.strength, now)
    if fear is None:
        return Response(toast=ALREADY_NOTED, drop=RateNervousness, retext=question)
    toast = f"Noted: {action.strength}/5. When they answer, we'll see how it went."
    rated = Retext(NERVOUS_LINE, nervous_rated_line(action.strength))
    return Response(toast=toast, drop=RateNervousness, retext=rated)


async def answer_fear_prompt(
    store: Store, user: User, now: datetime, action: AnswerFearPrompt
) -> Response:
    """The one-tap fear question: a common fear, 'something else', or skip."""
    await _settle_fear_question(store, user, now)
    question = Retext(MORNING_FEAR_LINE)  # answered or skipped: the question goes
    if action.choice is FearPromptChoice.SKIP:
        if isinstance(user.awaiting, AwaitFear):
            await store.set_awaiting(user.chat_id, None)
        return Response(toast="Okay 🙂", drop=AnswerFearPrompt, retext=question)
    if action.choice is FearPromptChoice.WRITE:
        await store.set_awaiting(user.chat_id, AwaitFear())
        reply = Reply(FEAR_ASK_TEXT, ((NEVER_MIND,),))
        return Response((reply,), drop=AnswerFearPrompt, retext=question)
    taken = await _take_fear_text(store, user, now, PRESET_CHOICES[action.choice])
    return Response(taken.steps, drop=AnswerFearPrompt, retext=question)


# --- hooks for the messages other use cases send --------------------------------------------


async def after_outreach(
    store: Store, user: User, contact: Contact, interaction: Interaction
) -> FearPrompt:
    """After an outreach or follow-up: tie waiting fears to it, or ask how nervous it felt."""
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
    return FearPrompt(line=NERVOUS_LINE, rows=_strength_rows(RateNervousness, interaction.id))


async def after_outcome(store: Store, user: User, contact: Contact, kind: Kind) -> FearPrompt:
    """After a reply or a coffee chat: ask whether the contact's open fear came true."""
    if kind not in OUTCOME_KINDS:
        return NO_PROMPT
    open_fears = await store.open_fears_of_contact(user.chat_id, contact.id)
    if not open_fears:
        return NO_PROMPT
    fear = open_fears[0]
    row = _outcome_row(fear, outcome_source(kind))
    return FearPrompt(line=fear_outcome_question(fear, contact), rows=(row,))


async def after_silence(store: Store, user: User, contact: Contact) -> FearPrompt:
    """When a contact is let rest after no answer: ask whether the contact's open fear came
    true ("they won't answer" can be tested too)."""
    open_fears = await store.open_fears_of_contact(user.chat_id, contact.id)
    if not open_fears:
        return NO_PROMPT
    return silence_check(open_fears[0], contact)


def silence_check(fear: Fear, contact: Contact) -> FearPrompt:
    """'No answer: did what you feared happen?' with its one-tap answers."""
    return FearPrompt(
        line=silence_question(fear, contact), rows=(_outcome_row(fear, OutcomeSource.SILENCE),)
    )


def _outcome_row(fear: Fear, tested: OutcomeSource) -> ButtonRow:
    return tuple(
        Button(label, AnswerFearOutcome(fear.id, tested, answer))
        for label, answer in (
            ("Yes", FearAnswer.YES),
            ("Partly", FearAnswer.PARTLY),
            ("No", FearAnswer.NO),
            ("Skip", FearAnswer.SKIP),
        )
    )


async def _settle_fear_question(store: Store, user: User, now: datetime) -> None:
    """Today's morning fear question is answered (or skipped): a redrawn morning leaves it out."""
    today = local_today(now, user.timezone)
    await store.claim_message(user.chat_id, FEAR_QUESTION_SETTLED, today.isoformat(), now)


async def fear_question_settled(store: Store, user: User, today: date) -> bool:
    """Whether the fear question of the morning of `today` was answered or skipped."""
    return await store.is_claimed(user.chat_id, FEAR_QUESTION_SETTLED, today.isoformat())


def one_tap_fear_prompt() -> FearPrompt:
    """The one-tap fear question: three common fears, something else, or not today."""
    presets = tuple(
        Button(label, AnswerFearPrompt(choice))
        for label, choice in (
            ("😶 No answer", FearPromptChoice.NO_ANSWER),
            ("🙅 A no", FearPromptChoice.A_NO),
            ("😬 Awkward", FearPromptChoice.AWKWARD),
        )
    )
    other = (
        Button("✍️ Something else", AnswerFearPrompt(FearPromptChoice.WRITE)),
        Button("Not today", AnswerFearPrompt(FearPromptChoice.SKIP)),
    )
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
