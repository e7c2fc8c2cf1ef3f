"""Every inline button press arrives here: decoded once, checked, then handed to its use case."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from telegram import Update

from bot.context import CoachContext
from bot.messages.common import EXPIRED, EXPIRED_TODAY
from bot.usecases import (
    contact_edits,
    contacts,
    data,
    fears,
    followups,
    history,
    imports,
    morning,
    onboarding,
    outreach,
    partners,
    pipeline,
    preferences,
    sentences,
    targets,
    today,
    undo,
)
from bot.usecases.actions import (
    Action,
    AnswerFearOutcome,
    AnswerFearPrompt,
    AnswerFollowUp,
    AnswerInvite,
    AskTarget,
    CancelImport,
    CheckFear,
    ChooseMerge,
    ChooseSetting,
    ChooseTier,
    ClearContactNote,
    ClearEntryNote,
    ConfirmDelete,
    ConfirmImport,
    DeleteContact,
    DeleteEntry,
    EditContact,
    EditContactNote,
    EditEntry,
    EditSetting,
    EndPartnership,
    GaveSomething,
    GotReply,
    HadCoffeeChat,
    InvitePartner,
    KeepImportEmails,
    KeepLog,
    LogReply,
    MergeInto,
    MorningFollowUp,
    MoveOpportunity,
    NewOpportunity,
    OnboardingAnswer,
    OpenCard,
    OpenEntry,
    OpenOpportunity,
    PickOnboardingCity,
    PickSettingsCity,
    PlanNextStep,
    RateNervousness,
    RateNewFear,
    RateTestedFear,
    ReachedOut,
    ReachedOutVia,
    RemoveTarget,
    RenameContact,
    ResolveDraft,
    RestContact,
    ReviewPlan,
    ReviewSentence,
    SendCheer,
    SetEntryAsk,
    SetEntryChannel,
    SetEntryDay,
    SetEntryKind,
    SetFearPrompts,
    SetSentenceContact,
    SetSentenceKind,
    SetTier,
    SettleName,
    ShowContacts,
    ShowFollowUps,
    ShowPipeline,
    ShowSettings,
    ShowTargetContacts,
    ShowTargets,
    ShowToday,
    StaleButton,
    TargetCompanyOf,
    TieFear,
    ToggleRestDay,
    UndoLog,
    unpack,
)
from bot.usecases.replies import Response
from handlers.common import Turn, UseCase, begin, respond_to

ActionT = TypeVar("ActionT", bound=Action)
Route = Callable[[Turn, Any], Awaitable[Response]]


def _to(use_case: UseCase[ActionT]) -> Route:
    """The route to a use case that takes the action as its input."""

    async def route(turn: Turn, action: ActionT) -> Response:
        return await use_case(turn.store, turn.user, turn.now, action)

    return route


async def _onboarding(turn: Turn, action: OnboardingAnswer) -> Response:
    """Onboarding's answers also need the Telegram first name ("Use my Telegram name")."""
    return await onboarding.onboarding_answer(
        turn.store, turn.user, turn.now, (action, turn.first_name)
    )


def _partner(use_case: UseCase[partners.PartnerPress[ActionT]]) -> Route:
    """The route to a partner use case: the action with the setup and the first name."""

    async def route(turn: Turn, action: ActionT) -> Response:
        press = partners.PartnerPress(action, turn.partners, turn.first_name)
        return await use_case(turn.store, turn.user, turn.now, press)

    return route


