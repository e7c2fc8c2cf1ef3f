"""Issue 12, point 1: a contact's card lists its history; each entry can be fixed (kind,
channel, ask, note, day) or deleted with what it changed; a contact can be renamed, merged into
another (everything moves) and deleted (after saying what goes with it)."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.coaching.domain import Ask, Channel, FollowUpStatus, Kind
from bot.usecases.actions import (
    ClearEntryNote,
    DeleteContact,
    DeleteEntry,
    EditContact,
    MergeInto,
    RenameContact,
    SetEntryKind,
    UndoLog,
    pack,
)
from tests.exports import exported, labels
from tests.harness import CHAT, BotHarness


async def _open_card(bot: BotHarness, name: str) -> None:
    await bot.say("/contacts")
    await bot.press(name)


async def _due_dates(bot: BotHarness) -> list[datetime]:
    return [item.due_at for item, _ in await bot.store.open_follow_ups(CHAT)]


async def test_an_entry_is_fixed_field_by_field(bot: BotHarness) -> None:
    await bot.say("/add Ana")
    await bot.say("/reach Ana")
    await bot.press("Skip")
    await _open_card(bot, "Ana")
    assert "Mon 23 Nov: 📨 reached out by message" in bot.last().text
    await bot.press("✏️ Edit or fix")
    assert bot.last().text.startswith("✏️ Ana: tap an entry")
    await bot.press("Mon 23 Nov · 📨 reached out")
    assert labels(bot) == [
        "🏷 Kind",
        "📡 Channel",
        "🎯 Ask",
        "📝 Note",
        "📅 Day",
        "🗑 Delete",
        "◀ Back",
    ]

    await bot.press("📡 Channel")
    await bot.press("🔗 LinkedIn")
    assert bot.emulator.callback_answers[-1].get("text") == "Saved ✅"
    await bot.press("🎯 Ask")
    await bot.press("💡 Advice")
    assert "Ana · Mon 23 Nov: 📨 reached out by LinkedIn (asked for advice)" in bot.last().text

    await bot.press("📝 Note")
    [saved] = await bot.say("asked to chat to someone in their design team")
    assert saved.text.startswith("✅ Saved.")
    assert "📝 asked to chat to someone in their design team" in saved.text

    await bot.press("📅 Day")
    await bot.press("Yesterday")
    assert "Ana · Sun 22 Nov" in bot.last().text
    assert await _due_dates(bot) == [datetime(2026, 11, 25, 9, 0, tzinfo=UTC)]  # moved with it
    await bot.press("📅 Day")
    [typo] = await bot.say("someday")
    assert "couldn't read that day" in typo.text
    [moved] = await bot.say("21 Nov")  # the question waited for a day it could read
    assert "Ana · Sat 21 Nov" in moved.text
    assert await _due_dates(bot) == [datetime(2026, 11, 24, 9, 0, tzinfo=UTC)]

    # It was in fact a "later": no channel or ask, and a check-in two weeks on instead.
    await bot.press("🏷 Kind")
    await bot.press("⏳ Said later")
    assert "Ana · Sat 21 Nov: ⏳ said later" in bot.last().text
    assert labels(bot) == ["🏷 Kind", "📝 Note", "📅 Day", "🗑 Delete", "◀ Back"]
    assert await _due_dates(bot) == [datetime(2026, 12, 5, 9, 0, tzinfo=UTC)]

    [entry] = (await exported(bot))["interactions"]
    assert entry == {
        "contact": "Ana",
        "kind": "reply_later",
        "channel": None,
        "ask": None,
        "note": "asked to chat to someone in their design team",
        "at": "2026-11-21T09:00:00Z",
    }


async def test_a_deleted_entry_takes_back_what_it_changed(bot: BotHarness) -> None:
    await bot.say("/add Ana")
    await bot.say("/reach Ana via email")
    await bot.press("Skip")
    await bot.say("/reply Ana")
    assert await bot.store.open_follow_ups(CHAT) == []
    await _open_card(bot, "Ana")
    await bot.press("✏️ Edit or fix")
    await bot.press("Mon 23 Nov · 💬 replied")
    await bot.press("🗑 Delete")
    assert bot.last().text.splitlines() == [
        "🗑 Delete this entry?",
        "Ana · Mon 23 Nov: 💬 replied",
        "• the follow-up due Thu 26 Nov comes back",
    ]
    await bot.press("🗑 Yes, delete")
    assert bot.last().text.startswith("🗑 Deleted: Ana · Mon 23 Nov: 💬 replied.")
    assert "Mon 23 Nov · 💬 replied" not in labels(bot)
    assert [item.kind for item in await bot.store.interactions_of(CHAT)] == [Kind.OUTREACH]
    [(follow_up, _)] = await bot.store.open_follow_ups(CHAT)
    assert follow_up.status is FollowUpStatus.OPEN


async def test_a_contact_is_merged_renamed_and_deleted(bot: BotHarness) -> None:
    await bot.say("/add Rui, Rui Costa")
    await bot.say("/reach Rui via linkedin")
    await bot.press("Skip")
    await bot.say("/reach Rui Costa via email coffee")
    await bot.say("/fear he'll think I'm only after a job")
    await bot.press("3")
    await bot.press("👤 Rui")  # he is waiting to answer, so he is offered
    await _open_card(bot, "Rui")
    await bot.press("🚀 Opportunity")
    await bot.say("UX researcher at Acme")

    # The same person twice: merge Rui into Rui Costa.
    await _open_card(bot, "Rui")
    await bot.press("✏️ Edit or fix")
    await bot.press("🔀 Merge into…")
    assert labels(bot)[0] == "→ Rui Costa"  # the likeliest first
    await bot.press("→ Rui Costa")
    assert bot.last().text == (
        "🔀 Merge Rui into Rui Costa? Their 1 log, 1 follow-up, 1 fear and 1 opportunity "
        "move to Rui Costa. Rui then leaves your list."
    )
    await bot.press("🔀 Yes, merge")
    merged = bot.last()
    assert "Merged: everything of Rui is now with Rui Costa" in merged.text
    assert "reached out by LinkedIn" in merged.text
    assert "reached out by email" in merged.text
    assert [contact.name for contact in await bot.store.list_contacts(CHAT)] == ["Rui Costa"]
    assert len(await bot.store.open_follow_ups(CHAT)) == 1  # two open ones became one

    document = await exported(bot)
    assert {item["contact"] for item in document["interactions"]} == {"Rui Costa"}
    assert [item["contact"] for item in document["fears"]] == ["Rui Costa"]
    assert [item["contact"] for item in document["opportunities"]] == ["Rui Costa"]

    await bot.press("✏️ Edit or fix")
    await bot.press("✏️ Rename")
    [renamed] = await bot.say("Rui Costa Silva")
    assert renamed.text.startswith("✏️ Renamed to Rui Costa Silva.")

    await bot.press("✏️ Edit or fix")
    await bot.press("🗑 Delete contact")
    assert bot.last().text == (
        "🗑 Delete Rui Costa Silva? Their 2 logs, 1 follow-up, 1 fear and 1 opportunity "
        "go too. This can't be undone."
    )
    await bot.press("◀ Back")
    assert len(await bot.store.list_contacts(CHAT)) == 1  # Back deletes nothing
    await bot.press("🗑 Delete contact")
    await bot.press("🗑 Yes, delete")
    assert "Rui Costa Silva</b> is deleted" in bot.last().html
    document = await exported(bot)
    assert [document[table] for table in ("contacts", "interactions", "fears")] == [[], [], []]
    assert document["opportunities"] == []
    assert document["follow_ups"] == []


async def test_renaming_to_a_name_taken_offers_to_merge(bot: BotHarness) -> None:
    await bot.say("/add Rui, Rui Costa")
    await _open_card(bot, "Rui")
    await bot.press("✏️ Edit or fix")
    await bot.press("✏️ Rename")
    [taken] = await bot.say("rui costa")
    assert "You already have <b>Rui Costa</b>" in taken.html
    await bot.press("🔀 Merge them")
    assert bot.last().text.startswith("🔀 Merge Rui into Rui Costa?")


async def test_editing_an_older_entry_keeps_the_newer_follow_up(bot: BotHarness) -> None:
    await bot.say("/add Ana")
    await bot.say("/reach Ana via email")
    await bot.press("Skip")
    await bot.say("/reach Ana")
    await _open_card(bot, "Ana")
    await bot.press("✏️ Edit or fix")
    entries = [label for label in labels(bot) if "Mon 23 Nov" in label]
    assert entries == ["Mon 23 Nov · 🔁 followed up", "Mon 23 Nov · 📨 reached out"]
    await bot.press("Mon 23 Nov · 📨 reached out")
    await bot.press("🎯 Ask")
    await bot.press("📄 Referral")
    history = await bot.store.interactions_of(CHAT)
    assert [(item.kind, item.channel, item.ask) for item in history] == [
        (Kind.OUTREACH, Channel.EMAIL, Ask.REFERRAL),
        (Kind.FOLLOW_UP, Channel.EMAIL, None),
    ]
    [(follow_up, _)] = await bot.store.open_follow_ups(CHAT)
    assert follow_up.attempt == 2


async def test_forged_corrections_never_touch_another_chat(bot: BotHarness) -> None:
    alice, bob = CHAT, CHAT + 1
    await bot.say("/add Ana, Zoe", chat_id=bob)
    await bot.say("/reach Ana via email", chat_id=bob)
    await bot.say("/add Ana", chat_id=alice)
    before = await bot.store.export_rows(bob)
    assert before is not None
    [ana, zoe] = [row["id"] for row in before["contacts"]]
    [logged] = [row["id"] for row in before["interactions"]]
    for action in (
        UndoLog(logged),
        DeleteEntry(logged, True),
        SetEntryKind(logged, Kind.GAVE),
        ClearEntryNote(logged),
        MergeInto(ana, zoe, True),
        DeleteContact(ana, True),
        RenameContact(ana),
        EditContact(ana),
    ):
        await bot.press_data(pack(action), chat_id=alice)
    assert await bot.store.export_rows(bob) == before
    assert "Zoe" not in " ".join(message.text for message in bot.emulator.messages(alice))
