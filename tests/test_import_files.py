"""Reading contacts files: LinkedIn's Connections.csv of every era, its export zip, and vCards.

The files in tests/import_files were written for these tests, one per shape a real file takes.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.coaching.imports.files import check_size, read_import_file, size_limit
from bot.coaching.imports.linkedin import parse_connected_on, parse_connections
from bot.coaching.imports.people import (
    MAX_TEXT_BYTES,
    MAX_ZIP_BYTES,
    FileProblem,
    FileRefused,
    ImportSource,
    SkipReason,
    profile_url_key,
)
from bot.coaching.imports.vcard import parse_vcards, shared_contact
from bot.coaching.names import name_key

FILES = Path(__file__).parent / "import_files"
NOTES = (FILES / "connections_2026.csv").read_text().split("First Name")[0]


def read(name: str) -> bytes:
    return (FILES / name).read_bytes()


@pytest.mark.parametrize(
    ("file", "source", "names", "skipped"),
    [
        (
            # Today's export: the Notes preamble, a URL column, quoted commas, hidden rows.
            "connections_2026.csv",
            ImportSource.LINKEDIN,
            ["Ana López", "Bob Okafor", "Chloé Dubois", "Dmitri Ivanov 🚀", "Esther Nakamura"],
            [(7, SkipReason.HIDDEN), (10, SkipReason.HIDDEN)],
        ),
        (
            # Mid-2021 to mid-2023: the preamble but no URL column; a row with no date.
            "connections_2022.csv",
            ImportSource.LINKEDIN,
            ["Farid Haddad", "Grace Hopper-Lee", "Hana Novak", "Ivan"],
            [(7, SkipReason.HIDDEN)],
        ),
        (
            # Older exports: no preamble at all; the same person twice.
            "connections_2019.csv",
            ImportSource.LINKEDIN,
            ["Jonas Berg", "Kiri Walker"],
            [(4, SkipReason.REPEATED)],
        ),
        (
            # Saved again by a spreadsheet: a byte-order mark, CRLF and 4-Apr-21 dates.
            "connections_excel.csv",
            ImportSource.LINKEDIN,
            ["Lena Fischer", "Marco Rossi"],
            [(4, SkipReason.HIDDEN)],
        ),
        (
            # A European spreadsheet: semicolons, a quoted semicolon, numeric and ISO dates.
            "connections_semicolon.csv",
            ImportSource.LINKEDIN,
            ["Nadia Benali", "Oskar Lind"],
            [],
        ),
        (
            # A spreadsheet's "Unicode text": UTF-16 with tabs.
            "connections_unicode.txt",
            ImportSource.LINKEDIN,
            ["Paula Sánchez"],
            [],
        ),
        (
            # vCard 3.0: folded lines, an escaped comma, a card with no name, a repeated card.
            "contacts_v3.vcf",
            ImportSource.PHONE,
            ["Rosa Quinn", "Sam Taylor"],
            [(18, SkipReason.NO_NAME), (22, SkipReason.REPEATED)],
        ),
        (
            # vCard 2.1: quoted-printable accents and a soft line break.
            "contacts_v21.vcf",
            ImportSource.PHONE,
            ["Jürgen Müller", "Tove Østergaard"],
            [],
        ),
        (
            # vCard 4.0: a name given only as N, two e-mails.
            "contacts_v4.vcf",
            ImportSource.PHONE,
            ["Timur Umarov"],
            [],
        ),
    ],
)
def test_every_shape_of_file_reads(
    file: str, source: ImportSource, names: list[str], skipped: list[tuple[int, SkipReason]]
) -> None:
    parsed = read_import_file(read(file))
    assert parsed.source is source
    assert [person.name for person in parsed.people] == names
    assert [(row.line, row.reason) for row in parsed.skipped] == skipped


def test_the_fields_of_todays_export() -> None:
    ana, bob, chloe, dmitri, _ = read_import_file(read("connections_2026.csv")).people
    assert (ana.company, ana.position) == ("Acme, Inc.", "Product Designer")
    assert ana.profile_url == "https://www.linkedin.com/in/ana-lopez-4b1a2c"
    assert (ana.email, ana.connected_on) == (None, date(2026, 2, 8))
    assert (bob.email, bob.position) == ("bob.okafor@example.org", "Engineering Manager, Platform")
    assert chloe.position == 'Researcher, "Future of Work" team'
    assert (dmitri.company, dmitri.position) == (None, None)


def test_the_fields_of_older_and_resaved_exports() -> None:
    farid, *_ = read_import_file(read("connections_2022.csv")).people
    assert (farid.company, farid.profile_url) == ("Stark Industries, LLC", None)
    assert farid.connected_on == date(2022, 8, 17)
    lena, marco = read_import_file(read("connections_excel.csv")).people
    assert (lena.company, lena.connected_on) == ("Wayne Enterprises, Inc.", date(2021, 4, 4))
    assert marco.connected_on == date(2023, 10, 15)
    nadia, oskar = read_import_file(read("connections_semicolon.csv")).people
    assert (nadia.connected_on, oskar.connected_on) == (date(2024, 12, 25), date(2024, 6, 1))
    assert oskar.company == "Aperture; Science"


def test_the_fields_of_vcards() -> None:
    rosa, sam = read_import_file(read("contacts_v3.vcf")).people
    assert (rosa.company, rosa.position, rosa.email) == (
        "Tyrell, Corp",
        "Senior Designer",
        "rosa@example.org",
    )
    assert (sam.company, sam.email) == (None, None)
    jurgen, tove = read_import_file(read("contacts_v21.vcf")).people
    assert jurgen.company == "Bäckerei Schmidt GmbH"
    assert tove.position == "Midwife"
    [timur] = read_import_file(read("contacts_v4.vcf")).people
    assert (timur.company, timur.position, timur.email) == (
        "Oscorp",
        "Lab Lead",
        "timur@example.com",
    )


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (read("not_connections.csv"), FileProblem.NOT_CONTACTS),
        (read("connections_latin1.csv"), FileProblem.NOT_UTF8),
        (b"", FileProblem.NOT_CONTACTS),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", FileProblem.NOT_CONTACTS),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", FileProblem.NOT_CONTACTS),
        (b"First Name;Surname\nAna;Lopez\n", FileProblem.NOT_CONTACTS),
        (b"PK\x03\x04 this is not really a zip", FileProblem.BROKEN_ZIP),
        (b"x" * (MAX_TEXT_BYTES + 1), FileProblem.TOO_LARGE),
    ],
)
def test_a_file_that_is_not_a_contacts_list_is_refused(data: bytes, problem: FileProblem) -> None:
    with pytest.raises(FileRefused) as refused:
        read_import_file(data)
    assert refused.value.problem is problem


def export_zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_linkedins_export_zip_is_read_for_its_connections() -> None:
    data = export_zip(
        {
            "Profile.csv": b"First Name,Last Name,Headline\nAlex,Doe,Designer\n",
            "messages.csv": b"FROM,TO,CONTENT\n" * 100,
            "Basic_LinkedInDataExport_02-08-2026/Connections.csv": read("connections_2026.csv"),
        }
    )
    parsed = read_import_file(data)
    assert [person.name for person in parsed.people][:2] == ["Ana López", "Bob Okafor"]


def test_a_zip_without_connections_or_with_a_huge_one_is_refused() -> None:
    with pytest.raises(FileRefused) as refused:
        read_import_file(export_zip({"Profile.csv": b"First Name,Last Name\n"}))
    assert refused.value.problem is FileProblem.NO_CONNECTIONS_IN_ZIP
    # A few kilobytes that unpack to more than the limit: never read past it.
    bomb = export_zip({"Connections.csv": b"First Name,Last Name\n" + b"a,b\n" * 1_400_000})
    assert len(bomb) < 100_000
    with pytest.raises(FileRefused) as refused:
        read_import_file(bomb)
    assert refused.value.problem is FileProblem.TOO_LARGE


@pytest.mark.parametrize(
    ("name", "mime", "limit"),
    [
        ("Connections.csv", "text/csv", MAX_TEXT_BYTES),
        ("contacts.vcf", "text/vcard", MAX_TEXT_BYTES),
        ("Basic_LinkedInDataExport.zip", "application/zip", MAX_ZIP_BYTES),
        ("export", "application/x-zip-compressed", MAX_ZIP_BYTES),
        (None, None, MAX_TEXT_BYTES),
    ],
)
def test_the_size_limit_follows_the_name(name: str | None, mime: str | None, limit: int) -> None:
    assert size_limit(name, mime) == limit
    check_size(limit, limit)
    check_size(None, limit)
    with pytest.raises(FileRefused) as refused:
        check_size(limit + 1, limit)
    assert refused.value.limit == limit


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("08 Feb 2026", date(2026, 2, 8)),
        ("8 Feb 2026", date(2026, 2, 8)),
        ("4-Apr-21", date(2021, 4, 4)),
        ("04-Apr-2021", date(2021, 4, 4)),
        ("15 September 2024", date(2024, 9, 15)),
        ("Feb 8, 2026", date(2026, 2, 8)),
        ("2026-02-08", date(2026, 2, 8)),
        ("25/12/2024", date(2024, 12, 25)),
        ("12/25/2024", date(2024, 12, 25)),
        ("25.12.24", date(2024, 12, 25)),
        ("03/04/2024", None),  # March or April: ambiguous, so unknown
        ("31 Feb 2026", None),
        ("08 Fev 2026", None),
        ("", None),
        ("yesterday", None),
    ],
)
def test_connected_on_dates(text: str, expected: date | None) -> None:
    assert parse_connected_on(text) == expected


@given(st.dates(min_value=date(2003, 1, 1), max_value=date(2099, 12, 31)))
def test_connected_on_dates_round_trip_in_every_form(day: date) -> None:
    forms = [
        day.strftime("%d %b %Y"),
        f"{day.day}-{day:%b}-{day:%y}",
        day.isoformat(),
        f"{day:%b} {day.day}, {day.year}",
    ]
    assert [parse_connected_on(form) for form in forms] == [day] * len(forms)


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("https://www.linkedin.com/in/ana-lopez", "https://www.linkedin.com/in/ana-lopez"),
        ("http://linkedin.com/in/Ana-Lopez/", "https://www.linkedin.com/in/ana-lopez"),
        ("https://de.linkedin.com/in/ana-lopez?trk=x#top", "https://www.linkedin.com/in/ana-lopez"),
        ("www.linkedin.com/in/ana-lopez", "https://www.linkedin.com/in/ana-lopez"),
        ("https://example.org/ana", "https://example.org/ana"),
        ("", None),
        ("not a url", None),
        ("ftp://linkedin.com/in/ana", None),
        ("https://" + "a" * 300 + ".com", None),
    ],
)
def test_profile_addresses_compare_in_one_form(raw: str, key: str | None) -> None:
    assert profile_url_key(raw) == key


def test_a_shared_phone_contact() -> None:
    vcard = "BEGIN:VCARD\nVERSION:3.0\nFN:Vera Kim\nORG:Hooli\nTITLE:Recruiter\nEND:VCARD"
    parsed = shared_contact("Vera", "Kim", vcard)
    [vera] = parsed.people
    assert (vera.name, vera.company, vera.position) == ("Vera Kim", "Hooli", "Recruiter")
    assert parsed.source is ImportSource.PHONE
    assert [person.name for person in shared_contact("Wu", None, None).people] == ["Wu"]
    nameless = shared_contact("  ", None, None)
    assert (nameless.people, [row.reason for row in nameless.skipped]) == ((), [SkipReason.NO_NAME])


def test_names_too_long_for_a_contact_are_skipped_with_that_reason() -> None:
    text = f"First Name,Last Name,Company\n{'A' * 40},{'B' * 40},Acme\nAna,Lopez,Acme\n"
    parsed = parse_connections(text)
    assert [person.name for person in parsed.people] == ["Ana Lopez"]
    assert [row.reason for row in parsed.skipped] == [SkipReason.LONG_NAME]


def test_two_people_sharing_a_name_keep_the_first() -> None:
    text = (
        "First Name,Last Name,URL\n"
        "Ana,Lopez,https://www.linkedin.com/in/ana-1\n"
        "ana,lópez,https://www.linkedin.com/in/ana-2\n"
        "Bea,Ruiz,https://www.linkedin.com/in/ana-1\n"
    )
    parsed = parse_connections(text)
    assert [person.name for person in parsed.people] == ["Ana Lopez"]
    assert [row.reason for row in parsed.skipped] == [SkipReason.SAME_NAME, SkipReason.REPEATED]


# --- properties ------------------------------------------------------------------------------

_NAME_PART = st.text(
    alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzÁÉíóúñçøßЖж中 -'"), min_size=1, max_size=12
).filter(lambda text: any(char.isalpha() for char in text))
_FIELD = st.text(
    alphabet=st.sampled_from('abcdefghijklmnopqrstuvwxyz ,;"&.é-'), min_size=0, max_size=30
)
_PERSON = st.tuples(_NAME_PART, _NAME_PART, _FIELD, _FIELD, st.dates(date(2003, 1, 1)))


@settings(max_examples=60)
@given(
    people=st.lists(
        _PERSON, min_size=1, max_size=12, unique_by=lambda p: name_key(p[0] + " " + p[1])
    ),
    with_notes=st.booleans(),
    with_url=st.booleans(),
    bom=st.booleans(),
    line_end=st.sampled_from(["\n", "\r\n"]),
    delimiter=st.sampled_from([",", ";", "\t"]),
    hidden=st.integers(0, 3),
)
def test_any_export_reads_back_what_was_written(
    people: list[tuple[str, str, str, str, date]],
    with_notes: bool,
    with_url: bool,
    bom: bool,
    line_end: str,
    delimiter: str,
    hidden: int,
) -> None:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=line_end)
    header = ["First Name", "Last Name", "URL", "Email Address", "Company", "Position"]
    header = [*header, "Connected On"] if with_url else [*header[:2], *header[3:], "Connected On"]
    writer.writerow(header)
    for index, (first, last, company, position, day) in enumerate(people):
        url = [f"https://www.linkedin.com/in/person-{index}"] if with_url else []
        writer.writerow([first, last, *url, "", company, position, day.strftime("%d %b %Y")])
    for _ in range(hidden):
        writer.writerow([""] * (len(header) - 1) + ["08 Feb 2026"])
    text = ("\ufeff" if bom else "") + (NOTES if with_notes else "") + out.getvalue()
    parsed = read_import_file(text.encode())
    expected_names = [" ".join(" ".join(f"{a} {b}".split()).split()) for a, b, *_ in people]
    assert [person.name for person in parsed.people] == expected_names
    assert [p.company or "" for p in parsed.people] == [" ".join(p[2].split()) for p in people]
    assert [p.position or "" for p in parsed.people] == [" ".join(p[3].split()) for p in people]
    assert [p.connected_on for p in parsed.people] == [p[4] for p in people]
    assert [row.reason for row in parsed.skipped] == [SkipReason.HIDDEN] * hidden


def _fold(line: str, width: int) -> str:
    """A vCard line folded every `width` characters, as phones write long lines."""
    pieces = [line[start : start + width] for start in range(0, len(line), width)]
    return "\r\n ".join(pieces)


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")


@settings(max_examples=60)
@given(
    cards=st.lists(
        st.tuples(_NAME_PART, _FIELD, _FIELD),
        min_size=1,
        max_size=8,
        unique_by=lambda card: name_key(card[0]),
    ),
    width=st.integers(5, 75),
)
def test_any_vcard_file_reads_back_what_was_written(
    cards: list[tuple[str, str, str]], width: int
) -> None:
    lines = []
    for name, company, title in cards:
        lines += ["BEGIN:VCARD", "VERSION:3.0", _fold(f"FN:{_escape(name)}", width)]
        lines += [_fold(f"ORG:{_escape(company)};Unit", width), f"TITLE:{_escape(title)}"]
        lines += ["TEL;TYPE=CELL:+1 555 0100", "END:VCARD"]
    parsed = parse_vcards("\r\n".join(lines))
    assert [person.name for person in parsed.people] == [" ".join(c[0].split()) for c in cards]
    assert [p.company or "" for p in parsed.people] == [" ".join(c[1].split()) for c in cards]
    assert [p.position or "" for p in parsed.people] == [" ".join(c[2].split()) for c in cards]


@settings(max_examples=200)
@given(st.binary(max_size=2000) | st.text(max_size=2000).map(str.encode))
def test_any_bytes_give_people_or_a_refusal_and_nothing_else(data: bytes) -> None:
    try:
        parsed = read_import_file(data)
    except FileRefused:
        return
    assert all(person.name for person in parsed.people)


@settings(max_examples=200)
@given(st.text(alphabet=st.sampled_from('ab,;"\n\r\t:=\\ FNBEGIN:VCARD'), max_size=400))
def test_any_near_miss_text_gives_people_or_a_refusal(text: str) -> None:
    for parse in (parse_connections, parse_vcards):
        try:
            parse("First Name,Last Name\n" + text if parse is parse_connections else text)
        except FileRefused:
            continue
