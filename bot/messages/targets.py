"""The target companies: the list, and what changed in it."""

from __future__ import annotations

from collections.abc import Sequence

from bot.coaching.domain import MAX_TARGETS, Target
from bot.messages.common import esc


def contacts_count(count: int) -> str:
    """'nobody yet', '1 contact', '12 contacts'."""
    if count == 0:
        return "nobody yet"
    return f"{count:,} contact{'s' if count != 1 else ''}"


def targets_text(targets: Sequence[tuple[Target, int]], note: str | None, suggested: bool) -> str:
    """The targets with how many contacts work at each; `note` says what just changed."""
    lines = [note, ""] if note else []
    if targets:
        lines.append("🎯 <b>Where you'd like to work</b>")
        lines += [f"• {esc(target.name)}: {contacts_count(count)}" for target, count in targets]
        lines.append("People there come first in /contacts and in my suggestions.")
        if len(targets) < MAX_TARGETS:
            lines.append("Add more: <code>/targets Acme, Globex</code>")
    else:
        lines.append("🎯 <b>Where would you like to work?</b>")
        lines.append(
            "Name a few companies and I'll suggest people there first: "
            "<code>/targets Acme, Globex</code>"
        )
    if suggested:
        lines.append("Or tap a company your contacts work at:")
    return "\n".join(lines)


def added_note(added: Sequence[str], already: Sequence[str], full: Sequence[str]) -> str:
    """What adding did: the companies added, those there already, those over the limit."""
    parts = []
    if added:
        stop = "" if added[-1].endswith(".") else "."
        parts.append(f"Added {_names(added)}{stop} 🎯")
    if already:
        parts.append(
            f"{_names(already)} {'is' if len(already) == 1 else 'are'} on the list already."
        )
    if full:
        parts.append(
            f"The list is full ({MAX_TARGETS} companies), so I left out {_names(full)}: "
            "a short list keeps it focused. Remove one to make room."
        )
    return " ".join(parts)


ASK_TARGET = "Which company? Send its name, for example: <code>Acme</code>"


def _names(names: Sequence[str]) -> str:
    shown = [f"<b>{esc(name)}</b>" for name in names]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]
