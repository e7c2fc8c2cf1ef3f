"""Settings from the environment: checked at start, one clear line when wrong."""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest

from bot.config import DEFAULT_DATABASE_URL, SettingsError, load_settings
from bot.logs import RedactingFilter

TOKEN = "123456:" + "A" * 35


def test_defaults() -> None:
    settings = load_settings({"TELEGRAM_BOT_TOKEN": TOKEN})
    assert settings.database_url == DEFAULT_DATABASE_URL
    assert settings.bot_api_url == "https://api.telegram.org/bot"
    assert settings.webhook_url is None
    assert settings.log_level == "INFO"
    assert settings.listen == "0.0.0.0"
    assert settings.partners is True


def test_a_local_api_server_with_or_without_the_bot_suffix() -> None:
    for url in ("http://127.0.0.1:8081", "http://127.0.0.1:8081/", "http://127.0.0.1:8081/bot"):
        settings = load_settings({"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": url})
        assert settings.bot_api_url == "http://127.0.0.1:8081/bot"


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({}, "TELEGRAM_BOT_TOKEN is not set"),
        ({"TELEGRAM_BOT_TOKEN": "nope"}, "does not look like a bot token"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "DATABASE_URL": "mysql://x"}, "must start with sqlite"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "DATABASE_URL": "sqlite://x.db"}, "three slashes"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "DATABASE_URL": "sqlite:////no/such/dir/x.db"}, "folder"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "DATABASE_URL": "postgresql:///db"}, "name a host"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "PORT": "99999"}, "PORT"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "LISTEN": "everywhere"}, "LISTEN must be an IP address"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "WEBHOOK_URL": "https://x.example/hook"}, "WEBHOOK_SECRET"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": "ftp://x"}, "http"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "PARTNERS": "maybe"}, "PARTNERS must be on or off"),
    ],
)
def test_malformed_settings_name_the_problem(environ: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        load_settings(environ)


@pytest.mark.parametrize("address", ["127.0.0.1", "0.0.0.0", "::", "::1", "10.1.2.3"])
def test_the_listen_address_is_any_ip_address(address: str) -> None:
    assert load_settings({"TELEGRAM_BOT_TOKEN": TOKEN, "LISTEN": address}).listen == address


@pytest.mark.parametrize(
    ("text", "on"), [("on", True), ("off", False), (" OFF ", False), ("", True)]
)
def test_partners_is_on_or_off(text: str, on: bool) -> None:
    assert load_settings({"TELEGRAM_BOT_TOKEN": TOKEN, "PARTNERS": text}).partners is on


def test_the_token_is_not_needed_for_the_terminal_chat() -> None:
    assert load_settings({}, require_token=False).token is None


def test_run_with_a_malformed_setting_exits_with_one_line() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "run"],
        env={"TELEGRAM_BOT_TOKEN": TOKEN, "DATABASE_URL": "mysql://nope", "PATH": ""},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "DATABASE_URL" in result.stderr
    assert TOKEN not in result.stderr


def test_the_redacting_filter_hides_the_token_in_messages_and_tracebacks() -> None:
    record = logging.LogRecord(
        "httpx", logging.INFO, __file__, 1, "POST %s", (f"https://x/bot{TOKEN}/getMe",), None
    )
    try:
        raise RuntimeError(f"failed at /bot{TOKEN}/sendMessage")
    except RuntimeError:
        record.exc_info = sys.exc_info()
    assert RedactingFilter([TOKEN]).filter(record)
    formatted = logging.Formatter().format(record)
    assert TOKEN not in formatted
    assert "/bot[token]/getMe" in formatted
    assert "/bot[token]/sendMessage" in formatted


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"WEBAPP_URL": "http://coach.example/app"}, "must be an https:// URL"),
        ({"WEBAPP_URL": "ftp://coach.example/app"}, "must be an https:// URL"),
        ({"WEBAPP_URL": "https://coach.example/app?x=1"}, "must be a plain address"),
        ({"WEBAPP_URL": "https://coach.example/app#top"}, "must be a plain address"),
        ({"WEBAPP_URL": "https:///app"}, "must be a plain address"),
        ({"WEBAPP_URL": "https://coach.example/a pp"}, "path may hold only"),
        ({"WEBAPP_URL": "https://coach.example/../app"}, "path may hold only"),
        (
            {
                "WEBAPP_URL": "https://coach.example/bot",
                "WEBHOOK_URL": "https://coach.example/bot/",
                "WEBHOOK_SECRET": "s3cret",
            },
            "a path of its own",
        ),
        (
            {
                "WEBAPP_URL": "https://coach.example/",
                "WEBHOOK_URL": "https://coach.example/api/telegram",
                "WEBHOOK_SECRET": "s3cret",
            },
            "a path of its own",
        ),
    ],
)
def test_a_webapp_url_that_cannot_work_names_the_problem(
    environ: dict[str, str], message: str
) -> None:
    with pytest.raises(SettingsError, match=message):
        load_settings({"TELEGRAM_BOT_TOKEN": TOKEN, **environ})


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("https://coach.example/app", "app"),
        ("https://coach.example/coach/app/", "coach/app"),
        ("https://coach.example", ""),
        ("http://127.0.0.1:8080/app", "app"),
        ("http://localhost:8080/", ""),
    ],
)
def test_the_webapp_is_off_without_its_url_and_served_at_its_path(url: str, path: str) -> None:
    assert load_settings({"TELEGRAM_BOT_TOKEN": TOKEN}).webapp_url is None
    settings = load_settings(
        {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "WEBAPP_URL": url,
            "WEBHOOK_URL": "https://coach.example/telegram",
            "WEBHOOK_SECRET": "s3cret",
        }
    )
    assert (settings.webapp_url, settings.webapp_path) == (url, path)
