"""The terminal chat serves the Mini App on this machine: its buttons and `:app` print an
address a browser can open, signed for whoever the person at the keyboard is playing."""

from __future__ import annotations

import io
import re
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from bot.clock import OffsetClock
from bot.config import Settings
from bot.local.terminal import run_terminal_chat
from tests.miniapp import init_data_of
from tests.test_terminal_partner import Line, Typist

_ADDRESS = re.compile(r"http://127\.0\.0\.1:\d+/app\S*#tgWebAppData=\S+")
_APP_BUTTON = re.compile(r"\[(\d+)\] 📇 Search and edit in the app \(opens the app\)")


def _when_shown(output: io.StringIO, pattern: re.Pattern[str], then: Callable[[str], str]) -> Line:
    """A line worked out once the terminal has shown `pattern` (its last match)."""

    def wait() -> str:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            found = pattern.findall(output.getvalue())
            if found:
                return then(found[-1])
            time.sleep(0.05)
        return ":say nothing was shown"

    return wait


async def test_the_app_opens_in_a_browser_for_whoever_is_typing(tmp_path: Path) -> None:
    output = io.StringIO()
    seen: list[object] = []

    def call_the_api(address: str) -> str:
        """What the page does with the address: call the API with its launch parameters."""
        base = address.split("?")[0].split("#")[0]
        auth = {"Authorization": f"tma {init_data_of(address)}"}
        seen.append(httpx.get(f"{base}/api/contacts", headers=auth, timeout=10).json())
        seen.append(httpx.get(f"{base}/api/contacts", timeout=10).status_code)
        return ":as Kim"

    script: list[Line] = [
        "/add Ana López",
        "/contacts",
        _when_shown(output, _APP_BUTTON, lambda number: number),
        _when_shown(output, _ADDRESS, call_the_api),
        ":app",
    ]
    await run_terminal_chat(
        Settings(token=None, database_url=f"sqlite:///{tmp_path}/t.db"),
        OffsetClock(),
        input_stream=Typist(script),
        output=output,
    )
    transcript = output.getvalue()
    assert "(!)" not in transcript, transcript
    assert "Open this in a browser (it works for a day, as me):" in transcript
    assert "Open this in a browser (it works for a day, as Kim):" in transcript
    listed, refused = seen
    assert [row["name"] for row in listed["contacts"]] == ["Ana López"]  # type: ignore[index]
    assert refused == 401
    mine, kims = _ADDRESS.findall(transcript)
    assert "?screen=contacts#" in mine
    assert "%2522id%2522%253A1%252C" in mine
    assert "%2522id%2522%253A2%252C" in kims
