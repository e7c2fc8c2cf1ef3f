"""The local Bot API emulator, driven by a real python-telegram-bot `Bot`."""

from __future__ import annotations

import asyncio
import json
import re
import struct
import time
import zlib
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, RetryAfter
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters

from bot.local.emulator import DEFAULT_TOKEN, BotApiEmulator, Button, track_updates

CHAT = 7


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator() as emulator:
        yield emulator


@pytest.fixture
async def bot(emu: BotApiEmulator) -> AsyncIterator[Bot]:
    async with Bot(
        emu.token, base_url=emu.base_url + "/bot", base_file_url=emu.base_url + "/file/bot"
    ) as bot:
        yield bot


def tiny_png(width: int = 3, height: int = 2) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"".join(b"\x00" + b"\xff" * width for _ in range(height)))
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def done_snooze() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("Done", callback_data="fu:1:done"),
                InlineKeyboardButton("Snooze", callback_data="fu:1:snooze"),
            ],
            [InlineKeyboardButton("Read more", url="https://example.org/coach")],
        ]
    )


def test_default_token_looks_like_a_token_but_not_a_real_one() -> None:
    assert re.fullmatch(r"\d{5,7}:[A-Za-z0-9_-]{35}", DEFAULT_TOKEN)


async def test_send_message_with_keyboard(emu: BotApiEmulator, bot: Bot) -> None:
    sent = await bot.send_message(
        CHAT,
        "<b>Today</b>: reach out to <i>3</i> people &amp; smile",
        parse_mode="HTML",
        reply_markup=done_snooze(),
    )
    assert sent.text == "Today: reach out to 3 people & smile"
    assert sent.chat.id == CHAT
    assert sent.from_user is not None
    assert sent.from_user.username == "outreach_coach_bot"
    assert [entity.type for entity in sent.entities] == ["bold", "italic"]
    assert sent.reply_markup == done_snooze()

    [message] = emu.messages(CHAT)
    assert message.message_id == sent.message_id
    assert message.kind == "text"
    assert message.html.startswith("<b>Today</b>")
    assert message.text == "Today: reach out to 3 people & smile"
    assert message.buttons == [
        [Button("Done", "fu:1:done", None), Button("Snooze", "fu:1:snooze", None)],
        [Button("Read more", None, "https://example.org/coach")],
    ]
    assert not message.edited
    assert emu.last_message(CHAT) == message
    assert emu.calls[-1].method == "sendMessage"
    assert emu.calls[-1].params["chat_id"] == CHAT
    assert emu.violations == []


async def test_edit_message(emu: BotApiEmulator, bot: Bot) -> None:
    sent = await bot.send_message(CHAT, "Follow up with Ana?", reply_markup=done_snooze())
    edited = await bot.edit_message_text(
        "Followed up with Ana.", chat_id=CHAT, message_id=sent.message_id
    )
    assert edited.text == "Followed up with Ana."
    assert edited.edit_date is not None

    message = emu.last_message(CHAT)
    assert (message.text, message.buttons, message.edited) == ("Followed up with Ana.", [], True)

    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text(
            "Followed up with Ana.", chat_id=CHAT, message_id=sent.message_id
        )
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", chat_id=CHAT, message_id=999)

    await bot.edit_message_reply_markup(CHAT, sent.message_id, reply_markup=done_snooze())
    assert emu.last_message(CHAT).buttons[0][0].text == "Done"
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_reply_markup(CHAT, sent.message_id, reply_markup=done_snooze())
    assert await bot.delete_message(CHAT, sent.message_id)
    assert emu.messages(CHAT) == []
    assert emu.violations == []


async def test_press_and_answer_callback(emu: BotApiEmulator, bot: Bot) -> None:
    sent = await bot.send_message(CHAT, "Ana: follow-up due", reply_markup=done_snooze())
    update_id = emu.press_button(CHAT, "snooze")
    [update] = await bot.get_updates()
    assert update.update_id == update_id
    query = update.callback_query
    assert query is not None
    assert query.data == "fu:1:snooze"
    assert query.message is not None
    assert query.message.message_id == sent.message_id
    assert query.from_user.id == CHAT

    assert await bot.answer_callback_query(query.id, text="Snoozed for 2 days")
    assert emu.callback_answers == [{"callback_query_id": query.id, "text": "Snoozed for 2 days"}]
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(query.id)


