"""A user's data as PRODUCT section 5 names it: one JSON document, and the same tables as CSV.

Pure: takes the rows storage returns and gives bytes to send. Times are ISO 8601 in UTC.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from typing import Any, BinaryIO

Rows = Mapping[str, Sequence[Mapping[str, Any]]]
TABLES = ("contacts", "interactions", "follow_ups", "fears", "opportunities", "targets")

# Settings and state kept on the user row, in the order they are exported.
USER_FIELDS = (
    "name",
    "timezone",
    "morning_time",
    "daily_quota",
    "weekly_chats",
    "goal_count",
    "goal_date",
    "evening_time",
    "follow_up_days",
    "rest_days",
    "review_day",
    "review_time",
    "stall_days",
    "fear_prompts",
    "paused_at",
    "paused_until",
    "active",
    "onboarding_step",
    "onboarded_at",
    "awaiting",
    "created_at",
)
FIELDS = {
    "contacts": (
        "name",
        "tier",
        "note",
        "created_at",
        "rest_until",
        "company",
        "position",
        "profile_url",
        "connected_on",
        "email",
    ),
    "interactions": ("contact", "kind", "channel", "ask", "note", "at"),
    "follow_ups": ("contact", "due_at", "attempt", "status", "reason", "closed_at"),
    "fears": (
        "text",
        "strength_before",
        "strength_after",
        "outcome",
        "contact",
        "created_at",
        "tested_at",
    ),
    "opportunities": ("contact", "title", "stage", "updated_at", "created_at"),
    "targets": ("company", "created_at"),
}
# The people of an import waiting for a tap, as each is listed.
PENDING_PERSON_FIELDS = ("name", "company", "position", "profile_url", "email", "connected_on")
# An invite and what became of it, with the name the partner sees the user by (who the
# partner is shows under the top-level `partner`).
PARTNERSHIP_FIELDS = ("created_at", "expires_at", "accepted_at", "ended_at")


# Read and kept whole while the export is written; each stays small (they expire or are few).
SMALL_TABLES = (
    "sent_messages",
    "drafts",
    "schedules",
    "pending_imports",
    "pending_import_rows",
    "partnerships",
    "partner_of",
)


class ExportWriter:
    """Writes the export as it is read: one JSON document and a zip of the same tables as CSV,
    a chunk of rows at a time, into two binary files (so its memory does not grow with the
    account).

    The JSON's top-level keys are user, contacts, interactions, follow_ups, fears,
    opportunities, targets, partner; what else is kept (scheduled messages sent, pending
    confirmations and imports, schedules, partner invites) is listed under `user`. Feed it
    `add(table, rows)` in the order storage reads (`user`, the small tables, then each large
    table announced by an empty chunk), then `finish()`.
    """

    def __init__(self, json_file: BinaryIO, zip_file: BinaryIO) -> None:
        self._json = json_file
        self._zip = zipfile.ZipFile(zip_file, "w", zipfile.ZIP_DEFLATED)
        self._small: dict[str, list[Mapping[str, Any]]] = {}
        self._table: str | None = None
        self._csv_file: io.TextIOWrapper | None = None
        self._csv: csv.DictWriter[str] | None = None
        self.counts: dict[str, int] = dict.fromkeys(TABLES, 0)

    def add(self, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
        """Take the next chunk of one table's rows."""
        if table == "user" or table in SMALL_TABLES:
            self._small.setdefault(table, []).extend(rows)
            return
        if table != self._table:
            self._start_table(table)
        for row in rows:
            record = _record(table, row)
            self._json.write(b",\n    " if self.counts[table] else b"\n    ")
            self._json.write(_dumps(record))
            if self._csv is not None:
                self._csv.writerow({k: "" if v is None else v for k, v in record.items()})
            self.counts[table] += 1

    def finish(self) -> None:
        """Close the last table and write what comes after the tables (the partner)."""
        if self._table is None:
            self._write_user()
        self._close_table()
        partner = _partner(self._small.get("partnerships", ()))
        self._json.write(b',\n  "partner": ' + _dumps(partner) + b"\n}\n")
        self._zip.writestr("partner.csv", _csv(["name", "since"], [partner] if partner else []))
        self._zip.close()

    def _start_table(self, table: str) -> None:
        if self._table is None:
            self._write_user()
        self._close_table()
        self._table = table
        self._json.write(f',\n  "{table}": ['.encode())
        self._csv_file = io.TextIOWrapper(
            self._zip.open(f"{table}.csv", "w"), encoding="utf-8", newline=""
        )
        self._csv = csv.DictWriter(
            self._csv_file,
            fieldnames=list(FIELDS[table]),
            extrasaction="ignore",
            lineterminator="\n",
        )
        self._csv.writeheader()

    def _close_table(self) -> None:
        if not self._table:
            return
        self._json.write(b"\n  ]" if self.counts[self._table] else b"]")
        if self._csv_file is not None:
            self._csv_file.close()
        self._csv_file, self._csv = None, None

    def _write_user(self) -> None:
        user = _user(self._small)
        self._json.write(b'{\n  "user": ' + _dumps(user))
        row = {key: value for key, value in user.items() if key in USER_FIELDS}
        row["follow_up_days"] = " ".join(map(str, user["follow_up_days"]))
        row["rest_days"] = " ".join(map(str, user["rest_days"]))
        self._zip.writestr("user.csv", _csv([*USER_FIELDS], [row]))
        sent = user["scheduled_messages_sent"]
        self._zip.writestr(
            "scheduled_messages_sent.csv", _csv(["kind", "period", "status", "at", "shown"], sent)
        )
        self._table = ""  # the user is written: the large tables come next


