"""The emulator's model: the chats, the bot's messages and files, the queue of updates, and
what the bot did (its calls, its callback answers). A test acts as the user and looks here."""

from __future__ import annotations

import asyncio
import copy
import itertools
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot.clock import Clock
from bot.local.emulator.spec import UploadedFile

BLOCKED = "Forbidden: bot was blocked by the user"
_BOT_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?")
_NO_BUTTON = "(no buttons)"


@dataclass
class Button:
    """One button of a bot message (an inline button, or a reply-keyboard button)."""

    text: str
    callback_data: str | None = None
    url: str | None = None
    web_app: str | None = None  # the address of the Mini App it opens


@dataclass
class BotMessage:
    """A message the bot sent, in its current state (after edits)."""

    message_id: int
    chat_id: int
    kind: str  # "text" | "photo" | "document"
    html: str  # text or caption exactly as sent
    text: str  # what the user sees
    buttons: list[list[Button]] = field(default_factory=list)
    filename: str | None = None
    data: bytes | None = None
    edited: bool = False


@dataclass
class ApiCall:
    """One request the bot made, with its parameters decoded and the HTTP status it got."""

    method: str
    params: dict[str, Any]
    status: int
    at: float = field(default_factory=time.monotonic, compare=False)
    """When the call arrived (`time.monotonic`, comparable across processes on one machine)."""


@dataclass
class StoredMessage:
    """A bot message as the emulator keeps it: the view a test sees and Telegram's JSON."""

    view: BotMessage
    json: dict[str, Any]  # the Message object as Telegram returns it
    entities: list[dict[str, Any]]
    markup: dict[str, Any] | None  # the inline keyboard, if any


@dataclass
class StoredFile:
    """A file the bot sent (or named by URL), as getFile and the file download serve it."""

    file_id: str
    unique_id: str
    kind: str
    filename: str | None
    data: bytes | None
    mime_type: str


class ApiError(Exception):
    """An error answer, exactly as Telegram would send it."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def body(self) -> dict[str, Any]:
        """The JSON body of the answer."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