async def test_press_button_finds_labels_and_reports_the_visible_ones(
    emu: BotApiEmulator, bot: Bot
) -> None:
    await bot.send_message(CHAT, "Old", reply_markup=done_snooze())
    newer = await bot.send_message(
        CHAT,
        "New",
        reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("Done!", callback_data="n")]]),
    )
    emu.press_button(CHAT, "Done")  # the exact label wins over the newer partial match
    emu.press_button(CHAT, "done!")
    updates = await bot.get_updates()
    assert [u.callback_query.data for u in updates if u.callback_query] == ["fu:1:done", "n"]
    assert updates[1].callback_query
    assert updates[1].callback_query.message
    assert updates[1].callback_query.message.message_id == newer.message_id
    with pytest.raises(LookupError, match=r"'Done!'.*'Snooze'"):
        emu.press_button(CHAT, "Delete everything")
    with pytest.raises(LookupError, match="no bot message"):
        emu.press(CHAT, 12345, "x")


async def test_reply_keyboard_buttons_send_their_text(emu: BotApiEmulator, bot: Bot) -> None:
    markup = ReplyKeyboardMarkup([[KeyboardButton("Europe/Berlin"), KeyboardButton("Other")]])
    await bot.send_message(CHAT, "Your time zone?", reply_markup=markup)
    assert emu.last_message(CHAT).buttons == [[Button("Europe/Berlin"), Button("Other")]]
    emu.press_button(CHAT, "berlin")
    [update] = await bot.get_updates()
    assert update.message is not None
    assert update.message.text == "Europe/Berlin"


async def test_send_document_and_photo(emu: BotApiEmulator, bot: Bot) -> None:
    document = await bot.send_document(
        CHAT, b"name,tier\nAna,warm\n", filename="contacts.csv", caption="Export"
    )
    assert document.document is not None
    assert document.document.file_name == "contacts.csv"
    png = tiny_png()
    photo = await bot.send_photo(CHAT, png, caption="<b>Last 8 weeks</b>", parse_mode="HTML")
    assert photo.photo[-1].width == 3
    assert photo.photo[-1].height == 2
    assert photo.caption == "Last 8 weeks"

    sent_document, sent_photo = emu.messages(CHAT)
    assert (sent_document.kind, sent_document.filename, sent_document.data, sent_document.text) == (
        "document",
        "contacts.csv",
        b"name,tier\nAna,warm\n",
        "Export",
    )
    assert (sent_photo.kind, sent_photo.data, sent_photo.text) == ("photo", png, "Last 8 weeks")

    again = await bot.send_document(CHAT, document.document.file_id)
    assert emu.last_message(CHAT).data == b"name,tier\nAna,warm\n"
    assert again.document
    file = await bot.get_file(document.document.file_id)
    assert bytes(await file.download_as_bytearray()) == b"name,tier\nAna,warm\n"
    with pytest.raises(BadRequest, match=r"(?i)wrong file identifier"):
        await bot.send_document(CHAT, "no-such-file-id")
    assert emu.violations == []


async def test_a_user_sends_a_file_and_the_bot_fetches_it(emu: BotApiEmulator, bot: Bot) -> None:
    emu.send_document(CHAT, "Connections.csv", b"First Name,Last Name\nAna,Lopez\n")
    [update] = await bot.get_updates()
    assert update.message is not None
    document = update.message.document
    assert document is not None
    assert (document.file_name, document.mime_type, document.file_size) == (
        "Connections.csv",
        "application/octet-stream",
        31,
    )
    file = await bot.get_file(document.file_id)
    assert file.file_size == 31
    assert bytes(await file.download_as_bytearray()) == b"First Name,Last Name\nAna,Lopez\n"
    emu.send_document(CHAT, "huge.zip", b"0" * (20 * 1024 * 1024 + 1))
    [update] = await bot.get_updates(offset=update.update_id + 1)
    assert update.message is not None
    assert update.message.document is not None
    with pytest.raises(BadRequest, match=r"(?i)file is too big"):
        await bot.get_file(update.message.document.file_id)
    assert emu.violations == []


