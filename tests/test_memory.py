"""After a fan-out, the memory its batches freed goes back to the system: the process does not
keep a high-water mark that grows with the number of users (the full figures are in
`make bench`, docs/BENCHMARKS.md)."""

from __future__ import annotations

import sys

import pytest

from bot.delivery.memory import give_back_freed_memory


def rss_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS in /proc/self/status")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc; glibc only")
def test_memory_freed_among_blocks_still_in_use_goes_back_to_the_system() -> None:
    # 100 MB of a batch's buffers (each from malloc, not Python's small-object pools), one in
    # 64 still in use afterwards: without a trim the heap cannot shrink past them.
    buffers = [bytes(4000) + bytes([index % 256]) for index in range(25_000)]
    still_used = buffers[::64]
    del buffers
    before = rss_mib()
    assert give_back_freed_memory()
    assert rss_mib() < before - 50
    assert len(still_used) == 391
