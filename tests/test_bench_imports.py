"""The import benchmark, small, inside `make test`: the file is read, summarised and imported
and the report it prints is sane. Timings are never asserted; the full run is
`python -m bench.imports`."""

from __future__ import annotations

import pytest

from bench.imports import main


def test_a_small_import_benchmark_reads_plans_and_imports_everyone(
    capsys: pytest.CaptureFixture[str],
) -> None:
    figures = main(["--people", "600", "--contacts", "100"])
    report = capsys.readouterr().out
    assert figures.people_read == 588  # one row in fifty is a hidden profile
    assert figures.planned_new == 588 - 100
    assert "• 588 new" in figures.summary_text
    assert "✅ Imported: 588 new contacts (LinkedIn 1st)." in figures.result_text
    assert figures.contacts_stored == 588
    assert figures.read_seconds > 0
    assert figures.summary_seconds > 0
    assert figures.lags
    for expected in ("Import: a Connections.csv of 600 rows", "read: 588 people", "peak RSS"):
        assert expected in report
