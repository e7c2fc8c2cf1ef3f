"""The accountability partner: invite by link, consent, the weekly numbers and the stall
heads-up, cheers, and ending it from either side.

A partner only ever receives what `bot/messages/partners.py` builds from a first name and
`PartnerWeek` numbers. Messages to the other side of a partnership are `Notice` steps (from an
update) or `PartnerMessage`s riding on a scheduled message (from the tick).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Generic, TypeVar

from bot.coaching.dates import local_today
from bot.coaching.domain import User
from bot.coaching.partners import (
    INVITE_VALID_FOR,
    InviteProblem,
    Partnership,
    code_digest,
    invite_link,
    invite_problem,
    is_invite_code,
    new_invite_code,
    partner_week,
)
from bot.coaching.timing import MessageKind, local_date_of
from bot.messages.partners import (
    CHEER_LABELS,
    CHEER_SENT,
    CHEERED_TODAY,
    DECLINED_FOR_USER,
    HAS_PARTNER_ALREADY,
    INVITE_CANCELLED,
    INVITE_GONE,
    INVITE_TAKEN,
    KEPT,
    NO_PARTNER,
    OWN_INVITE,
    PARTNERSHIP_OVER,
    QUIET_CHEERS,
    SWITCHED_OFF,
    WEEK_CHEERS,
    accepted_for_partner_text,
    accepted_for_user_text,
    already_partner_text,
    cheer_text,
    consent_text,
    declined_for_partner_text,
    display_name,
    end_question_text,
    ended_by_partner_text,
    ended_by_user_text,
    heads_up_text,
    invite_link_text,
    invite_made_text,
    invite_waiting_text,
    partner_status_text,
    partner_unreachable_text,
    partner_week_text,
    told_partner_ended_text,
    told_user_ended_text,
)
from bot.usecases.actions import (
    Action,
    AnswerInvite,
    EndPartnership,
    EndStep,
    InvitePartner,
    SendCheer,
)
from bot.usecases.replies import (
    Button,
    ButtonRow,
    Notice,
    Refusal,
    Reply,
    Response,
    edited,
    sent,
)
from bot.usecases.scheduled import (
    BatchComposer,
    Composed,
    Composer,
    Outgoing,
    PartnerMessage,
    compose_batch,
)
from storage import Store
from storage.store import SendStatus

# Sent-log kinds, claimed in the user's chat: one summary per week, one heads-up per stall,
# one cheer a day.
PARTNER_WEEK = "partner_week"
PARTNER_STALL = "partner_stall"
CHEER = "cheer"

ActionT = TypeVar("ActionT", bound=Action)


@dataclass(frozen=True)
class PartnerSetup:
    """What the operator and Telegram tell this feature: whether it is on (`PARTNERS`), and the
    bot's username for invite links (from getMe)."""

    enabled: bool = True
    bot_username: str = ""


@dataclass(frozen=True)
class PartnerPress(Generic[ActionT]):
    """A press on a partner button, with the setup and the presser's Telegram first name."""

    action: ActionT
    setup: PartnerSetup
    first_name: str | None


@dataclass(frozen=True)
class InviteOpened:
    """`/start <code>`: someone opened an invite link."""

    code: str
    first_name: str | None
    setup: PartnerSetup


async def show_partner(store: Store, user: User, now: datetime, setup: PartnerSetup) -> Response:
    """/partner: the current partner (with End), an invite waiting, or none (with Invite)."""
    if not setup.enabled:
        return sent(Reply(SWITCHED_OFF))
    current = await store.open_partnership(user.chat_id)
    if current is not None and current.active and current.accepted_at is not None:
        text = partner_status_text(current.partner_name, current.accepted_at, user.timezone)
        return sent(Reply(text, ((_button("🚪 End partnership", current, EndStep.ASK),),)))
    if current is not None and current.invite_open(now):
        return sent(
            Reply(
                invite_waiting_text(current.expires_at, user.timezone),
                (
                    (Button("🔗 New link", InvitePartner()),),
                    (_button("✖ Cancel the invite", current, EndStep.CANCEL),),
                ),
            )
        )
    return sent(Reply(NO_PARTNER, ((Button("🔗 Invite a partner", InvitePartner()),),)))


async def invite_partner(
    store: Store, user: User, now: datetime, press: PartnerPress[InvitePartner]
) -> Response:
    """A single-use link, valid a week, cancelling any earlier invite."""
    if not press.setup.enabled:
        raise Refusal(SWITCHED_OFF)
    code = new_invite_code()
    owner = user.name or press.first_name
    invite = await store.create_invite(
        user.chat_id,
        digest=code_digest(code),
        owner_name=owner[:64] if owner else None,
        now=now,
        until=now + INVITE_VALID_FOR,
    )
    if invite is None:
        raise Refusal(HAS_PARTNER_ALREADY)
    link = invite_link(press.setup.bot_username, code)
    return edited(Reply(invite_made_text(invite.expires_at, user.timezone))).then(
        Reply(invite_link_text(owner, link))
    )


