"""The terminal chat sends files and shared contacts to the real bot (`:send`, `:contact`)."""

from __future__ import annotations

from pathlib import Path

from bot.clock import OffsetClock
from tests.test_terminal import chat

FILES = Path(__file__).parent / "import_files"


async def test_a_file_and_a_contact_sent_from_the_terminal(tmp_path: Path) -> None:
    script = (
        f":send {FILES / 'connections_2026.csv'}\n"
        "1\n"
        ":contact Vera Kim\n"
        "1\n"
        f":send {tmp_path / 'missing.csv'}\n"
        ":send\n"
        ":contact\n"
        "/contacts\n"
    )
    transcript = "\n".join(await chat(script, OffsetClock(), tmp_path))
    assert "(sending connections_2026.csv, 1017 bytes)" in transcript
    assert "coach> 📇 Ready to import your LinkedIn connections" in transcript
    assert "[1] ✅ Import  [2] ✖ Cancel" in transcript
    assert "coach> (edited) ✅ Imported: 5 new contacts (LinkedIn 1st)." in transcript
    assert "coach> 📇 Add Vera Kim as a warm contact?" in transcript
    assert "I can't read" in transcript
    assert "Try :send ~/Downloads/Connections.csv" in transcript
    assert "Try :contact Vera Kim" in transcript
    assert "Your contacts: 6" in transcript
    assert "(!)" not in transcript, transcript
