"""Phone contacts: .vcf files (vCard 2.1, 3.0 and 4.0) and a contact shared in the chat.

Each card gives a name (FN, or else N), the company (ORG), the position (TITLE) and an e-mail
(EMAIL); phone numbers are read past and never kept. Folded lines are unfolded, vCard 2.1's
quoted-printable values are decoded, and escaped commas and semicolons are read as such.
"""

from __future__ import annotations

import quopri
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from bot.coaching.imports.people import (
    FileProblem,
    FileRefused,
    ImportedPerson,
    ImportSource,
    ParsedFile,
    SkippedRow,
    SkipReason,
    person_from,
)
from bot.coaching.names import name_key

_ESCAPED = re.compile(r"\\(.)")
_COMPONENT_SEPARATOR = re.compile(r"(?<!\\);")
_QUOTED_PRINTABLE = "QUOTED-PRINTABLE"


@dataclass
class _Card:
    """What one card says, gathered line by line."""

    line: int
    formatted: str = ""
    structured: list[str] = field(default_factory=list)
    company: str = ""
    position: str = ""
    emails: list[str] = field(default_factory=list)

    def result(self) -> ImportedPerson | SkipReason:
        family, given, additional = [*self.structured, "", "", ""][:3]
        name = self.formatted or " ".join(part for part in (given, additional, family) if part)
        return person_from(
            name,
            company=self.company,
            position=self.position,
            email=self.emails[0] if self.emails else "",
        )


def parse_vcards(text: str) -> ParsedFile:
    """The people of a vCard file (as text); FileRefused when it holds no card."""
    people: list[ImportedPerson] = []
    skipped: list[SkippedRow] = []
    seen: set[str] = set()
    cards = list(_cards(text))
    if not cards:
        raise FileRefused(FileProblem.NOT_CONTACTS)
    for card in cards:
        result = card.result()
        if isinstance(result, ImportedPerson) and name_key(result.name) in seen:
            result = SkipReason.REPEATED
        if isinstance(result, SkipReason):
            skipped.append(SkippedRow(card.line, result))
            continue
        seen.add(name_key(result.name))
        people.append(result)
    return ParsedFile(ImportSource.PHONE, tuple(people), tuple(skipped))


def shared_contact(first_name: str, last_name: str | None, vcard: str | None) -> ParsedFile:
    """A contact shared from the phone's picker: its name, and what its vCard adds."""
    name = " ".join(part for part in (first_name, last_name or "") if part.strip())
    details = next(_cards(vcard), None) if vcard else None
    result = person_from(
        name,
        company=details.company if details else "",
        position=details.position if details else "",
        email=details.emails[0] if details and details.emails else "",
    )
    if isinstance(result, SkipReason):
        return ParsedFile(ImportSource.PHONE, (), (SkippedRow(1, result),))
    return ParsedFile(ImportSource.PHONE, (result,))


def _cards(text: str) -> Iterator[_Card]:
    card: _Card | None = None
    for number, line in _logical_lines(text):
        upper = line.strip().upper()
        if upper == "BEGIN:VCARD":
            if card is not None:
                yield card
            card = _Card(number)
        elif upper == "END:VCARD":
            if card is not None:
                yield card
            card = None
        elif card is not None:
            _read_property(card, line)
    if card is not None:
        yield card


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """Each property on one line, with the number of its first line: a line that starts with
    a space or tab continues the one before, and so does the line after a quoted-printable
    value ending in "=" (a soft line break)."""
    current: list[str] = []
    start = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if current and line[:1] in (" ", "\t"):
            current.append(line[1:])
            continue
        if current and _soft_break(current[-1], current[0]):
            current[-1] = current[-1][:-1]
            current.append(line)
            continue
        if current:
            yield start, "".join(current)
        current, start = [line], number
    if current:
        yield start, "".join(current)


def _soft_break(last: str, first: str) -> bool:
    head = first.split(":", 1)[0].upper()
    return last.endswith("=") and _QUOTED_PRINTABLE in head


def _read_property(card: _Card, line: str) -> None:
    parsed = _split_property(line)
    if parsed is None:
        return
    name, parameters, value = parsed
    if name not in ("FN", "N", "ORG", "TITLE", "EMAIL"):
        return
    if _QUOTED_PRINTABLE in parameters:
        charset = parameters.get("CHARSET", "utf-8")
        value = _decode_quoted_printable(value, charset)
    components = [_unescape(part) for part in _COMPONENT_SEPARATOR.split(value)]
    if name == "FN":
        card.formatted = card.formatted or _unescape(value)
    elif name == "N":
        card.structured = card.structured or components
    elif name == "ORG":
        card.company = card.company or components[0]
    elif name == "TITLE":
        card.position = card.position or _unescape(value)
    else:
        card.emails.append(_unescape(value))


def _split_property(line: str) -> tuple[str, dict[str, str], str] | None:
    """("EMAIL", {"TYPE": "work"}, "ana@example.org") from `item1.EMAIL;TYPE=work:ana@...`.

    A bare vCard 2.1 parameter (`;QUOTED-PRINTABLE`, `;WORK`) is kept under its own name.
    """
    index = _value_start(line)
    if index < 0:
        return None
    name, *raw_parameters = line[:index].split(";")
    parameters: dict[str, str] = {}
    for raw in raw_parameters:
        key, separator, value = raw.partition("=")
        key = key.strip().upper()
        if separator:
            parameters[key] = value.strip().strip('"')
            if key == "ENCODING" and value.strip().upper() == _QUOTED_PRINTABLE:
                parameters[_QUOTED_PRINTABLE] = ""
        else:
            parameters[key] = ""
    return name.rsplit(".", 1)[-1].strip().upper(), parameters, line[index + 1 :]


def _value_start(line: str) -> int:
    """Where the name and parameters end: the first colon outside double quotes (-1: none)."""
    in_quotes = False
    for index, char in enumerate(line):
        if char == '"':
            in_quotes = not in_quotes
        elif char == ":" and not in_quotes:
            return index
    return -1


def _decode_quoted_printable(value: str, charset: str) -> str:
    raw = quopri.decodestring(value.encode("utf-8"))
    try:
        return raw.decode(charset, errors="replace")
    except LookupError:  # a charset Python does not know
        return raw.decode("utf-8", errors="replace")


def _unescape(value: str) -> str:
    return _ESCAPED.sub(lambda match: " " if match[1] in "nN" else match[1], value)
