"""Operator settings, read from the environment and checked at start (PRODUCT section 6)."""

from __future__ import annotations

import ipaddress
import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from bot.coaching.errors import InputError

DEFAULT_DATABASE_URL = "sqlite:///./outreach-coach.db"
# The terminal chat's own file: it never opens the bot's real database by default.
CHAT_DATABASE_URL = "sqlite:///./outreach-coach-chat.db"
TELEGRAM_API_BASE_URL = "https://api.telegram.org"
_TOKEN_PATTERN = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{30,}$")
FREE_BROADCAST_RATE = 30
"""Telegram's free limit for messages to many chats, a second."""
PAID_BROADCAST_RATE = 1000
"""Telegram's limit with paid broadcasts (`allow_paid_broadcast`), a second."""


class SettingsError(InputError):
    """A setting is missing or malformed; the message names the setting and what is wrong."""


@dataclass(frozen=True)
class Settings:
    """Everything an operator can set."""

    token: str | None
    api_base_url: str = TELEGRAM_API_BASE_URL
    database_url: str = DEFAULT_DATABASE_URL
    webhook_url: str | None = None
    webhook_secret: str | None = None
    port: int = 8443
    listen: str = "0.0.0.0"
    log_level: str = "INFO"
    partners: bool = True
    webapp_url: str | None = None
    broadcast_rate: int = FREE_BROADCAST_RATE
    paid_broadcast: bool = False
    reuse_port: bool = False

    @property
    def webapp_path(self) -> str:
        """The path the Mini App is served at (from WEBAPP_URL), without slashes at the ends;
        empty for the root."""
        return urlsplit(self.webapp_url or "").path.strip("/")

    def secrets(self) -> list[str]:
        """What must never be written out: the token, the webhook secret, the database
        password."""
        password = urlsplit(self.database_url).password
        return [value for value in (self.token, self.webhook_secret, password) if value]

    @property
    def bot_api_url(self) -> str:
        """The URL prefix the token is appended to: `<server>/bot`."""
        return self.api_base_url.rstrip("/") + "/bot"

    @property
    def bot_file_url(self) -> str:
        """The URL prefix for file downloads: `<server>/file/bot`."""
        return self.api_base_url.rstrip("/") + "/file/bot"


def load_settings(
    environ: Mapping[str, str] | None = None, *, require_token: bool = True
) -> Settings:
    """Read and check the settings; raise SettingsError with one clear line when one is wrong."""
    env = os.environ if environ is None else environ
    token = env.get("TELEGRAM_BOT_TOKEN", "").strip() or None
    if token is None and require_token:
        raise SettingsError("TELEGRAM_BOT_TOKEN is not set: get a token from @BotFather.")
    if token is not None and not _TOKEN_PATTERN.match(token):
        raise SettingsError(
            "TELEGRAM_BOT_TOKEN does not look like a bot token (expected digits, a colon, "
            "then at least 30 letters, digits, '-' or '_')."
        )
    api_base_url = env.get("TELEGRAM_API_BASE_URL", "").strip() or TELEGRAM_API_BASE_URL
    _check_http_url("TELEGRAM_API_BASE_URL", api_base_url)
    api_base_url = api_base_url.rstrip("/").removesuffix("/bot")
    database_url = env.get("DATABASE_URL", "").strip() or DEFAULT_DATABASE_URL
    check_database_url(database_url)
    webhook_url = env.get("WEBHOOK_URL", "").strip() or None
    webhook_secret = env.get("WEBHOOK_SECRET", "").strip() or None
    if webhook_url is not None:
        _check_http_url("WEBHOOK_URL", webhook_url)
        if webhook_secret is None or not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", webhook_secret):
            raise SettingsError(
                "WEBHOOK_SECRET must be set with WEBHOOK_URL: 1-256 letters, digits, '-' or '_'."
            )
    port_text = env.get("PORT", "").strip() or "8443"
    if not port_text.isdecimal() or not 0 < int(port_text) < 65536:
        raise SettingsError(f"PORT must be a number from 1 to 65535, not {port_text!r}.")
    listen = env.get("LISTEN", "").strip() or "0.0.0.0"
    try:
        ipaddress.ip_address(listen)
    except ValueError:
        raise SettingsError(
            "LISTEN must be an IP address: 0.0.0.0 (every interface), 127.0.0.1 (this machine "
            f"only, behind a proxy) or another of this machine's addresses, not {listen!r}."
        ) from None
    log_level = (env.get("LOG_LEVEL", "").strip() or "INFO").upper()
    if not isinstance(logging.getLevelName(log_level), int):
        raise SettingsError(
            f"LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, not {log_level!r}."
        )
    partners = _switch(env, "PARTNERS", default=True)
    paid_broadcast = _switch(env, "PAID_BROADCAST", default=False)
    broadcast_rate = _broadcast_rate(env, paid_broadcast=paid_broadcast)
    webapp_url = env.get("WEBAPP_URL", "").strip() or None
    if webapp_url is not None:
        check_webapp_url(webapp_url, webhook_url)
    return Settings(
        token=token,
        api_base_url=api_base_url,
        database_url=database_url,
        webhook_url=webhook_url,
        webhook_secret=webhook_secret,
        port=int(port_text),
        listen=listen,
        log_level=log_level,
        partners=partners,
        webapp_url=webapp_url,
        broadcast_rate=broadcast_rate,
        paid_broadcast=paid_broadcast,
        reuse_port=_switch(env, "REUSE_PORT", default=False),
    )