class EmulatorState:
    """The chats of the emulator, as the user and the bot see them, and what the bot did.

    A private chat's id is also its user's id. Groups and channels exist only so that a test
    can write in one (`send_in_group`, `post_in_channel`) and see what the bot does there.
    """

    def __init__(
        self, *, bot_id: int, bot_username: str, clock: Clock | None, first_update_id: int = 1
    ) -> None:
        self.bot_id = bot_id
        self.bot_username = bot_username
        self.calls: list[ApiCall] = []
        self.violations: list[str] = []
        self.callback_answers: list[dict[str, Any]] = []
        self.commands: list[dict[str, Any]] | None = None
        # The bot's menu buttons (setChatMenuButton): the default one under None, else by chat.
        self.menu_buttons: dict[int | None, dict[str, Any]] = {}
        self.webhook_url = ""
        self._clock = clock
        self._updates: list[dict[str, Any]] = []
        self._every_update: dict[int, dict[str, Any]] = {}
        self._update_ids = itertools.count(first_update_id)
        self._query_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._poll_waiters: set[asyncio.Future[str]] = set()
        self._poll_arrived = asyncio.Event()
        self._processed: set[int] = set()
        self._processed_waiters: dict[int, list[asyncio.Future[None]]] = {}
        self._first_names: dict[int, str] = {}
        self._next_message_id: dict[int, int] = {}
        self._message_ids: dict[int, set[int]] = {}
        self._messages: dict[int, dict[int, StoredMessage]] = {}
        self._open_queries: dict[str, tuple[int, int]] = {}
        self._files: dict[str, StoredFile] = {}
        self._blocked: set[int] = set()
        self._group_chats: dict[int, str] = {}  # chat id -> "group", "supergroup" or "channel"
        self._stopping = False  # long polls answer at once while the emulator stops

    # -- acting as the user ------------------------------------------------------------------

    def send_text(self, chat_id: int, text: str, *, first_name: str = "Alex") -> int:
        """The user sends `text`; returns the id of the update queued for the bot."""
        self._first_names[chat_id] = first_name
        message = self._user_message(chat_id)
        message["text"] = text
        message.update(_command_entities(text))
        return self._queue({"message": message})

    def send_in_group(
        self, group_id: int, sender_id: int, text: str, *, chat_type: str = "group"
    ) -> int:
        """A member of a group (or supergroup) writes `text` there; returns the update id."""
        if group_id >= 0:
            raise ValueError("group chat ids are negative")
        self._group_chats[group_id] = chat_type
        message = self._user_message(sender_id)
        message["chat"] = self._chat(group_id)
        message["message_id"] = self._new_message_id(group_id)
        message["text"] = text
        message.update(_command_entities(text))
        return self._queue({"message": message})

    def post_in_channel(self, channel_id: int, text: str) -> int:
        """A post in a channel the bot is a member of; returns the update id."""
        if channel_id >= 0:
            raise ValueError("channel ids are negative")
        self._group_chats[channel_id] = "channel"
        chat = self._chat(channel_id)
        post = {
            "message_id": self._new_message_id(channel_id),
            "date": self._now(),
            "chat": chat,
            "sender_chat": chat,
            "text": text,
            **_command_entities(text),
        }
        return self._queue({"channel_post": post})

    def edit_text(self, chat_id: int, text: str, *, first_name: str = "Alex") -> int:
        """The user edits their newest message in a private chat to `text`; the update id."""
        sent = [
            update["message"]
            for update in self._every_update.values()
            if "message" in update
            and update["message"]["chat"]["id"] == chat_id
            and "text" in update["message"]
        ]
        if not sent:
            raise LookupError(f"chat {chat_id} has sent no text to edit")
        self._first_names[chat_id] = first_name
        edited = {**copy.deepcopy(sent[-1]), "text": text, "edit_date": self._now()}
        edited.pop("entities", None)
        edited.update(_command_entities(text))
        return self._queue({"edited_message": edited})

    def share_location(self, chat_id: int, latitude: float, longitude: float) -> int:
        """The user shares a location; returns the update id."""
        message = self._user_message(chat_id)
        message["location"] = {"latitude": latitude, "longitude": longitude}
        return self._queue({"message": message})

    def send_document(
        self,
        chat_id: int,
        file_name: str,
        data: bytes,
        *,
        mime_type: str = "application/octet-stream",
    ) -> int:
        """The user sends a file; returns the update id. The bot fetches it with getFile."""
        number = next(self._file_ids)
        file = StoredFile(
            file_id=f"EMUUSERDOCUMENT{number:06d}",
            unique_id=f"emu{number:06d}",
            kind="document",
            filename=file_name,
            data=data,
            mime_type=mime_type,
        )
        self._files[file.file_id] = file
        message = self._user_message(chat_id)
        message["document"] = {
            "file_id": file.file_id,
            "file_unique_id": file.unique_id,
            "file_name": file_name,
            "mime_type": mime_type,
            "file_size": len(data),
        }
        return self._queue({"message": message})

    def share_contact(
        self,
        chat_id: int,
        phone_number: str,
        first_name: str,
        last_name: str | None = None,
        *,
        vcard: str | None = None,
    ) -> int:
        """The user shares a contact from the phone's picker; returns the update id."""
        contact: dict[str, Any] = {"phone_number": phone_number, "first_name": first_name}
        if last_name is not None:
            contact["last_name"] = last_name
        if vcard is not None:
            contact["vcard"] = vcard
        message = self._user_message(chat_id)
        message["contact"] = contact
        return self._queue({"message": message})

    def press(self, chat_id: int, message_id: int, callback_data: str) -> int:
        """The user presses an inline button carrying `callback_data` on a bot message."""
        stored = self._messages.get(chat_id, {}).get(message_id)
        if stored is None:
            raise LookupError(f"chat {chat_id} has no bot message {message_id} to press on")
        query_id = str(next(self._query_ids) + 4_000_000)
        self._open_queries[query_id] = (chat_id, message_id)
        query = {
            "id": query_id,
            "from": self._user(chat_id),
            "message": copy.deepcopy(stored.json),
            "chat_instance": str(-chat_id - 1_000_000),
            "data": callback_data,
        }
        return self._queue({"callback_query": query})

    def press_button(self, chat_id: int, label: str) -> int:
        """Press the button labelled `label` (exact text first, then a case-insensitive part)
        on the newest bot message that has one; returns the update id."""
        messages = list(reversed(self._messages.get(chat_id, {}).values()))
        for exact in (True, False):
            for stored in messages:
                found = [
                    button
                    for row in stored.view.buttons
                    for button in row
                    if (button.text == label if exact else label.lower() in button.text.lower())
                ]
                if len(found) > 1 and not exact:
                    names = ", ".join(repr(button.text) for button in found)
                    raise LookupError(f"{label!r} matches several buttons: {names}")
                if found:
                    return self._press_found(chat_id, stored.view.message_id, found[0])
        raise LookupError(
            f"no button {label!r} in chat {chat_id}; visible buttons: {self._visible(chat_id)}"
        )

    def _press_found(self, chat_id: int, message_id: int, button: Button) -> int:
        if button.callback_data is not None:
            return self.press(chat_id, message_id, button.callback_data)
        if button.url is not None or button.web_app is not None:
            opens = button.url or button.web_app
            raise LookupError(f"button {button.text!r} opens {opens}; there is no update")
        return self.send_text(chat_id, button.text, first_name=self._first_name(chat_id))

    def _visible(self, chat_id: int) -> str:
        parts = []
        for stored in reversed(self._messages.get(chat_id, {}).values()):
            labels = [repr(button.text) for row in stored.view.buttons for button in row]
            if labels:
                parts.append(f"{', '.join(labels)} (message {stored.view.message_id})")
        return "; ".join(parts) or _NO_BUTTON

    # -- observing ---------------------------------------------------------------------------

    @property
    def waiting_polls(self) -> int:
        """How many getUpdates long polls are waiting for an update."""
        return len(self._poll_waiters)

    async def poll_arrived(self) -> None:
        """Wait until a long poll (getUpdates) has reached the emulator."""
        await self._poll_arrived.wait()

    def menu_button(self, chat_id: int | None = None) -> dict[str, Any]:
        """The menu button a chat shows (its own, else the bot's default), as
        getChatMenuButton answers."""
        chosen = self.menu_buttons.get(chat_id) or self.menu_buttons.get(None)
        return copy.deepcopy(chosen) if chosen else {"type": "default"}

    def messages(self, chat_id: int) -> list[BotMessage]:
        """The bot's messages in this chat, in send order, as they are now."""
        return [copy.deepcopy(stored.view) for stored in self._messages.get(chat_id, {}).values()]

    def last_message(self, chat_id: int) -> BotMessage:
        """The bot's newest message in this chat; LookupError if it sent none."""
        messages = self.messages(chat_id)
        if not messages:
            raise LookupError(f"the bot has sent nothing to chat {chat_id}")
        return messages[-1]

    def redeliver(self, update_id: int) -> None:
        """Offer an update again, as Telegram does when the bot restarts before confirming it
        (a poll without an offset, as after a restart, receives it once more)."""
        update = copy.deepcopy(self._every_update[update_id])
        self._updates = sorted([*self._updates, update], key=lambda item: item["update_id"])
        self._wake_polls("update")

    def mark_processed(self, update_id: int) -> None:
        """Record that the bot has finished with an update (see `track_updates`)."""
        self._processed.add(update_id)
        for waiter in self._processed_waiters.pop(update_id, []):
            if not waiter.done():
                waiter.set_result(None)

    async def wait_processed(self, update_id: int, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Wait until the bot has finished with the update; TimeoutError otherwise."""
        if update_id in self._processed:
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._processed_waiters.setdefault(update_id, []).append(waiter)
        try:
            await asyncio.wait_for(waiter, timeout)
        except TimeoutError:
            queued = [update["update_id"] for update in self._updates]
            raise TimeoutError(
                f"update {update_id} was not processed within {timeout:g} s. Is the "
                "application polling this emulator, and was track_updates(application, "
                "emulator) called? (A handler raising ApplicationHandlerStop also hides the "
                f"update from the tracker.) Unconfirmed updates: {queued}; "
                f"violations: {self.violations or 'none'}"
            ) from None
        finally:
            waiters = self._processed_waiters.get(update_id, [])
            if waiter in waiters:
                waiters.remove(waiter)

    # -- blocking ----------------------------------------------------------------------------

    def block(self, chat_id: int) -> None:
        """The user blocks the bot: calls aimed at the chat answer 403 until `unblock`, or until
        the user writes again (`send_text`, `share_location`), as Telegram's Restart does."""
        self._blocked.add(chat_id)

    def unblock(self, chat_id: int) -> None:
        """The user unblocks the bot."""
        self._blocked.discard(chat_id)

    # -- updates -----------------------------------------------------------------------------

    def _queue(self, payload: dict[str, Any]) -> int:
        update_id = next(self._update_ids)
        update = {"update_id": update_id, **payload}
        self._updates.append(update)
        self._every_update[update_id] = copy.deepcopy(update)
        self._wake_polls("update")
        return update_id

    def _wake_polls(self, reason: str) -> None:
        for waiter in list(self._poll_waiters):
            if not waiter.done():
                waiter.set_result(reason)

    # -- chats and messages ------------------------------------------------------------------

    def _now(self) -> int:
        now = self._clock.now() if self._clock is not None else datetime.now(UTC)
        return int(now.timestamp())

    def _first_name(self, chat_id: int) -> str:
        return self._first_names.get(chat_id, "Alex")

    def _user(self, chat_id: int) -> dict[str, Any]:
        return {
            "id": chat_id,
            "is_bot": False,
            "first_name": self._first_name(chat_id),
            "language_code": "en",
        }

    def _chat(self, chat_id: int) -> dict[str, Any]:
        if chat_id in self._group_chats:
            return {"id": chat_id, "type": self._group_chats[chat_id], "title": "Job club"}
        return {"id": chat_id, "type": "private", "first_name": self._first_name(chat_id)}

    def _new_message_id(self, chat_id: int) -> int:
        message_id = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = message_id + 1
        self._message_ids.setdefault(chat_id, set()).add(message_id)
        return message_id

    def _user_message(self, chat_id: int) -> dict[str, Any]:
        self._blocked.discard(chat_id)  # a user who writes again has unblocked the bot
        return {
            "message_id": self._new_message_id(chat_id),
            "date": self._now(),
            "chat": self._chat(chat_id),
            "from": self._user(chat_id),
        }

    def _bot_message(self, chat_id: int) -> dict[str, Any]:
        return {
            "message_id": self._new_message_id(chat_id),
            "date": self._now(),
            "chat": self._chat(chat_id),
            "from": self._bot_user(),
        }

    def _target_chat(self, params: dict[str, Any]) -> int:
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, int) or (chat_id <= 0 and chat_id not in self._group_chats):
            # Private chats, and the groups and channels a test wrote in; @usernames are unknown.
            raise ApiError(400, "Bad Request: chat not found")
        if chat_id in self._blocked:
            raise ApiError(403, BLOCKED)
        return chat_id

    def _check_reply(self, chat_id: int, params: dict[str, Any]) -> None:
        reply = params.get("reply_parameters")
        if not isinstance(reply, dict) or reply.get("allow_sending_without_reply"):
            return
        if reply.get("message_id") not in self._message_ids.get(chat_id, set()):
            raise ApiError(400, "Bad Request: message to be replied not found")

    def _store(
        self,
        view: BotMessage,
        message: dict[str, Any],
        entities: list[dict[str, Any]],
        reply_markup: Any,
    ) -> dict[str, Any]:
        markup = inline_markup(reply_markup)
        if markup is not None:
            message["reply_markup"] = markup
        view.buttons = button_rows(reply_markup)
        self._messages.setdefault(view.chat_id, {})[view.message_id] = StoredMessage(
            view, message, entities, markup
        )
        return copy.deepcopy(message)

    def _bot_user(self) -> dict[str, Any]:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "Outreach Coach",
            "username": self.bot_username,
        }

    # -- files -------------------------------------------------------------------------------

    def _file_from(self, value: Any, kind: str) -> StoredFile:
        if isinstance(value, UploadedFile):
            number = next(self._file_ids)
            file = StoredFile(
                file_id=f"EMU{kind.upper()}{number:06d}",
                unique_id=f"emu{number:06d}",
                kind=kind,
                filename=value.filename,
                data=value.content,
                mime_type=value.content_type,
            )
            self._files[file.file_id] = file
            return file
        if value in self._files:
            return self._files[value]
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            number = next(self._file_ids)
            return StoredFile(f"EMUURL{number:06d}", f"emu{number:06d}", kind, None, None, "")
        raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")

    def _file_by_path(self, path: str) -> StoredFile | None:
        file = self._files.get(path.rsplit("/", 1)[-1])
        return file if file is not None and file.data is not None else None


