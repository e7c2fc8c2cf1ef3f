"""The Mini App's launch parameters (initData), checked as Telegram documents: HMAC-SHA256 of
the sorted `key=value` lines without `hash`, keyed with HMAC-SHA256("WebAppData", token); at
most a day old; naming a user."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.webapp.auth import (
    MAX_AGE,
    Unauthorized,
    WebAppUser,
    launch_fragment,
    sign_init_data,
    verify_init_data,
)

TOKEN = "123456:" + "A" * 35
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_launch_parameters_as_a_telegram_client_sends_them() -> None:
    # Written out by hand from the documentation, fields in the order a client sends them
    # (signature included: it is one of the fields the hash covers).
    user = '{"id":279058397,"first_name":"Vladislav","last_name":"Kibenko","language_code":"ru"}'
    fields = {
        "query_id": "AAHdF6IQAAAAAN0XohDhrOrc",
        "user": user,
        "auth_date": str(int(NOW.timestamp())),
        "signature": "6fbdaab833d39f54518bd5c3eb3f511d035e68cb",
    }
    check = "\n".join(f"{key}={fields[key]}" for key in sorted(fields))
    secret = hmac.new(b"WebAppData", TOKEN.encode(), hashlib.sha256).digest()
    digest = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    init_data = "&".join(f"{key}={quote(value, safe='')}" for key, value in fields.items())
    init_data += f"&hash={digest}"
    assert verify_init_data(init_data, TOKEN, NOW) == WebAppUser(279058397, "Vladislav")


@given(
    user_id=st.integers(1, 2**53 - 1),
    first_name=st.text(min_size=1, max_size=40),
    age=st.integers(0, int(MAX_AGE.total_seconds())),
)
def test_what_is_signed_with_the_token_is_accepted_for_a_day(
    user_id: int, first_name: str, age: int
) -> None:
    issued = NOW - timedelta(seconds=age)
    init_data = sign_init_data(TOKEN, {"id": user_id, "first_name": first_name}, issued)
    assert verify_init_data(init_data, TOKEN, NOW) == WebAppUser(user_id, first_name)


@given(st.data())
def test_any_change_to_signed_parameters_is_refused(data: st.DataObject) -> None:
    init_data = sign_init_data(TOKEN, {"id": 4242, "first_name": "Alex"}, NOW)
    index = data.draw(st.integers(0, len(init_data) - 1))
    # No letters a-f: "%7b" would mean what "%7B" means (no change at all).
    replacement = data.draw(st.sampled_from("0123456789xZ%&=_"))
    changed = init_data[:index] + replacement + init_data[index + 1 :]
    if changed != init_data:
        with pytest.raises(Unauthorized):
            verify_init_data(changed, TOKEN, NOW)


def _signed(fields: dict[str, str]) -> str:
    """Launch parameters with exactly these fields, correctly signed."""
    check = "\n".join(f"{key}={value}" for key, value in sorted(fields.items()))
    secret = hmac.new(b"WebAppData", TOKEN.encode(), hashlib.sha256).digest()
    digest = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    return "&".join(f"{k}={quote(v, safe='')}" for k, v in fields.items()) + f"&hash={digest}"


FRESH = str(int(NOW.timestamp()))
SIGNED = sign_init_data(TOKEN, {"id": 4242}, NOW)


@pytest.mark.parametrize(
    ("init_data", "reason"),
    [
        ("", "no launch parameters"),
        ("x" * 9000, "too long"),
        ("user", "not a query string"),
        (SIGNED.replace("hash=", "hash=0"), "no hash"),
        (SIGNED.split("&hash=")[0], "no hash"),
        (SIGNED + "&hash=" + "0" * 64, "given twice"),
        (SIGNED + "%ff", "not a query string"),
        (sign_init_data("999:" + "B" * 35, {"id": 4242}, NOW), "not the bot's"),
        (sign_init_data(TOKEN, {"id": 4242}, NOW - MAX_AGE - timedelta(seconds=1)), "older"),
        (sign_init_data(TOKEN, {"id": 4242}, NOW + timedelta(minutes=6)), "future"),
        (_signed({"user": '{"id":4242}'}), "no auth_date"),
        (_signed({"user": '{"id":4242}', "auth_date": "-5"}), "no auth_date"),
        (_signed({"auth_date": FRESH}), "no user"),
        (_signed({"auth_date": FRESH, "user": "4242"}), "no user id"),
        (_signed({"auth_date": FRESH, "user": '{"id":"4242"}'}), "no user id"),
        (_signed({"auth_date": FRESH, "user": '{"id":true}'}), "no user id"),
        (_signed({"auth_date": FRESH, "user": '{"id":0}'}), "no user id"),
        (_signed({"auth_date": FRESH, "user": '{"id":-4242}'}), "no user id"),
    ],
)
def test_launch_parameters_that_prove_nothing_are_refused(init_data: str, reason: str) -> None:
    with pytest.raises(Unauthorized, match=reason):
        verify_init_data(init_data, TOKEN, NOW)


def test_a_client_clock_a_little_ahead_is_fine() -> None:
    ahead = sign_init_data(TOKEN, {"id": 4242}, NOW + timedelta(minutes=4))
    assert verify_init_data(ahead, TOKEN, NOW).id == 4242


def test_the_fragment_carries_the_parameters_as_telegram_clients_do() -> None:
    fragment = launch_fragment(SIGNED, {"bg_color": "#ffffff"})
    assert fragment.startswith(f"tgWebAppData={quote(SIGNED, safe='')}&tgWebAppVersion=")
    assert fragment.endswith("&tgWebAppThemeParams=%7B%22bg_color%22%3A%22%23ffffff%22%7D")
