"""The emulator over HTTP: the tornado app, the parameters of a call, and the answers."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any

import tornado.http1connection
import tornado.httputil
import tornado.web

from bot.local.emulator.spec import UploadedFile
from bot.local.emulator.state import ApiError, StoredFile


class ClientGone(Exception):
    """The client went away; there is nobody to answer."""


class WaitingRequest:
    """What the emulator needs to know about one HTTP request while it waits."""

    def __init__(self) -> None:
        self.closed = False
        self.wake: asyncio.Future[str] | None = None

    def connection_closed(self) -> None:
        """The client closed the connection: wake the call if it waits."""
        self.closed = True
        if self.wake is not None and not self.wake.done():
            self.wake.set_result("closed")


Serve = Callable[[tornado.web.RequestHandler, str, str, WaitingRequest], Awaitable[None]]
"""Answer one Bot API call: (handler, token, method name, the request while it waits)."""


def make_app(
    *,
    serve: Serve,
    token: str,
    find_file: Callable[[str], StoredFile | None],
    log_function: Callable[[tornado.web.RequestHandler], None],
) -> tornado.web.Application:
    """The app: Bot API calls at /bot<token>/<method>, files at /file/bot<token>/<path>."""
    return tornado.web.Application(
        [
            (r"/bot([^/]*)/([^/]*)", _BotApiHandler, {"serve": serve}),
            (r"/file/bot([^/]*)/(.*)", _FileHandler, {"token": token, "find_file": find_file}),
        ],
        default_handler_class=_NotFoundHandler,
        log_function=log_function,
    )


def answer_json(handler: tornado.web.RequestHandler, status: int, body: dict[str, Any]) -> None:
    """Finish the request with a JSON answer, as the Bot API gives every answer."""
    handler.set_status(status, reason=_reason(status))
    handler.set_header("Content-Type", "application/json")
    handler.finish(json.dumps(body))


def request_params(request: tornado.httputil.HTTPServerRequest) -> dict[str, Any]:
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


def drop_connection(handler: tornado.web.RequestHandler) -> None:
    """Close the client's connection without an answer."""
    connection = handler.request.connection
    if isinstance(connection, tornado.http1connection.HTTP1Connection):
        connection.close()


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


class _BotApiHandler(tornado.web.RequestHandler):
    def initialize(self, serve: Serve) -> None:
        self.serve = serve
        self.waiting = WaitingRequest()

    async def get(self, token: str, method: str) -> None:
        await self.serve(self, token, method, self.waiting)

    async def post(self, token: str, method: str) -> None:
        await self.serve(self, token, method, self.waiting)

    def on_connection_close(self) -> None:
        self.waiting.connection_closed()
        super().on_connection_close()

    def check_xsrf_cookie(self) -> None:
        return


class _FileHandler(tornado.web.RequestHandler):
    def initialize(self, token: str, find_file: Callable[[str], StoredFile | None]) -> None:
        self.token = token
        self.find_file = find_file

    def get(self, token: str, path: str) -> None:
        if token != self.token:
            _answer_error(self, ApiError(401, "Unauthorized"))
            return
        file = self.find_file(path)
        if file is None or file.data is None:
            _answer_error(self, ApiError(404, "Not Found"))
            return
        self.set_header("Content-Type", file.mime_type or "application/octet-stream")
        self.finish(file.data)


class _NotFoundHandler(tornado.web.RequestHandler):
    def prepare(self) -> None:
        _answer_error(self, ApiError(404, "Not Found"))


def _answer_error(handler: tornado.web.RequestHandler, error: ApiError) -> None:
    answer_json(handler, error.status, error.body())
