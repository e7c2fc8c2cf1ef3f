"""Plain text: the answer to the question the bot asked last, a plain sentence, or a hint."""

from __future__ import annotations

from datetime import datetime

from bot.coaching.domain import User
from bot.coaching.pending import (
    AwaitContactName,
    AwaitContactNote,
    AwaitDraftName,
    AwaitEntryDay,
    AwaitEntryNote,
    AwaitFear,
    AwaitGift,
    AwaitLogArguments,
    AwaitMergeTarget,
    AwaitNewContact,
    AwaitNextStep,
    AwaitOpportunityTitle,
    AwaitSetting,
    AwaitTargetName,
)
from bot.usecases import (
    contact_edits,
    contacts,
    fears,
    history,
    onboarding,
    outreach,
    pipeline,
    preferences,
    sentences,
    targets,
)
from bot.usecases.replies import Reply, Response, sent
from storage import Store

HINT = (
    "I didn't catch that. Tell me what you did, like “messaged Ana on LinkedIn” or "
    "“coffee with Bob”, or see /help for everything I can do."
)
MAX_TEXT_LENGTH = 4000


async def answer_text(store: Store, user: User, now: datetime, text: str) -> Response:
    """Care first for a message that suggests a crisis; then the answer to what the bot asked
    last; then a plain sentence to log; otherwise a hint."""
    crisis = await fears.crisis_response(store, user, text)
    if crisis is not None:
        return crisis
    if len(text) > MAX_TEXT_LENGTH:
        return sent(Reply("That's a very long message; nothing was saved."))
    if onboarding.is_onboarding_text(user):
        return await onboarding.onboarding_text(store, user, now, text)
    answered = await _answer_pending(store, user, now, text)
    if answered is not None:
        return answered
    logged = await sentences.read_sentence(store, user, now, text)
    return logged or sent(Reply(HINT))


async def _answer_pending(store: Store, user: User, now: datetime, text: str) -> Response | None:
    match user.awaiting:
        case AwaitNewContact():
            return await contacts.awaited_new_contact(store, user, now, text)
        case AwaitOpportunityTitle(contact_id=contact_id):
            return await pipeline.awaited_opportunity_title(store, user, now, (contact_id, text))
        case AwaitFear():
            return await fears.awaited_fear(store, user, now, text)
        case AwaitSetting(key=key):
            return await preferences.awaited_setting(store, user, now, (key, text))
        case AwaitLogArguments(command=command):
            return await outreach.awaited_log_arguments(store, user, now, (command, text))
        case AwaitNextStep(contact_id=contact_id):
            return await outreach.awaited_next_step(store, user, now, (contact_id, text))
        case AwaitGift(contact_id=contact_id):
            return await outreach.awaited_gift(store, user, now, (contact_id, text))
        case AwaitDraftName(draft_id=draft_id):
            return await sentences.awaited_draft_name(store, user, now, (draft_id, text))
        case AwaitEntryNote(interaction_id=interaction_id):
            return await history.awaited_entry_note(store, user, now, (interaction_id, text))
        case AwaitEntryDay(interaction_id=interaction_id):
            return await history.awaited_entry_day(store, user, now, (interaction_id, text))
        case AwaitContactName(contact_id=contact_id):
            return await contact_edits.awaited_contact_name(store, user, now, (contact_id, text))
        case AwaitContactNote(contact_id=contact_id):
            return await contact_edits.awaited_contact_note(store, user, now, (contact_id, text))
        case AwaitMergeTarget(contact_id=contact_id):
            return await contact_edits.awaited_merge_target(store, user, now, (contact_id, text))
        case AwaitTargetName():
            return await targets.awaited_target(store, user, now, text)
    return None
