"""Webhook mode: a small tornado server in front of the Application's update queue.

PTB's built-in webhook server reads a whole request body (up to 100 MB) into memory before it
looks at the secret. This one decides from the headers alone: a request without the right
secret (compared in constant time) gets 403, one that announces a body over
MAX_BODY_BYTES gets 413, both before a byte of the body is read; the server also cuts off a
body that grows past the limit while it streams in. Only then is the body parsed into an
Update and queued for the Application, as PTB's own server would.
"""

from __future__ import annotations

import hmac
import json
import logging
import re
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from http import HTTPStatus
from typing import Any

import tornado.web
from telegram import Update
from telegram.ext import Application, ExtBot
from tornado.httpserver import HTTPServer

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Telegram's updates are a few kilobytes; a megabyte leaves room for any of them.
MAX_BODY_BYTES = 1024 * 1024
# A client that sends its headers or body this slowly is cut off.
HEADER_TIMEOUT_SECONDS = 10.0
BODY_TIMEOUT_SECONDS = 10.0


@asynccontextmanager
async def webhook_server(
    application: Application[Any, Any, Any, Any, Any, Any],
    *,
    listen: str,
    port: int,
    path: str,
    secret: str,
    reuse_port: bool = False,
    routes: Sequence[tornado.web.URLSpec] = (),
) -> AsyncIterator[HTTPServer]:
    """Serve POST `path` on `listen:port`, queueing each accepted update for `application`;
    `routes` are served beside it (the Mini App). With `reuse_port` (SO_REUSEPORT, the
    REUSE_PORT setting) several replicas listen on one address and the kernel spreads the
    connections between them."""
    path = path.strip("/")
    route = rf"/{re.escape(path)}/?" if path else "/"
    hook = (route, _UpdateHandler, {"bot_application": application, "secret": secret.encode()})
    app = tornado.web.Application([hook, *routes], log_function=_no_access_log)
    server = HTTPServer(
        app,
        max_body_size=MAX_BODY_BYTES,
        max_buffer_size=MAX_BODY_BYTES,
        idle_connection_timeout=60,
        body_timeout=BODY_TIMEOUT_SECONDS,
    )
    server.listen(port, address=listen, reuse_port=reuse_port)
    logger.info("Webhook listening on %s:%s%s", listen, port, " (shared)" if reuse_port else "")
    try:
        yield server
    finally:
        server.stop()
        await server.close_all_connections()


def secret_matches(received: str | None, secret: bytes) -> bool:
    """Whether the request carried the secret; the comparison takes the same time for any
    wrong value of a given length."""
    return hmac.compare_digest((received or "").encode("utf-8", "replace"), secret)


@tornado.web.stream_request_body
class _UpdateHandler(tornado.web.RequestHandler):
    """One POST from Telegram: checked on its headers, then read, parsed and queued."""

    SUPPORTED_METHODS = ("POST",)  # type: ignore[assignment]

    def initialize(
        self, bot_application: Application[Any, Any, Any, Any, Any, Any], secret: bytes
    ) -> None:
        self.bot_application = bot_application
        self.secret = secret
        self.chunks: list[bytes] = []

    def prepare(self) -> None:
        """Refuse on the headers alone: wrong secret, or an announced body over the limit."""
        if not secret_matches(self.request.headers.get(SECRET_HEADER), self.secret):
            raise tornado.web.HTTPError(HTTPStatus.FORBIDDEN)
        announced = self.request.headers.get("Content-Length")
        if announced is not None and (not announced.isdecimal() or int(announced) > MAX_BODY_BYTES):
            raise tornado.web.HTTPError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)

    def data_received(self, chunk: bytes) -> None:
        """Keep the body (the server cuts off one that grows past MAX_BODY_BYTES)."""
        self.chunks.append(chunk)

    async def post(self) -> None:
        """Parse the update and queue it for the Application."""
        try:
            update = Update.de_json(json.loads(b"".join(self.chunks)), self.bot_application.bot)
        except (ValueError, TypeError, KeyError) as error:
            logger.warning("Webhook: a request that is not an update (%s)", type(error).__name__)
            raise tornado.web.HTTPError(HTTPStatus.BAD_REQUEST) from None
        bot = self.bot_application.bot
        if isinstance(bot, ExtBot):
            bot.insert_callback_data(update)
        logger.debug("Webhook: update %s received", update.update_id)
        await self.bot_application.update_queue.put(update)
        self.set_status(HTTPStatus.OK)

    def log_exception(self, *args: Any) -> None:
        """HTTP errors here are refusals, not faults: the status says it all."""

    def check_xsrf_cookie(self) -> None:
        """Telegram sends no cookies; the secret header is the check."""


def _no_access_log(handler: tornado.web.RequestHandler) -> None:
    """No access log: request lines are noise, and a refusal is not worth a line each."""