async def test_a_user_shares_a_contact(emu: BotApiEmulator, bot: Bot) -> None:
    emu.share_contact(CHAT, "+44 7700 900123", "Vera", "Kim", vcard="BEGIN:VCARD\nEND:VCARD")
    emu.share_contact(CHAT, "+1 555 0100", "Wu")
    first, second = await bot.get_updates()
    assert first.message is not None
    assert first.message.contact is not None
    assert second.message is not None
    assert second.message.contact is not None
    assert (first.message.contact.first_name, first.message.contact.last_name) == ("Vera", "Kim")
    assert first.message.contact.vcard == "BEGIN:VCARD\nEND:VCARD"
    assert (second.message.contact.first_name, second.message.contact.last_name) == ("Wu", None)


async def test_the_updates_a_user_makes_are_updates_as_the_spec_defines_them(
    emu: BotApiEmulator,
) -> None:
    emu.send_text(CHAT, "/start")
    emu.share_location(CHAT, 52.52, 13.4)
    emu.send_document(CHAT, "contacts.vcf", b"BEGIN:VCARD", mime_type="text/vcard")
    emu.share_contact(CHAT, "+44 7700 900123", "Vera", "Kim", vcard="BEGIN:VCARD\nEND:VCARD")
    async with httpx.AsyncClient() as client:
        answer = await client.post(f"{emu.base_url}/bot{emu.token}/getUpdates")
    updates = answer.json()["result"]
    assert len(updates) == 4
    assert [emu.spec.check_object(update, "Update") for update in updates] == [[]] * 4
    assert emu.spec.check_object({"update_id": "one"}, "Update") != []


async def test_edit_caption_of_a_photo_but_not_of_a_text(emu: BotApiEmulator, bot: Bot) -> None:
    text = await bot.send_message(CHAT, "Plain words")
    photo = await bot.send_photo(CHAT, tiny_png(), caption="Last 8 weeks")
    edited = await bot.edit_message_caption(
        CHAT, photo.message_id, caption="<b>Last 9 weeks</b>", parse_mode="HTML"
    )
    assert isinstance(edited, Message)
    assert edited.caption == "Last 9 weeks"
    assert (emu.last_message(CHAT).text, emu.last_message(CHAT).edited) == ("Last 9 weeks", True)
    with pytest.raises(BadRequest, match="not modified"):
        await bot.edit_message_caption(
            CHAT, photo.message_id, caption="<b>Last 9 weeks</b>", parse_mode="HTML"
        )
    cleared = await bot.edit_message_caption(CHAT, photo.message_id)
    assert isinstance(cleared, Message)
    assert cleared.caption is None
    with pytest.raises(BadRequest, match="no caption in the message"):
        await bot.edit_message_caption(CHAT, text.message_id, caption="A caption")
    with pytest.raises(BadRequest, match="no text in the message"):
        await bot.edit_message_text("Words", CHAT, photo.message_id)
    assert emu.messages(CHAT)[0].text == "Plain words"


async def test_commands_and_webhook(emu: BotApiEmulator, bot: Bot) -> None:
    assert await bot.set_my_commands(
        [BotCommand("start", "Begin"), BotCommand("help", "What I do")]
    )
    assert emu.commands == [
        {"command": "start", "description": "Begin"},
        {"command": "help", "description": "What I do"},
    ]
    assert [c.command for c in await bot.get_my_commands()] == ["start", "help"]
    assert await bot.send_chat_action(CHAT, "typing")
    assert await bot.set_webhook("https://coach.example.org/hook", secret_token="s3cret")
    assert (await bot.get_webhook_info()).url == "https://coach.example.org/hook"
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates()
    assert await bot.delete_webhook()
    assert await bot.get_updates() == ()
    assert await bot.set_chat_menu_button()  # validated and kept (test_miniapp_parts.py)