async def open_invite(store: Store, user: User, now: datetime, opened: InviteOpened) -> Response:
    """`/start <code>`: whose partner they would be and exactly what they would receive, with
    Yes / No thanks. Nothing is shared, and nobody is onboarded, by opening a link."""
    if not opened.setup.enabled:
        return sent(Reply(SWITCHED_OFF))
    invite = await _invite(store, opened.code)
    problem = invite_problem(invite, user.chat_id, now)
    if invite is None or problem is not None:
        return sent(Reply(await _problem_text(store, invite, problem)))
    owner = await _owner_name(store, invite)
    return sent(
        Reply(
            consent_text(owner, opened.first_name),
            (
                (
                    Button("✅ Yes, I'm in", AnswerInvite(opened.code, True)),
                    Button("No thanks", AnswerInvite(opened.code, False)),
                ),
            ),
        )
    )


async def answer_invite(
    store: Store, user: User, now: datetime, press: PartnerPress[AnswerInvite]
) -> Response:
    """Yes or no thanks; the user who invited is told either way, once."""
    if not press.setup.enabled:
        raise Refusal(SWITCHED_OFF)
    invite = await _invite(store, press.action.invite_code)
    problem = invite_problem(invite, user.chat_id, now)
    if invite is None or problem is not None:
        return edited(Reply(await _problem_text(store, invite, problem)))
    owner = await _owner_name(store, invite)
    if not press.action.accept:
        if await store.end_partnership(invite.id, now) is None:
            return edited(Reply(INVITE_GONE))
        return edited(Reply(declined_for_partner_text(owner))).then(
            Notice(invite.chat_id, Reply(DECLINED_FOR_USER))
        )
    partner_name = (press.first_name or "Your partner")[:64]
    accepted = await store.accept_invite(
        invite.id, partner_chat_id=user.chat_id, partner_name=partner_name, now=now
    )
    if accepted is None:
        return edited(Reply(INVITE_GONE))
    return edited(Reply(accepted_for_partner_text(owner))).then(
        Notice(invite.chat_id, Reply(accepted_for_user_text(display_name(partner_name))))
    )


async def end_partnership(
    store: Store, user: User, now: datetime, press: PartnerPress[EndPartnership]
) -> Response:
    """End it from either side (after a confirmation), or cancel an invite; the other side is
    told once."""
    if not press.setup.enabled:
        raise Refusal(SWITCHED_OFF)
    action = press.action
    partnership = await store.get_partnership(action.partnership_id)
    if partnership is None or partnership.ended_at is not None:
        raise Refusal(PARTNERSHIP_OVER)
    as_partner = partnership.partner_chat_id == user.chat_id
    if not as_partner and partnership.chat_id != user.chat_id:
        raise Refusal(PARTNERSHIP_OVER)
    owner = await _owner_name(store, partnership)
    partner = display_name(partnership.partner_name)
    if action.step is EndStep.KEEP:
        return edited(Reply(KEPT))
    if action.step is EndStep.CANCEL and partnership.accepted_at is not None:
        raise Refusal(INVITE_TAKEN)
    if action.step is EndStep.ASK:
        question = Reply(
            end_question_text(owner if as_partner else partner, as_partner=as_partner),
            (
                (
                    _button("Yes, end it", partnership, EndStep.YES),
                    _button("Keep it", partnership, EndStep.KEEP),
                ),
            ),
        )
        # The partner asks under a summary, which stays; the user asks on /partner's answer.
        return sent(question) if as_partner else edited(question)
    ended = await store.end_partnership(partnership.id, now)
    if ended is None:
        return edited(Reply(PARTNERSHIP_OVER))
    if ended.partner_chat_id is None:
        return edited(Reply(INVITE_CANCELLED))
    if as_partner:
        return edited(Reply(ended_by_partner_text(owner))).then(
            Notice(ended.chat_id, Reply(told_user_ended_text(partner)))
        )
    return edited(Reply(ended_by_user_text(partner))).then(
        Notice(ended.partner_chat_id, Reply(told_partner_ended_text(owner)))
    )


async def cheer(
    store: Store, user: User, now: datetime, press: PartnerPress[SendCheer]
) -> Response:
    """A partner's cheer: one short line to the user, at most one a day (the user's day)."""
    if not press.setup.enabled:
        raise Refusal(SWITCHED_OFF)
    partnership = await store.get_partnership(press.action.partnership_id)
    if partnership is None or not partnership.active or partnership.partner_chat_id != user.chat_id:
        raise Refusal(PARTNERSHIP_OVER)
    owner = await store.get_user(partnership.chat_id)
    if owner is None:
        raise Refusal(PARTNERSHIP_OVER)
    day = local_today(now, owner.timezone).isoformat()
    if not await store.claim_message(owner.chat_id, CHEER, day, now):
        raise Refusal(CHEERED_TODAY)
    line = cheer_text(display_name(partnership.partner_name), press.action.cheer)
    return Response(
        (Notice(owner.chat_id, Reply(line), claimed_as=(CHEER, day)),), toast=CHEER_SENT
    )


