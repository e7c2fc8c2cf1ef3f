"""A headless Chromium for the Mini App's browser tests: Debian's /usr/bin/chromium driven by
Playwright (its own browser download is not used), or a skip that says why."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Without the networking flags Chromium keeps trying to reach Google's hosts.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# A phone: the page must fit 390 CSS pixels and be tapped, not clicked.
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "has_touch": True}
SCREENSHOTS = Path(os.environ.get("SCREENSHOTS", Path(__file__).parent.parent / "test-output"))
# What Telegram's clients send as theme parameters (its default light and night themes).
LIGHT_THEME = {
    "bg_color": "#ffffff",
    "secondary_bg_color": "#efeff3",
    "text_color": "#000000",
    "hint_color": "#999999",
    "link_color": "#2481cc",
    "button_color": "#2481cc",
    "button_text_color": "#ffffff",
    "section_bg_color": "#ffffff",
    "destructive_text_color": "#ff3b30",
}
DARK_THEME = {
    "bg_color": "#212d3b",
    "secondary_bg_color": "#151e27",
    "text_color": "#ffffff",
    "hint_color": "#7d8b99",
    "link_color": "#5eabe1",
    "button_color": "#50a8eb",
    "button_text_color": "#ffffff",
    "section_bg_color": "#1d2733",
    "destructive_text_color": "#ee686f",
}


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (make test installs Debian's chromium)"
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (it is in the dev extras)"
    return None


@asynccontextmanager
async def phone_browser(*, dark: bool = False) -> AsyncIterator[Any]:
    """A fresh headless Chromium with a phone-sized page in the light or dark colour scheme;
    yields the page (a Playwright Page)."""
    reason = browser_missing()
    if reason is not None:
        pytest.skip(reason)
    from playwright.async_api import async_playwright

    profile = tempfile.mkdtemp(prefix="miniapp-chromium-")
    try:
        async with async_playwright() as playwright:
            context = await playwright.chromium.launch_persistent_context(
                profile,
                executable_path=CHROMIUM,
                headless=True,
                args=CHROMIUM_FLAGS,
                color_scheme="dark" if dark else "light",
                **PHONE,
            )
            try:
                yield context.pages[0] if context.pages else await context.new_page()
            finally:
                await context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


async def screenshot(page: Any, name: str) -> Path:
    """Write the whole page as test-output/NAME.png (for people to look at); its path."""
    path = SCREENSHOTS / f"{name}.png"
    await page.evaluate("window.scrollTo(0, 0)")  # the sticky tabs at the top, where they belong
    await page.screenshot(path=str(path), full_page=True)  # makes the folder if need be
    return path
