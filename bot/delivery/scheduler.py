"""Scheduled coaching: a periodic tick asks the database what is due, claims it, sends it.

Delivery is at most once per (chat, kind, period). A tick first moves the schedule row on
(compare-and-set, so two replicas never both take it), then claims the message in the
sent-log under its unique key, then sends. What happens when things go wrong:

- the process dies after the claim, before or during the send: the claim stays, the
  message is not sent again (a missed morning message is better than a double one);
- Telegram answers 429 or 5xx, or the connection fails before the request was sent: the
  message surely did not arrive, so the claim is released and the schedule retried a
  minute later (while the message is still worth sending);
- the request timed out: Telegram may have delivered it, so the claim stays (at most once);
- 403 (the user blocked the bot): the user is marked inactive and no longer messaged until
  they write again; 400: logged once, not retried.

What the user's accountability partner receives with a message is claimed in the user's
sent-log under its own kind and sent once the user's message is out; it is never retried
(a failure is logged), and a partner who blocked the bot ends the partnership, the user
told once.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError

from bot.coaching.timing import MessageKind, latest_occurrence, next_due, still_worth_sending
from bot.delivery.ratelimit import may_have_arrived
from bot.messages.charts import CAPTION_LIMIT
from bot.rendering import inline_keyboard
from bot.usecases.partners import partner_unreachable
from bot.usecases.scheduled import Composer, Outgoing, PartnerMessage
from bot.usecases.users import mark_blocked
from storage.store import DueSchedule, SendStatus, Store

logger = logging.getLogger(__name__)

TICK_SECONDS = 30
BATCH_SIZE = 1000
CONCURRENT_SENDS = 64
RETRY_DELAY = timedelta(minutes=1)


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


async def run_due(
    bot: Bot,
    store: Store,
    now: datetime,
    compose: dict[MessageKind, Composer],
    *,
    batch_size: int = BATCH_SIZE,
) -> TickReport:
    """Send everything due at `now`, batch after batch, at most once each."""
    report = TickReport()
    semaphore = asyncio.Semaphore(CONCURRENT_SENDS)

    async def deliver_one(item: DueSchedule) -> None:
        async with semaphore:
            try:
                report.add(await _deliver(bot, store, now, compose, item))
            except Exception:  # one message fails, never the tick or the cleanup after it
                logger.exception("Could not deliver %s to chat %s", item.kind, item.chat_id)
                report.add("failed: error")

    while True:
        due = await store.take_due_schedules(now, batch_size)  # leased, with replicas
        if not due:
            return report
        await asyncio.gather(*(deliver_one(item) for item in due))
        if len(due) < batch_size:
            return report


async def _deliver(
    bot: Bot,
    store: Store,
    now: datetime,
    compose: dict[MessageKind, Composer],
    item: DueSchedule,
) -> str:
    kind = MessageKind(item.kind)
    user = await store.get_user(item.chat_id)
    if user is None:
        return "dropped"
    # A retry is for the occurrence it failed to send (the row is due again a minute later).
    occurrence = latest_occurrence(kind, user, item.occurrence_at or item.next_at, now)
    following = next_due(kind, user, max(now, occurrence)) if occurrence else None
    if occurrence is None or following is None:
        await store.set_schedule(user.chat_id, kind.value, None)
        return "dropped"
    outgoing = None
    if still_worth_sending(kind, occurrence, now, user.timezone):
        try:
            outgoing = await compose[kind](store, user, occurrence, now)
        except Exception:  # one user's message fails, never the whole tick
            logger.exception("Could not compose %s for chat %s: skipped", kind, user.chat_id)
            await store.advance_schedule(user.chat_id, kind.value, item.next_at, following)
            return "failed: compose"
    if outgoing is None:
        moved = await store.advance_schedule(user.chat_id, kind.value, item.next_at, following)
        if not moved:
            return "taken"
        return "skipped" if still_worth_sending(kind, occurrence, now, user.timezone) else "dropped"
    # Moving the schedule on and claiming the message happen together, right before the send:
    # a crash can then lose a message only between this commit and the request leaving.
    claim = (user.chat_id, outgoing.kind.value, outgoing.period_key)
    outcome = await store.advance_and_claim(
        user.chat_id,
        (kind.value, item.next_at, following),
        claim[1:],
        now,
        content=outgoing.content,
        also=outgoing.also_claim,
    )
    if outcome != "claimed":
        return outcome
    try:
        await _send(bot, user.chat_id, outgoing)
    except Forbidden as error:
        await mark_blocked(store, user.chat_id, error)
        await store.finish_message(*claim, SendStatus.FAILED, now)
        return "blocked"
    except BadRequest as error:  # before NetworkError: PTB derives it from NetworkError
        logger.warning("Telegram refused %s for chat %s: %s", kind, user.chat_id, error)
        await store.finish_message(*claim, SendStatus.FAILED, now)
        return "failed: BadRequest"
    except NetworkError as error:  # RetryAfter, TimedOut and transport failures
        if may_have_arrived(error):
            logger.warning(
                "%s to chat %s may have arrived (%s): not retried", kind, user.chat_id, error
            )
            await store.finish_message(*claim, SendStatus.FAILED, now)
            return f"failed: {type(error).__name__}"
        logger.warning("Could not send %s to chat %s (%s): retrying", kind, user.chat_id, error)
        await store.release_message(*claim)
        await store.retry_schedule(
            user.chat_id, kind.value, (following, now + RETRY_DELAY), occurrence
        )
        return "retry"
    except TelegramError as error:
        logger.warning("Telegram error sending %s to chat %s: %s", kind, user.chat_id, error)
        await store.finish_message(*claim, SendStatus.FAILED, now)
        return f"failed: {type(error).__name__}"
    await store.finish_message(*claim, SendStatus.SENT, now)
    for message in outgoing.partner_messages:
        await _send_to_partner(bot, store, user.chat_id, message, now)
    return "sent"


async def _send_to_partner(
    bot: Bot, store: Store, user_chat_id: int, message: PartnerMessage, now: datetime
) -> None:
    """The partner's message, at most once: claimed first, never retried."""
    claim = (user_chat_id, message.kind, message.period_key)
    if not await store.claim_message(*claim, now):
        return
    try:
        await bot.send_message(
            message.chat_id,
            message.text,
            parse_mode=ParseMode.HTML,
            reply_markup=inline_keyboard(message.rows),
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


async def _send(bot: Bot, chat_id: int, outgoing: Outgoing) -> None:
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
        )
        return
    await bot.send_message(
        chat_id,
        outgoing.text,
        parse_mode=ParseMode.HTML,
        reply_markup=inline_keyboard(outgoing.rows),
        disable_web_page_preview=True,
    )
    if outgoing.photo is None:
        return
    try:
        await bot.send_photo(
            chat_id, outgoing.photo, caption=outgoing.caption, parse_mode=ParseMode.HTML
        )
    except TelegramError as error:
        logger.warning("Could not send the %s photo to chat %s: %s", outgoing.kind, chat_id, error)
