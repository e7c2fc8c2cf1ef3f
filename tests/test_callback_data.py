"""Button payloads: packed and parsed in one place; anything else is stale."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handlers.callback_data import StaleButtonError, pack, unpack


def test_round_trip() -> None:
    action = unpack(pack("fu", 12, "d"))
    assert (action.action, action.args, action.int_arg(0)) == ("fu", ("12", "d"), 12)


@pytest.mark.parametrize(
    "data", [None, "", "2:ct:1", "1:ct", "1:ct:1:2", "1:nope:1", "1:ct:a b", "1:" + "x" * 70]
)
def test_malformed_payloads_are_stale(data: str | None) -> None:
    with pytest.raises(StaleButtonError):
        unpack(data)


def test_ids_must_be_numbers() -> None:
    with pytest.raises(StaleButtonError):
        unpack("1:ct:abc").int_arg(0)


def test_pack_refuses_what_telegram_would() -> None:
    with pytest.raises(ValueError, match=r"64 bytes|short"):
        pack("ob", "x" * 30, "y" * 30)
    with pytest.raises(ValueError, match="arguments"):
        pack("ct")


@given(st.text(max_size=100))
def test_unpack_never_raises_anything_else(data: str) -> None:
    try:
        action = unpack(data)
    except StaleButtonError:
        return
    assert len(data.encode()) <= 64
    assert pack(action.action, *action.args) == data
