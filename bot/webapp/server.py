"""The Mini App over HTTP: the page, its script and styles, and the JSON API, as tornado
handlers. The same routes run beside the webhook (webhook mode) or on their own (polling).

Every API request carries the page's launch parameters in `Authorization: tma <initData>`;
they are checked before anything else (401 otherwise), and the user they name is the chat
every read and write is scoped to. The page itself is the same static file for everyone: no
user data is in it, so it needs no check.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from datetime import date, datetime
from enum import Enum
from html import escape
from http import HTTPStatus
from importlib import resources
from socket import socket
from typing import Any
from urllib.parse import urlsplit

import tornado.web
from tornado.httpserver import HTTPServer
from tornado.web import URLSpec

from bot.clock import Clock
from bot.coaching.domain import User
from bot.usecases.replies import Reply
from bot.webapp import api
from bot.webapp.auth import Unauthorized, verify_init_data
from storage import Store

logger = logging.getLogger(__name__)

# Requests to the API are a few hundred bytes; nothing it takes needs more. The server reads
# bodies up to four times that (to answer 413) and cuts off anything longer.
MAX_API_BODY_BYTES = 16 * 1024
MAX_READ_BYTES = 4 * MAX_API_BODY_BYTES
AUTH_SCHEME = "tma"
NOT_FROM_TELEGRAM = (
    "Open this page from the bot in Telegram: its menu button, or the button under /contacts "
    "or /progress. (After a day, it needs opening again.)"
)
SOMETHING_WENT_WRONG = "Something went wrong on our side. Please try again in a moment."
_STATIC = {"app.js": "application/javascript", "app.css": "text/css"}
_ID = r"([1-9][0-9]{0,11})"
# The page loads nothing from anywhere else, runs no inline script, and can be framed only by
# Telegram's web clients.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'self' https://web.telegram.org"
)

PostInChat = Callable[[int, Reply], Awaitable[None]]


@dataclasses.dataclass(frozen=True)
class WebApp:
    """What the Mini App's server needs from the bot: its address (WEBAPP_URL), the token
    that signs launch parameters, the clock, the store (open once the bot has started) and a
    way to post a message in a user's chat."""

    url: str
    token: str
    clock: Clock
    store: Callable[[], Store]
    post_in_chat: PostInChat

    @property
    def path(self) -> str:
        """The page's path, without slashes at the ends ("" for the root)."""
        return urlsplit(self.url).path.strip("/")


def webapp_routes(webapp: WebApp) -> list[URLSpec]:
    """The page at the address's path, its files under `static/`, the API under `api/`."""
    base = f"/{re.escape(webapp.path)}" if webapp.path else ""
    api_routes: Sequence[tuple[str, type[_ApiHandler]]] = (
        ("me", _AboutHandler),
        ("contacts", _ContactsHandler),
        (f"contacts/{_ID}", _ContactHandler),
        (f"contacts/{_ID}/merge", _MergeHandler),
        (f"contacts/{_ID}/outreach", _OutreachHandler),
        (f"entries/{_ID}", _EntryHandler),
        ("progress", _ProgressHandler),
        (".*", _NoEndpoint),
    )
    page = _page(f"/{webapp.path}" if webapp.path else "")
    return [
        URLSpec(rf"{base}/?", _PageHandler, {"page": page}),
        URLSpec(rf"{base}/static/([a-z]+\.(?:js|css))", _StaticHandler),
        *(
            URLSpec(rf"{base}/api/{route}", handler, {"webapp": webapp})
            for route, handler in api_routes
        ),
    ]


@asynccontextmanager
async def webapp_server(webapp: WebApp, sockets: list[socket]) -> AsyncIterator[HTTPServer]:
    """Serve the Mini App on its own (polling mode) on already bound sockets."""
    app = tornado.web.Application(webapp_routes(webapp), log_function=_no_access_log)
    server = HTTPServer(
        app,
        max_body_size=MAX_READ_BYTES,
        max_buffer_size=MAX_READ_BYTES,
        idle_connection_timeout=60,
        body_timeout=10.0,
    )
    server.add_sockets(sockets)
    try:
        yield server
    finally:
        server.stop()
        await server.close_all_connections()


# --- the page --------------------------------------------------------------------------------


def _page(base: str) -> bytes:
    """The page, the same for everyone, with the base path of its files and API filled in."""
    template = resources.files("bot.webapp").joinpath("static/index.html").read_text("utf-8")
    return template.replace("{{base}}", escape(base)).encode()


class _SecureHandler(tornado.web.RequestHandler):
    """Headers every answer carries."""

    def set_default_headers(self) -> None:
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Referrer-Policy", "no-referrer")
        self.set_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)

    def log_exception(self, *args: Any) -> None:
        """Refusals are not faults; a real fault is logged once where it is answered."""


class _PageHandler(_SecureHandler):
    def initialize(self, page: bytes) -> None:
        self.page = page

    def get(self) -> None:
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-cache")
        self.write(self.page)


class _StaticHandler(_SecureHandler):
    def get(self, name: str) -> None:
        if name not in _STATIC:
            raise tornado.web.HTTPError(HTTPStatus.NOT_FOUND)
        data = resources.files("bot.webapp").joinpath(f"static/{name}").read_bytes()
        self.set_header("Content-Type", f"{_STATIC[name]}; charset=utf-8")
        self.set_header("Cache-Control", "no-cache")
        self.write(data)


# --- the API ---------------------------------------------------------------------------------


