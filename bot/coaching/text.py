"""Plain-text helpers the rules and the messages share."""

from __future__ import annotations


def shorten(text: str, limit: int) -> str:
    """Cut a long text to `limit` characters with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def plural(count: int, one: str, many: str | None = None) -> str:
    """'1 coffee chat', '2 coffee chats', '0 replies' (with `many` for irregular plurals)."""
    return f"{count} {one if count == 1 else (many or one + 's')}"


def short_name(name: str, limit: int) -> str:
    """A name that fits a button of `limit` characters: whole, or cut after a whole word with an
    ellipsis ("Carla Mendes…", leaving no "da" or "van" dangling); a first word too long on its
    own is cut inside it."""
    if limit < 2:
        raise ValueError(f"a name needs room for a letter and an ellipsis, got {limit}")
    if len(name) <= limit:
        return name
    kept: list[str] = []
    for word in name.split():
        if len(" ".join([*kept, word])) + 1 > limit:
            break
        kept.append(word)
    while len(kept) > 1 and kept[-1].islower() and len(kept[-1]) <= 3:
        kept.pop()  # a particle ("da", "van") reads oddly before the ellipsis
    if not kept:
        return name[: limit - 1].rstrip() + "…"
    return " ".join(kept) + "…"
