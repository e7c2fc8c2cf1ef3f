"""Calling the Mini App's API over HTTP as its page does: launch parameters in the
Authorization header."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from tests.harness import CHAT, BotHarness


def init_data_of(address: str) -> str:
    """The launch parameters (`tgWebAppData`) in the fragment of an address Telegram opens."""
    return parse_qs(urlsplit(address).fragment)["tgWebAppData"][0]


class AppClient:
    """The page's calls, for one user (or with launch parameters of the test's choosing)."""

    def __init__(self, bot: BotHarness, chat_id: int = CHAT, *, init_data: str | None = None):
        assert bot.app_url is not None, "start the bot with its Mini App (app_bot)"
        self.base = bot.app_url
        self.init_data = init_data_of(bot.open_app(chat_id)) if init_data is None else init_data

    async def call(
        self,
        method: str,
        path: str,
        body: object = None,
        *,
        authorization: str | None = None,
        content: bytes | None = None,
    ) -> tuple[int, Any]:
        """The status and the decoded JSON of one API call (`authorization` "" sends none)."""
        if authorization is None:
            authorization = f"tma {self.init_data}"
        headers = {"Authorization": authorization} if authorization else {}
        async with httpx.AsyncClient(timeout=10) as client:
            response = await client.request(
                method,
                f"{self.base}/api/{path}",
                headers=headers,
                json=body if content is None and body is not None else None,
                content=content,
            )
        return response.status_code, response.json()

    async def get(self, path: str) -> Any:
        """A GET that must succeed: its JSON."""
        status, data = await self.call("GET", path)
        assert status == 200, (status, data)
        return data

    async def names(self, query: str = "") -> list[str]:
        """The names the contact list shows, in order."""
        data = await self.get(f"contacts{'?' + query if query else ''}")
        return [row["name"] for row in data["contacts"]]

    async def contact_id(self, name: str) -> int:
        """The id of the contact called `name` in this user's list."""
        data = await self.get("contacts")
        [found] = [row["id"] for row in data["contacts"] if row["name"] == name]
        return int(found)
