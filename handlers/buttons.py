"""Every inline button press arrives here: parsed once, checked, then handed to its handler."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update

from bot.context import CoachContext
from handlers import (
    contacts,
    data,
    fears,
    followups,
    onboarding,
    outreach,
    pipeline,
    preferences,
    sentences,
    today,
)
from handlers.callback_data import ButtonAction, StaleButtonError, unpack
from handlers.common import answer_button

ButtonHandler = Callable[[Update, CoachContext, ButtonAction], Awaitable[None]]

BUTTON_HANDLERS: dict[str, ButtonHandler] = {
    "ob": onboarding.onboarding_button,
    "cl": contacts.list_button,
    "ct": contacts.card_button,
    "tr": contacts.tier_button,
    "ts": contacts.set_tier_button,
    "ra": outreach.reached_button,
    "rc": outreach.reached_via_button,
    "ry": outreach.replied_button,
    "rk": outreach.reply_kind_button,
    "ch": outreach.chat_button,
    "gv": outreach.gave_button,
    "nx": outreach.next_step_button,
    "rs": outreach.rest_contact_button,
    "dr": outreach.draft_button,
    "fu": followups.follow_up_button,
    "fl": followups.list_button,
    "fs": fears.strength_button,
    "fc": fears.tie_button,
    "fo": fears.outcome_button,
    "fa": fears.after_button,
    "fn": fears.nervous_button,
    "fp": fears.prompt_button,
    "ff": fears.setting_button,
    "td": today.today_button,
    "pl": pipeline.list_button,
    "po": pipeline.open_button,
    "pm": pipeline.move_button,
    "pn": pipeline.start_button,
    "dl": data.delete_button,
    "sn": sentences.sentence_button,
    "sk": sentences.kind_button,
    "sc": sentences.contact_button,
    "sm": preferences.menu_button,
    "se": preferences.edit_button,
    "sv": preferences.choice_button,
    "sd": preferences.rest_day_button,
}

EXPIRED = "This button has expired. /today has fresh ones."


async def button_pressed(update: Update, context: CoachContext) -> None:
    """Dispatch a button press; a stale or forged payload gets a friendly toast."""
    query = update.callback_query
    if query is None:
        return
    try:
        action = unpack(query.data)
        handler = BUTTON_HANDLERS[action.action]
        await handler(update, context, action)
    except StaleButtonError:
        await answer_button(update, EXPIRED)