async def test_get_updates_long_polls(emu: BotApiEmulator, bot: Bot) -> None:
    started = time.monotonic()
    assert await bot.get_updates(timeout=1) == ()
    assert time.monotonic() - started >= 0.9

    async def later() -> int:
        await asyncio.sleep(0.2)
        return emu.send_text(CHAT, "/start@outreach_coach_bot hello", first_name="Sam")

    task = asyncio.create_task(later())
    started = time.monotonic()
    [update] = await bot.get_updates(timeout=5)
    assert time.monotonic() - started < 2
    assert update.update_id == await task
    message = update.message
    assert message is not None
    assert message.text == "/start@outreach_coach_bot hello"
    assert message.chat.id == CHAT
    assert message.from_user
    assert message.from_user.first_name == "Sam"
    assert [(e.type, e.offset, e.length) for e in message.entities] == [("bot_command", 0, 25)]


async def test_offset_confirms_updates(emu: BotApiEmulator, bot: Bot) -> None:
    first = emu.send_text(CHAT, "one")
    second = emu.share_location(CHAT, 52.52, 13.40)
    assert [u.update_id for u in await bot.get_updates()] == [first, second]
    assert [u.update_id for u in await bot.get_updates(limit=1)] == [first]
    [located] = await bot.get_updates(offset=first + 1)
    assert located.message is not None
    assert located.message.location is not None
    assert located.message.location.latitude == pytest.approx(52.52)
    assert await bot.get_updates(offset=second + 1) == ()
    assert await bot.get_updates() == ()


async def test_a_newer_poll_ends_the_older_one(emu: BotApiEmulator, bot: Bot) -> None:
    older = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.2)
    async with Bot(emu.token, base_url=emu.base_url + "/bot") as second_instance:
        assert await second_instance.get_updates() == ()
    with pytest.raises(Conflict, match="terminated by other getUpdates request"):
        await older


async def test_stop_releases_a_pending_long_poll(bot: Bot) -> None:
    emulator = BotApiEmulator()
    await emulator.start()
    async with Bot(emulator.token, base_url=emulator.base_url + "/bot") as other:
        poll = asyncio.create_task(other.get_updates(timeout=30))
        await asyncio.wait_for(emulator.poll_arrived(), 10)
        started = time.monotonic()
        await emulator.stop()
        assert await poll == ()
        assert time.monotonic() - started < 2