def _command_entities(text: str) -> dict[str, Any]:
    """The bot_command entity Telegram adds to a text that starts with a command."""
    command = _BOT_COMMAND.match(text)
    if command is None:
        return {}
    return {"entities": [{"type": "bot_command", "offset": 0, "length": len(command.group(0))}]}


def inline_markup(markup: Any) -> dict[str, Any] | None:
    """The markup Telegram keeps on a message: only inline keyboards with buttons."""
    if isinstance(markup, dict) and markup.get("inline_keyboard"):
        return {"inline_keyboard": markup["inline_keyboard"]}
    return None


def button_rows(markup: Any) -> list[list[Button]]:
    """The buttons a user sees under a message: inline or reply-keyboard ones."""
    if not isinstance(markup, dict):
        return []
    if isinstance(markup.get("inline_keyboard"), list):
        return [
            [Button(b["text"], b.get("callback_data"), b.get("url"), _web_app_url(b)) for b in row]
            for row in markup["inline_keyboard"]
        ]
    if isinstance(markup.get("keyboard"), list):
        return [
            [Button(b["text"] if isinstance(b, dict) else str(b)) for b in row]
            for row in markup["keyboard"]
        ]
    return []


def _web_app_url(button: dict[str, Any]) -> str | None:
    web_app = button.get("web_app")
    return str(web_app["url"]) if isinstance(web_app, dict) and "url" in web_app else None