# The one table from each action to what it does; a test checks it covers every action.
ROUTES: dict[type[Action], Route] = {
    OnboardingAnswer: _onboarding,
    ShowContacts: _to(contacts.show_contacts),
    OpenCard: _to(contacts.open_card),
    ChooseTier: _to(contacts.choose_tier),
    SetTier: _to(contacts.set_tier),
    ReachedOut: _to(outreach.reached_out),
    ReachedOutVia: _to(outreach.reached_out_via),
    GotReply: _to(outreach.got_reply),
    LogReply: _to(outreach.reply_picked),
    HadCoffeeChat: _to(outreach.had_coffee_chat),
    GaveSomething: _to(outreach.gave_something),
    PlanNextStep: _to(outreach.plan_next_step),
    RestContact: _to(outreach.rest_contact),
    ResolveDraft: _to(outreach.resolve_draft),
    AnswerFollowUp: _to(followups.answer_follow_up),
    ShowFollowUps: _to(followups.show_follow_ups),
    MorningFollowUp: _to(morning.answer_morning_follow_up),
    RateNewFear: _to(fears.rate_new_fear),
    TieFear: _to(fears.tie_fear),
    AnswerFearOutcome: _to(fears.answer_fear_outcome),
    RateTestedFear: _to(fears.rate_tested_fear),
    RateNervousness: _to(fears.rate_nervousness),
    AnswerFearPrompt: _to(fears.answer_fear_prompt),
    SetFearPrompts: _to(fears.set_fear_prompts),
    CheckFear: _to(fears.check_fear),
    ShowToday: _to(today.show_today),
    ReviewPlan: _to(onboarding.review_plan),
    ShowPipeline: _to(pipeline.back_to_pipeline),
    OpenOpportunity: _to(pipeline.open_opportunity),
    MoveOpportunity: _to(pipeline.move_opportunity),
    NewOpportunity: _to(pipeline.new_opportunity),
    ConfirmDelete: _to(data.confirm_delete),
    ReviewSentence: _to(sentences.review_sentence),
    SetSentenceKind: _to(sentences.set_sentence_kind),
    SetSentenceContact: _to(sentences.set_sentence_contact),
    ShowSettings: _to(preferences.back_to_settings),
    EditSetting: _to(preferences.edit_setting),
    ChooseSetting: _to(preferences.choose_setting),
    ToggleRestDay: _to(preferences.toggle_rest_day),
    InvitePartner: _partner(partners.invite_partner),
    AnswerInvite: _partner(partners.answer_invite),
    EndPartnership: _partner(partners.end_partnership),
    SendCheer: _partner(partners.cheer),
    UndoLog: _to(undo.undo_log),
    KeepLog: _to(undo.keep_log),
    SettleName: _to(contact_edits.settle_name),
    EditContact: _to(history.edit_contact),
    OpenEntry: _to(history.open_entry),
    EditEntry: _to(history.edit_entry),
    SetEntryKind: _to(history.set_entry_kind),
    SetEntryChannel: _to(history.set_entry_channel),
    SetEntryAsk: _to(history.set_entry_ask),
    SetEntryDay: _to(history.set_entry_day),
    ClearEntryNote: _to(history.clear_entry_note),
    DeleteEntry: _to(history.delete_entry),
    RenameContact: _to(contact_edits.rename_contact),
    EditContactNote: _to(contact_edits.edit_contact_note),
    ClearContactNote: _to(contact_edits.clear_contact_note),
    ChooseMerge: _to(contact_edits.choose_merge),
    MergeInto: _to(contact_edits.merge_into),
    DeleteContact: _to(contact_edits.delete_contact),
    ConfirmImport: _to(imports.confirm_import),
    CancelImport: _to(imports.cancel_import),
    KeepImportEmails: _to(imports.keep_emails),
    ShowTargets: _to(targets.back_to_targets),
    AskTarget: _to(targets.ask_target),
    TargetCompanyOf: _to(targets.target_company_of),
    RemoveTarget: _to(targets.remove_target),
    ShowTargetContacts: _to(targets.show_target_contacts),
    PickOnboardingCity: _to(onboarding.onboarding_city),
    PickSettingsCity: _to(preferences.settings_city),
}


async def button_pressed(update: Update, context: CoachContext) -> None:
    """Decode a press and run its use case; a stale or forged payload gets a friendly toast."""
    query = update.callback_query
    if query is None:
        return
    try:
        action = unpack(query.data)
    except StaleButton as stale:
        await query.answer(EXPIRED if stale.readable else EXPIRED_TODAY)
        return
    turn = await begin(update, context)
    await respond_to(update, context, ROUTES[type(action)](turn, action))
