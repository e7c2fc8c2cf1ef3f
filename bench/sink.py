"""A minimal Bot API server for speed: it answers every call with the smallest valid JSON and
counts what the bot sent, and nothing else.

The spec-checking emulator (`bot/local/emulator`) spends several milliseconds on each call
(checking it against the spec, rendering its HTML, keeping every message); in a speed run it
would be the bottleneck. The sink parses the parameters, counts the send (by chat, with the
time it arrived), optionally applies Telegram-like flood control, and answers. Updates are
queued by `inject` and served to `getUpdates` long polls, with Telegram's offset rules.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import socket
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

import tornado.httpserver
import tornado.iostream
import tornado.netutil
import tornado.web

from bot.local.emulator.flood import SEND_METHODS, FloodControl, is_paid, too_many_requests
from bot.local.emulator.http import answer_json, request_params

BOT_ID = 123456
BOT_USERNAME = "outreach_coach_bot"
TEXT_KEPT = 80
"""Characters of each sent text the sink keeps (enough to tell which reply it is)."""


@dataclass(frozen=True)
class Send:
    """One message the bot sent: when it arrived (`time.monotonic`), how, and its text's
    start."""

    at: float
    method: str
    text: str
    paid: bool


class BotApiSink:
    """The sink's state: the queue of updates, the sends by chat, the calls by method."""

    def __init__(self, *, flood_control: FloodControl | None = None) -> None:
        self.flood_control = flood_control
        self.sends: dict[int, list[Send]] = {}
        self.calls: Counter[str] = Counter()
        self.injected: dict[int, tuple[int, float, str]] = {}  # update id -> chat, at, text
        self.waiting_polls = 0
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._arrived = asyncio.Event()
        self._server: tornado.httpserver.HTTPServer | None = None
        self.port = 0

    async def start(self, port: int = 0) -> None:
        """Listen on 127.0.0.1 (`port` 0 picks a free one)."""
        app = tornado.web.Application(
            [(r"/bot([^/]*)/([^/]*)", _SinkHandler, {"sink": self})], log_function=no_log
        )
        sockets = tornado.netutil.bind_sockets(port, address="127.0.0.1", family=socket.AF_INET)
        self._server = tornado.httpserver.HTTPServer(app)
        self._server.add_sockets(sockets)
        self.port = sockets[0].getsockname()[1]

    async def stop(self) -> None:
        """Stop listening and close every connection."""
        if self._server is not None:
            self._server.stop()
            await self._server.close_all_connections()
            self._server = None

    def inject(self, messages: list[tuple[int, str]]) -> list[int]:
        """Queue one text message update per (chat, text), all at the same instant; wake the
        long polls. Returns the update ids."""
        now, date = time.monotonic(), int(time.time())
        ids = []
        for chat_id, text in messages:
            update_id = next(self._update_ids)
            self._updates.append(
                text_update(update_id, next(self._message_ids), chat_id, text, date)
            )
            self.injected[update_id] = (chat_id, now, text)
            ids.append(update_id)
        self._arrived.set()
        return ids

    def reset(self) -> None:
        """Forget the sends, the calls and the injections (update ids keep counting)."""
        self.sends.clear()
        self.calls.clear()
        self.injected.clear()
        if self.flood_control is not None:
            self.flood_control.refusals = 0
            self.flood_control.per_second.clear()

    async def answer(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """The status and JSON answer to one call."""
        self.calls[method] += 1
        name = method.lower()
        if name == "getupdates":
            return 200, {"ok": True, "result": await self._get_updates(params)}
        if name == "getme":
            return 200, {"ok": True, "result": bot_user()}
        if name == "getchatmenubutton":
            return 200, {"ok": True, "result": {"type": "default"}}
        canonical = _SEND_NAMES.get(name)
        if canonical is None and not name.startswith("edit"):
            return 200, {"ok": True, "result": True}
        chat_id = int(params["chat_id"])
        if canonical is not None:
            paid = is_paid(params)
            wait = self.flood_control.admit(chat_id, paid=paid) if self.flood_control else None
            if wait is not None:
                body = {"ok": False, "error_code": 429, "description": too_many_requests(wait)}
                return 429, {**body, "parameters": {"retry_after": wait}}
            text = str(params.get("text") or params.get("caption") or "")[:TEXT_KEPT]
            self.sends.setdefault(chat_id, []).append(Send(time.monotonic(), canonical, text, paid))
        return 200, {"ok": True, "result": self._message(chat_id, canonical, params)}

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        if offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)
        if not self._updates and timeout > 0:
            self._arrived.clear()
            self.waiting_polls += 1
            try:
                await asyncio.wait_for(self._arrived.wait(), timeout)
            except TimeoutError:
                return []
            finally:
                self.waiting_polls -= 1
        return self._updates[:limit]

    def _message(self, chat_id: int, method: str | None, params: dict[str, Any]) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": int(params.get("message_id") or next(self._message_ids)),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private", "first_name": "User"},
        }
        if method == "sendPhoto":
            message["photo"] = [
                {"file_id": "photo", "file_unique_id": "photo", "width": 1, "height": 1}
            ]
        elif method == "sendDocument":
            message["document"] = {"file_id": "document", "file_unique_id": "document"}
        else:
            message["text"] = str(params.get("text") or "")
        return message


def no_log(handler: tornado.web.RequestHandler) -> None:
    """No access log: a long poll cut short at the end of a run is not news."""


_SEND_NAMES = {name.lower(): name for name in SEND_METHODS}


def bot_user() -> dict[str, Any]:
    """The bot's own User object, as getMe returns it."""
    return {
        "id": BOT_ID,
        "is_bot": True,
        "first_name": "Outreach Coach",
        "username": BOT_USERNAME,
        "can_join_groups": False,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
    }


def text_update(
    update_id: int, message_id: int, chat_id: int, text: str, date: int
) -> dict[str, Any]:
    """An Update with a private text message (a command gets its bot_command entity)."""
    user = {"id": chat_id, "is_bot": False, "first_name": f"User {chat_id}"}
    message: dict[str, Any] = {
        "message_id": message_id,
        "date": date,
        "chat": {"id": chat_id, "type": "private", "first_name": user["first_name"]},
        "from": user,
        "text": text,
    }
    if text.startswith("/"):
        command = text.split(maxsplit=1)[0]
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
    return {"update_id": update_id, "message": message}


class _SinkHandler(tornado.web.RequestHandler):
    def initialize(self, sink: BotApiSink) -> None:
        self.sink = sink

    async def get(self, token: str, method: str) -> None:
        await self.post(token, method)

    async def post(self, token: str, method: str) -> None:
        try:
            params = request_params(self.request)
            status, body = await self.sink.answer(method, params)
        except (ValueError, KeyError) as error:
            status, body = 400, {"ok": False, "error_code": 400, "description": f"{error!r}"}
        with contextlib.suppress(tornado.iostream.StreamClosedError):  # the bot went away
            answer_json(self, status, body)

    def check_xsrf_cookie(self) -> None:
        return
