"""Target companies and pending imports in the Store, on SQLite and on PostgreSQL alike."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.coaching.domain import Kind, Tier
from bot.coaching.imports.people import ImportedPerson, ImportSource, SkipReason
from bot.coaching.imports.plan import ContactUpdate
from storage import Store

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
ANA = ImportedPerson(
    "Ana López",
    "Acme, Inc.",
    "Designer",
    "https://www.linkedin.com/in/ana",
    "ana@example.org",
    date(2026, 2, 8),
)
BOB = ImportedPerson("Bob Okafor", "Globex", email="bob@example.org")


async def hold(store: Store, chat_id: int, *people: ImportedPerson, at: datetime = NOW) -> int:
    pending = await store.hold_import(
        chat_id,
        source=ImportSource.LINKEDIN,
        file_name="Connections.csv",
        people=people,
        skipped={SkipReason.HIDDEN: 2},
        left_out=0,
        now=at,
        keep=3,
        drop_before=at - timedelta(days=1),
    )
    return pending.id


async def test_targets_are_per_chat_and_once_each(store: Store) -> None:
    await store.ensure_user(1, NOW)
    await store.ensure_user(2, NOW)
    acme = await store.add_target(1, "Acme", NOW)
    assert acme is not None
    assert await store.add_target(1, "ACME, Inc.", NOW) is None
    assert await store.add_target(2, "Acme", NOW) is not None
    await store.add_target(1, "Globex", NOW + timedelta(seconds=1))
    assert [target.name for target in await store.list_targets(1)] == ["Acme", "Globex"]
    assert await store.remove_target(2, acme.id) is None
    removed = await store.remove_target(1, acme.id)
    assert removed is not None
    assert removed.name == "Acme"
    assert [target.name for target in await store.list_targets(1)] == ["Globex"]
    assert await store.get_target(1, acme.id) is None


async def test_a_pending_import_stores_no_contact_until_applied(store: Store) -> None:
    await store.ensure_user(1, NOW)
    await store.ensure_user(2, NOW)
    import_id = await hold(store, 1, ANA, BOB)
    assert await store.list_contacts(1) == []
    pending = await store.pending_import(1, import_id)
    assert pending is not None
    assert (pending.source, pending.file_name, pending.keep_emails) == (
        ImportSource.LINKEDIN,
        "Connections.csv",
        False,
    )
    assert pending.skipped == {SkipReason.HIDDEN: 2}
    assert await store.pending_people(1, import_id) == [ANA, BOB]
    assert await store.pending_import(2, import_id) is None
    assert await store.pending_people(2, import_id) == []
    assert not await store.apply_import(
        2, import_id, tier=Tier.FIRST, new=[ANA], updates=[], keep_emails=True, now=NOW
    )
    kept = await store.keep_import_emails(1, import_id, True)
    assert kept is not None
    assert kept.keep_emails
    assert await store.apply_import(
        1, import_id, tier=Tier.FIRST, new=[ANA, BOB], updates=[], keep_emails=False, now=NOW
    )
    ana, bob = await store.list_contacts(1)
    assert (ana.name, ana.tier, ana.company, ana.position) == (
        "Ana López",
        Tier.FIRST,
        "Acme, Inc.",
        "Designer",
    )
    assert (ana.profile_url, ana.connected_on, ana.email) == (
        "https://www.linkedin.com/in/ana",
        date(2026, 2, 8),
        None,
    )
    assert bob.company == "Globex"
    assert await store.pending_import(1, import_id) is None
    assert not await store.apply_import(
        1, import_id, tier=Tier.FIRST, new=[ANA], updates=[], keep_emails=False, now=NOW
    )


async def test_applying_updates_known_contacts_and_skips_a_name_taken_meanwhile(
    store: Store,
) -> None:
    await store.ensure_user(1, NOW)
    ana = await store.add_contact(
        1, name="Ana López", name_key="ana lopez", tier=Tier.WARM, note=None, now=NOW
    )
    import_id = await hold(store, 1, ANA, BOB)
    update = ContactUpdate(ana.id, company="Initech", email="ana@example.org")
    assert await store.apply_import(
        1, import_id, tier=Tier.FIRST, new=[ANA, BOB], updates=[update], keep_emails=True, now=NOW
    )
    ana_now, bob = await store.list_contacts(1)
    assert (ana_now.id, ana_now.tier, ana_now.company, ana_now.email) == (
        ana.id,
        Tier.WARM,
        "Initech",
        "ana@example.org",
    )
    assert (bob.name, bob.email) == ("Bob Okafor", "bob@example.org")


async def test_old_pending_imports_are_dropped(store: Store) -> None:
    await store.ensure_user(1, NOW)
    day_old = await hold(store, 1, ANA, at=NOW - timedelta(days=2))
    first = await hold(store, 1, ANA)
    second = await hold(store, 1, BOB)
    third = await hold(store, 1, BOB)
    assert await store.pending_import(1, day_old) is None
    assert [await store.pending_import(1, i) is not None for i in (first, second, third)] == [
        True,
        True,
        True,
    ]
    fourth = await hold(store, 1, ANA)
    assert await store.pending_import(1, first) is None
    assert await store.pending_people(1, first) == []
    assert await store.pending_import(1, fourth) is not None
    assert await store.drop_import(1, fourth)
    assert not await store.drop_import(1, fourth)


async def test_summaries_know_targets_and_the_last_no(store: Store) -> None:
    await store.ensure_user(1, NOW)
    await store.ensure_user(2, NOW)
    import_id = await hold(store, 1, ANA, BOB)
    await store.apply_import(
        1, import_id, tier=Tier.FIRST, new=[ANA, BOB], updates=[], keep_emails=False, now=NOW
    )
    await store.add_target(1, "Acme", NOW)
    await store.add_target(2, "Globex", NOW)
    _, bob = await store.list_contacts(1)
    await store.record_interaction(1, bob.id, kind=Kind.REPLY_DECLINED, at=NOW)
    summaries = {item.contact.name: item for item in await store.contact_summaries(1)}
    assert (summaries["Ana López"].at_target, summaries["Bob Okafor"].at_target) == (True, False)
    assert summaries["Ana López"].last_declined_at is None
    assert summaries["Bob Okafor"].last_declined_at == NOW
