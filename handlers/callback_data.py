"""Button payloads: short, versioned, parsed and validated in this one place.

A payload is `VERSION:action:arg:arg...`. Everything a button needs travels in it (ids, not
names), so buttons keep working after a restart; handlers still check every id against the
chat that pressed the button.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

VERSION = "1"
MAX_BYTES = 64
_ARG = re.compile(r"^[A-Za-z0-9_.-]{1,20}$")

# action -> the number of arguments it takes
ACTIONS: dict[str, int] = {
    "ob": 2,  # onboarding choice: step, value
    "cl": 2,  # contact list: tier filter ("all" or a tier), page
    "ct": 1,  # contact card: contact id
    "ra": 1,  # reached out: contact id -> choose a channel
    "rc": 2,  # reached out via: contact id, channel
    "ry": 1,  # got a reply: contact id -> choose how
    "rk": 2,  # reply kind: contact id, p|d|l
    "ch": 1,  # coffee chat held: contact id
    "gv": 1,  # gave something: contact id -> asks what
    "tr": 1,  # change tier: contact id -> choose a tier
    "ts": 2,  # set tier: contact id, tier
    "fu": 2,  # follow-up action: follow-up id, d|s|r|x
    "fl": 0,  # follow-up list, refreshed
    "fs": 2,  # a new fear's strength: draft id, 1-5 (0 skips: nothing is stored)
    "fc": 2,  # tie a fear: fear id, contact id | x (next outreach) | j (journal only)
    "fo": 3,  # did the fear happen: fear id, reply kind p|d|l|c, y|p|n|s (skip)
    "fa": 2,  # a tested fear's strength now: fear id, 1-5 (0 skips)
    "fn": 2,  # how nervous before an outreach: interaction id, 1-5 (0 skips)
    "fp": 1,  # the one-tap fear question: a preset i|n|a, w (write my own), s (skip)
    "ff": 1,  # how often the morning message asks about fears: n|s|d
    "dr": 2,  # draft: draft id, choice (save, cancel, or a contact id)
    "nx": 2,  # next step after a coffee chat: contact id, f|n
    "rs": 1,  # let a contact rest for a month: contact id
    "td": 0,  # today's dashboard
    "pl": 0,  # the pipeline, in place
    "po": 1,  # open an opportunity: opportunity id -> its stage buttons
    "pm": 2,  # move an opportunity: opportunity id, stage
    "pn": 1,  # new opportunity from a contact card: contact id -> asks its title
    "dl": 1,  # delete everything: y|n
    "sn": 2,  # a sentence's log: draft id, save|cancel|kind|who
    "sk": 2,  # a sentence's log, new kind: draft id, kind code
    "sc": 2,  # a sentence's log, contact: draft id, contact id | new
    "sm": 0,  # settings menu
    "se": 1,  # edit a setting: preference key
    "sv": 2,  # set a setting from a quick choice: preference key, token
    "sd": 1,  # toggle a rest day: weekday number
}


class StaleButtonError(ValueError):
    """The payload is not one this version of the bot makes (old, malformed or forged)."""


@dataclass(frozen=True)
class ButtonAction:
    """A parsed button payload."""

    action: str
    args: tuple[str, ...]

    def int_arg(self, index: int) -> int:
        """Argument `index` as an id; StaleButtonError when it is not a positive number."""
        value = self.args[index]
        if not value.isdecimal() or len(value) > 12:
            raise StaleButtonError(f"not an id: {value!r}")
        return int(value)


def pack(action: str, *args: object) -> str:
    """The payload for a button; raises ValueError for a payload that would be refused."""
    if ACTIONS.get(action) != len(args):
        raise ValueError(f"{action!r} does not take {len(args)} arguments")
    texts = [str(arg) for arg in args]
    for text in texts:
        if not _ARG.match(text):
            raise ValueError(f"button argument {text!r} is not short and plain")
    data = ":".join([VERSION, action, *texts])
    if len(data.encode()) > MAX_BYTES:
        raise ValueError("button payload over 64 bytes")
    return data


def unpack(data: str | None) -> ButtonAction:
    """Parse a payload; StaleButtonError for anything this version did not make."""
    if not data or len(data.encode()) > MAX_BYTES:
        raise StaleButtonError("empty or oversized payload")
    version, _, rest = data.partition(":")
    if version != VERSION:
        raise StaleButtonError(f"unknown version {version!r}")
    action, *args = rest.split(":")
    if ACTIONS.get(action) != len(args) or not all(_ARG.match(arg) for arg in args):
        raise StaleButtonError(f"malformed payload {data!r}")
    return ButtonAction(action, tuple(args))
