"""Scheduled coaching: a periodic tick asks the database what is due, claims it, sends it.

Delivery is at most once per (chat, kind, period). A tick takes what is due a batch at a
time: it reads the batch's users and composes their messages from a few queries for the
whole batch, then, in one transaction, moves each schedule row on (compare and set, so two
replicas never both take it; a row another replica moved first is "taken") and claims each
message in the sent-log under its unique key; then it sends them, several at once, and
records how each send ended, again for the whole batch. What happens when things go wrong:

- the process dies after the claim, before or during the send: the claim stays, the
  message is not sent again (a missed morning message is better than a double one);
- Telegram answers 429 or 5xx, or the connection fails before the request was sent: the
  message surely did not arrive, so the claim is released and the schedule retried a
  minute later (while the message is still worth sending);
- the request timed out: Telegram may have delivered it, so the claim stays (at most once);
- 403 (the user blocked the bot): the user is marked inactive and no longer messaged until
  they write again; 400: logged once, not retried;
- composing one user's message fails: that message only is skipped, its schedule moved on.

What the user's accountability partner receives with a message is claimed in the user's
sent-log under its own kind and sent once the user's message is out; it is never retried
(a failure is logged), and a partner who blocked the bot ends the partnership, the user
told once.

With `paid_broadcast`, the scheduled sends ask Telegram for paid broadcasting
(`allow_paid_broadcast`), which lifts its free limit of 30 messages a second.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError

from bot.coaching.domain import User
from bot.coaching.timing import MessageKind, latest_occurrence, next_due, still_worth_sending
from bot.delivery.ratelimit import may_have_arrived
from bot.messages.charts import CAPTION_LIMIT
from bot.rendering import inline_keyboard
from bot.usecases.partners import partner_unreachable
from bot.usecases.scheduled import Composer, Outgoing, PartnerMessage, compose_batch
from bot.usecases.users import mark_blocked
from storage.store import (
    ClaimOutcome,
    DueSchedule,
    MessageClaim,
    ScheduleMove,
    SendStatus,
    Store,
)

logger = logging.getLogger(__name__)

TICK_SECONDS = 30
BATCH_SIZE = 250
"""The most due rows a batch takes (with the limits lifted; at a pace, fewer). A batch costs
the same few statements whatever its size; a larger one saved little CPU and raised the
memory the process keeps after a large fan-out (docs/BENCHMARKS.md)."""
# A batch's messages are claimed before they are sent, and the next batch is claimed while
# one is sending: a crash loses what was claimed and not yet sent (never doubles it). At a
# broadcast pace, batches hold about this many seconds of sends, so that is what a crash
# can cost.
SECONDS_CLAIMED_AHEAD = 2
# Sends in flight at once: 16 at a 50 ms round trip to Telegram is over 300 a second, and each
# connection more in flight costs CPU in the HTTP client's pool bookkeeping on every request.
CONCURRENT_SENDS = 16
RETRY_DELAY = timedelta(minutes=1)


def batch_size_at(pace: float | None, largest: int = BATCH_SIZE) -> int:
    """How many due rows a batch takes at `pace` messages a second (None: unpaced): about
    SECONDS_CLAIMED_AHEAD seconds of sends, and enough to keep every send slot busy."""
    if pace is None:
        return largest
    return max(CONCURRENT_SENDS, min(largest, round(pace * SECONDS_CLAIMED_AHEAD)))


@dataclass
class TickReport:
    """What one tick did, by outcome: sent, skipped, dropped, duplicate, taken, failed, retry."""

    outcomes: dict[str, int] = field(default_factory=dict)

    def add(self, outcome: str) -> None:
        """Count one outcome."""
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1

    @property
    def sent(self) -> int:
        """How many messages were sent."""
        return self.outcomes.get("sent", 0)


@dataclass(frozen=True)
class _Due:
    """A due schedule row whose occurrence is still on: the user, the occurrence it is for,
    and when the schedule is due next."""

    item: DueSchedule
    user: User
    kind: MessageKind
    occurrence: datetime
    following: datetime

    def move(self) -> ScheduleMove:
        """The schedule moved on to its next occurrence (compare and set on `next_at`)."""
        return ScheduleMove(self.user.chat_id, self.kind.value, self.item.next_at, self.following)


@dataclass(frozen=True)
class _Tick:
    """What every batch of one tick shares."""

    bot: Bot
    store: Store
    now: datetime
    compose: Mapping[MessageKind, Composer]
    paid_broadcast: bool
    sending: asyncio.Semaphore
    report: TickReport


async def run_due(
    bot: Bot,
    store: Store,
    now: datetime,
    compose: Mapping[MessageKind, Composer],
    *,
    batch_size: int = BATCH_SIZE,
    paid_broadcast: bool = False,
) -> TickReport:
    """Send everything due at `now`, batch after batch, at most once each (with
    `paid_broadcast`, as paid broadcasts)."""
    report = TickReport()
    tick = _Tick(
        bot, store, now, compose, paid_broadcast, asyncio.Semaphore(CONCURRENT_SENDS), report
    )
    # One batch is sent while the next is composed and claimed: at most two in memory.
    sending: asyncio.Task[None] | None = None
    try:
        while True:
            due = await store.take_due_schedules(now, batch_size)  # leased, with replicas
            claimed = await _claim_batch(tick, due)
            if sending is not None:
                await sending
                sending = None
            if claimed:
                sending = asyncio.create_task(_send_batch(tick, claimed))
            if len(due) < batch_size:
                break
    finally:
        if sending is not None:
            await sending
    return report


async def _claim_batch(
    tick: _Tick, due: Sequence[DueSchedule]
) -> list[tuple[_Due, MessageClaim, Outgoing]]:
    """Compose one batch of due rows, move their schedules on and claim their messages: the
    messages claimed, to send."""
    store, now, report = tick.store, tick.now, tick.report
    users = await store.users_by_chat({item.chat_id for item in due})
    by_kind: dict[MessageKind, list[_Due]] = defaultdict(list)
    # Each row, its message (None: nothing to send) and what moving it on without one means.
    settled: list[tuple[_Due, Outgoing | None, str]] = []
    for item in due:
        user = users.get(item.chat_id)
        if user is None:
            report.add("dropped")
            continue
        kind = MessageKind(item.kind)
        # A retry is for the occurrence it failed to send (the row is due again a minute later).
        occurrence = latest_occurrence(kind, user, item.occurrence_at or item.next_at, now)
        following = next_due(kind, user, max(now, occurrence)) if occurrence else None
        if occurrence is None or following is None:
            await store.set_schedule(user.chat_id, kind.value, None)
            report.add("dropped")
            continue
        row = _Due(item, user, kind, occurrence, following)
        if still_worth_sending(kind, occurrence, now, user.timezone):
            by_kind[kind].append(row)
        else:
            settled.append((row, None, "dropped"))
    for kind, rows in by_kind.items():
        composed = await compose_batch(
            tick.compose[kind], store, [(row.user, row.occurrence) for row in rows], now
        )
        for row, message in zip(rows, composed, strict=True):
            if isinstance(message, Exception):
                logger.error(
                    "Could not compose %s for chat %s: skipped",
                    kind,
                    row.user.chat_id,
                    exc_info=message,
                )
                settled.append((row, None, "failed: compose"))
            elif message is None:
                settled.append((row, None, "skipped"))
            else:
                settled.append((row, message, "claimed"))
    claims = [_claim(row, message) if message else None for row, message, _ in settled]
    # Moving the schedules on and claiming the messages happen together, right before the
    # sends: a crash can then lose a message only between this commit and its request leaving.
    outcomes = await store.advance_and_claim_batch(
        [(row.move(), claim) for (row, _, _), claim in zip(settled, claims, strict=True)], now
    )
    to_send: list[tuple[_Due, MessageClaim, Outgoing]] = []
    for (row, message, meaning), claim, outcome in zip(settled, claims, outcomes, strict=True):
        if message is not None and claim is not None and outcome == ClaimOutcome.CLAIMED:
            to_send.append((row, claim, message))
        elif outcome == ClaimOutcome.MOVED or meaning == "failed: compose":
            report.add(meaning)
        else:
            report.add(outcome)  # taken, or duplicate
    return to_send


def _claim(row: _Due, message: Outgoing) -> MessageClaim:
    """The sent-log claim of a composed message, with what it shows and the keys it settles."""
    return MessageClaim(
        row.user.chat_id,
        message.kind.value,
        message.period_key,
        message.content,
        message.also_claim,
    )


async def _send_batch(tick: _Tick, batch: Sequence[tuple[_Due, MessageClaim, Outgoing]]) -> None:
    """Send a batch of claimed messages, several at once, then record how each ended."""
    ended: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    released: list[tuple[int, str, str]] = []
    retries: list[ScheduleMove] = []

    async def send_one(row: _Due, claim: MessageClaim, outgoing: Outgoing) -> None:
        async with tick.sending:
            try:
                outcome = await _send_claimed(tick, row.user.chat_id, outgoing)
            except Exception:  # one message fails, never the batch or the records after it
                logger.exception("Could not deliver %s to chat %s", row.kind, row.user.chat_id)
                tick.report.add("failed: error")
                return
            tick.report.add(outcome)
            if outcome == "retry":
                released.append(claim.key)
                retries.append(
                    ScheduleMove(
                        row.user.chat_id,
                        row.kind.value,
                        row.following,
                        tick.now + RETRY_DELAY,
                        occurrence_at=row.occurrence,
                    )
                )
                return
            ended[SendStatus.SENT if outcome == "sent" else SendStatus.FAILED].append(claim.key)
            try:
                for message in outgoing.partner_messages if outcome == "sent" else ():
                    await _send_to_partner(tick, row.user.chat_id, message)
            except Exception:  # the user's message is out: its record is written all the same
                logger.exception("Could not send chat %s's partner news", row.user.chat_id)

    await asyncio.gather(*(send_one(*entry) for entry in batch))
    for status in (SendStatus.SENT, SendStatus.FAILED):
        await tick.store.finish_messages(ended[status], status, tick.now)
    await tick.store.release_messages(released)
    await tick.store.move_schedules(retries)


async def _send_claimed(tick: _Tick, chat_id: int, outgoing: Outgoing) -> str:
    """Send one claimed message; its outcome: sent, blocked, retry or failed (and why)."""
    kind = outgoing.kind
    try:
        await _send(tick.bot, chat_id, outgoing, tick.paid_broadcast)
    except Forbidden as error:
        await mark_blocked(tick.store, chat_id, error)
        return "blocked"
    except BadRequest as error:  # before NetworkError: PTB derives it from NetworkError
        logger.warning("Telegram refused %s for chat %s: %s", kind, chat_id, error)
        return "failed: BadRequest"
    except NetworkError as error:  # RetryAfter, TimedOut and transport failures
        if may_have_arrived(error):
            logger.warning("%s to chat %s may have arrived (%s): not retried", kind, chat_id, error)
            return f"failed: {type(error).__name__}"
        logger.warning("Could not send %s to chat %s (%s): retrying", kind, chat_id, error)
        return "retry"
    except TelegramError as error:
        logger.warning("Telegram error sending %s to chat %s: %s", kind, chat_id, error)
        return f"failed: {type(error).__name__}"
    return "sent"


async def _send_to_partner(tick: _Tick, user_chat_id: int, message: PartnerMessage) -> None:
    """The partner's message, at most once: claimed first, never retried."""
    bot, store, now = tick.bot, tick.store, tick.now
    claim = (user_chat_id, message.kind, message.period_key)
    if not await store.claim_message(*claim, now):
        return
    try:
        await bot.send_message(
            message.chat_id,
            message.text,
            parse_mode=ParseMode.HTML,
            reply_markup=inline_keyboard(message.rows),
            allow_paid_broadcast=_paid(tick.paid_broadcast),
        )
    except Forbidden as error:
        await store.finish_message(*claim, SendStatus.FAILED, now)
        await mark_blocked(store, message.chat_id, error)
        note = await partner_unreachable(store, message, now)
        if note is not None:
            await _tell_user(bot, user_chat_id, note)
        return
    except TelegramError as error:
        logger.warning("Could not send %s to chat %s: %s", message.kind, message.chat_id, error)
        await store.finish_message(*claim, SendStatus.FAILED, now)
        return
    await store.finish_message(*claim, SendStatus.SENT, now)