async def finish_notice(store: Store, notice: Notice, delivered: bool, now: datetime) -> None:
    """Record how a claimed notice ended (sent, or failed for good: never sent twice)."""
    if notice.claimed_as is not None:
        status = SendStatus.SENT if delivered else SendStatus.FAILED
        await store.finish_message(notice.chat_id, *notice.claimed_as, status, now)


async def end_before_delete(store: Store, user: User, now: datetime) -> tuple[Notice, ...]:
    """/delete by either side ends the partnership first; the other side is told once."""
    notices: list[Notice] = []
    own = await store.open_partnership(user.chat_id)
    ended = await store.end_partnership(own.id, now) if own is not None else None
    if ended is not None and ended.partner_chat_id is not None:
        owner = display_name(user.name or ended.owner_name)
        notices.append(Notice(ended.partner_chat_id, Reply(told_partner_ended_text(owner))))
    for partnership in await store.partnerships_as_partner(user.chat_id):
        if await store.end_partnership(partnership.id, now) is not None:
            partner = display_name(partnership.partner_name)
            notices.append(Notice(partnership.chat_id, Reply(told_user_ended_text(partner))))
    return tuple(notices)


async def partner_news(
    store: Store, user: User, outgoing: Outgoing, scheduled_at: datetime
) -> tuple[PartnerMessage, ...]:
    """What the partner receives with the user's scheduled message: the week's numbers with
    the weekly review, a heads-up with the restart nudge (its key is the stall's first day, so
    one per stall); nothing with any other message, or without a partner."""
    if outgoing.kind not in (MessageKind.WEEKLY_REVIEW, MessageKind.RESTART):
        return ()
    partnership = await store.open_partnership(user.chat_id)
    if partnership is None or not partnership.active or partnership.partner_chat_id is None:
        return ()
    owner = display_name(user.name or partnership.owner_name)
    if outgoing.kind is MessageKind.WEEKLY_REVIEW:
        today = local_date_of(scheduled_at, user.timezone)
        week = partner_week(user, await store.interactions_of(user.chat_id), today)
        kind, text, cheers = PARTNER_WEEK, partner_week_text(owner, week), WEEK_CHEERS
    else:
        kind, text, cheers = PARTNER_STALL, heads_up_text(owner), QUIET_CHEERS
    rows: tuple[ButtonRow, ...] = (
        tuple(Button(CHEER_LABELS[cheer], SendCheer(partnership.id, cheer)) for cheer in cheers),
        (_button("Stop these updates", partnership, EndStep.ASK),),
    )
    period = f"{outgoing.period_key}:{partnership.id}"
    return (PartnerMessage(partnership.id, partnership.partner_chat_id, kind, period, text, rows),)


async def partner_unreachable(store: Store, message: PartnerMessage, now: datetime) -> str | None:
    """The partner's chat refused a message (they blocked the bot): the partnership ends, and
    the user gets one gentle line, or None when it had ended already."""
    ended = await store.end_partnership(message.partnership_id, now)
    return partner_unreachable_text(display_name(ended.partner_name)) if ended else None


def with_partner_news(composers: Mapping[MessageKind, Composer]) -> dict[MessageKind, Composer]:
    """The same composers, each message carrying what the user's partner receives with it
    (a batch composer stays one)."""

    def wrapped(compose: Composer) -> Composer:
        async def compose_with_news(
            store: Store, due: Sequence[tuple[User, datetime]], now: datetime
        ) -> list[Composed]:
            composed = await compose_batch(compose, store, due, now)
            return [
                await _with_news(store, user, outgoing, scheduled_at)
                for (user, scheduled_at), outgoing in zip(due, composed, strict=True)
            ]

        return BatchComposer(compose_with_news)

    return {kind: wrapped(compose) for kind, compose in composers.items()}


async def _with_news(
    store: Store, user: User, composed: Composed, scheduled_at: datetime
) -> Composed:
    """A composed message with its partner's news; an error reading them stands in for it."""
    if not isinstance(composed, Outgoing):
        return composed
    try:
        news = await partner_news(store, user, composed, scheduled_at)
    except Exception as error:  # one user's message fails, never the batch
        return error
    return replace(composed, partner_messages=news) if news else composed


def _button(label: str, partnership: Partnership, step: EndStep) -> Button:
    return Button(label, EndPartnership(partnership.id, step))


async def _invite(store: Store, code: str) -> Partnership | None:
    return await store.invite_by_digest(code_digest(code)) if is_invite_code(code) else None


async def _problem_text(
    store: Store, invite: Partnership | None, problem: InviteProblem | None
) -> str:
    if invite is not None and problem is InviteProblem.ACCEPTED:
        return already_partner_text(await _owner_name(store, invite))
    return OWN_INVITE if problem is InviteProblem.OWN else INVITE_GONE


async def _owner_name(store: Store, partnership: Partnership) -> str:
    """The user's name as their partner sees it: the name they gave the coach, else their
    Telegram first name when they invited."""
    owner = await store.get_user(partnership.chat_id)
    return display_name((owner.name if owner else None) or partnership.owner_name)
