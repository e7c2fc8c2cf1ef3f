"""What /export holds, read back as a user would get it: the JSON document."""

from __future__ import annotations

import json
from typing import Any

from tests.harness import CHAT, BotHarness


async def exported(bot: BotHarness, chat_id: int = CHAT) -> dict[str, Any]:
    """Send /export and return its JSON document."""
    before = len(bot.emulator.messages(chat_id))
    await bot.say("/export", chat_id=chat_id)
    json_file = next(
        message
        for message in bot.emulator.messages(chat_id)[before:]
        if message.filename and message.filename.endswith(".json")
    )
    assert json_file.data is not None
    document: dict[str, Any] = json.loads(json_file.data)
    return document


def labels(bot: BotHarness, chat_id: int = CHAT) -> list[str]:
    """The button labels of the newest bot message, in order."""
    return [item.text for row in bot.last(chat_id).buttons for item in row]
