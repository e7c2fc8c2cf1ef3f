"""Handing the memory a fan-out freed back to the system.

A tick of many users allocates and frees a batch's rows, messages and requests over and over,
in the main thread and in the database driver's threads. glibc keeps the freed pages for
reuse; scattered among the few blocks still in use, most are never reused, and the process
would keep a high-water mark that grows with the number of users. After a tick that sent
something, `give_back_freed_memory` returns those pages (glibc's `malloc_trim`, a few
milliseconds); elsewhere than glibc it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Callable


def _find_malloc_trim() -> Callable[[int], int] | None:
    library = ctypes.util.find_library("c")
    if library is None:
        return None
    try:
        trim: Callable[[int], int] = ctypes.CDLL(library).malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None
    return trim


_malloc_trim = _find_malloc_trim()


def give_back_freed_memory() -> bool:
    """Return freed heap pages to the system; whether this platform can."""
    if _malloc_trim is None:
        return False
    _malloc_trim(0)
    return True
