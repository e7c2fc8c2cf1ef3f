"""A local Telegram Bot API server for tests and `outreach-coach chat`.

It speaks Telegram's wire protocol on 127.0.0.1, checks every call against the official spec
(`ApiSpec`), keeps the chats in memory, and lets a test act as the user (`send_text`,
`press_button`, ...) and look at what the bot sent (`messages`, `calls`, `violations`).
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
import logging
import re
import socket
import struct
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from types import TracebackType
from typing import Any

import tornado.http1connection
import tornado.httpserver
import tornado.httputil
import tornado.netutil
import tornado.web
from telegram import Update
from telegram.ext import Application, ContextTypes, TypeHandler

from bot.clock import Clock
from bot.local.emulator.spec import ApiSpec, UploadedFile, parse_html

_log = logging.getLogger(__name__)

# Looks like a BotFather token but cannot be one: real bot ids have 8-10 digits.
DEFAULT_TOKEN = "123456:emulatorTokenForLocalChatsOnly_0000"
TRACKER_GROUP = 2**30
"""The handler group of `track_updates`: after every group the bot is likely to use."""

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"
BLOCKED = "Forbidden: bot was blocked by the user"
_BOT_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?")
_NO_BUTTON = "(no buttons)"


@dataclass
class Button:
    """One button of a bot message (an inline button, or a reply-keyboard button)."""

    text: str
    callback_data: str | None = None
    url: str | None = None


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


@dataclass
class _Fault:
    status: int
    description: str
    retry_after: int | None
    remaining: int


@dataclass
class _TransportFault:
    kind: str  # "drop" (close the connection) or "stall" (answer late)
    after_processing: bool
    seconds: float
    remaining: int


@dataclass
class _Stored:
    view: BotMessage
    json: dict[str, Any]  # the Message object as Telegram returns it
    entities: list[dict[str, Any]]
    markup: dict[str, Any] | None  # the inline keyboard, if any


@dataclass
class _File:
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


class _Gone(Exception):
    """The client went away; there is nobody to answer."""


class _Request:
    """What the emulator needs to know about one HTTP request while it waits."""

    def __init__(self) -> None:
        self.closed = False
        self.wake: asyncio.Future[str] | None = None

    def connection_closed(self) -> None:
        self.closed = True
        if self.wake is not None and not self.wake.done():
            self.wake.set_result("closed")


class BotApiEmulator:
    """An in-memory Telegram Bot API served over HTTP on 127.0.0.1.

    Use as `async with BotApiEmulator() as emu:`; point the bot at `emu.base_url + "/bot"`
    with `emu.token`. Only private chats are emulated: a chat id is also the user id.
    """

    def __init__(
        self,
        *,
        token: str = DEFAULT_TOKEN,
        bot_username: str = "outreach_coach_bot",
        clock: Clock | None = None,
    ) -> None:
        self.token = token
        self.bot_username = bot_username
        self.bot_id = int(token.split(":", 1)[0])
        self.spec = ApiSpec.load()
        self.calls: list[ApiCall] = []
        self.violations: list[str] = []
        self.callback_answers: list[dict[str, Any]] = []
        self.commands: list[dict[str, Any]] | None = None
        self.webhook_url = ""
        self._clock = clock
        self._port: int | None = None
        self._server: tornado.httpserver.HTTPServer | None = None
        self._stopping = False
        self._updates: list[dict[str, Any]] = []
        self._every_update: dict[int, dict[str, Any]] = {}
        self._update_ids = itertools.count(1)
        self._query_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._poll_waiters: set[asyncio.Future[str]] = set()
        self._processed: set[int] = set()
        self._processed_waiters: dict[int, list[asyncio.Future[None]]] = {}
        self._first_names: dict[int, str] = {}
        self._next_message_id: dict[int, int] = {}
        self._message_ids: dict[int, set[int]] = {}
        self._messages: dict[int, dict[int, _Stored]] = {}
        self._open_queries: dict[str, tuple[int, int]] = {}
        self._files: dict[str, _File] = {}
        self._faults: dict[str, list[_Fault]] = {}
        self._transport_faults: dict[str, list[_TransportFault]] = {}
        self._blocked: set[int] = set()
        self._active_requests = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self._handlers: dict[str, Callable[[dict[str, Any], _Request], Awaitable[Any]]] = {
            "getupdates": self._get_updates,
            "getme": self._get_me,
            "setwebhook": self._set_webhook,
            "deletewebhook": self._delete_webhook,
            "getwebhookinfo": self._get_webhook_info,
            "setmycommands": self._set_my_commands,
            "getmycommands": self._get_my_commands,
            "deletemycommands": self._delete_my_commands,
            "sendmessage": self._send_message,
            "sendphoto": self._send_photo,
            "senddocument": self._send_document,
            "editmessagetext": self._edit_message_text,
            "editmessagecaption": self._edit_message_caption,
            "editmessagereplymarkup": self._edit_message_reply_markup,
            "deletemessage": self._delete_message,
            "answercallbackquery": self._answer_callback_query,
            "getfile": self._get_file,
        }

    # -- lifecycle ---------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:<port>`; the bot's API URL is `base_url + "/bot" + token`."""
        if self._port is None:
            raise RuntimeError("the emulator is not running: call `await emulator.start()` first")
        return f"http://127.0.0.1:{self._port}"

    async def start(self, port: int = 0) -> None:
        """Listen on 127.0.0.1 (`port` 0 picks a free one)."""
        if self._server is not None:
            raise RuntimeError("the emulator is already running")
        app = tornado.web.Application(
            [
                (r"/bot([^/]*)/([^/]*)", _BotApiHandler, {"emulator": self}),
                (r"/file/bot([^/]*)/(.*)", _FileHandler, {"emulator": self}),
            ],
            default_handler_class=_NotFoundHandler,
            log_function=self._log_request,
        )
        sockets = tornado.netutil.bind_sockets(port, address="127.0.0.1", family=socket.AF_INET)
        self._server = tornado.httpserver.HTTPServer(app)
        self._server.add_sockets(sockets)
        self._port = sockets[0].getsockname()[1]
        self._stopping = False

    async def stop(self) -> None:
        """Answer pending long polls, close every connection and stop listening."""
        server, self._server = self._server, None
        if server is None:
            return
        self._stopping = True
        self._wake_polls("stop")
        server.stop()
        try:
            await asyncio.wait_for(self._idle.wait(), 2.0)
        except TimeoutError:
            _log.warning("emulator: %d requests still running at stop", self._active_requests)
        try:
            await asyncio.wait_for(server.close_all_connections(), 2.0)
        except TimeoutError:
            _log.warning("emulator: connections did not close within 2 s")

    async def __aenter__(self) -> BotApiEmulator:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    # -- acting as the user ------------------------------------------------------------------

    def send_text(self, chat_id: int, text: str, *, first_name: str = "Alex") -> int:
        """The user sends `text`; returns the id of the update queued for the bot."""
        self._first_names[chat_id] = first_name
        message = self._user_message(chat_id)
        message["text"] = text
        command = _BOT_COMMAND.match(text)
        if command is not None:
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": len(command.group(0))}
            ]
        return self._queue({"message": message})

    def share_location(self, chat_id: int, latitude: float, longitude: float) -> int:
        """The user shares a location; returns the update id."""
        message = self._user_message(chat_id)
        message["location"] = {"latitude": latitude, "longitude": longitude}
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
        if button.url is not None:
            raise LookupError(f"button {button.text!r} opens {button.url}; there is no update")
        return self.send_text(chat_id, button.text, first_name=self._first_name(chat_id))

    def _visible(self, chat_id: int) -> str:
        parts = []
        for stored in reversed(self._messages.get(chat_id, {}).values()):
            labels = [repr(button.text) for row in stored.view.buttons for button in row]
            if labels:
                parts.append(f"{', '.join(labels)} (message {stored.view.message_id})")
        return "; ".join(parts) or _NO_BUTTON

    # -- observing ---------------------------------------------------------------------------

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

    # -- faults ------------------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        status: int,
        description: str,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next `times` valid calls of `method` with this error."""
        name = self.spec.method_name(method)
        if name is None:
            raise ValueError(f"{method!r} is not a Bot API method")
        self._faults.setdefault(name, []).append(_Fault(status, description, retry_after, times))

    def drop_next(self, method: str, *, after_processing: bool = False, times: int = 1) -> None:
        """Close the connection on the next `times` calls of `method`, without an answer:
        before the call is carried out, or (`after_processing`) after it was."""
        self._add_transport_fault(method, _TransportFault("drop", after_processing, 0.0, times))

    def stall_next(self, method: str, seconds: float, *, times: int = 1) -> None:
        """Carry out the next `times` calls of `method`, then wait `seconds` before answering
        (a client with a shorter timeout gives up although the call took effect)."""
        self._add_transport_fault(method, _TransportFault("stall", True, seconds, times))

    def _add_transport_fault(self, method: str, fault: _TransportFault) -> None:
        name = self.spec.method_name(method)
        if name is None:
            raise ValueError(f"{method!r} is not a Bot API method")
        self._transport_faults.setdefault(name, []).append(fault)

    def _take_transport_fault(self, method: str) -> _TransportFault | None:
        faults = self._transport_faults.get(self.spec.method_name(method) or method)
        if not faults:
            return None
        fault = faults[0]
        fault.remaining -= 1
        if fault.remaining <= 0:
            faults.pop(0)
        return fault

    def block(self, chat_id: int) -> None:
        """The user blocks the bot: calls aimed at the chat answer 403 until `unblock`, or until
        the user writes again (`send_text`, `share_location`), as Telegram's Restart does."""
        self._blocked.add(chat_id)

    def unblock(self, chat_id: int) -> None:
        """The user unblocks the bot."""
        self._blocked.discard(chat_id)

    # -- HTTP --------------------------------------------------------------------------------

    def _log_request(self, handler: tornado.web.RequestHandler) -> None:
        path = handler.request.path.replace(self.token, "<token>")
        _log.debug("emulator: %d %s %s", handler.get_status(), handler.request.method, path)

    async def _serve(
        self, handler: tornado.web.RequestHandler, token: str, method: str, request: _Request
    ) -> None:
        self._active_requests += 1
        self._idle.clear()
        try:
            fault = self._take_transport_fault(method) if token == self.token else None
            if fault is not None and fault.kind == "drop" and not fault.after_processing:
                _drop_connection(handler)
                return
            status, body = await self._answer(handler.request, token, method, request)
            if fault is not None and fault.kind == "drop":
                _drop_connection(handler)
                return
            if fault is not None:
                await asyncio.sleep(fault.seconds)
            if request.closed:
                return
            handler.set_status(status, reason=_reason(status))
            handler.set_header("Content-Type", "application/json")
            handler.finish(json.dumps(body))
        except _Gone:
            return
        finally:
            self._active_requests -= 1
            if self._active_requests == 0:
                self._idle.set()

    async def _answer(
        self,
        http_request: tornado.httputil.HTTPServerRequest,
        token: str,
        method: str,
        request: _Request,
    ) -> tuple[int, dict[str, Any]]:
        name = self.spec.method_name(method) or method
        try:
            params = _request_params(http_request)
        except ValueError as exc:
            error = ApiError(400, f"Bad Request: {exc}")
            self.calls.append(ApiCall(name, {}, error.status))
            return error.status, error.body()
        if token != self.token:
            error = ApiError(401, "Unauthorized")
            self.calls.append(ApiCall(name, params, error.status))
            return error.status, error.body()
        if self.spec.method_name(method) is None:
            self.violations.append(f"{method}: unknown method")
            self.calls.append(ApiCall(name, params, 404))
            return 404, ApiError(404, "Not Found").body()
        call = ApiCall(name, params, 200)
        violations = self.spec.validate(name, params)
        if violations:
            self.violations.extend(f"{name}: {violation}" for violation in violations)
            call.status = 400
            self.calls.append(call)
            return 400, ApiError(400, f"Bad Request: {violations[0]}").body()
        call.params = self.spec.decode(name, params)
        try:
            result = await self._dispatch(name, call.params, request)
        except ApiError as error:
            call.status = error.status
            self.calls.append(call)
            return error.status, error.body()
        except _Gone:
            call.status = 499
            self.calls.append(call)
            raise
        except Exception as exc:  # an emulator bug: make the test fail loudly
            _log.exception("emulator: %s failed", name)
            self.violations.append(f"{name}: the emulator failed: {exc!r}")
            call.status = 500
            self.calls.append(call)
            return 500, ApiError(500, f"Internal Server Error: {exc!r}").body()
        self.calls.append(call)
        return 200, {"ok": True, "result": result}

    async def _dispatch(self, name: str, params: dict[str, Any], request: _Request) -> Any:
        faults = self._faults.get(name)
        if faults:
            fault = faults[0]
            fault.remaining -= 1
            if fault.remaining <= 0:
                faults.pop(0)
            raise ApiError(fault.status, fault.description, fault.retry_after)
        chat_id = params.get("chat_id")
        if isinstance(chat_id, int) and chat_id in self._blocked:
            raise ApiError(403, BLOCKED)
        handler = self._handlers.get(name.lower())
        if handler is None:
            return True
        return await handler(params, request)

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

    async def _get_updates(self, params: dict[str, Any], request: _Request) -> list[Any]:
        if self.webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        self._wake_polls("superseded")
        offset = params.get("offset")
        if isinstance(offset, int) and offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif isinstance(offset, int) and offset < 0:
            self._updates = self._updates[offset:]
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            if self._updates or self._stopping:
                return copy.deepcopy(self._updates[:limit])
            remaining = deadline - loop.time()
            if remaining <= 0:
                return []
            waiter: asyncio.Future[str] = loop.create_future()
            self._poll_waiters.add(waiter)
            request.wake = waiter
            try:
                reason = await asyncio.wait_for(waiter, remaining)
            except TimeoutError:
                return []
            finally:
                self._poll_waiters.discard(waiter)
                request.wake = None
            if reason == "closed":
                raise _Gone
            if reason == "superseded":
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only "
                    "one bot instance is running",
                )

    # -- methods -----------------------------------------------------------------------------

    def _bot_user(self) -> dict[str, Any]:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "Outreach Coach",
            "username": self.bot_username,
        }

    async def _get_me(self, params: dict[str, Any], request: _Request) -> dict[str, Any]:
        return {
            **self._bot_user(),
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _set_webhook(self, params: dict[str, Any], request: _Request) -> bool:
        self.webhook_url = str(params.get("url") or "")
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    async def _delete_webhook(self, params: dict[str, Any], request: _Request) -> bool:
        self.webhook_url = ""
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    async def _get_webhook_info(self, params: dict[str, Any], request: _Request) -> dict[str, Any]:
        return {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    async def _set_my_commands(self, params: dict[str, Any], request: _Request) -> bool:
        self.commands = list(params["commands"])
        return True

    async def _get_my_commands(self, params: dict[str, Any], request: _Request) -> list[Any]:
        return list(self.commands or [])

    async def _delete_my_commands(self, params: dict[str, Any], request: _Request) -> bool:
        self.commands = None
        return True

    async def _send_message(self, params: dict[str, Any], request: _Request) -> dict[str, Any]:
        chat_id = self._target_chat(params)
        self._check_reply(chat_id, params)
        html = params["text"]
        text, entities = _render(html, params.get("parse_mode"), params.get("entities"))
        message = self._bot_message(chat_id)
        message["text"] = text
        if entities:
            message["entities"] = entities
        view = BotMessage(message["message_id"], chat_id, "text", html, text)
        return self._store(view, message, entities, params.get("reply_markup"))

    async def _send_photo(self, params: dict[str, Any], request: _Request) -> dict[str, Any]:
        return self._send_media(params, "photo")

    async def _send_document(self, params: dict[str, Any], request: _Request) -> dict[str, Any]:
        return self._send_media(params, "document")

    def _send_media(self, params: dict[str, Any], kind: str) -> dict[str, Any]:
        chat_id = self._target_chat(params)
        self._check_reply(chat_id, params)
        file = self._file_from(params[kind], kind)
        html = params.get("caption") or ""
        text, entities = _render(html, params.get("parse_mode"), params.get("caption_entities"))
        message = self._bot_message(chat_id)
        if kind == "photo":
            width, height = _image_size(file.data)
            message["photo"] = [
                {
                    "file_id": file.file_id,
                    "file_unique_id": file.unique_id,
                    "width": width,
                    "height": height,
                    "file_size": len(file.data or b""),
                }
            ]
        else:
            document: dict[str, Any] = {
                "file_id": file.file_id,
                "file_unique_id": file.unique_id,
                "mime_type": file.mime_type,
                "file_size": len(file.data or b""),
            }
            if file.filename:
                document["file_name"] = file.filename
            message["document"] = document
        if html:
            message["caption"] = text
        if entities:
            message["caption_entities"] = entities
        view = BotMessage(
            message["message_id"],
            chat_id,
            kind,
            html,
            text,
            filename=file.filename,
            data=file.data,
        )
        return self._store(view, message, entities, params.get("reply_markup"))

    def _file_from(self, value: Any, kind: str) -> _File:
        if isinstance(value, UploadedFile):
            number = next(self._file_ids)
            file = _File(
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
            return _File(f"EMUURL{number:06d}", f"emu{number:06d}", kind, None, None, "")
        raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")

    async def _edit_message_text(
        self, params: dict[str, Any], request: _Request
    ) -> dict[str, Any] | bool:
        stored = self._message_to_edit(params)
        if stored is None:
            return True
        if stored.view.kind != "text":
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        html = params["text"]
        text, entities = _render(html, params.get("parse_mode"), params.get("entities"))
        markup = _inline_markup(params.get("reply_markup"))
        if (text, entities, markup) == (stored.view.text, stored.entities, stored.markup):
            raise ApiError(400, NOT_MODIFIED)
        stored.json["text"] = text
        self._apply_edit(stored, "entities", html, text, entities, markup)
        return copy.deepcopy(stored.json)

    async def _edit_message_caption(
        self, params: dict[str, Any], request: _Request
    ) -> dict[str, Any] | bool:
        stored = self._message_to_edit(params)
        if stored is None:
            return True
        if stored.view.kind == "text":
            raise ApiError(400, "Bad Request: there is no caption in the message to edit")
        html = params.get("caption") or ""
        text, entities = _render(html, params.get("parse_mode"), params.get("caption_entities"))
        markup = _inline_markup(params.get("reply_markup"))
        if (text, entities, markup) == (stored.view.text, stored.entities, stored.markup):
            raise ApiError(400, NOT_MODIFIED)
        if html:
            stored.json["caption"] = text
        else:
            stored.json.pop("caption", None)
        self._apply_edit(stored, "caption_entities", html, text, entities, markup)
        return copy.deepcopy(stored.json)

    async def _edit_message_reply_markup(
        self, params: dict[str, Any], request: _Request
    ) -> dict[str, Any] | bool:
        stored = self._message_to_edit(params)
        if stored is None:
            return True
        markup = _inline_markup(params.get("reply_markup"))
        if markup == stored.markup:
            raise ApiError(400, NOT_MODIFIED)
        view = stored.view
        self._apply_edit(stored, None, view.html, view.text, stored.entities, markup)
        return copy.deepcopy(stored.json)

    def _message_to_edit(self, params: dict[str, Any]) -> _Stored | None:
        if params.get("inline_message_id") is not None:
            return None
        chat_id = params.get("chat_id")
        message_id = params.get("message_id")
        if chat_id is None:
            raise ApiError(400, "Bad Request: chat_id is empty")
        if message_id is None:
            raise ApiError(400, "Bad Request: message identifier is not specified")
        chat_id = self._target_chat(params)
        stored = self._messages.get(chat_id, {}).get(message_id)
        if stored is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        return stored

    def _apply_edit(
        self,
        stored: _Stored,
        entities_key: str | None,
        html: str,
        text: str,
        entities: list[dict[str, Any]],
        markup: dict[str, Any] | None,
    ) -> None:
        if entities_key is not None:
            if entities:
                stored.json[entities_key] = entities
            else:
                stored.json.pop(entities_key, None)
        if markup is not None:
            stored.json["reply_markup"] = markup
        else:
            stored.json.pop("reply_markup", None)
        stored.json["edit_date"] = self._now()
        stored.entities = entities
        stored.markup = markup
        stored.view.html = html
        stored.view.text = text
        stored.view.buttons = _buttons(markup)
        stored.view.edited = True

    async def _delete_message(self, params: dict[str, Any], request: _Request) -> bool:
        chat_id = self._target_chat(params)
        message_id = params["message_id"]
        if message_id not in self._message_ids.get(chat_id, set()):
            raise ApiError(400, "Bad Request: message to delete not found")
        self._message_ids[chat_id].discard(message_id)
        self._messages.get(chat_id, {}).pop(message_id, None)
        return True

    async def _answer_callback_query(self, params: dict[str, Any], request: _Request) -> bool:
        if self._open_queries.pop(str(params["callback_query_id"]), None) is None:
            raise ApiError(400, QUERY_TOO_OLD)
        self.callback_answers.append(dict(params))
        return True

    async def _get_file(self, params: dict[str, Any], request: _Request) -> dict[str, Any]:
        file = self._files.get(str(params["file_id"]))
        if file is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        return {
            "file_id": file.file_id,
            "file_unique_id": file.unique_id,
            "file_size": len(file.data or b""),
            "file_path": f"{file.kind}s/{file.file_id}",
        }

    def _file_by_path(self, path: str) -> _File | None:
        file = self._files.get(path.rsplit("/", 1)[-1])
        return file if file is not None and file.data is not None else None

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
        if not isinstance(chat_id, int) or chat_id <= 0:
            # Only private chats exist here; groups, channels and @usernames are unknown.
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
        markup = _inline_markup(reply_markup)
        if markup is not None:
            message["reply_markup"] = markup
        view.buttons = _buttons(reply_markup)
        self._messages.setdefault(view.chat_id, {})[view.message_id] = _Stored(
            view, message, entities, markup
        )
        return copy.deepcopy(message)


def _render(
    source: str, parse_mode: Any, explicit_entities: Any
) -> tuple[str, list[dict[str, Any]]]:
    """The text the user sees and its entities. Markdown modes are not parsed here."""
    if isinstance(parse_mode, str) and parse_mode.lower() == "html":
        parsed = parse_html(source)
        return parsed.text, parsed.entities
    if isinstance(explicit_entities, list):
        return source, explicit_entities
    return source, []


def _inline_markup(markup: Any) -> dict[str, Any] | None:
    """The markup Telegram keeps on a message: only inline keyboards with buttons."""
    if isinstance(markup, dict) and markup.get("inline_keyboard"):
        return {"inline_keyboard": markup["inline_keyboard"]}
    return None


def _buttons(markup: Any) -> list[list[Button]]:
    if not isinstance(markup, dict):
        return []
    if isinstance(markup.get("inline_keyboard"), list):
        return [
            [Button(b["text"], b.get("callback_data"), b.get("url")) for b in row]
            for row in markup["inline_keyboard"]
        ]
    if isinstance(markup.get("keyboard"), list):
        return [
            [Button(b["text"] if isinstance(b, dict) else str(b)) for b in row]
            for row in markup["keyboard"]
        ]
    return []


def _image_size(data: bytes | None) -> tuple[int, int]:
    if data and data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return width, height
    return 1, 1


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _request_params(request: tornado.httputil.HTTPServerRequest) -> dict[str, Any]:
    """The call's parameters from the query string and the body (form, multipart or JSON)."""
    params: dict[str, Any] = {}
    try:
        for key, values in request.query_arguments.items():
            params[key] = values[-1].decode("utf-8")
        content_type = request.headers.get("Content-Type", "")
        if content_type.startswith("application/json"):
            if request.body.strip():
                body = json.loads(request.body)
                if not isinstance(body, dict):
                    raise ValueError("the JSON body must be an object")
                params.update(body)
        else:
            for key, values in request.body_arguments.items():
                params[key] = values[-1].decode("utf-8")
            for key, files in request.files.items():
                part = files[-1]
                params[key] = UploadedFile(
                    part.filename, part.body, part.content_type or "application/octet-stream"
                )
    except UnicodeDecodeError as exc:
        raise ValueError(f"parameters must be UTF-8: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise ValueError(f"can't parse JSON body: {exc}") from exc
    return params


def _drop_connection(handler: tornado.web.RequestHandler) -> None:
    """Close the client's connection without an answer."""
    connection = handler.request.connection
    if isinstance(connection, tornado.http1connection.HTTP1Connection):
        connection.close()


class _BotApiHandler(tornado.web.RequestHandler):
    def initialize(self, emulator: BotApiEmulator) -> None:
        self.emulator = emulator
        self.emulator_request = _Request()

    async def get(self, token: str, method: str) -> None:
        await self.emulator._serve(self, token, method, self.emulator_request)

    async def post(self, token: str, method: str) -> None:
        await self.emulator._serve(self, token, method, self.emulator_request)

    def on_connection_close(self) -> None:
        self.emulator_request.connection_closed()
        super().on_connection_close()

    def check_xsrf_cookie(self) -> None:
        return


class _FileHandler(tornado.web.RequestHandler):
    def initialize(self, emulator: BotApiEmulator) -> None:
        self.emulator = emulator

    def get(self, token: str, path: str) -> None:
        if token != self.emulator.token:
            self._error(ApiError(401, "Unauthorized"))
            return
        file = self.emulator._file_by_path(path)
        if file is None or file.data is None:
            self._error(ApiError(404, "Not Found"))
            return
        self.set_header("Content-Type", file.mime_type or "application/octet-stream")
        self.finish(file.data)

    def _error(self, error: ApiError) -> None:
        self.set_status(error.status, reason=_reason(error.status))
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(error.body()))


class _NotFoundHandler(tornado.web.RequestHandler):
    def prepare(self) -> None:
        self.set_status(404)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(ApiError(404, "Not Found").body()))


def track_updates(
    application: Application[Any, Any, Any, Any, Any, Any], emulator: BotApiEmulator
) -> None:
    """Tell the emulator when the application has finished with each update.

    Adds a handler in the last group (`TRACKER_GROUP`): PTB runs blocking handlers group by
    group, so it fires after the bot's handlers (and error handlers) are done with the update.
    A handler that raises ApplicationHandlerStop, or one with block=False, escapes it.
    """

    async def mark(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        emulator.mark_processed(update.update_id)

    application.add_handler(TypeHandler(Update, mark), group=TRACKER_GROUP)
