"""How the bot's requests reach the Bot API: python-telegram-bot's request interface on
aiohttp.

PTB's default transport (httpx over httpcore and anyio) spends about 1 ms of CPU on each
request on this machine; aiohttp's, with its compiled HTTP parser, about a tenth of that
(docs/BENCHMARKS.md). A coach's own work per message is about as small, so the transport
was a third of the fan-out's CPU and much of a reply's.

Failures keep PTB's meaning (a timeout is `TimedOut`, anything else on the way
`NetworkError`) and say which side of sending they happened on: `ConnectionFailed` (no
connection was made: the request surely did not arrive) or `ConnectionLost` (the connection
closed before the answer: it may have arrived). The rate limiter decides what to retry from
that (`ratelimit.may_have_arrived`).
"""

from __future__ import annotations

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput, UploadFileDict
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

FORM_ENCODED = {"Content-Type": "application/x-www-form-urlencoded"}


class ConnectionFailed(NetworkError):
    """No connection to the Bot API could be made: the request was not sent."""


class ConnectionLost(NetworkError):
    """The connection closed before an answer came: the request may have taken effect."""


class AiohttpRequest(BaseRequest):
    """PTB's `BaseRequest` over one aiohttp session with a pool of keep-alive connections.

    The timeouts are PTB's: `connect_timeout` to open a connection (after `pool_timeout` to
    get a free one), `read_timeout` between bytes of the answer, `write_timeout` to send the
    request (`media_write_timeout` when it carries a file). A call may pass its own.
    """

    def __init__(
        self,
        connection_pool_size: int = 256,
        *,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        """The default read timeout, in seconds."""
        return self._read_timeout

    async def initialize(self) -> None:
        """Open the session (it belongs to the running event loop)."""
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._pool_size, ttl_dns_cache=300)
            self._session = aiohttp.ClientSession(
                connector=connector, headers={"User-Agent": self.USER_AGENT}
            )

    async def shutdown(self) -> None:
        """Close the session and its connections."""
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Send one request; its status and body (PTB reads the Bot API's answer from them)."""
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data.multipart_data if request_data else None
        body: aiohttp.FormData | str | None = None
        headers = None
        if request_data is not None and files:
            body = _multipart(request_data, files)
        elif request_data is not None and request_data.parameters:
            body, headers = request_data.url_encoded_parameters(), FORM_ENCODED
        timeout = self._timeout(
            _given(read_timeout, self._read_timeout),
            _given(write_timeout, self._media_write_timeout if files else self._write_timeout),
            _given(connect_timeout, self._connect_timeout),
            _given(pool_timeout, self._pool_timeout),
        )
        try:
            async with self._session.request(
                method, url, data=body, headers=headers, timeout=timeout
            ) as response:
                return response.status, await response.read()
        except TimeoutError as error:
            raise TimedOut from error
        except aiohttp.ClientConnectorError as error:
            raise ConnectionFailed(f"Could not connect to the Bot API: {error}") from error
        except aiohttp.ClientError as error:
            raise ConnectionLost(f"Connection lost: {type(error).__name__}: {error}") from error

    @staticmethod
    def _timeout(
        read: float | None, write: float | None, connect: float | None, pool: float | None
    ) -> aiohttp.ClientTimeout:
        # aiohttp has no write timeout of its own: the whole request may take the write and
        # the read time together; reading waits at most `read` between bytes.
        opening = None if connect is None or pool is None else connect + pool
        whole = None if read is None or write is None or opening is None else opening + write + read
        return aiohttp.ClientTimeout(
            total=whole, connect=opening, sock_connect=connect, sock_read=read
        )


def _given(value: ODVInput[float], default: float | None) -> float | None:
    return default if isinstance(value, DefaultValue) else value


def _multipart(request_data: RequestData, files: UploadFileDict) -> aiohttp.FormData:
    form = aiohttp.FormData()
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, (filename, content, mime_type) in files.items():
        form.add_field(name, content, filename=filename, content_type=mime_type)
    return form
