"""Issue 16 in a real browser: the Mini App opened in headless Chromium as Telegram opens it
(launch parameters in the URL fragment, signed with the test's token), on a phone-sized page.
A screenshot of each screen, light and dark, is written to test-output/ for people to look at."""

from __future__ import annotations

from datetime import timedelta

from bot.coaching.domain import Kind
from tests.browser import DARK_THEME, LIGHT_THEME, phone_browser, screenshot
from tests.exports import exported
from tests.harness import CHAT, BotHarness

OTHER_CHAT = 777


async def _people(bot: BotHarness) -> None:
    await bot.say("/add Ana López warm - former colleague")
    await bot.say("/add Bob Stone second")
    await bot.say("/add Carla Mendes")
    await bot.say("/reach Ana via linkedin advice - asked about the PM role")
    await bot.press("Skip")
    await bot.say("/reply Bob positive")
    await bot.say("/add Zed Secret", chat_id=OTHER_CHAT, first_name="Zed")


async def test_the_list_is_mine_search_narrows_it_and_each_screen_fits_a_phone(
    app_bot: BotHarness,
) -> None:
    await _people(app_bot)
    for theme, scheme in ((LIGHT_THEME, "light"), (DARK_THEME, "dark")):
        async with phone_browser(dark=scheme == "dark") as page:
            await page.goto(app_bot.open_app(theme=theme))
            await page.wait_for_selector(".row")
            names = await page.locator(".row .name").all_inner_texts()
            # Who to reach next first: warm Carla, never contacted, before those just touched.
            assert names == ["Carla Mendes", "Ana López", "Bob Stone"]
            assert "Zed" not in await page.content()
            assert await _fits_the_screen(page)
            await screenshot(page, f"miniapp-contacts-{scheme}")

            await page.fill("input[type=search]", "ana lop")
            await page.locator(".row:has-text('Bob')").wait_for(state="detached")
            assert await page.locator(".row .name").all_inner_texts() == ["Ana López"]

            await page.click(".row")
            await page.wait_for_selector("h1")
            assert await page.inner_text("h1") == "Ana López"
            history = await page.inner_text(".entries")
            assert "reached out by LinkedIn (asked for advice)" in history
            assert "asked about the PM role" in history
            assert await _fits_the_screen(page)
            await screenshot(page, f"miniapp-contact-{scheme}")

            await page.click(".tab[data-screen=progress]")
            await page.wait_for_selector("svg.chart")
            text = await page.inner_text("main")
            assert "Your first week" in text
            assert "0 of 50 coffee chats" in text
            assert await _fits_the_screen(page)
            await screenshot(page, f"miniapp-progress-{scheme}")


async def test_changes_in_the_page_reach_the_chat_and_the_export(app_bot: BotHarness) -> None:
    await _people(app_bot)
    async with phone_browser() as page:
        await page.goto(app_bot.open_app(theme=LIGHT_THEME))
        await page.click(".row:has-text('Ana López')")
        await page.wait_for_selector("h1")

        await page.click("summary:has-text('Rename')")
        await page.fill("input[aria-label=Name]", "Ana López Ruiz")
        await page.select_option("select[aria-label=Tier]", "first")
        await screenshot(page, "miniapp-contact-edit")
        await page.click("text=Save changes")
        await page.wait_for_selector("h1:has-text('Ana López Ruiz')")
        assert "Renamed to Ana López Ruiz" in await page.inner_text("#notice")

        await page.click(".entry >> text=✏️ Edit")
        await page.fill(".entry textarea", "asked about the design lead role")
        await screenshot(page, "miniapp-entry-edit")
        await page.click(".entry >> text=Save")
        await page.wait_for_selector(".entry:has-text('design lead role')")

        await page.click("summary:has-text('Log an outreach')")
        await page.click("text=📨 Log it")
        await page.wait_for_selector(".entry >> nth=1")
        await screenshot(page, "miniapp-after-changes")
        await page.click("summary:has-text('Merge or delete')")
        await page.fill("input[aria-label='Merge into']", "bob")
        await page.click(".picks button:has-text('Bob Stone')")
        await page.click("text=🗑 Delete contact")
        await page.wait_for_selector(".confirm-box >> nth=1")
        confirmations = await page.locator(".confirm-box").all_inner_texts()
        assert confirmations[0].startswith("Merge Ana López Ruiz into Bob Stone?")
        assert confirmations[1].startswith("🗑 Delete Ana López Ruiz?")
        await screenshot(page, "miniapp-merge-and-delete")

    # The chat was told about the log, as /reach would have (with its Undo), and the export
    # holds everything the page changed.
    logged = app_bot.last()
    assert logged.text.startswith("🔁 Logged follow-up 1 of 3 with Ana López Ruiz")
    assert "↩️ Undo" in [button.text for row in logged.buttons for button in row]
    document = await exported(app_bot)
    [ana] = [item for item in document["contacts"] if item["name"] == "Ana López Ruiz"]
    assert ana["tier"] == "first"
    notes = [item["note"] for item in document["interactions"] if item["contact"] == ana["name"]]
    assert "asked about the design lead role" in notes
    kinds = [item["kind"] for item in document["interactions"] if item["contact"] == ana["name"]]
    assert kinds == [Kind.OUTREACH.value, Kind.FOLLOW_UP.value]


async def test_forged_or_stale_launch_parameters_get_nothing(app_bot: BotHarness) -> None:
    await _people(app_bot)
    real = app_bot.open_app()
    # The same launch parameters for another user id: the hash no longer matches.
    forged = real.replace("%2522id%2522%253A4242", "%2522id%2522%253A777")
    assert forged != real
    stale = app_bot.open_app(issued=app_bot.clock.now() - timedelta(days=1, minutes=1))
    without = real.split("#")[0]
    async with phone_browser() as page:
        for address in (forged, stale, without):
            await page.goto(address)
            await page.wait_for_selector("main .card")
            text = await page.inner_text("main")
            assert text.startswith("Open this page from the bot in Telegram")
            for name in ("Ana", "Bob", "Carla", "Zed"):
                assert name not in await page.content()
        await screenshot(page, "miniapp-not-from-telegram")
    # And nothing was created for anyone.
    assert await app_bot.store.get_user(CHAT) is not None
    assert [c.name for c in await app_bot.store.list_contacts(OTHER_CHAT)] == ["Zed Secret"]


async def _fits_the_screen(page: object) -> bool:
    """Nothing on the page is wider than the phone (no sideways scrolling)."""
    width: int = await page.evaluate(  # type: ignore[attr-defined]
        "document.documentElement.scrollWidth"
    )
    return width <= 390
