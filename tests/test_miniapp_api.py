"""Issue 16: the Mini App's JSON API over HTTP, without a browser. Every endpoint checks the
launch parameters (401 otherwise), finds nothing of another user (404), answers bad input with
a sentence (400) and changes nothing then; what it changes is what the chat and /export show."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx

from bench.processes import free_port
from bot.application import build_application, webhook
from bot.clock import FrozenClock
from bot.coaching.domain import FollowUpStatus, Kind
from bot.config import load_settings
from bot.delivery.ratelimit import PacedRateLimiter
from bot.local.emulator import BotApiEmulator
from bot.webapp.auth import sign_init_data
from tests.exports import exported
from tests.harness import CHAT, BotHarness
from tests.miniapp import AppClient, init_data_of

OTHER = 777
# Every endpoint, with ids to fill in: {mine} a contact of the caller's, {entry} an entry of it.
ENDPOINTS = (
    ("GET", "me", None),
    ("GET", "contacts", None),
    ("GET", "contacts/{mine}", None),
    ("PATCH", "contacts/{mine}", {"tier": "first"}),
    ("DELETE", "contacts/{mine}", None),
    ("POST", "contacts/{mine}/merge", {"into": 1}),
    ("POST", "contacts/{mine}/outreach", {}),
    ("PATCH", "entries/{entry}", {"note": "x"}),
    ("DELETE", "entries/{entry}", None),
    ("GET", "progress", None),
)


async def _two_users(bot: BotHarness) -> tuple[AppClient, AppClient]:
    await bot.say("/add Ana López warm - former colleague")
    await bot.say("/add Bob Stone second")
    await bot.say("/reach Ana via linkedin advice - asked about the PM role")
    await bot.press("Skip")
    await bot.say("/add Zed Secret", chat_id=OTHER, first_name="Zed")
    await bot.say("/reach Zed - a private note", chat_id=OTHER, first_name="Zed")
    return AppClient(bot), AppClient(bot, OTHER)


async def _entry_id(bot: BotHarness, chat_id: int) -> int:
    [entry] = await bot.store.interactions_of(chat_id)
    return entry.id


async def _snapshot(bot: BotHarness) -> Any:
    """Everything both users have, to show a refused call changed nothing."""
    return [
        (
            await bot.store.list_contacts(chat),
            await bot.store.interactions_of(chat),
            await bot.store.open_follow_ups(chat),
        )
        for chat in (CHAT, OTHER)
    ]


async def test_every_endpoint_needs_fresh_launch_parameters_from_this_bot(
    app_bot: BotHarness,
) -> None:
    me, _ = await _two_users(app_bot)
    ids = {"mine": await me.contact_id("Ana López"), "entry": await _entry_id(app_bot, CHAT)}
    now = app_bot.clock.now()
    user = {"id": CHAT, "first_name": "Alex"}
    real = me.init_data
    forged = real.replace("%22id%22%3A4242", "%22id%22%3A777")
    assert forged != real
    refused = {
        "nothing": "",
        "another scheme": f"Bearer {real}",
        "another user's id": f"tma {forged}",
        "a changed field": f"tma {real.replace('Alex', 'Alexa')}",
        "no hash": f"tma {real.split('&hash=')[0]}",
        "older than a day": f"tma {_signed(app_bot, user, now - timedelta(days=1, seconds=1))}",
        "from the future": f"tma {_signed(app_bot, user, now + timedelta(minutes=10))}",
        "another bot's": "tma " + sign_init_data("999:" + "x" * 35, user, now),
        "a repeated field": f"tma {real}&auth_date={int(now.timestamp())}",
    }
    before = await _snapshot(app_bot)
    for method, path, body in ENDPOINTS:
        for why, authorization in refused.items():
            status, data = await me.call(
                method, path.format(**ids), body, authorization=authorization
            )
            assert status == 401, (method, path, why, data)
            assert data["error"].startswith("Open this page from the bot in Telegram")
            assert "Ana" not in json.dumps(data)
    assert await _snapshot(app_bot) == before
    # A day, to the second, is still fine.
    fresh = AppClient(app_bot, init_data=_signed(app_bot, user, now - timedelta(days=1)))
    assert await fresh.names() == ["Bob Stone", "Ana López"]


def _signed(bot: BotHarness, user: dict[str, object], issued: Any) -> str:
    return sign_init_data(bot.emulator.token, user, issued)


async def test_another_users_ids_find_nothing(app_bot: BotHarness) -> None:
    me, other = await _two_users(app_bot)
    zed = await other.contact_id("Zed Secret")
    zed_entry = await _entry_id(app_bot, OTHER)
    ana = await me.contact_id("Ana López")
    assert await me.names() == ["Bob Stone", "Ana López"]
    assert await other.names() == ["Zed Secret"]
    assert await me.names("q=zed") == []
    before = await _snapshot(app_bot)
    for method, path, body in (
        ("GET", f"contacts/{zed}", None),
        ("PATCH", f"contacts/{zed}", {"name": "Mine now", "tier": "warm", "note": "x"}),
        ("DELETE", f"contacts/{zed}", None),
        ("POST", f"contacts/{zed}/merge", {"into": ana}),
        ("POST", f"contacts/{ana}/merge", {"into": zed}),
        ("POST", f"contacts/{zed}/outreach", {"note": "hi"}),
        ("PATCH", f"entries/{zed_entry}", {"kind": "gave", "note": "x", "day": "2026-11-20"}),
        ("DELETE", f"entries/{zed_entry}", None),
    ):
        status, data = await me.call(method, path, body)
        assert status == 404, (method, path, data)
        assert "Zed" not in json.dumps(data)
        assert "private note" not in json.dumps(data)
    assert await _snapshot(app_bot) == before
    me_text = json.dumps([await me.get("me"), await me.get("progress"), await me.get("contacts")])
    assert "Zed" not in me_text
    assert "private note" not in me_text


async def test_bad_input_gets_a_sentence_and_changes_nothing(app_bot: BotHarness) -> None:
    me, _ = await _two_users(app_bot)
    ana = await me.contact_id("Ana López")
    entry = await _entry_id(app_bot, CHAT)
    before = await _snapshot(app_bot)
    cases: list[tuple[str, str, Any, str]] = [
        ("GET", "contacts?tier=best", None, "tier must be one of"),
        ("GET", "contacts?status=lost", None, "status must be one of"),
        ("GET", "contacts?colour=red", None, "Unknown filter: colour"),
        ("GET", "contacts?targets=yes", None, "targets is 1 or 0"),
        ("GET", "contacts?q=a&q=b", None, "Give q once"),
        ("GET", f"contacts?q={'a' * 101}", None, "at most 100 characters"),
        ("PATCH", f"contacts/{ana}", {}, "Nothing to change"),
        ("PATCH", f"contacts/{ana}", {"colour": "red"}, "Unknown field: colour"),
        ("PATCH", f"contacts/{ana}", {"tier": "best"}, "tier must be one of"),
        ("PATCH", f"contacts/{ana}", {"name": "   "}, "I need a name"),
        ("PATCH", f"contacts/{ana}", {"name": "A" * 65}, "names can be up to 64"),
        ("PATCH", f"contacts/{ana}", {"name": 7}, "name must be text"),
        ("PATCH", f"contacts/{ana}", {"note": "n" * 1001}, "notes hold up to 1000"),
        ("POST", f"contacts/{ana}/merge", {"into": ana}, "Pick another contact"),
        ("POST", f"contacts/{ana}/merge", {"into": "Bob"}, "Say which contact"),
        ("POST", f"contacts/{ana}/merge", {}, "Say which contact"),
        ("POST", f"contacts/{ana}/outreach", {"channel": "pigeon"}, "channel must be one of"),
        ("POST", f"contacts/{ana}/outreach", {"ask": "money"}, "ask must be one of"),
        ("POST", f"contacts/{ana}/outreach", {"days_ago": 9}, "from 0 to 6"),
        ("POST", f"contacts/{ana}/outreach", {"days_ago": True}, "from 0 to 6"),
        ("POST", f"contacts/{ana}/outreach", {"note": "n" * 1001}, "notes hold up to 1000"),
        ("PATCH", f"entries/{entry}", {}, "Nothing to change"),
        ("PATCH", f"entries/{entry}", {"kind": "lunch"}, "kind must be one of"),
        ("PATCH", f"entries/{entry}", {"ask": "money"}, "ask must be one of"),
        ("PATCH", f"entries/{entry}", {"day": "next week"}, "day is a date"),
        ("PATCH", f"entries/{entry}", {"day": "2026-11-24"}, "hasn't happened yet"),
        ("PATCH", f"entries/{entry}", {"day": "2025-01-01"}, "more than a year ago"),
        ("PATCH", f"entries/{entry}", {"day": "2026-02-30"}, "February 2026 has no day 30"),
        ("PATCH", f"entries/{entry}", {"note": "n" * 1001}, "notes hold up to 1000"),
        # Nothing is changed when any part is wrong.
        ("PATCH", f"contacts/{ana}", {"name": "Ana B", "note": "n" * 1001}, "up to 1000"),
        ("PATCH", f"contacts/{ana}", {"tier": "warm", "name": ""}, "I need a name"),
        ("PATCH", f"entries/{entry}", {"kind": "gave", "day": "2026-12-01"}, "hasn't happened"),
        ("PATCH", f"entries/{entry}", {"kind": "gave", "channel": "email"}, "go with an outreach"),
        ("PATCH", f"entries/{entry}", {"kind": "coffee_chat", "ask": "intro"}, "go with an"),
    ]
    for method, path, body, message in cases:
        status, data = await me.call(method, path, body)
        assert status == 400, (path, body, data)
        assert message in data["error"], (path, body, data)
    for content, message in ((b"{not json", "wasn't JSON"), (b"[1, 2]", "a JSON object")):
        status, data = await me.call("PATCH", f"contacts/{ana}", content=content)
        assert (status, message in data["error"]) == (400, True)
    status, data = await me.call("PATCH", f"contacts/{ana}", {"note": "n" * 20_000})
    assert status == 413
    status, data = await me.call("GET", "nowhere")
    assert (status, data["error"]) == (404, "There is nothing here.")
    status, data = await me.call("POST", "progress", {})
    assert status == 405
    assert await _snapshot(app_bot) == before


async def test_someone_who_never_wrote_to_the_bot_is_asked_to_start(app_bot: BotHarness) -> None:
    await app_bot.say("/add Ana")
    stranger = AppClient(app_bot, 31337)
    for method, path, body in ENDPOINTS:
        status, data = await stranger.call(method, path.format(mine=1, entry=1), body)
        assert status == 409, (method, path, data)
        assert data["error"].startswith("Say hello to the bot first")
    assert await app_bot.store.get_user(31337) is None


CONNECTIONS = b"""First Name,Last Name,URL,Email Address,Company,Position,Connected On
Carla,Mendes,https://www.linkedin.com/in/carla,,"Acme, Inc.",Designer,08 Feb 2026
Bob,Stone,https://www.linkedin.com/in/bob,,Globex,Engineer,07 Feb 2026
"""


async def test_the_list_filters_and_searches_in_the_order_of_the_suggestions(
    app_bot: BotHarness,
) -> None:
    await app_bot.send_file("Connections.csv", CONNECTIONS)
    await app_bot.press("✅ Import")
    await app_bot.say("/targets Acme")
    await app_bot.say("/add Ana López warm")
    await app_bot.say("/add Dora Ng intro")
    await app_bot.say("/reach Ana")
    await app_bot.press("Skip")
    await app_bot.say("/reply Dora later")
    me = AppClient(app_bot)
    # Today's suggestions first, in their order (a 1st at a target company, then the other
    # people never contacted), then those held back for now (touched today).
    assert await me.names() == ["Carla Mendes", "Bob Stone", "Ana López", "Dora Ng"]
    [today] = await app_bot.say("/today")
    assert today.text.index("Carla Mendes") < today.text.index("Bob Stone")
    assert "Ana López" not in today.text
    assert await me.names("tier=first") == ["Carla Mendes", "Bob Stone"]
    assert await me.names("status=never") == ["Carla Mendes", "Bob Stone"]
    assert await me.names("status=waiting") == ["Ana López"]
    assert await me.names("status=replied") == ["Dora Ng"]
    assert await me.names("status=parked") == []
    assert await me.names("targets=1") == ["Carla Mendes"]
    assert await me.names("company=ACME") == ["Carla Mendes"]
    assert await me.names("q=GLOB") == ["Bob Stone"]
    assert await me.names("q=lopez") == ["Ana López"]
    assert await me.names("q=o&tier=warm") == ["Ana López"]
    about = await me.get("me")
    assert [c["label"] for c in about["companies"]] == ["🎯 Acme, Inc.", "Globex"]
    rows = {row["name"]: row for row in (await me.get("contacts"))["contacts"]}
    assert rows["Ana López"]["last_touch"] == "today"
    assert rows["Ana López"]["next_follow_up"] == "Thu 26 Nov"
    assert rows["Ana López"]["status_label"] == "Waiting for a reply"
    assert rows["Carla Mendes"]["at_target"] is True
    assert rows["Carla Mendes"]["company"] == "Acme, Inc."


async def test_changes_in_the_app_are_the_chats_own(app_bot: BotHarness) -> None:
    me, _ = await _two_users(app_bot)
    ana, bob = await me.contact_id("Ana López"), await me.contact_id("Bob Stone")

    status, data = await me.call(
        "PATCH", f"contacts/{ana}", {"name": "Ana López Ruiz", "tier": "first", "note": ""}
    )
    assert status == 200
    assert data["message"] == "✏️ Renamed to Ana López Ruiz.\nNow LinkedIn 1st\n🧹 Note cleared."
    assert data["contact"]["row"]["name"] == "Ana López Ruiz"
    assert data["contact"]["note"] is None
    await app_bot.say("/contacts")
    await app_bot.press("Ana López Ruiz")
    assert app_bot.last().text.startswith("Ana López Ruiz · LinkedIn 1st")

    status, data = await me.call("PATCH", f"contacts/{bob}", {"name": "ana lopez ruiz"})
    assert (status, data["error"]) == (
        409,
        "You already have Ana López Ruiz. If they're the same person, merge them.",
    )

    [entry] = (await me.get(f"contacts/{ana}"))["entries"]
    assert entry["label"] == "📨 reached out by LinkedIn (asked for advice)"
    status, data = await me.call(
        "PATCH", f"entries/{entry['id']}", {"kind": "reply_positive", "day": "2026-11-20"}
    )
    assert status == 200
    assert data["message"] == "Saved ✅"
    [changed] = data["contact"]["entries"]
    assert (changed["kind"], changed["day"], changed["when"]) == (
        "reply_positive",
        "2026-11-20",
        "Fri 20 Nov",
    )

    status, data = await me.call("POST", f"contacts/{bob}/outreach", {"channel": "email"})
    assert status == 200
    assert data["message"].startswith("📨 Logged: email to Bob Stone.")
    assert app_bot.last().text.startswith("📨 Logged: email to Bob Stone.")
    await app_bot.press("↩️ Undo")  # the chat's Undo takes back what the page logged
    assert (await me.get(f"contacts/{bob}"))["entries"] == []

    status, data = await me.call("POST", f"contacts/{bob}/merge", {"into": ana})
    assert status == 200
    assert data["message"].startswith("🔀 Merged: everything of Bob Stone is now with")
    status, data = await me.call("DELETE", f"entries/{entry['id']}")
    assert status == 200
    assert data["message"].startswith("🗑 Deleted: Ana López Ruiz")
    status, data = await me.call("DELETE", f"contacts/{ana}")
    assert (status, data["contact"]) == (200, None)
    assert data["message"] == "🗑 Ana López Ruiz is deleted, with everything logged about them."
    document = await exported(app_bot)
    assert document["contacts"] == []
    assert document["interactions"] == []


async def test_an_outreach_from_the_app_plans_the_follow_up_as_reach_does(
    app_bot: BotHarness,
) -> None:
    await app_bot.say("/add Ana")
    me = AppClient(app_bot)
    ana = await me.contact_id("Ana")
    status, data = await me.call(
        "POST", f"contacts/{ana}/outreach", {"ask": "coffee", "note": "sent my CV", "days_ago": 1}
    )
    assert status == 200
    [entry] = data["contact"]["entries"]
    assert (entry["kind"], entry["ask"], entry["note"], entry["when"]) == (
        Kind.OUTREACH.value,
        "coffee",
        "sent my CV",
        "Sun 22 Nov",
    )
    [(follow_up, _)] = await app_bot.store.open_follow_ups(CHAT)
    assert follow_up.status is FollowUpStatus.OPEN
    assert data["contact"]["row"]["next_follow_up"] == "Wed 25 Nov"
    # The chat's own copy carries the question only the chat can answer.
    assert "how nervous" in app_bot.last().text


async def test_progress_says_what_progress_says(app_bot: BotHarness) -> None:
    await app_bot.say("/add Ana")
    await app_bot.say("/fear they'll think I'm pushy")
    await app_bot.press("4")
    await app_bot.say("/reach Ana via email")
    await app_bot.say("/reply Ana declined")
    await app_bot.press("No")
    await app_bot.say("/chat Ana")
    me = AppClient(app_bot)
    assert (await me.get("progress"))["pipeline"] is None
    await app_bot.say("/contacts")
    await app_bot.press("Ana")
    await app_bot.press("🚀 Opportunity")
    await app_bot.say("Designer at Acme")
    data = await me.get("progress")
    assert data["pipeline"] == "🚀 Pipeline: 1 open."
    [chat_text, _chart] = await app_bot.say("/progress")
    assert f"🎯 {data['chats_done']} of 50 coffee chats" in chat_text.text
    assert data["chats_done"] == 1
    assert data["projection"] in chat_text.text
    assert data["streak"] in chat_text.text
    assert data["gives_and_asks"] in chat_text.text
    assert data["pipeline"] in chat_text.text
    assert data["weeks"] == [{"week": "23 Nov", "outreach": 1, "replies": 1, "chats": 1}]
    assert data["weeks_since_start"] == 1
    assert data["chart_svg"].startswith("<svg")
    assert data["fear_evidence"].startswith("🧪 1 fear tested: 1 didn't happen")
    # /progress offers the app (the bot without WEBAPP_URL leaves the button out).
    assert [b.web_app for row in chat_text.buttons for b in row if b.web_app] == [
        f"{app_bot.app_url}?screen=progress"
    ]


async def test_the_page_is_the_same_file_for_everyone(app_bot: BotHarness) -> None:
    await app_bot.say("/add Ana López")
    async with httpx.AsyncClient() as client:
        page = await client.get(f"{app_bot.app_url}?screen=contacts")
        script = await client.get(f"{app_bot.app_url}/static/app.js")
        missing = await client.get(f"{app_bot.app_url}/static/other.js")
    assert page.status_code == 200
    assert "Ana" not in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert '<script src="/app/static/app.js" defer>' in page.text
    assert script.headers["content-type"].startswith("application/javascript")
    assert missing.status_code == 404


async def test_the_menu_button_opens_the_app_and_contacts_offer_it(app_bot: BotHarness) -> None:
    assert app_bot.emulator.menu_button() == {
        "type": "web_app",
        "text": "Open app",
        "web_app": {"url": app_bot.app_url},
    }
    await app_bot.say("/add Ana")
    [listed] = await app_bot.say("/contacts")
    assert [b.web_app for row in listed.buttons for b in row if b.web_app] == [
        f"{app_bot.app_url}?screen=contacts"
    ]
    # The menu button's address, as the emulator opens it, is one the API accepts.
    opened = app_bot.emulator.open_web_app(CHAT, issued=app_bot.clock.now())
    assert opened.startswith(f"{app_bot.app_url}#tgWebAppData=")
    assert await AppClient(app_bot, init_data=init_data_of(opened)).names() == ["Ana"]


async def test_without_webapp_url_there_is_no_app(bot: BotHarness) -> None:
    assert bot.emulator.menu_button() == {"type": "default"}
    await bot.say("/add Ana")
    [listed] = await bot.say("/contacts")
    assert all(b.web_app is None for row in listed.buttons for b in row)


async def test_webhook_mode_serves_the_app_beside_the_webhook(
    tmp_path: Path, clock: FrozenClock
) -> None:
    async with BotApiEmulator() as emulator:
        port = free_port()
        settings = load_settings(
            {
                "TELEGRAM_BOT_TOKEN": emulator.token,
                "TELEGRAM_API_BASE_URL": emulator.base_url,
                "DATABASE_URL": f"sqlite:///{tmp_path / 'hook.db'}",
                "WEBHOOK_URL": "https://coach.example/telegram",
                "WEBHOOK_SECRET": "s3cret",
                "WEBAPP_URL": "https://coach.example/app",
                "PORT": str(port),
                "LISTEN": "127.0.0.1",
            }
        )
        application = build_application(
            settings,
            clock,
            tick_schedules=False,
            rate_limiter=PacedRateLimiter(overall_per_second=None, chat_per_second=None),
        )
        async with webhook(application, settings):
            base = f"http://127.0.0.1:{port}"
            init_data = sign_init_data(emulator.token, {"id": CHAT}, clock.now())
            async with httpx.AsyncClient() as client:
                page = await client.get(f"{base}/app")
                api = await client.get(
                    f"{base}/app/api/me", headers={"Authorization": f"tma {init_data}"}
                )
                hook = await client.post(f"{base}/telegram", json={})
        assert page.status_code == 200
        assert "<title>Outreach Coach</title>" in page.text
        assert api.status_code == 409  # the API answers (this user never wrote to the bot)
        assert hook.status_code == 403  # and the webhook still wants its secret


async def test_a_contacts_note_is_written_in_the_chat_or_the_app_alike(
    app_bot: BotHarness,
) -> None:
    await app_bot.say("/add Ana - met at the meetup")
    await app_bot.say("/contacts")
    await app_bot.press("Ana")
    await app_bot.press("✏️ Edit or fix")
    await app_bot.press("📝 Note")
    assert app_bot.last().text.endswith("Now: 📝 met at the meetup")
    [empty] = await app_bot.say("   ")
    assert empty.text == "That was empty, so I didn't save anything."
    [saved] = await app_bot.say("runs the design team at Acme")
    assert saved.text.startswith("📝 Note saved.\n\nAna · warm\n📝 runs the design team at Acme")
    me = AppClient(app_bot)
    ana = await me.contact_id("Ana")
    assert (await me.get(f"contacts/{ana}"))["note"] == "runs the design team at Acme"

    status, data = await me.call("PATCH", f"contacts/{ana}", {"note": "moved to Globex"})
    assert (status, data["message"]) == (200, "📝 Note saved.")
    await app_bot.say("/contacts")
    await app_bot.press("Ana")
    assert "📝 moved to Globex" in app_bot.last().text
    await app_bot.press("✏️ Edit or fix")
    await app_bot.press("📝 Note")
    await app_bot.press("🧹 Clear the note")
    assert app_bot.last().text.startswith("🧹 Note cleared.")
    assert (await me.get(f"contacts/{ana}"))["note"] is None
    assert (await exported(app_bot))["contacts"][0]["note"] is None
