"""Plain-text helpers the rules and the messages share."""

from __future__ import annotations


def shorten(text: str, limit: int) -> str:
    """Cut a long text to `limit` characters with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
