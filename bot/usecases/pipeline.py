"""/pipeline: opportunities by stage, one-tap moves between stages, and starting one from a
contact's card (its title asked as the next text)."""

from __future__ import annotations

from datetime import datetime

from bot.coaching.domain import Contact, Opportunity, Stage, User
from bot.coaching.pending import AwaitOpportunityTitle
from bot.coaching.progress import STAGE_ORDER, by_stage, hot_opportunities
from bot.coaching.text import short_name, shorten
from bot.messages.common import CONTACT_GONE_NOT_SAVED, esc, with_setup_hint
from bot.messages.progress import STAGE_BUTTONS, opportunity_prompt, opportunity_text, pipeline_text
from bot.usecases.actions import (
    MoveOpportunity,
    NewOpportunity,
    OpenOpportunity,
    ShowContacts,
    ShowPipeline,
)
from bot.usecases.outreach import contact_of
from bot.usecases.replies import Button, ButtonRow, Refusal, Reply, Response, edited, sent
from storage import Store

MAX_TITLE_LENGTH = 200  # the column's size
MAX_LISTED = 12  # buttons on the pipeline; the text still lists them all by stage
GONE = "That opportunity is no longer here."


async def show_pipeline(store: Store, user: User, now: datetime, _: None = None) -> Response:
    """/pipeline."""
    reply = await _pipeline(store, user)
    return sent(Reply(with_setup_hint(user, reply.text), reply.rows))


async def back_to_pipeline(store: Store, user: User, now: datetime, _: ShowPipeline) -> Response:
    """Back to the pipeline, in place."""
    return edited(await _pipeline(store, user))


async def open_opportunity(
    store: Store, user: User, now: datetime, action: OpenOpportunity
) -> Response:
    """One opportunity, with a button for every stage."""
    opportunity, contact = await _opportunity(store, user, action.opportunity_id)
    return edited(
        Reply(opportunity_text(opportunity, contact, user.timezone), _stage_rows(opportunity))
    )


async def move_opportunity(
    store: Store, user: User, now: datetime, action: MoveOpportunity
) -> Response:
    """Move an opportunity to the stage pressed; interview and later get a celebration."""
    opportunity, contact = await _opportunity(store, user, action.opportunity_id)
    if opportunity.stage is action.stage:
        raise Refusal("It's there already.")
    moved = await store.move_opportunity(user.chat_id, opportunity.id, action.stage, now)
    if moved is None:
        raise Refusal(GONE)
    return edited(
        Reply(opportunity_text(moved, contact, user.timezone, moved=True), _stage_rows(moved)),
        toast=f"Moved to {STAGE_BUTTONS[action.stage]}",
    )


async def new_opportunity(
    store: Store, user: User, now: datetime, action: NewOpportunity
) -> Response:
    """'Opportunity' on a contact's card: ask for its title."""
    contact = await contact_of(store, user, action.contact_id)
    await store.set_awaiting(user.chat_id, AwaitOpportunityTitle(contact.id))
    return sent(Reply(opportunity_prompt(contact)))


async def awaited_opportunity_title(
    store: Store, user: User, now: datetime, given: tuple[int, str]
) -> Response:
    """The awaited title: start the opportunity at the coffee-chat stage and offer the stages."""
    contact_id, text = given
    await store.set_awaiting(user.chat_id, None)
    contact = await store.get_contact(user.chat_id, contact_id)
    if contact is None:
        return sent(Reply(CONTACT_GONE_NOT_SAVED))
    title = " ".join(text.split())
    if not title or len(title) > MAX_TITLE_LENGTH:
        await store.set_awaiting(user.chat_id, AwaitOpportunityTitle(contact.id))
        return sent(
            Reply(
                f"A title of up to {MAX_TITLE_LENGTH} characters, please, like "
                "<code>Product designer at Acme</code>. Or send /pipeline to leave it."
            )
        )
    opportunity = await store.add_opportunity(
        user.chat_id, contact.id, title=title, stage=Stage.CHAT, now=now
    )
    return sent(
        Reply(
            f"🚀 Added to your pipeline: <b>{esc(title)}</b>.\n\n"
            + opportunity_text(opportunity, contact, user.timezone),
            _stage_rows(opportunity),
        )
    )


async def _opportunity(
    store: Store, user: User, opportunity_id: int
) -> tuple[Opportunity, Contact]:
    """The user's opportunity and its contact; a Refusal when it is gone."""
    found = await store.get_opportunity(user.chat_id, opportunity_id)
    if found is None:
        raise Refusal(GONE)
    return found


async def _pipeline(store: Store, user: User) -> Reply:
    items = await store.list_opportunities(user.chat_id)
    groups = by_stage(items)
    contacts = {opportunity.id: contact for opportunity, contact in items}
    hot = hot_opportunities(opportunity for opportunity, _ in items)
    hottest = (hot[0], contacts[hot[0].id]) if hot else None
    text = pipeline_text(groups, hottest, user.timezone)
    if not items:
        return Reply(text, ((Button("👥 Contacts", ShowContacts("all", 0)),),))
    ordered = [pair for _, group in groups for pair in group]
    # Open ones first: a closed opportunity can be reopened, but rarely is.
    ordered.sort(key=lambda pair: pair[0].stage is Stage.CLOSED)
    return Reply(text, tuple(_opportunity_row(*pair) for pair in ordered[:MAX_LISTED]))


def _opportunity_row(opportunity: Opportunity, contact: Contact) -> ButtonRow:
    icon = STAGE_BUTTONS[opportunity.stage].split(" ")[0]
    label = f"{icon} {shorten(opportunity.title, 28)} · {short_name(contact.name, 16)}"
    return (Button(label, OpenOpportunity(opportunity.id)),)


def _stage_rows(opportunity: Opportunity) -> tuple[ButtonRow, ...]:
    stages = [
        Button(
            ("• " if stage is opportunity.stage else "") + STAGE_BUTTONS[stage],
            MoveOpportunity(opportunity.id, stage),
        )
        for stage in STAGE_ORDER
    ]
    return (
        tuple(stages[0:3]),
        tuple(stages[3:6]),
        (stages[6], Button("◀ Pipeline", ShowPipeline())),
    )
