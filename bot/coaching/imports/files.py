"""A file sent to the bot, whatever it is: LinkedIn's export zip, its Connections.csv, or a
vCard file. The content decides, not the name; the name only sets the size limit before the
file is fetched."""

from __future__ import annotations

import codecs
import io
import zipfile
import zlib
from pathlib import PurePosixPath

from bot.coaching.imports.linkedin import parse_connections
from bot.coaching.imports.people import (
    MAX_TEXT_BYTES,
    MAX_ZIP_BYTES,
    FileProblem,
    FileRefused,
    ParsedFile,
)
from bot.coaching.imports.vcard import parse_vcards

ZIP_MAGIC = b"PK\x03\x04"
CONNECTIONS_FILE = "connections.csv"
# A text file has no NUL byte near its start (unless it is UTF-16, which has its mark).
BINARY_SNIFF_BYTES = 8192


def size_limit(file_name: str | None, mime_type: str | None) -> int:
    """The largest file of this name and type worth fetching: a zip may be LinkedIn's whole
    export, anything else is a contacts list."""
    is_zip = (file_name or "").lower().endswith(".zip") or "zip" in (mime_type or "").lower()
    return MAX_ZIP_BYTES if is_zip else MAX_TEXT_BYTES


def check_size(size: int | None, limit: int) -> None:
    """FileRefused when a file of `size` bytes (None: not known yet) is over `limit`."""
    if size is not None and size > limit:
        raise FileRefused(FileProblem.TOO_LARGE, limit=limit)


def read_import_file(data: bytes) -> ParsedFile:
    """The people in a file's bytes; FileRefused for anything that is not a contacts file."""
    if data.startswith(ZIP_MAGIC):
        check_size(len(data), MAX_ZIP_BYTES)
        data = _connections_in_zip(data)
    check_size(len(data), MAX_TEXT_BYTES)
    text = decode_text(data)
    if text.lstrip().upper().startswith("BEGIN:VCARD"):
        return parse_vcards(text)
    return parse_connections(text)


def decode_text(data: bytes) -> str:
    """The text of a UTF-8 file (a byte-order mark dropped); UTF-16 with its mark, as
    spreadsheets save "Unicode text", is read too. FileRefused for a binary file (a picture,
    a PDF: not contacts) or text in another encoding (not UTF-8)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif b"\x00" in data[:BINARY_SNIFF_BYTES] or data.startswith(b"%PDF"):
        raise FileRefused(FileProblem.NOT_CONTACTS)
    else:
        encoding = "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise FileRefused(FileProblem.NOT_UTF8) from None


def _connections_in_zip(data: bytes) -> bytes:
    """Connections.csv from LinkedIn's export zip, read no further than the size limit."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            member = next(
                (
                    info
                    for info in archive.infolist()
                    if PurePosixPath(info.filename).name.lower() == CONNECTIONS_FILE
                ),
                None,
            )
            if member is None:
                raise FileRefused(FileProblem.NO_CONNECTIONS_IN_ZIP)
            check_size(member.file_size, MAX_TEXT_BYTES)
            with archive.open(member) as inner:
                content = inner.read(MAX_TEXT_BYTES + 1)
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, EOFError, zlib.error):
        raise FileRefused(FileProblem.BROKEN_ZIP) from None
    check_size(len(content), MAX_TEXT_BYTES)
    return content
