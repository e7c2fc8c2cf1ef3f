"""What a use case answers with: text and button specs, never Telegram objects.

The Telegram adapter (handlers/ and the scheduler) renders these; the terminal chat sees the
same messages through the emulator.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import BinaryIO

from bot.usecases.actions import Action


@dataclass(frozen=True)
class Button:
    """One inline button: its label and what pressing it means."""

    label: str
    action: Action


class AppScreen(StrEnum):
    """The screens of the Mini App a button can open."""

    CONTACTS = "contacts"
    PROGRESS = "progress"


@dataclass(frozen=True)
class AppButton:
    """A button that opens the Mini App on one of its screens. It is shown only where the
    operator set WEBAPP_URL (the renderer leaves it out otherwise)."""

    label: str
    screen: AppScreen


ButtonRow = tuple[Button | AppButton, ...]


@dataclass(frozen=True)
class Reply:
    """One message: HTML text (every user string escaped) and rows of buttons."""

    text: str
    rows: tuple[ButtonRow, ...] = ()

    def plus(self, line: str | None = None, rows: Iterable[ButtonRow] = ()) -> Reply:
        """This message with a paragraph added below its text and rows below its buttons."""
        text = f"{self.text}\n\n{line}" if line else self.text
        return Reply(text, (*self.rows, *rows))


@dataclass(frozen=True)
class Photo:
    """A picture (PNG) with an HTML caption."""

    png: bytes
    caption: str


@dataclass(frozen=True)
class LatePhoto:
    """A picture drawn only when its turn to be sent comes: a chart takes a while to draw,
    and the messages before it need not wait for it."""

    draw: Callable[[], Awaitable[Photo]]


@dataclass(frozen=True)
class Document:
    """A file to send, with a caption: its bytes, or an open file read from its start (sent as
    it is read, then closed)."""

    data: bytes | BinaryIO
    filename: str
    caption: str


@dataclass(frozen=True)
class Edit:
    """The pressed message's new content; a new message when the update was not a press."""

    reply: Reply


@dataclass(frozen=True)
class Notice:
    """A message to the other side of a partnership, sent after the answer: the partner
    told the user accepted, the user cheered on. `claimed_as` (kind, period) names its claim
    in the recipient's sent-log, to be marked sent or failed. Nothing is sent while the
    operator has partners off; a chat that blocked the bot is skipped."""

    chat_id: int
    reply: Reply
    claimed_as: tuple[str, str] | None = None


Step = Reply | Photo | LatePhoto | Document | Edit | Notice


@dataclass(frozen=True)
class Retext:
    """A paragraph of the pressed message (plain text, as the user reads it) to replace, or to
    take out when `new` is None: a question answered or skipped."""

    old: str
    new: str | None = None


@dataclass(frozen=True)
class Response:
    """Everything the bot does in answer to one update, in order.

    For a button press, `toast` is the short answer under the button (given first), `drop`
    takes the rows of one kind of action off the pressed message, and `retext` changes one of
    its paragraphs (the rest of the message stays as it is).
    """

    steps: tuple[Step, ...] = ()
    toast: str | None = None
    drop: type[Action] | None = None
    retext: Retext | None = None

    def then(self, *steps: Step) -> Response:
        """This response with more steps after it."""
        return Response((*self.steps, *steps), self.toast, self.drop, self.retext)


def sent(*steps: Step, toast: str | None = None) -> Response:
    """A response of these steps (and a toast for a press)."""
    return Response(steps, toast)


def edited(reply: Reply, *, toast: str | None = None) -> Response:
    """The pressed message replaced by `reply` (a new message when nothing was pressed)."""
    return Response((Edit(reply),), toast)


class Refusal(Exception):
    """A press or an answer that cannot be carried out; `toast` says why in a few words.

    Nothing was changed. The adapter answers the press with the toast (or sends it).
    """

    def __init__(self, toast: str) -> None:
        super().__init__(toast)
        self.toast = toast