class _ApiHandler(_SecureHandler):
    """Checks who is calling before anything else, then answers in JSON."""

    SUPPORTED_METHODS = ("GET", "POST", "PATCH", "DELETE")  # type: ignore[assignment]
    store: Store
    user: User
    now: datetime

    def initialize(self, webapp: WebApp) -> None:
        self.webapp = webapp
        self.chat_id: int | None = None

    def set_default_headers(self) -> None:
        super().set_default_headers()
        self.set_header("Cache-Control", "no-store")
        self.set_header("Content-Type", "application/json; charset=utf-8")

    async def prepare(self) -> None:
        """Who is calling (401 unless the launch parameters are Telegram's and fresh), then
        their user (409 before they ever wrote to the bot), and the size of the body."""
        self.now = self.webapp.clock.now()
        scheme, _, init_data = self.request.headers.get("Authorization", "").partition(" ")
        try:
            if scheme.lower() != AUTH_SCHEME:
                raise Unauthorized("no launch parameters")
            caller = verify_init_data(init_data.strip(), self.webapp.token, self.now)
        except Unauthorized as refusal:
            logger.debug("Mini App: a call refused (%s)", refusal)
            raise api.ApiError(HTTPStatus.UNAUTHORIZED, NOT_FROM_TELEGRAM) from None
        self.chat_id = caller.id
        if len(self.request.body) > MAX_API_BODY_BYTES:
            raise api.ApiError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "That's too much at once.")
        self.store = self.webapp.store()
        self.user = await api.user_of(self.store, caller.id)

    def answer(self, view: object) -> None:
        """Finish with the view as JSON."""
        self.write(json.dumps(_jsonable(view), ensure_ascii=False))

    def body(self) -> Mapping[str, object]:
        """The request's JSON object; 400 for anything else."""
        try:
            value = json.loads(self.request.body or b"{}")
        except ValueError:
            raise api.ApiError(HTTPStatus.BAD_REQUEST, "That wasn't JSON.") from None
        if not isinstance(value, dict):
            raise api.ApiError(HTTPStatus.BAD_REQUEST, "Send a JSON object.")
        return value

    def query(self) -> dict[str, str]:
        """The query's parameters, one value each; 400 when one is given twice."""
        params: dict[str, str] = {}
        for key, values in self.request.query_arguments.items():
            if len(values) != 1:
                raise api.ApiError(HTTPStatus.BAD_REQUEST, f"Give {key} once.")
            params[key] = self.decode_argument(values[0], name=key)
        return params

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """An ApiError's sentence, or a short apology (logged once) for anything else."""
        error = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(error, api.ApiError):
            self.set_status(error.status)
            message = error.message
        elif isinstance(error, tornado.web.HTTPError) and status_code < 500:
            message = HTTPStatus(status_code).phrase
        else:
            logger.error(
                "Mini App: %s %s failed for chat %s",
                self.request.method,
                _route_name(self.request.path),
                self.chat_id,
                exc_info=kwargs.get("exc_info"),
            )
            message = SOMETHING_WENT_WRONG
        self.finish(json.dumps({"error": message}, ensure_ascii=False))

    def check_xsrf_cookie(self) -> None:
        """No cookies: the launch parameters in a header are the check."""


class _NoEndpoint(_ApiHandler):
    """A path under api/ that is no endpoint."""

    async def get(self, *args: str) -> None:
        raise api.ApiError(HTTPStatus.NOT_FOUND, "There is nothing here.")

    post = patch = delete = get


class _AboutHandler(_ApiHandler):
    async def get(self, *args: str) -> None:
        self.answer(await api.about(self.store, self.user, self.now))


class _ContactsHandler(_ApiHandler):
    async def get(self, *args: str) -> None:
        self.answer(await api.contact_list(self.store, self.user, self.now, self.query()))


class _ContactHandler(_ApiHandler):
    async def get(self, *args: str) -> None:
        self.answer(await api.contact_detail(self.store, self.user, self.now, int(args[0])))

    async def patch(self, *args: str) -> None:
        given = (int(args[0]), self.body())
        self.answer(await api.change_contact(self.store, self.user, self.now, given))

    async def delete(self, *args: str) -> None:
        self.answer(await api.delete_contact(self.store, self.user, self.now, int(args[0])))


class _MergeHandler(_ApiHandler):
    async def post(self, *args: str) -> None:
        given = (int(args[0]), self.body())
        self.answer(await api.merge_contact(self.store, self.user, self.now, given))


class _OutreachHandler(_ApiHandler):
    async def post(self, *args: str) -> None:
        given = (int(args[0]), self.body())
        logged = await api.log_outreach(self.store, self.user, self.now, given)
        await self.webapp.post_in_chat(self.user.chat_id, logged.chat_message)
        self.answer(logged.outcome)


class _EntryHandler(_ApiHandler):
    async def patch(self, *args: str) -> None:
        given = (int(args[0]), self.body())
        self.answer(await api.change_entry(self.store, self.user, self.now, given))

    async def delete(self, *args: str) -> None:
        self.answer(await api.delete_entry(self.store, self.user, self.now, int(args[0])))


class _ProgressHandler(_ApiHandler):
    async def get(self, *args: str) -> None:
        self.answer(await api.progress(self.store, self.user, self.now))


def _jsonable(value: object) -> object:
    """A view as plain JSON values: dataclasses as objects, enums as their values, dates as
    ISO text."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            field.name: _jsonable(getattr(value, field.name)) for field in dataclasses.fields(value)
        }
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_jsonable(item) for item in value]
    return value


def _route_name(path: str) -> str:
    """A request path without its ids, for a log line."""
    return re.sub(r"/[0-9]+", "/N", path)


def _no_access_log(handler: tornado.web.RequestHandler) -> None:
    """No access log: request lines carry nothing worth a line each."""
