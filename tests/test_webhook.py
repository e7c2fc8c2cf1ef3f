"""Webhook mode over HTTP: the secret header is required, and a real update gets an answer."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.application import build_application, webhook
from bot.clock import FrozenClock
from bot.config import load_settings
from bot.delivery.ratelimit import PacedRateLimiter
from bot.local.emulator import BotApiEmulator

CHAT = 777
SECRET = "s3cret-Token_for-tests"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
async def webhook_bot(
    tmp_path: Path, clock: FrozenClock
) -> AsyncIterator[tuple[BotApiEmulator, str]]:
    async with BotApiEmulator() as emulator:
        port = _free_port()
        settings = load_settings(
            {
                "TELEGRAM_BOT_TOKEN": emulator.token,
                "TELEGRAM_API_BASE_URL": emulator.base_url,
                "DATABASE_URL": f"sqlite:///{tmp_path / 'hook.db'}",
                "WEBHOOK_URL": f"https://coach.example/hooks/{port}",
                "WEBHOOK_SECRET": SECRET,
                "PORT": str(port),
            }
        )
        application = build_application(
            settings,
            clock,
            tick_schedules=False,
            rate_limiter=PacedRateLimiter(overall_per_second=None, chat_per_second=None),
        )
        async with webhook(application, settings, listen="127.0.0.1"):
            yield emulator, f"http://127.0.0.1:{port}/hooks/{port}"


def _update(update_id: int, text: str) -> dict[str, object]:
    chat = {"id": CHAT, "type": "private", "first_name": "Ana"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 1_795_000_000,
            "chat": chat,
            "from": {"id": CHAT, "is_bot": False, "first_name": "Ana"},
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(text)}],
        },
    }


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
        response = await client.post(url, json=_update(1, "/help"), headers=headers)
    assert response.status_code == 403
    await asyncio.sleep(0.1)
    assert emulator.messages(CHAT) == []


async def test_an_update_with_the_secret_is_answered(
    webhook_bot: tuple[BotApiEmulator, str],
) -> None:
    emulator, url = webhook_bot
    async with httpx.AsyncClient() as client:
        response = await client.post(
            url, json=_update(1, "/help"), headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
        )
    assert response.status_code == 200
    await _wait_for_reply(emulator, 1)
    assert "What I can do" in emulator.messages(CHAT)[0].text
    assert emulator.violations == []
