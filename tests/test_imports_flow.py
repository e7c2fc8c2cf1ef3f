"""Importing people as a user does it: send a file or share a contact, read the summary, tap
Import (or Cancel), and find the people in /contacts, on their cards and in /export."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, timedelta
from pathlib import Path

from bot.coaching.domain import MAX_CONTACTS, Tier
from bot.coaching.imports.people import MAX_IMPORT_PEOPLE
from tests.harness import CHAT, BotHarness

FILES = Path(__file__).parent / "import_files"
CONNECTIONS = (FILES / "connections_2026.csv").read_bytes()
VERA_VCARD = "BEGIN:VCARD\nVERSION:3.0\nFN:Vera Kim\nORG:Hooli\nTITLE:Recruiter\nEND:VCARD"


async def _pending_rows(bot: BotHarness) -> int:
    async with bot.store.engine.connect() as conn:
        result = await conn.exec_driver_sql("SELECT count(*) FROM pending_import_rows")
        return int(result.scalar_one())


async def test_a_linkedin_export_is_summarised_and_stored_only_on_import(bot: BotHarness) -> None:
    [summary] = await bot.send_file("Connections.csv", CONNECTIONS)
    assert "Ready to import your LinkedIn connections from Connections.csv" in summary.text
    assert "• 5 new: they join as LinkedIn 1st contacts" in summary.text
    assert "• 2 rows skipped: 2 hidden by LinkedIn (only a date)" in summary.text
    assert "1 person comes with an e-mail address" in summary.text
    assert "Nothing is saved until you tap Import." in summary.text
    assert await bot.store.list_contacts(CHAT) == []
    await bot.press("✅ Import")
    assert "✅ Imported: 5 new contacts (LinkedIn 1st)." in bot.last().text
    assert "/targets" in bot.last().text
    contacts = {contact.name: contact for contact in await bot.store.list_contacts(CHAT)}
    assert set(contacts) == {
        "Ana López",
        "Bob Okafor",
        "Chloé Dubois",
        "Dmitri Ivanov 🚀",
        "Esther Nakamura",
    }
    ana = contacts["Ana López"]
    assert (ana.tier, ana.company, ana.position) == (Tier.FIRST, "Acme, Inc.", "Product Designer")
    assert (ana.connected_on, ana.profile_url) == (
        date(2026, 2, 8),
        "https://www.linkedin.com/in/ana-lopez-4b1a2c",
    )
    assert contacts["Bob Okafor"].email is None  # e-mails are left out unless kept
    assert await _pending_rows(bot) == 0
    await bot.say("/contacts")
    await bot.press("Ana López")
    card = bot.last().text
    assert "💼 Product Designer at Acme, Inc." in card
    assert "🔗 www.linkedin.com/in/ana-lopez-4b1a2c" in card
    assert "🤝 Connected since Sun 8 Feb 2026" in card


async def test_emails_are_kept_only_when_the_user_chooses(bot: BotHarness) -> None:
    await bot.send_file("Connections.csv", CONNECTIONS)
    await bot.press("✉️ Keep e-mails too")
    assert "Keeping 1 e-mail address too." in bot.last().text
    assert bot.last().edited
    await bot.press("Leave e-mails out")
    assert "I leave e-mails out" in bot.last().text
    await bot.press("✉️ Keep e-mails too")
    await bot.press("✅ Import")
    bob = next(c for c in await bot.store.list_contacts(CHAT) if c.name == "Bob Okafor")
    assert bob.email == "bob.okafor@example.org"
    await bot.say("/contacts")
    await bot.press("Bob Okafor")
    assert "✉️ bob.okafor@example.org" in bot.last().text
    [again] = await bot.send_file("Connections.csv", CONNECTIONS)
    assert "Everyone in that file is already in your contacts" in again.text  # e-mail kept


async def test_cancel_keeps_nothing(bot: BotHarness) -> None:
    await bot.send_file("Connections.csv", CONNECTIONS)
    assert await _pending_rows(bot) == 5
    await bot.press("✖ Cancel")
    assert "Nothing imported" in bot.last().text
    assert bot.last().buttons == []
    assert await bot.store.list_contacts(CHAT) == []
    assert await _pending_rows(bot) == 0


async def test_a_reimport_updates_companies_and_reports_changes_gently(bot: BotHarness) -> None:
    await bot.say("/add Bob Okafor warm - my old teammate")
    await bot.send_file("Connections.csv", CONNECTIONS)
    assert "• 4 new" in bot.last().text
    assert "• 1 already in your contacts (matched by profile, then by name)" in bot.last().text
    await bot.press("✅ Import")
    moved = CONNECTIONS.decode().replace(
        '"Acme, Inc.",Product Designer', "Initech,Senior Product Designer"
    )
    [summary] = await bot.send_file("Connections.csv", moved.encode())
    text = summary.text
    assert "• 5 already in your contacts" in text
    assert "• 1 changed company or position since I last saw them:" in text
    assert "Ana López: Product Designer at Acme, Inc. → Senior Product Designer at Initech" in text
    assert "Check before you congratulate: a change can also be a loss." in text
    assert "new" not in text.split("\n")[1]
    await bot.press("✅ Import")
    assert "✅ Imported: 1 updated." in bot.last().text
    contacts = {contact.name: contact for contact in await bot.store.list_contacts(CHAT)}
    assert (contacts["Ana López"].company, contacts["Ana López"].position) == (
        "Initech",
        "Senior Product Designer",
    )
    bob = contacts["Bob Okafor"]
    assert (bob.tier, bob.note, bob.company) == (Tier.WARM, "my old teammate", "Globex")
    [again] = await bot.send_file("Connections.csv", moved.encode())
    assert "Everyone in that file is already in your contacts (5 people)" in again.text
    assert again.buttons == []


async def test_every_era_and_the_whole_export_zip_import(bot: BotHarness) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Profile.csv", "First Name,Last Name\nAlex,Doe\n")
        archive.writestr("Connections.csv", (FILES / "connections_2022.csv").read_bytes())
    [summary] = await bot.send_file(
        "Basic_LinkedInDataExport_02-08-2026.zip", buffer.getvalue(), mime_type="application/zip"
    )
    assert "• 4 new" in summary.text
    await bot.press("✅ Import")
    for file in ("connections_2019.csv", "connections_excel.csv", "connections_semicolon.csv"):
        await bot.send_file(file, (FILES / file).read_bytes())
        await bot.press("✅ Import")
    names = [contact.name for contact in await bot.store.list_contacts(CHAT)]
    assert len(names) == 4 + 2 + 2 + 2
    assert {"Farid Haddad", "Jonas Berg", "Lena Fischer", "Oskar Lind"} <= set(names)


async def test_files_that_cannot_be_imported_get_a_clear_answer(bot: BotHarness) -> None:
    [wrong] = await bot.send_file("statement.csv", (FILES / "not_connections.csv").read_bytes())
    assert "doesn't look like LinkedIn's connections or a contacts file" in wrong.text
    assert "Get a copy of your data" in wrong.text
    [latin] = await bot.send_file(
        "Connections.csv", (FILES / "connections_latin1.csv").read_bytes()
    )
    assert "isn't saved as UTF-8" in latin.text
    [no_csv] = await bot.send_file("export.zip", _zip({"Profile.csv": b"x"}))
    assert "no Connections.csv in it" in no_csv.text
    assert await bot.store.list_contacts(CHAT) == []
    assert await _pending_rows(bot) == 0


async def test_a_file_over_the_limit_is_refused_before_it_is_fetched(bot: BotHarness) -> None:
    big = b"First Name,Last Name\n" + b"Ana,Lopez\n" * 600_000
    [refused] = await bot.send_file("Connections.csv", big)
    assert "too large for me: I read files up to 5 MB" in refused.text
    assert [call for call in bot.emulator.calls if call.method == "getFile"] == []
    await bot.send_file("Connections.csv", CONNECTIONS)
    assert [call.method for call in bot.emulator.calls].count("getFile") == 1


async def test_a_vcard_file_adds_warm_contacts(bot: BotHarness) -> None:
    [summary] = await bot.send_file(
        "contacts.vcf", (FILES / "contacts_v3.vcf").read_bytes(), mime_type="text/vcard"
    )
    assert "• 2 new: they join as warm contacts" in summary.text
    assert "• 2 cards skipped: 1 without a name, 1 listed twice" in summary.text
    await bot.press("✅ Import")
    rosa, sam = await bot.store.list_contacts(CHAT)
    assert (rosa.name, rosa.tier, rosa.company, rosa.position) == (
        "Rosa Quinn",
        Tier.WARM,
        "Tyrell, Corp",
        "Senior Designer",
    )
    assert (sam.name, sam.tier) == ("Sam Taylor", Tier.WARM)
    [again] = await bot.send_file("contacts.vcf", (FILES / "contacts_v3.vcf").read_bytes())
    assert "already in your contacts" in again.text


async def test_a_shared_contact_is_added_after_a_tap_and_never_twice(bot: BotHarness) -> None:
    [question] = await bot.share_contact("Vera", "Kim", vcard=VERA_VCARD)
    assert "Add Vera Kim as a warm contact?" in question.text
    assert "💼 Recruiter at Hooli" in question.text
    assert await bot.store.list_contacts(CHAT) == []
    await bot.press("✅ Add")
    [vera] = await bot.store.list_contacts(CHAT)
    assert (vera.name, vera.tier, vera.company, vera.email) == (
        "Vera Kim",
        Tier.WARM,
        "Hooli",
        None,
    )
    [known] = await bot.share_contact("Vera", "Kim")
    assert "Vera Kim is already in your contacts" in known.text
    assert len(await bot.store.list_contacts(CHAT)) == 1


async def test_a_summary_expires_after_a_day(bot: BotHarness) -> None:
    await bot.send_file("Connections.csv", CONNECTIONS)
    bot.clock.advance(timedelta(hours=25))
    await bot.press("✅ Import")
    assert "This import has expired" in bot.last().text
    assert await bot.store.list_contacts(CHAT) == []
    assert await _pending_rows(bot) == 0


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _connections(count: int, *, start: int = 0) -> bytes:
    lines = ["First Name,Last Name,URL,Email Address,Company,Position,Connected On"]
    for index in range(start, start + count):
        day = date(2026, 2, 8) - timedelta(days=index)
        lines.append(
            f"Person,No{index:05d},https://www.linkedin.com/in/p{index},,Company {index % 40},"
            f"Engineer,{day:%d %b %Y}"
        )
    return ("\n".join(lines) + "\n").encode()


async def test_the_limits_per_file_and_per_chat(bot: BotHarness) -> None:
    [summary] = await bot.send_file("Connections.csv", _connections(MAX_IMPORT_PEOPLE + 1))
    assert f"• {MAX_IMPORT_PEOPLE:,} new" in summary.text
    assert "The file lists 3,001 people; I take up to 3,000 at a time" in summary.text
    await bot.press("✅ Import")
    contacts = await bot.store.list_contacts(CHAT)
    assert len(contacts) == MAX_IMPORT_PEOPLE
    # The one left out is the oldest connection.
    assert "Person No03000" not in {contact.name for contact in contacts}
    [summary] = await bot.send_file("Connections.csv", _connections(2_500, start=5_000))
    room = MAX_CONTACTS - MAX_IMPORT_PEOPLE
    assert f"• {room:,} new" in summary.text
    assert (
        f"I keep up to 5,000 contacts and you have 3,000, so there's room for {room:,} more: "
        "500 people won't fit." in summary.text
    )
    await bot.press("✅ Import")
    assert len(await bot.store.list_contacts(CHAT)) == MAX_CONTACTS


async def test_export_holds_the_new_fields_targets_and_waiting_imports(bot: BotHarness) -> None:
    await bot.send_file("Connections.csv", CONNECTIONS)
    await bot.press("✅ Import")
    await bot.say("/targets Acme")
    await bot.send_file("contacts.vcf", (FILES / "contacts_v4.vcf").read_bytes())
    before = len(bot.emulator.messages(CHAT))
    await bot.say("/export")
    json_file, zip_file = bot.emulator.messages(CHAT)[before:]
    assert json_file.data is not None
    assert zip_file.data is not None
    document = json.loads(json_file.data)
    ana = next(c for c in document["contacts"] if c["name"] == "Ana López")
    assert (ana["company"], ana["position"], ana["connected_on"]) == (
        "Acme, Inc.",
        "Product Designer",
        "2026-02-08",
    )
    assert ana["profile_url"] == "https://www.linkedin.com/in/ana-lopez-4b1a2c"
    assert [target["company"] for target in document["targets"]] == ["Acme"]
    [waiting] = document["user"]["pending_confirmations"]
    assert waiting["kind"] == "import"
    assert [person["name"] for person in waiting["details"]["people"]] == ["Timur Umarov"]
    with zipfile.ZipFile(io.BytesIO(zip_file.data)) as archive:
        assert "targets.csv" in archive.namelist()
        assert "Acme, Inc." in archive.read("contacts.csv").decode()
