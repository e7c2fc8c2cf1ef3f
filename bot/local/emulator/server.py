"""A local Telegram Bot API server for tests and `outreach-coach chat`.

It speaks Telegram's wire protocol on 127.0.0.1 (http.py), checks every call against the
official spec (spec.py), carries it out on chats kept in memory (methods.py, state.py), and lets
a test act as the user (`send_text`, `press_button`, ...), look at what the bot sent
(`messages`, `calls`, `violations`) and make Telegram fail (`fail_next`, `drop_next`, ...)
or, with `flood_control`, refuse sends that come faster than Telegram allows (flood.py).
"""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, TypeVar

import tornado.httpserver
import tornado.httputil
import tornado.netutil
import tornado.web
from telegram import Update
from telegram.ext import Application, ContextTypes, TypeHandler

from bot.clock import Clock
from bot.delivery.chat_order import ChatOrderedUpdateProcessor
from bot.local.emulator.flood import SEND_METHODS, FloodControl, is_paid, too_many_requests
from bot.local.emulator.http import (
    ClientGone,
    WaitingRequest,
    answer_json,
    drop_connection,
    make_app,
    request_params,
)
from bot.local.emulator.methods import BotApiMethods
from bot.local.emulator.spec import ApiSpec
from bot.local.emulator.state import BLOCKED, ApiCall, ApiError
from bot.webapp.auth import launch_fragment, sign_init_data

_log = logging.getLogger(__name__)

# Looks like a BotFather token but cannot be one: real bot ids have 8-10 digits.
DEFAULT_TOKEN = "123456:emulatorTokenForLocalChatsOnly_0000"
TRACKER_GROUP = 2**30
"""The handler group of `track_updates`: after every group the bot is likely to use."""


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


