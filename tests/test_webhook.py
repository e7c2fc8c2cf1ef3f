"""Webhook mode over HTTP: the secret header is required, and a real update gets an answer."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bench.processes import free_port
from bot.application import build_application, webhook
from bot.clock import FrozenClock
from bot.config import Settings, load_settings
from bot.delivery.ratelimit import PacedRateLimiter
from bot.local.emulator import BotApiEmulator
from bot.webhook import MAX_BODY_BYTES, secret_matches
from tests.harness import command_update

CHAT = 777
SECRET = "s3cret-Token_for-tests"


def _settings(
    emulator: BotApiEmulator, tmp_path: Path, port: int, url: str, **more: str
) -> Settings:
    return load_settings(
        {
            "TELEGRAM_BOT_TOKEN": emulator.token,
            "TELEGRAM_API_BASE_URL": emulator.base_url,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'hook.db'}",
            "WEBHOOK_URL": url,
            "WEBHOOK_SECRET": SECRET,
            "PORT": str(port),
            **more,
        }
    )


@pytest.fixture
async def webhook_bot(
    tmp_path: Path, clock: FrozenClock
) -> AsyncIterator[tuple[BotApiEmulator, str]]:
    async with BotApiEmulator() as emulator:
        port = free_port()
        settings = _settings(emulator, tmp_path, port, f"https://coach.example/hooks/{port}")
        application = build_application(
            settings,
            clock,
            tick_schedules=False,
            rate_limiter=PacedRateLimiter(overall_per_second=None, chat_per_second=None),
        )
        async with webhook(application, settings, listen="127.0.0.1"):
            yield emulator, f"http://127.0.0.1:{port}/hooks/{port}"


async def _wait_for_reply(emulator: BotApiEmulator, count: int) -> None:
    for _ in range(200):
        if len(emulator.messages(CHAT)) >= count:
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the bot did not answer the webhook update")


async def test_the_webhook_is_registered_with_its_secret(
    webhook_bot: tuple[BotApiEmulator, str],
) -> None:
    emulator, _ = webhook_bot
    [call] = [call for call in emulator.calls if call.method == "setWebhook"]
    assert call.params["secret_token"] == SECRET
    assert str(call.params["url"]).startswith("https://coach.example/hooks/")


@pytest.mark.parametrize("headers", [{}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}])
async def test_requests_without_the_right_secret_are_refused(
    webhook_bot: tuple[BotApiEmulator, str], headers: dict[str, str]
) -> None:
    emulator, url = webhook_bot
    async with httpx.AsyncClient() as client:
        response = await client.post(url, json=command_update(1, CHAT, "/help"), headers=headers)
    assert response.status_code == 403
    await asyncio.sleep(0.1)
    assert emulator.messages(CHAT) == []


async def test_an_update_with_the_secret_is_answered(
    webhook_bot: tuple[BotApiEmulator, str],
) -> None:
    emulator, url = webhook_bot
    async with httpx.AsyncClient() as client:
        response = await client.post(
            url,
            json=command_update(1, CHAT, "/help"),
            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
        )
    assert response.status_code == 200
    await _wait_for_reply(emulator, 1)
    assert "What I can do" in emulator.messages(CHAT)[0].text
    assert emulator.violations == []


async def _answer_to_headers(url: str, headers: dict[str, str], *, host: str = "127.0.0.1") -> str:
    """Send only a request's headers (the body it announces never comes); the status line."""
    path = url.split("/", 3)[3]
    port = int(url.split(":")[2].split("/")[0])
    reader, writer = await asyncio.open_connection(host, port)
    head = f"POST /{path} HTTP/1.1\r\nHost: {host}\r\n" + "".join(
        f"{name}: {value}\r\n" for name, value in headers.items()
    )
    writer.write((head + "\r\n").encode())
    await writer.drain()
    status = await asyncio.wait_for(reader.readline(), 5)
    writer.close()
    return status.decode().strip()


async def test_a_huge_body_without_the_secret_is_refused_before_it_is_read(
    webhook_bot: tuple[BotApiEmulator, str],
) -> None:
    _, url = webhook_bot
    ninety_megabytes = str(90 * 1024 * 1024)
    status = await _answer_to_headers(
        url, {"Content-Type": "application/json", "Content-Length": ninety_megabytes}
    )
    assert status.startswith("HTTP/1.1 403"), status


async def test_a_body_over_the_limit_is_refused_even_with_the_secret(
    webhook_bot: tuple[BotApiEmulator, str],
) -> None:
    emulator, url = webhook_bot
    status = await _answer_to_headers(
        url,
        {
            "Content-Type": "application/json",
            "Content-Length": str(MAX_BODY_BYTES + 1),
            "X-Telegram-Bot-Api-Secret-Token": SECRET,
        },
    )
    assert status.startswith("HTTP/1.1 413"), status

    # A body that grows past the limit without announcing its length is cut off too...
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(MAX_BODY_BYTES // 65536 + 2):
            yield b" " * 65536

    async with httpx.AsyncClient() as client:
        try:
            response = await client.post(
                url, content=chunks(), headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
            )
            refused = response.status_code >= 400
        except httpx.TransportError:
            refused = True
    assert refused
    # ...and the bot still answers a real update afterwards.
    async with httpx.AsyncClient() as client:
        response = await client.post(
            url,
            json=command_update(2, CHAT, "/help"),
            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
        )
    assert response.status_code == 200
    await _wait_for_reply(emulator, 1)


@pytest.mark.parametrize(
    ("received", "matches"),
    [
        (SECRET, True),
        (None, False),
        ("", False),
        (SECRET[:-1], False),
        (SECRET + "x", False),
        (SECRET.upper(), False),
        ("ünïcode", False),
    ],
)
def test_the_secret_must_match_exactly(received: str | None, matches: bool) -> None:
    assert secret_matches(received, SECRET.encode()) is matches


async def test_the_webhook_listens_on_the_listen_address_only(
    tmp_path: Path, clock: FrozenClock
) -> None:
    async with BotApiEmulator() as emulator:
        port = free_port()
        settings = _settings(
            emulator, tmp_path, port, "https://coach.example/hook", LISTEN="127.0.0.2"
        )
        application = build_application(settings, clock, tick_schedules=False)
        async with webhook(application, settings):
            status = await _answer_to_headers(
                f"http://127.0.0.2:{port}/hook", {"Content-Length": "0"}, host="127.0.0.2"
            )
            assert status.startswith("HTTP/1.1 403")
            with pytest.raises(ConnectionRefusedError):
                await asyncio.open_connection("127.0.0.1", port)