def _switch(env: Mapping[str, str], name: str, *, default: bool) -> bool:
    """An on/off setting; SettingsError for anything else."""
    text = env.get(name, "").strip().lower()
    if not text:
        return default
    if text not in ("on", "off"):
        raise SettingsError(f"{name} must be on or off, not {text!r}.")
    return text == "on"


def _broadcast_rate(env: Mapping[str, str], *, paid_broadcast: bool) -> int:
    """BROADCAST_RATE: scheduled messages a second, at most 30 for free, at most 1000 with
    paid broadcasts."""
    text = env.get("BROADCAST_RATE", "").strip() or str(FREE_BROADCAST_RATE)
    if not text.isdecimal() or not 0 < int(text) <= PAID_BROADCAST_RATE:
        raise SettingsError(
            "BROADCAST_RATE must be a whole number of scheduled messages a second, from 1 to "
            f"{PAID_BROADCAST_RATE}, not {text!r}."
        )
    rate = int(text)
    if rate > FREE_BROADCAST_RATE and not paid_broadcast:
        raise SettingsError(
            f"BROADCAST_RATE above {FREE_BROADCAST_RATE} needs paid broadcasts: Telegram allows "
            f"{FREE_BROADCAST_RATE} messages a second for free. Turn on PAID_BROADCAST=on "
            "(Telegram charges Stars for the messages above the free limit) or lower "
            "BROADCAST_RATE."
        )
    return rate


def check_database_url(url: str) -> None:
    """Raise SettingsError unless `url` is `sqlite:///PATH` or `postgresql://...`."""
    scheme, _, rest = url.partition("://")
    if scheme == "sqlite":
        path = rest.removeprefix("/")
        if not rest.startswith("/") or not path:
            raise SettingsError(
                "DATABASE_URL for SQLite must look like sqlite:///PATH (three slashes), "
                f"for example {DEFAULT_DATABASE_URL}."
            )
        if path != ":memory:" and not Path(path).parent.exists():
            raise SettingsError(f"DATABASE_URL points into a folder that does not exist: {path}.")
        return
    if scheme in ("postgresql", "postgres"):
        if not urlsplit(url).hostname and "host=" not in url:
            raise SettingsError(
                "DATABASE_URL for PostgreSQL must name a host: postgresql://HOST/DB."
            )
        return
    raise SettingsError(
        f"DATABASE_URL must start with sqlite:/// or postgresql:// (got {scheme or 'no scheme'!r})."
    )


def check_webapp_url(url: str, webhook_url: str | None = None) -> None:
    """Raise SettingsError unless `url` can be the Mini App's address: https (Telegram opens
    Mini Apps over HTTPS only; http only on this machine, for trying it out), no query or
    fragment (Telegram adds its launch parameters after a `#`), and a path of its own beside
    the webhook's."""
    parts = urlsplit(url)
    local = parts.hostname in ("localhost", "127.0.0.1", "::1")
    if parts.scheme != "https" and not (parts.scheme == "http" and local):
        raise SettingsError(
            "WEBAPP_URL must be an https:// URL: Telegram opens Mini Apps over HTTPS only "
            "(http:// works for localhost, to try the page in a browser)."
        )
    if not parts.hostname or parts.query or parts.fragment:
        raise SettingsError(
            "WEBAPP_URL must be a plain address such as https://coach.example.com/app, "
            "without ?query or #fragment."
        )
    if not re.fullmatch(r"[A-Za-z0-9_./-]*", parts.path) or ".." in parts.path:
        raise SettingsError(
            "WEBAPP_URL's path may hold only letters, digits and - _ . / (for example /app)."
        )
    if webhook_url is not None:
        hook = urlsplit(webhook_url).path.strip("/")
        page = parts.path.strip("/")
        owned = [f"{page}/{part}" if page else part for part in ("api", "static")]
        if hook == page or any(hook == path or hook.startswith(f"{path}/") for path in owned):
            raise SettingsError(
                "WEBAPP_URL and WEBHOOK_URL share one port: give each a path of its own, "
                "for example /app and /telegram."
            )


def _check_http_url(name: str, url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SettingsError(f"{name} must be an http:// or https:// URL.")
