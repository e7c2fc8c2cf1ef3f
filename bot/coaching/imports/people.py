"""The records an import is made of: the people read from a file, the rows left out and why,
the limits, and the typed refusal of a file that cannot be read."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from urllib.parse import urlsplit

from bot.coaching.companies import MAX_COMPANY_LENGTH
from bot.coaching.domain import MAX_NAME_LENGTH, Tier
from bot.coaching.errors import InputError
from bot.coaching.names import clean_contact_name
from bot.coaching.text import shorten

# A contacts file (CSV or vCard) is small: LinkedIn's Connections.csv for 30,000 people is
# about 3 MB. Telegram lets bots download files of up to 20 MB: LinkedIn's whole export zip.
MAX_TEXT_BYTES = 5 * 1024 * 1024
MAX_ZIP_BYTES = 20 * 1024 * 1024
# At most this many people are read from one file (the most recently connected first), and a
# chat keeps at most this many contacts.
MAX_IMPORT_PEOPLE = 3_000
MAX_POSITION_LENGTH = 100
MAX_URL_LENGTH = 200
MAX_EMAIL_LENGTH = 254
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_WHITESPACE = re.compile(r"\s")
# The usual shape of a LinkedIn profile address, read without a full URL parse.
_LINKEDIN_PROFILE = re.compile(
    r"(?:https?://)?(?:[a-z]{2,3}\.|www\.)?linkedin\.com(/in/[^/?#]+)/?(?:[?#].*)?", re.IGNORECASE
)


class ImportSource(StrEnum):
    """Where the people come from; it sets the tier they join as."""

    LINKEDIN = "linkedin"
    PHONE = "phone"

    @property
    def tier(self) -> Tier:
        """LinkedIn connections are first-degree; people from the phone are warm."""
        return Tier.FIRST if self is ImportSource.LINKEDIN else Tier.WARM


@dataclass(frozen=True)
class ImportedPerson:
    """One person read from a file, each field cleaned and within its length."""

    name: str
    company: str | None = None
    position: str | None = None
    profile_url: str | None = None
    email: str | None = None
    connected_on: date | None = None


class SkipReason(StrEnum):
    """Why a row of a file is not imported."""

    HIDDEN = "hidden"  # LinkedIn hides the profile: the row has only a date
    NO_NAME = "no_name"
    LONG_NAME = "long_name"
    REPEATED = "repeated"  # the same person again
    SAME_NAME = "same_name"  # another person with a name already taken


@dataclass(frozen=True)
class SkippedRow:
    """A row left out and why: its line in the file (a vCard's first line), or the person's
    place in the list for a clash found against the contacts."""

    line: int
    reason: SkipReason


@dataclass(frozen=True)
class ParsedFile:
    """What a file holds: the people, in file order, and the rows left out."""

    source: ImportSource
    people: tuple[ImportedPerson, ...]
    skipped: tuple[SkippedRow, ...] = ()


@dataclass(frozen=True)
class PendingImport:
    """A file read and summarised, waiting for Import or Cancel; nothing of it is a contact
    yet. `left_out` people of the file were over the per-import limit."""

    id: int
    source: ImportSource
    file_name: str | None
    keep_emails: bool
    skipped: Mapping[SkipReason, int]
    left_out: int
    created_at: datetime


class FileProblem(StrEnum):
    """Why a file cannot be imported at all."""

    TOO_LARGE = "too_large"
    NOT_UTF8 = "not_utf8"
    NOT_CONTACTS = "not_contacts"  # neither LinkedIn's connections nor vCards
    NO_CONNECTIONS_IN_ZIP = "no_connections_in_zip"
    BROKEN_ZIP = "broken_zip"


class FileRefused(Exception):
    """A file that cannot be imported; nothing was stored. `limit` is the size limit that a
    too large file went over."""

    def __init__(self, problem: FileProblem, *, limit: int | None = None) -> None:
        super().__init__(problem.value)
        self.problem = problem
        self.limit = limit


def person_from(
    name: str,
    *,
    company: str = "",
    position: str = "",
    profile_url: str = "",
    email: str = "",
    connected_on: date | None = None,
) -> ImportedPerson | SkipReason:
    """A person from raw fields, each tidied and bounded; the reason to skip the row when the
    name cannot be a contact's name."""
    try:
        clean_name = clean_contact_name(name)
    except InputError:
        visible = " ".join(name.split())
        return SkipReason.LONG_NAME if len(visible) > MAX_NAME_LENGTH else SkipReason.NO_NAME
    return ImportedPerson(
        name=clean_name,
        company=_text(company, MAX_COMPANY_LENGTH),
        position=_text(position, MAX_POSITION_LENGTH),
        profile_url=profile_url_key(profile_url),
        email=_email(email),
        connected_on=connected_on,
    )


def profile_url_key(raw: str) -> str | None:
    """A profile address in one form, so the same profile always compares equal:
    "http://linkedin.com/in/Ana-L/?trk=x" becomes "https://www.linkedin.com/in/ana-l"."""
    text = raw.strip()
    if not text or len(text) > MAX_URL_LENGTH or _WHITESPACE.search(text):
        return None
    if match := _LINKEDIN_PROFILE.fullmatch(text):
        return f"https://www.linkedin.com{match[1]}".lower()
    parts = urlsplit(text if "://" in text else "https://" + text)
    host = (parts.hostname or "").lower()
    if parts.scheme.lower() not in ("http", "https") or "." not in host:
        return None
    if host == "linkedin.com" or host.endswith(".linkedin.com"):
        host = "www.linkedin.com"
    path = parts.path.rstrip("/")
    return f"https://{host}{path}".lower()


def _text(raw: str, limit: int) -> str | None:
    visible = raw
    if not raw.isprintable():  # rare: drop control and format characters, keep the spacing
        visible = "".join(
            ch for ch in raw if ch.isspace() or unicodedata.category(ch) not in ("Cc", "Cf")
        )
    text = unicodedata.normalize("NFC", " ".join(visible.split()))
    return shorten(text, limit) if text else None


def _email(raw: str) -> str | None:
    text = raw.strip()
    if len(text) > MAX_EMAIL_LENGTH or not _EMAIL.fullmatch(text):
        return None
    return text