class BotApiEmulator(BotApiMethods):
    """An in-memory Telegram Bot API served over HTTP on 127.0.0.1.

    Use as `async with BotApiEmulator() as emu:`; point the bot at `emu.base_url + "/bot"`
    with `emu.token`. A private chat's id is also its user's id; tests can also write in a
    group or a channel.
    Update ids count from `first_update_id` (a bot that remembers the ids it handled, as
    ours does, needs new ones when it talks to a new emulator).
    """

    def __init__(
        self,
        *,
        token: str = DEFAULT_TOKEN,
        bot_username: str = "outreach_coach_bot",
        clock: Clock | None = None,
        first_update_id: int = 1,
        flood_control: FloodControl | None = None,
    ) -> None:
        super().__init__(
            bot_id=int(token.split(":", 1)[0]),
            bot_username=bot_username,
            clock=clock,
            first_update_id=first_update_id,
        )
        self.token = token
        self.flood_control = flood_control
        """Telegram-like 429s when the bot sends too fast (`flood.py`); None: no limit."""
        self.spec = ApiSpec.load()
        self._port: int | None = None
        self._server: tornado.httpserver.HTTPServer | None = None
        self._faults: dict[str, list[_Fault]] = {}
        self._transport_faults: dict[str, list[_TransportFault]] = {}
        self._active_requests = 0
        self._idle = asyncio.Event()
        self._idle.set()

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
        app = make_app(
            serve=self._serve,
            token=self.token,
            find_file=self._file_by_path,
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

    # -- the Mini App ------------------------------------------------------------------------

    def open_web_app(
        self,
        chat_id: int,
        url: str | None = None,
        *,
        theme: Mapping[str, str] | None = None,
        issued: datetime | None = None,
    ) -> str:
        """The address a Telegram client opens a Mini App at for the user of `chat_id`: `url`
        (default: the Mini App of the chat's menu button) with the launch parameters in its
        fragment, signed with this emulator's token and issued `issued` (default now)."""
        if url is None:
            button = self.menu_button(chat_id)
            if button.get("type") != "web_app":
                raise LookupError(f"chat {chat_id}'s menu button opens no Mini App: {button}")
            url = str(button["web_app"]["url"])
        user = {**self._user(chat_id), "allows_write_to_pm": True}
        user.pop("is_bot")
        init_data = sign_init_data(
            self.token,
            user,
            issued or datetime.fromtimestamp(self._now(), UTC),
            query_id=f"EMU{chat_id}",
        )
        return f"{url}#{launch_fragment(init_data, theme)}"

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
        fault = _Fault(status, description, retry_after, times)
        self._faults.setdefault(self._known_method(method), []).append(fault)

    def drop_next(self, method: str, *, after_processing: bool = False, times: int = 1) -> None:
        """Close the connection on the next `times` calls of `method`, without an answer:
        before the call is carried out, or (`after_processing`) after it was."""
        self._add_transport_fault(method, _TransportFault("drop", after_processing, 0.0, times))

    def stall_next(self, method: str, seconds: float, *, times: int = 1) -> None:
        """Carry out the next `times` calls of `method`, then wait `seconds` before answering
        (a client with a shorter timeout gives up although the call took effect)."""
        self._add_transport_fault(method, _TransportFault("stall", True, seconds, times))

    def _add_transport_fault(self, method: str, fault: _TransportFault) -> None:
        self._transport_faults.setdefault(self._known_method(method), []).append(fault)

    def _known_method(self, method: str) -> str:
        name = self.spec.method_name(method)
        if name is None:
            raise ValueError(f"{method!r} is not a Bot API method")
        return name

    def _take_transport_fault(self, method: str) -> _TransportFault | None:
        faults = self._transport_faults.get(self.spec.method_name(method) or method)
        return _use_once(faults) if faults else None

    # -- HTTP --------------------------------------------------------------------------------

    def _log_request(self, handler: tornado.web.RequestHandler) -> None:
        path = handler.request.path.replace(self.token, "<token>")
        _log.debug("emulator: %d %s %s", handler.get_status(), handler.request.method, path)

    async def _serve(
        self, handler: tornado.web.RequestHandler, token: str, method: str, request: WaitingRequest
    ) -> None:
        self._active_requests += 1
        self._idle.clear()
        try:
            fault = self._take_transport_fault(method) if token == self.token else None
            if fault is not None and fault.kind == "drop" and not fault.after_processing:
                drop_connection(handler)
                return
            status, body = await self._answer(handler.request, token, method, request)
            if fault is not None and fault.kind == "drop":
                drop_connection(handler)
                return
            if fault is not None:
                await asyncio.sleep(fault.seconds)
            if request.closed:
                return
            answer_json(handler, status, body)
        except ClientGone:
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
        request: WaitingRequest,
    ) -> tuple[int, dict[str, Any]]:
        name = self.spec.method_name(method) or method
        try:
            params = request_params(http_request)
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
        except ClientGone:
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

    async def _dispatch(self, name: str, params: dict[str, Any], request: WaitingRequest) -> Any:
        faults = self._faults.get(name)
        if faults:
            fault = _use_once(faults)
            raise ApiError(fault.status, fault.description, fault.retry_after)
        chat_id = params.get("chat_id")
        if isinstance(chat_id, int) and chat_id in self._blocked:
            raise ApiError(403, BLOCKED)
        if self.flood_control is not None and name in SEND_METHODS:
            wait = self.flood_control.admit(
                chat_id if isinstance(chat_id, int) else None, paid=is_paid(params)
            )
            if wait is not None:
                raise ApiError(429, too_many_requests(wait), wait)
        return await self._carry_out(name, params, request)


_AnyFault = TypeVar("_AnyFault", _Fault, _TransportFault)


def _use_once(faults: list[_AnyFault]) -> _AnyFault:
    """The first fault in line, used once: it leaves the line when it has no use left."""
    fault = faults[0]
    fault.remaining -= 1
    if fault.remaining <= 0:
        faults.pop(0)
    return fault


def track_updates(
    application: Application[Any, Any, Any, Any, Any, Any], emulator: BotApiEmulator
) -> None:
    """Tell the emulator when the application has finished with each update.

    With our update processor (`ChatOrderedUpdateProcessor`) every update is reported once it
    is finished with, however it ended. With PTB's own, a handler in the last group
    (`TRACKER_GROUP`) reports it: PTB runs blocking handlers group by group, so it fires after
    the bot's handlers are done; a handler that raises ApplicationHandlerStop, or one with
    block=False, escapes it.
    """
    processor = application.update_processor
    if isinstance(processor, ChatOrderedUpdateProcessor):
        processor.when_done(
            lambda update: (
                emulator.mark_processed(update.update_id) if isinstance(update, Update) else None
            )
        )
        return

    async def mark(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        emulator.mark_processed(update.update_id)

    application.add_handler(TypeHandler(Update, mark), group=TRACKER_GROUP)