async def test_wrong_calls_are_bad_requests_and_violations(emu: BotApiEmulator, bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r'(?i)can\'t parse entities: unsupported start tag "div"'):
        await bot.send_message(CHAT, "<div>hi</div>", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(
            CHAT,
            "x",
            reply_markup=InlineKeyboardMarkup(
                [[InlineKeyboardButton("A", callback_data="ä" * 33)]]
            ),
        )
    assert emu.violations == [
        'sendMessage: can\'t parse entities: Unsupported start tag "div" at byte offset 0',
        emu.violations[1],
    ]
    assert emu.violations[1].startswith("sendMessage: BUTTON_DATA_INVALID")
    assert [call.status for call in emu.calls[-2:]] == [400, 400]
    assert emu.messages(CHAT) == []


async def test_raw_http_json_form_and_errors(emu: BotApiEmulator) -> None:
    api = f"{emu.base_url}/bot{emu.token}"
    async with httpx.AsyncClient() as client:
        sent = await client.post(f"{api}/sendMessage", json={"chat_id": CHAT, "text": "json body"})
        assert sent.status_code == 200
        assert sent.json()["result"]["text"] == "json body"
        query = await client.get(f"{api}/sendMessage", params={"chat_id": CHAT, "text": "query"})
        assert query.json()["ok"] is True
        unknown = await client.post(f"{api}/sendTelepathy", data={"chat_id": CHAT})
        assert (unknown.status_code, unknown.json()) == (
            404,
            {"ok": False, "error_code": 404, "description": "Not Found"},
        )
        bad_json = await client.post(
            f"{api}/sendMessage", content=b"{", headers={"Content-Type": "application/json"}
        )
        assert bad_json.status_code == 400
        assert bad_json.json()["ok"] is False
        missing = await client.post(f"{api}/sendMessage", data={"chat_id": str(CHAT)})
        assert missing.json() == {
            "ok": False,
            "error_code": 400,
            "description": "Bad Request: required parameter 'text' of sendMessage is missing",
        }
        nowhere = await client.get(f"{emu.base_url}/favicon.ico")
        assert nowhere.status_code == 404
        no_file = await client.get(f"{emu.base_url}/file/bot{emu.token}/documents/nope")
        assert no_file.status_code == 404
    assert "sendTelepathy: unknown method" in emu.violations
    assert [m.text for m in emu.messages(CHAT)] == ["json body", "query"]


async def test_fail_next_retry_after(
    emu: BotApiEmulator, bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without PTB_TIMEDELTA, PTB 22 warns (an error here) whenever it builds a RetryAfter.
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    emu.fail_next(
        "sendMessage",
        status=429,
        description="Too Many Requests: retry after 3",
        retry_after=3,
        times=2,
    )
    for _ in range(2):
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(CHAT, "morning")
        assert caught.value.retry_after == timedelta(seconds=3)
    assert (await bot.send_message(CHAT, "morning")).text == "morning"
    assert [call.status for call in emu.calls[-3:]] == [429, 429, 200]
    assert emu.violations == []


async def test_fail_next_other_errors(emu: BotApiEmulator, bot: Bot) -> None:
    emu.fail_next("sendmessage", status=502, description="Bad Gateway")
    with pytest.raises(Exception, match="Bad Gateway"):
        await bot.send_message(CHAT, "x")
    with pytest.raises(ValueError, match="not a Bot API method"):
        emu.fail_next("sendTelepathy", status=500, description="x")


async def test_blocked_user(emu: BotApiEmulator, bot: Bot) -> None:
    emu.block(CHAT)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(CHAT, "Good morning")
    with pytest.raises(Forbidden):
        await bot.send_chat_action(CHAT, "typing")
    assert await bot.send_message(CHAT + 1, "others still get messages")
    emu.unblock(CHAT)
    assert await bot.send_message(CHAT, "Welcome back")
    emu.block(CHAT)
    emu.send_text(CHAT, "/start")  # writing again means the user unblocked the bot
    assert await bot.send_message(CHAT, "Hello again")
    assert emu.violations == []


async def test_unknown_chats_and_replies(emu: BotApiEmulator, bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message("@somechannel", "x")
    with pytest.raises(BadRequest, match=r"(?i)message to be replied not found"):
        await bot.send_message(CHAT, "x", reply_to_message_id=77)
    user_message = emu.send_text(CHAT, "hi")
    [update] = await bot.get_updates()
    assert update.update_id == user_message
    assert update.message is not None
    replied = await bot.send_message(CHAT, "hello", reply_to_message_id=update.message.message_id)
    assert replied.message_id == update.message.message_id + 1


async def test_wrong_token(emu: BotApiEmulator) -> None:
    async with Bot(emu.token, base_url=emu.base_url + "/bot") as good:
        assert (await good.get_me()).username == "outreach_coach_bot"
    with pytest.raises(InvalidToken):
        async with Bot("654321:" + "x" * 35, base_url=emu.base_url + "/bot"):
            pass
    assert emu.calls[-1].status == 401


async def test_track_updates_with_an_application(emu: BotApiEmulator) -> None:
    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        assert update.effective_message.text is not None
        await asyncio.sleep(0.05)  # the tracker must wait for slow handlers
        await update.effective_message.reply_text(f"You said: {update.effective_message.text}")

    application = ApplicationBuilder().token(emu.token).base_url(emu.base_url + "/bot").build()
    application.add_handler(MessageHandler(filters.TEXT, echo))
    track_updates(application, emu)
    async with application:
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0.0, timeout=5)
        try:
            for text in ("hello", "<b>not html</b> & more"):
                update_id = emu.send_text(CHAT, text)
                await emu.wait_processed(update_id, timeout=5)
                assert emu.last_message(CHAT).text == f"You said: {text}"
            with pytest.raises(TimeoutError, match="update 999 was not processed"):
                await emu.wait_processed(999, timeout=0.1)
        finally:
            await application.updater.stop()
            await application.stop()
    assert emu.violations == []
    assert json.dumps([call.method for call in emu.calls])  # every call was recorded