def _user(small: Mapping[str, Sequence[Mapping[str, Any]]]) -> dict[str, Any]:
    """The user's settings and state, with the small tables listed under it."""
    [user_row] = small["user"]
    user: dict[str, Any] = {
        field: _value(user_row[field]) for field in USER_FIELDS if field in user_row
    }
    user["follow_up_days"] = _numbers(user_row.get("follow_up_days"))
    user["rest_days"] = _numbers(user_row.get("rest_days"))
    user["scheduled_messages_sent"] = [
        {
            "kind": row["kind"],
            "period": row["period_key"],
            "status": row["status"],
            "at": _value(row["claimed_at"]),
            "shown": row.get("content"),
        }
        for row in small.get("sent_messages", ())
    ]
    user["scheduled_next"] = {
        row["kind"]: _value(row["next_at"]) for row in small.get("schedules", ())
    }
    user["pending_confirmations"] = [
        {"kind": row["kind"], "details": row["payload"], "created_at": _value(row["created_at"])}
        for row in small.get("drafts", ())
    ] + _pending_imports(small)
    user["partner_invites"] = [
        {"name_shown": row["owner_name"]}
        | {field: _value(row[field]) for field in PARTNERSHIP_FIELDS}
        for row in small.get("partnerships", ())
    ]
    user["partner_of"] = [  # only what is kept about this user as someone's partner
        {"first_name": row["partner_name"], "since": _value(row["accepted_at"])}
        for row in small.get("partner_of", ())
    ]
    return user


def _record(table: str, row: Mapping[str, Any]) -> dict[str, Any]:
    """One exported row of a large table, its fields in the export's words and order."""
    if table == "targets":
        row = {**row, "company": row["name"]}
    return {field: _value(row.get(field)) for field in FIELDS[table]}


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode()


def _pending_imports(rows: Rows) -> list[dict[str, Any]]:
    """Each import waiting for Import or Cancel, with the people it holds."""
    people: dict[int, list[dict[str, Any]]] = {}
    for row in rows.get("pending_import_rows", ()):
        person = {field: _value(row[field]) for field in PENDING_PERSON_FIELDS}
        people.setdefault(row["import_id"], []).append(person)
    return [
        {
            "kind": "import",
            "details": {
                "source": row["source"],
                "file_name": row["file_name"],
                "keep_emails": bool(row["keep_emails"]),
                "skipped": row["skipped"],
                "left_out": row["left_out"],
                "people": people.get(row["id"], []),
            },
            "created_at": _value(row["created_at"]),
        }
        for row in rows.get("pending_imports", ())
    ]


def _partner(partnerships: Sequence[Mapping[str, Any]]) -> dict[str, Any] | None:
    """The current partner: their first name and since when, never more of their data."""
    for row in partnerships:
        if row["accepted_at"] is not None and row["ended_at"] is None:
            return {"name": row["partner_name"], "since": _value(row["accepted_at"])}
    return None


def _csv(fields: list[str], rows: Sequence[Mapping[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: "" if value is None else value for key, value in row.items()})
    return out.getvalue()


def _value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _numbers(text: object) -> list[int]:
    return [int(part) for part in str(text or "").split(",") if part]
