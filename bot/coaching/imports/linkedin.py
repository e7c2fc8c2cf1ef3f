"""LinkedIn's Connections.csv, in every shape it has had.

The current export starts with a `Notes:` line, a quoted sentence and a blank line, then the
header `First Name,Last Name,URL,Email Address,Company,Position,Connected On`; exports from
mid-2021 to mid-2023 have no `URL` column and older ones no preamble. A spreadsheet that saved
the file again may have added a byte-order mark, Windows line endings, semicolons or tabs, and
dates like `4-Apr-21` (LinkedIn writes `08 Feb 2026`). So the header is found by its column
names, columns are read by name, and the csv module reads the quoting.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from typing import TYPE_CHECKING

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

if TYPE_CHECKING:
    from _csv import Reader

# Header cells (casefolded, spaces collapsed) -> the field they hold.
COLUMNS = {
    "first name": "first",
    "last name": "last",
    "url": "url",
    "profile url": "url",
    "email address": "email",
    "e-mail address": "email",
    "email": "email",
    "company": "company",
    "position": "position",
    "connected on": "connected_on",
}
# The header is looked for in this many first records (the preamble is three).
HEADER_SEARCH_ROWS = 30
DELIMITERS = (",", ";", "\t")
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[ \-/.]([A-Za-z]{3,9})\.?[ \-/.,]+(\d{4}|\d{2})")
_MONTH_DAY_YEAR = re.compile(r"([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_NUMERIC = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})")


def parse_connections(text: str) -> ParsedFile:
    """The people of a Connections.csv (as text); FileRefused when it is not one."""
    found = _find_header(text)
    if found is None:
        raise FileRefused(FileProblem.NOT_CONTACTS)
    reader, fields = found
    people: list[ImportedPerson] = []
    skipped: list[SkippedRow] = []
    seen_profiles: set[str] = set()
    seen_names: dict[str, str | None] = {}
    try:
        for row in reader:
            values = {field: cell for field, cell in zip(fields, row, strict=False) if field}
            result = _row(values)
            if result is None:
                continue
            line = reader.line_num
            if isinstance(result, SkipReason):
                skipped.append(SkippedRow(line, result))
                continue
            repeat = _repeat(result, seen_profiles, seen_names)
            if repeat is not None:
                skipped.append(SkippedRow(line, repeat))
                continue
            people.append(result)
    except csv.Error:
        raise FileRefused(FileProblem.NOT_CONTACTS) from None
    return ParsedFile(ImportSource.LINKEDIN, tuple(people), tuple(skipped))


def parse_connected_on(text: str) -> date | None:
    """A `Connected On` date in the forms LinkedIn and spreadsheets write it: "08 Feb 2026",
    "4-Apr-21", "Feb 8, 2026", "2026-02-08", or an unambiguous "25/12/2024"; None otherwise."""
    text = text.strip()
    if match := _DAY_MONTH_YEAR.fullmatch(text):
        day, month, year = match[1], MONTHS.get(match[2].lower()), match[3]
        return _date(year, month, day)
    if match := _MONTH_DAY_YEAR.fullmatch(text):
        return _date(match[3], MONTHS.get(match[1].lower()), match[2])
    if match := _ISO.fullmatch(text):
        return _date(match[1], int(match[2]), match[3])
    if match := _NUMERIC.fullmatch(text):
        first, second = int(match[1]), int(match[2])
        if first > 12 >= second:
            return _date(match[3], second, match[1])
        if second > 12 >= first:
            return _date(match[3], first, match[2])
    return None


def _date(year: str, month: int | None, day: str) -> date | None:
    if month is None:
        return None
    full_year = int(year) + 2000 if len(year) == 2 else int(year)
    try:
        return date(full_year, month, int(day))
    except ValueError:
        return None


def _find_header(text: str) -> tuple[Reader, list[str | None]] | None:
    """A reader placed just after the header, and the field of each column; None when no
    delimiter gives a row naming both `First Name` and `Last Name`."""
    for delimiter in DELIMITERS:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
        try:
            for _, row in zip(range(HEADER_SEARCH_ROWS), reader, strict=False):
                fields = [COLUMNS.get(_header_cell(cell)) for cell in row]
                if "first" in fields and "last" in fields:
                    return reader, fields
        except csv.Error:
            continue
    return None


def _header_cell(cell: str) -> str:
    return " ".join(cell.replace("\ufeff", "").split()).casefold()


def _row(values: dict[str, str]) -> ImportedPerson | SkipReason | None:
    """A record as a person, a reason to skip it, or None for a blank line."""
    cells = {field: " ".join(value.split()) for field, value in values.items()}
    if not any(cells.values()):
        return None
    name = " ".join(part for part in (cells.get("first", ""), cells.get("last", "")) if part)
    if not name:
        others = [value for field, value in cells.items() if field != "connected_on" and value]
        return SkipReason.NO_NAME if others else SkipReason.HIDDEN
    return person_from(
        name,
        company=cells.get("company", ""),
        position=cells.get("position", ""),
        profile_url=cells.get("url", ""),
        email=cells.get("email", ""),
        connected_on=parse_connected_on(cells.get("connected_on", "")),
    )


def _repeat(
    person: ImportedPerson, seen_profiles: set[str], seen_names: dict[str, str | None]
) -> SkipReason | None:
    """Why a person cannot join the ones read before (None: they can), and remember them."""
    key = name_key(person.name)
    if person.profile_url is not None and person.profile_url in seen_profiles:
        return SkipReason.REPEATED
    if key in seen_names:
        earlier = seen_names[key]
        same = earlier is None or person.profile_url is None or earlier == person.profile_url
        return SkipReason.REPEATED if same else SkipReason.SAME_NAME
    seen_names[key] = person.profile_url
    if person.profile_url is not None:
        seen_profiles.add(person.profile_url)
    return None
