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
from typing import Any

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


def export_document(rows: Rows) -> dict[str, Any]:
    """The export: top-level keys user, contacts, interactions, follow_ups, fears,
    opportunities, targets, partner; what else is kept (scheduled messages sent, pending
    confirmations and imports, schedules, partner invites) is listed under `user`."""
    [user_row] = rows["user"]
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
        for row in rows.get("sent_messages", ())
    ]
    user["scheduled_next"] = {
        row["kind"]: _value(row["next_at"]) for row in rows.get("schedules", ())
    }
    user["pending_confirmations"] = [
        {"kind": row["kind"], "details": row["payload"], "created_at": _value(row["created_at"])}
        for row in rows.get("drafts", ())
    ] + _pending_imports(rows)
    user["partner_invites"] = [
        {"name_shown": row["owner_name"]}
        | {field: _value(row[field]) for field in PARTNERSHIP_FIELDS}
        for row in rows.get("partnerships", ())
    ]
    user["partner_of"] = [  # only what is kept about this user as someone's partner
        {"first_name": row["partner_name"], "since": _value(row["accepted_at"])}
        for row in rows.get("partner_of", ())
    ]
    document: dict[str, Any] = {"user": user}
    rows = {**rows, "targets": [{**row, "company": row["name"]} for row in rows.get("targets", ())]}
    for table in TABLES:
        document[table] = [
            {field: _value(row.get(field)) for field in FIELDS[table]}
            for row in rows.get(table, ())
        ]
    document["partner"] = _partner(rows.get("partnerships", ()))
    return document


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


def to_json(document: Mapping[str, Any]) -> bytes:
    """The document as pretty UTF-8 JSON."""
    return json.dumps(document, ensure_ascii=False, indent=2).encode()


def to_csv_zip(document: Mapping[str, Any]) -> bytes:
    """The same tables as CSV files in a zip: user.csv (one row) and one file per table."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        user = {key: value for key, value in document["user"].items() if key in USER_FIELDS}
        user["follow_up_days"] = " ".join(map(str, document["user"]["follow_up_days"]))
        user["rest_days"] = " ".join(map(str, document["user"]["rest_days"]))
        archive.writestr("user.csv", _csv([*USER_FIELDS], [user]))
        sent = document["user"]["scheduled_messages_sent"]
        archive.writestr(
            "scheduled_messages_sent.csv", _csv(["kind", "period", "status", "at", "shown"], sent)
        )
        for table in TABLES:
            archive.writestr(f"{table}.csv", _csv(list(FIELDS[table]), document[table]))
        partner = document["partner"]
        archive.writestr("partner.csv", _csv(["name", "since"], [partner] if partner else []))
    return buffer.getvalue()


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
