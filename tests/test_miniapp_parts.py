"""The Mini App's smaller parts: the button that opens it, the emulator's menu button and its
check of a Mini App's address, and the chart drawn as SVG."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta
from xml.etree import ElementTree

import pytest
from telegram import Bot, MenuButtonWebApp, WebAppInfo

from bot.local.emulator import ApiSpec, BotApiEmulator
from bot.messages.charts import WeekNumbers
from bot.rendering import inline_keyboard
from bot.usecases.actions import ShowToday
from bot.usecases.replies import AppButton, AppScreen, Button
from bot.webapp.chart import HEIGHT, progress_svg

SVG = "{http://www.w3.org/2000/svg}"


def test_an_app_button_opens_its_screen_and_is_left_out_without_the_app() -> None:
    rows = (
        (Button("Today", ShowToday()),),
        (AppButton("📇 In the app", AppScreen.CONTACTS),),
    )
    with_app = inline_keyboard(rows, "https://coach.example/app")
    assert with_app is not None
    [[today], [app]] = with_app.inline_keyboard
    assert today.callback_data is not None
    assert app.web_app == WebAppInfo("https://coach.example/app?screen=contacts")
    without = inline_keyboard(rows)
    assert without is not None
    assert [[item.text for item in row] for row in without.inline_keyboard] == [["Today"]]
    assert inline_keyboard(((AppButton("📈", AppScreen.PROGRESS),),)) is None


@pytest.fixture
async def bot() -> AsyncIterator[tuple[BotApiEmulator, Bot]]:
    async with (
        BotApiEmulator() as emulator,
        Bot(emulator.token, base_url=emulator.base_url + "/bot") as bot,
    ):
        yield emulator, bot


async def test_the_emulator_keeps_the_menu_button(bot: tuple[BotApiEmulator, Bot]) -> None:
    emulator, client = bot
    assert emulator.menu_button(42) == {"type": "default"}
    app = MenuButtonWebApp("Open app", WebAppInfo("https://coach.example/app"))
    assert await client.set_chat_menu_button(menu_button=app)
    assert await client.get_chat_menu_button(42) == app
    assert emulator.open_web_app(42).startswith("https://coach.example/app#tgWebAppData=")
    assert await client.set_chat_menu_button(
        42, menu_button=MenuButtonWebApp("Mine", WebAppInfo("https://coach.example/mine"))
    )
    assert emulator.menu_button(42)["text"] == "Mine"
    assert emulator.menu_button(7)["text"] == "Open app"
    assert emulator.violations == []


@pytest.mark.parametrize(
    ("url", "accepted"),
    [
        ("https://coach.example/app", True),
        ("http://127.0.0.1:8080/app", True),
        ("http://localhost/app", True),
        ("http://coach.example/app", False),
        ("https://", False),
        ("javascript:alert(1)", False),
    ],
)
def test_a_mini_app_opens_over_https_only(url: str, accepted: bool) -> None:
    markup = {"inline_keyboard": [[{"text": "Open", "web_app": {"url": url}}]]}
    violations = ApiSpec.load().validate(
        "sendMessage", {"chat_id": 1, "text": "x", "reply_markup": markup}
    )
    assert (violations == []) is accepted, violations


def _weeks(*counts: tuple[int, int, int]) -> list[WeekNumbers]:
    start = date(2026, 9, 7)
    return [
        WeekNumbers(start + timedelta(weeks=index), *numbers)
        for index, numbers in enumerate(counts)
    ]


def test_the_chart_draws_each_week_to_scale_with_the_goal() -> None:
    weeks = _weeks((6, 2, 1), (0, 0, 0), (3, 1, 2))
    svg = ElementTree.fromstring(progress_svg(weeks, weekly_chats=2))
    bars = svg.findall(f"{SVG}rect")
    assert [bar.get("class") for bar in bars[:3]] == ["bar outreach", "bar replies", "bar chats"]
    heights = [float(bar.get("height", "0")) for bar in bars]
    assert len(heights) == 9
    # Drawn to a tenth of a pixel.
    assert heights[0] == pytest.approx(heights[1] * 3, abs=0.3)
    assert heights[0] == pytest.approx(heights[6] * 2, abs=0.3)
    assert heights[3:6] == [0, 0, 0]
    [goal] = [line for line in svg.findall(f"{SVG}line") if line.get("class") == "goal"]
    assert float(goal.get("y1", "0")) == pytest.approx(float(bars[8].get("y", "0")), abs=0.1)
    labels = [text.text for text in svg.findall(f"{SVG}text")]
    assert labels == ["0", "3", "6", "7 Sep", "14 Sep", "21 Sep"]
    assert svg.get("aria-label") == ("The last 3 weeks: 9 reach-outs, 3 replies and 3 coffee chats")
    # No style attributes: the page's Content-Security-Policy allows none.
    assert "style=" not in progress_svg(weeks, weekly_chats=2)


def test_a_long_chart_labels_every_other_week_ending_with_this_one() -> None:
    svg = ElementTree.fromstring(progress_svg(_weeks(*[(1, 0, 0)] * 12), weekly_chats=0))
    labels = [text.text for text in svg.findall(f"{SVG}text")][3:]
    assert labels == ["14 Sep", "28 Sep", "12 Oct", "26 Oct", "9 Nov", "23 Nov"]
    assert all(float(bar.get("y", "0")) <= HEIGHT for bar in svg.findall(f"{SVG}rect"))
    assert not [line for line in svg.findall(f"{SVG}line") if line.get("class") == "goal"]
