"""Who opened the Mini App: Telegram's launch parameters (`initData`), checked as Telegram
documents (https://core.telegram.org/bots/webapps#validating-data-received-via-the-mini-app).

The page sends the `initData` string it was opened with on every API call. It is a query
string whose `hash` is HMAC-SHA256 of the other fields (sorted `key=value` lines), keyed with
HMAC-SHA256("WebAppData", bot token): only Telegram and the bot know the token, so a valid hash
proves Telegram issued these fields to this user. It must also be fresh (`auth_date` within a
day). A private chat's id is its user's id, so the user id is the chat every read and write is
scoped to.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, quote, urlencode

MAX_AGE = timedelta(days=1)
# A client's clock may run a little ahead of ours.
CLOCK_SKEW = timedelta(minutes=5)
# Real launch parameters are well under a kilobyte or two (a user with a photo URL).
MAX_INIT_DATA_LENGTH = 8192
MAX_FIELDS = 32
_HASH = re.compile(r"[0-9a-f]{64}")
_UNIX_TIME = re.compile(r"[0-9]{1,12}")
# What a Telegram client reports as the Mini App API version it speaks, in the URL fragment.
WEB_APP_VERSION = "8.0"


class Unauthorized(Exception):
    """Launch parameters that do not prove who is calling; the reason is for tests and logs
    (never shown: the page says only to open it from the bot again)."""


@dataclass(frozen=True)
class WebAppUser:
    """The Telegram user the launch parameters were issued to."""

    id: int
    first_name: str | None


def secret_key(token: str) -> bytes:
    """The key the hash is made with: HMAC-SHA256 of the bot token, keyed with "WebAppData"."""
    return hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()


def verify_init_data(init_data: str, token: str, now: datetime) -> WebAppUser:
    """The user the launch parameters were issued to; Unauthorized unless their hash is the
    bot's (compared in constant time), they are at most a day old and name a user."""
    if not init_data or len(init_data) > MAX_INIT_DATA_LENGTH:
        raise Unauthorized("no launch parameters, or too long")
    try:
        pairs = parse_qsl(
            init_data,
            keep_blank_values=True,
            strict_parsing=True,
            errors="strict",
            max_num_fields=MAX_FIELDS,
        )
    except ValueError:
        raise Unauthorized("not a query string") from None
    fields = dict(pairs)
    if len(fields) != len(pairs):
        raise Unauthorized("a field given twice")
    received = fields.pop("hash", "")
    if not _HASH.fullmatch(received):
        raise Unauthorized("no hash")
    if not hmac.compare_digest(_hash(fields, token), received):
        raise Unauthorized("the hash is not the bot's")
    auth_date = fields.get("auth_date", "")
    if not _UNIX_TIME.fullmatch(auth_date):
        raise Unauthorized("no auth_date")
    issued = datetime.fromtimestamp(int(auth_date), UTC)
    if issued < now - MAX_AGE:
        raise Unauthorized("older than a day")
    if issued > now + CLOCK_SKEW:
        raise Unauthorized("issued in the future")
    return _user(fields.get("user", ""))


def sign_init_data(
    token: str, user: Mapping[str, object], issued: datetime, *, query_id: str | None = None
) -> str:
    """Launch parameters for `user` as Telegram issues them, signed with `token` (what the
    local emulator and the tests hand the page)."""
    fields = {"auth_date": str(int(issued.timestamp())), "user": _compact_json(user)}
    if query_id is not None:
        fields["query_id"] = query_id
    return urlencode({**fields, "hash": _hash(fields, token)}, quote_via=quote)


def launch_fragment(
    init_data: str, theme: Mapping[str, str] | None = None, *, platform: str = "unknown"
) -> str:
    """The URL fragment a Telegram client opens the Mini App with (without the `#`)."""
    params = {
        "tgWebAppData": init_data,
        "tgWebAppVersion": WEB_APP_VERSION,
        "tgWebAppPlatform": platform,
    }
    if theme is not None:
        params["tgWebAppThemeParams"] = _compact_json(theme)
    return urlencode(params, quote_via=quote)


def _hash(fields: Mapping[str, str], token: str) -> str:
    check_string = "\n".join(f"{key}={value}" for key, value in sorted(fields.items()))
    return hmac.new(secret_key(token), check_string.encode(), hashlib.sha256).hexdigest()


def _user(text: str) -> WebAppUser:
    try:
        user = json.loads(text)
    except ValueError:
        raise Unauthorized("no user") from None
    user_id = user.get("id") if isinstance(user, dict) else None
    if not isinstance(user_id, int) or isinstance(user_id, bool) or not 0 < user_id < 2**53:
        raise Unauthorized("no user id")
    first_name = user.get("first_name")
    return WebAppUser(user_id, first_name if isinstance(first_name, str) else None)


def _compact_json(value: Mapping[str, object]) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