async def _tell_user(bot: Bot, chat_id: int, text: str) -> None:
    """One line to the user about their partnership; a failure is only logged."""
    try:
        await bot.send_message(chat_id, text, parse_mode=ParseMode.HTML)
    except TelegramError as error:
        logger.warning("Could not tell chat %s about its partner: %s", chat_id, error)


async def _send(bot: Bot, chat_id: int, outgoing: Outgoing, paid_broadcast: bool) -> None:
    """One message under one claim: the photo captioned with the text when it fits, otherwise
    the text and then the photo. The photo after the text only adds to a message already
    delivered, so its failure is logged and not retried (that would repeat the text)."""
    if outgoing.photo is not None and len(outgoing.text) <= CAPTION_LIMIT:
        await bot.send_photo(
            chat_id,
            outgoing.photo,
            caption=outgoing.text,
            parse_mode=ParseMode.HTML,
            reply_markup=inline_keyboard(outgoing.rows),
            allow_paid_broadcast=_paid(paid_broadcast),
        )
        return
    await bot.send_message(
        chat_id,
        outgoing.text,
        parse_mode=ParseMode.HTML,
        reply_markup=inline_keyboard(outgoing.rows),
        disable_web_page_preview=True,
        allow_paid_broadcast=_paid(paid_broadcast),
    )
    if outgoing.photo is None:
        return
    try:
        await bot.send_photo(
            chat_id,
            outgoing.photo,
            caption=outgoing.caption,
            parse_mode=ParseMode.HTML,
            allow_paid_broadcast=_paid(paid_broadcast),
        )
    except TelegramError as error:
        logger.warning("Could not send the %s photo to chat %s: %s", outgoing.kind, chat_id, error)


def _paid(paid_broadcast: bool) -> bool | None:
    """The `allow_paid_broadcast` of a scheduled send: True, or left out of the request."""
    return True if paid_broadcast else None
