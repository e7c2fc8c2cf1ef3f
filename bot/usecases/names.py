"""The question asked before a name that looked like something else is stored: "Is the name
Inês?" with the name it probably is, the name as typed, or cancel."""

from __future__ import annotations

from bot.coaching.names import DoubtfulName
from bot.usecases.actions import NameChoice, SettleName
from bot.usecases.replies import Button, ButtonRow

MAX_LABEL_NAME = 24


def name_rows(draft_id: int, doubt: DoubtfulName) -> tuple[ButtonRow, ...]:
    """The answers to the name question about the draft `draft_id`."""
    keep = Button("Keep as typed", SettleName(draft_id, NameChoice.TYPED))
    cancel = Button("Cancel", SettleName(draft_id, NameChoice.CANCEL))
    if doubt.name is None:
        return ((keep, cancel),)
    label = f"✅ Yes, “{_label_name(doubt.name)}”"
    return ((Button(label, SettleName(draft_id, NameChoice.SUGGESTED)),), (keep, cancel))


def _label_name(name: str) -> str:
    return name if len(name) <= MAX_LABEL_NAME else name[: MAX_LABEL_NAME - 1] + "…"
