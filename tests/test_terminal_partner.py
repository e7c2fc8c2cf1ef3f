"""The terminal chat plays two people: `:as Kim` opens the invite link `me` made, and back."""

from __future__ import annotations

import io
import re
import time
from collections.abc import Callable
from pathlib import Path

from bot.clock import OffsetClock
from bot.config import Settings
from bot.local.terminal import run_terminal_chat

_LINK = re.compile(r"https://t\.me/outreach_coach_bot\?start=[A-Za-z0-9_-]+")

Line = str | Callable[[], str]


class Typist(io.TextIOBase):
    """Input typed line by line; a callable line is worked out when it is read (the reader
    thread may wait in it for the bot's answer to an earlier line)."""

    def __init__(self, lines: list[Line]) -> None:
        super().__init__()
        self._lines = list(lines)

    def readline(self, size: int | None = -1) -> str:
        if not self._lines:
            return ""
        line = self._lines.pop(0)
        return (line() if callable(line) else line) + "\n"


def pasted_link(output: io.StringIO) -> Callable[[], str]:
    """The invite link, as soon as the terminal has shown it (what a person would copy)."""

    def wait() -> str:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            match = _LINK.search(output.getvalue())
            if match is not None:
                return match[0]
            time.sleep(0.05)
        return "no link was shown"

    return wait


async def test_me_invites_kim_and_kim_accepts_in_one_terminal(tmp_path: Path) -> None:
    output = io.StringIO()
    database = f"sqlite:///{tmp_path}/t.db"
    script: list[Line] = [
        "/partner",
        "1",  # 🔗 Invite a partner
        ":as Kim",
        pasted_link(output),
        "1",  # ✅ Yes, I'm in
        ":as me",
        "/partner",
        ":as 42",
    ]
    await run_terminal_chat(
        Settings(token=None, database_url=database),
        OffsetClock(),
        input_stream=Typist(script),
        output=output,
    )
    transcript = output.getvalue()
    assert "(!)" not in transcript, transcript
    kim_part = transcript[transcript.index("you> :as Kim") : transcript.index("you> :as me")]
    assert "You are now Kim, another Telegram user" in kim_part
    assert "(Telegram opens the link and sends /start " in kim_part
    assert "coach> 👋 Hi Kim! Alex would like you as their accountability partner" in kim_part
    assert "[1] ✅ Yes, I'm in  [2] No thanks" in kim_part
    assert "coach to me> 🤝 Kim said yes" in kim_part
    assert "coach> (edited) 🤝 You're Alex's accountability partner now" in kim_part
    after = transcript[transcript.index("you> :as me") :]
    assert "You are yourself again." in after
    assert "coach> 🤝 Kim has been your accountability partner since" in after
    assert "Try :as Kim" in after

    # Kim's chat lives in the terminal's own database: a second run opens it as before.
    again = io.StringIO()
    await run_terminal_chat(
        Settings(token=None, database_url=database),
        OffsetClock(),
        input_stream=io.StringIO("/partner\n"),
        output=again,
    )
    assert "Kim has been your accountability partner" in again.getvalue()
