"""The fan-out benchmark, small, inside `make test`: every user gets exactly one message and
the report it prints is sane. Timings are never asserted; the full run is `make bench`."""

from __future__ import annotations

import pytest

from bench.fanout import main


def test_a_small_fanout_sends_each_user_one_message_and_reports_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    figures = main(["--users", "300", "--rate-seconds", "1", "--send-only", "50"])
    report = capsys.readouterr().out

    assert figures.found == 300
    assert figures.outcomes == {"sent": 300}
    assert (figures.users_once, figures.users_missed, figures.users_repeated) == (300, 0, 0)
    assert not figures.paced_timed_out
    assert figures.paced_sent == figures.paced_once == 30
    assert figures.send_only_sent == 50
    assert figures.every_user_once

    assert figures.fanout_seconds > 0
    assert figures.messages_per_second > 0
    assert figures.cpu_ms_per_message > 0
    assert figures.send_only_cpu_ms_per_message > 0
    assert 0 < figures.rss_start_mib <= figures.peak_rss_mib
    assert figures.paced_rate > 0
    assert sum(figures.paced_per_second) <= figures.paced_sent

    for expected in (
        "Fan-out: 300 users due",
        "300 sent in",
        "ms per message",
        "MiB after, peak",
        "300 of 300 (0 missed, 0 more than once)",
        "paced at the default limiter (30/s): 30 sent",
        "30 of 30",
        "result: OK",
    ):
        assert expected in report
