"""Target companies as a user keeps them: /targets with buttons, contacts there first in
/contacts, and in the morning's suggestion after warm people; /delete takes all of it."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from bot.coaching.domain import PreferenceChanges
from bot.usecases.schedules import sync_schedules
from storage.schema import metadata
from tests.harness import CHAT, BotHarness

CONNECTIONS = b"""First Name,Last Name,URL,Email Address,Company,Position,Connected On
Ana,Lopez,https://www.linkedin.com/in/ana,,"Acme, Inc.",Designer,08 Feb 2026
Bob,Okafor,https://www.linkedin.com/in/bob,,Globex,Engineer,07 Feb 2026
Cleo,Park,https://www.linkedin.com/in/cleo,,Initech,Analyst,06 Feb 2026
Dev,Shah,https://www.linkedin.com/in/dev,,Acme,Researcher,05 Feb 2026
Eli,Stone,https://www.linkedin.com/in/eli,,Initech,Manager,04 Feb 2026
"""


async def imported(bot: BotHarness) -> None:
    await bot.send_file("Connections.csv", CONNECTIONS)
    await bot.press("✅ Import")


async def test_targets_are_added_with_buttons_or_by_name_and_removed(bot: BotHarness) -> None:
    await imported(bot)
    [menu] = await bot.say("/targets")
    assert "Where would you like to work?" in menu.text
    assert "Or tap a company your contacts work at:" in menu.text
    labels = [button.text for row in menu.buttons for button in row]
    assert labels[:3] == ["+ Acme, Inc. (2)", "+ Initech (2)", "+ Globex (1)"]
    await bot.press("+ Acme, Inc. (2)")
    assert "Added Acme, Inc. 🎯" in bot.last().text
    assert "• Acme, Inc.: 2 contacts" in bot.last().text
    [added] = await bot.say("/targets Globex, Initech, acme")
    assert "Added Globex and Initech." in added.text
    assert "Acme, Inc. is on the list already." in added.text
    assert "• Initech: 2 contacts" in added.text
    await bot.press("✖ Remove Globex")
    assert "Removed Globex." in bot.last().text
    assert "Globex:" not in bot.last().text
    await bot.press("➕ Add a company")
    assert "Which company?" in bot.last().text
    [typed] = await bot.say("Hooli")
    assert "Added Hooli." in typed.text
    assert "• Hooli: nobody yet" in typed.text
    names = [target.name for target in await bot.store.list_targets(CHAT)]
    assert names == ["Acme, Inc.", "Initech", "Hooli"]
    await bot.press("👥 Initech (2)")
    assert "Your contacts at Initech</b>: 2" in bot.last().html
    assert [row[0].text for row in bot.last().buttons[:2]] == ["🎯 Cleo Park", "🎯 Eli Stone"]


async def test_the_list_stays_short(bot: BotHarness) -> None:
    await bot.say("/targets " + ", ".join(f"Company {index}" for index in range(9)))
    [full] = await bot.say("/targets Acme, Globex, company 3")
    assert "Added Acme." in full.text
    assert "Company 3 is on the list already." in full.text
    assert "The list is full (10 companies), so I left out Globex" in full.text
    assert "Add a company" not in [button.text for row in full.buttons for button in row]
    [empty] = await bot.say("/targets , ;")
    assert "I need a company name" in empty.text


async def test_contacts_at_target_companies_come_first_and_filter(bot: BotHarness) -> None:
    await imported(bot)
    await bot.say("/targets Initech")
    [listing] = await bot.say("/contacts")
    assert [row[0].text for row in listing.buttons[:5]] == [
        "🎯 Cleo Park",
        "🎯 Eli Stone",
        "Ana Lopez",
        "Bob Okafor",
        "Dev Shah",
    ]
    await bot.press("🎯 Targets")
    assert "Your contacts at your target companies</b>: 2" in bot.last().html
    [acme] = await bot.say("/contacts acme")
    assert "Your contacts at acme</b>: 2" in acme.html
    await bot.press("🎯 Add acme to targets")
    assert "Added Acme, Inc." in bot.last().text
    [two_words] = await bot.say("/contacts Acme Inc")
    assert "Your contacts at Acme, Inc.</b>: 2" in two_words.html  # the target, with pages
    [nobody] = await bot.say("/contacts Hooli")
    assert "Nobody at “Hooli” (and it isn't a tier), so here's everyone." in nobody.text
    [initech] = await bot.say("/contacts Initech")
    assert "Your contacts at Initech</b>: 2" in initech.html


async def morning(bot: BotHarness, day: int) -> str:
    before = len(bot.emulator.messages(CHAT))
    bot.clock.move_to(datetime(2026, 11, day, 8, 0, tzinfo=UTC))
    await bot.tick()
    [sent] = bot.emulator.messages(CHAT)[before:]
    return sent.text


async def test_the_morning_suggests_warm_people_then_targets_never_a_recent_no(
    bot: BotHarness,
) -> None:
    now = bot.clock.now()
    await bot.store.ensure_user(CHAT, now)
    await bot.store.update_preferences(CHAT, PreferenceChanges(name="Sam", stall_days=60))
    user = await bot.store.set_onboarding(CHAT, None, onboarded_at=now)
    await sync_schedules(bot.store, user, now)
    await imported(bot)
    await bot.say("/add Wren warm")
    await bot.say("/targets Initech")
    assert "Someone to reach today: Wren · warm" in await morning(bot, 24)
    bot.clock.move_to(datetime(2026, 11, 24, 9, 0, tzinfo=UTC))
    await bot.say("/reach Wren")
    assert "Someone to reach today: Cleo Park · LinkedIn 1st · Initech" in await morning(bot, 25)
    bot.clock.move_to(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))
    await bot.say("/reply Cleo declined")
    assert "Someone to reach today: Eli Stone · LinkedIn 1st · Initech" in await morning(bot, 26)
    [today] = await bot.say("/today")
    assert "Cleo" not in today.text
    assert today.text.index("Eli Stone") < today.text.index("Ana Lopez")


async def test_delete_takes_targets_and_waiting_imports(bot: BotHarness) -> None:
    await imported(bot)
    await bot.say("/targets Acme")
    await bot.send_file("Connections.csv", CONNECTIONS.replace(b"Ana,Lopez", b"Ann,Lopez"))
    await bot.say("/delete")
    await bot.press("Yes, delete everything")
    async with bot.store.engine.connect() as conn:
        for table in metadata.sorted_tables:
            if "chat_id" in table.c:
                query = sa.select(sa.func.count()).where(table.c.chat_id == CHAT)
                assert (await conn.execute(query)).scalar_one() == 0, table.name
    [nothing] = await bot.say("/export")
    assert "nothing to export" in nothing.text
