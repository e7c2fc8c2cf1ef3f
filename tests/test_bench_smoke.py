"""The benchmarks, small, inside `make test`: the bot and the Bot API server each in their own
process, checked for correctness only (every user exactly one message, no 429 at the cap,
every update answered, each chat in order). Timings are never asserted; the full runs are
`make bench`."""

from __future__ import annotations

import pytest

from bench import fanout, replies


def test_a_small_fanout_sends_each_user_one_message_and_none_too_fast(
    capsys: pytest.CaptureFixture[str],
) -> None:
    figures = fanout.main(
        [
            "--sizes",
            "200",
            "--memory-baseline",
            "0",
            "--correctness",
            "40",
            "--paced-seconds",
            "2",
            "--paid-seconds",
            "0",
            "--echo-cap",
            "50",
        ]
    )
    report = capsys.readouterr().out

    (row,) = figures.rows
    assert row.users == 200
    assert row.coach["found"] == 200
    assert row.coach["outcomes"] == {"sent": 200}
    assert (row.delivery.once, row.delivery.missed, row.delivery.repeated) == (200, 0, 0)
    assert row.delivery.strangers == 0
    assert row.echo is not None
    assert row.echo_delivery is not None
    assert row.echo_delivery.once == 50

    coach, echo = figures.paced
    assert coach.name == "coach"
    assert echo.name.startswith("echo")
    assert coach.delivery.once == coach.users == 60
    assert coach.delivery.exact
    assert coach.refusals == 0  # flood control never had to refuse the coach at the cap
    assert coach.busiest_chat_second == 1
    assert coach.paid_sends == 0
    assert echo.delivery.exact  # PTB's limiter may meet 429s, but retries every one

    assert figures.checked is not None
    assert figures.checked.once == 40
    assert figures.checked.exact
    assert figures.violations == []
    assert figures.every_user_once
    for expected in ("     200 ", "200 of 200", "60 of 60", "result: OK"):
        assert expected in report


def test_replies_are_all_answered_each_chat_in_order(capsys: pytest.CaptureFixture[str]) -> None:
    figures = replies.main(["--users", "4", "--rounds", "2"])
    report = capsys.readouterr().out

    assert figures.echo is not None
    assert figures.echo_aiohttp is not None
    for bot in (figures.coach, figures.echo, figures.echo_aiohttp):
        assert bot.updates == 4 * 2 * len(replies.UPDATES)
        assert len(bot.first) == len(bot.last) == bot.updates
        assert not bot.problems
    assert figures.coach.chats_in_order == figures.coach.chats == 8
    assert set(figures.coach.by_update) == set(replies.UPDATES)
    assert "coach: 32 of 32 updates answered; 8 of 8 chats answered in their order" in report
    assert "echo on aiohttp: 32 of 32 updates answered" in report
    assert "result: OK" in report


def test_the_coachs_replies_pass_the_emulators_spec_checks() -> None:
    figures = replies.main(["--users", "3", "--rounds", "1", "--server", "emulator", "--no-echo"])

    assert figures.echo is None
    assert figures.coach.ok
    assert not figures.coach.problems  # a spec violation would be listed here
    assert figures.coach.chats_in_order == 3
