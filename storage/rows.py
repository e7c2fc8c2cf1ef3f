"""Rows to the frozen records of bot.coaching.domain, and user settings to their columns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from datetime import date, time
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, TypeVar

import sqlalchemy as sa

from bot.coaching.domain import (
    CLEAR,
    Ask,
    Channel,
    Contact,
    Fear,
    FearOutcome,
    FollowUp,
    FollowUpReason,
    FollowUpStatus,
    Interaction,
    Kind,
    OnboardingStep,
    Opportunity,
    PreferenceChanges,
    Stage,
    Target,
    Tier,
    User,
)
from bot.coaching.imports.people import ImportedPerson, ImportSource, PendingImport, SkipReason
from bot.coaching.pending import question_from_json

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

_Record = TypeVar("_Record", bound="DataclassInstance")

# User settings kept as text: times as "HH:MM", lists of day numbers as "3,7,14".
_TIME_COLUMNS = frozenset({"morning_time", "evening_time", "review_time"})
_DAY_LIST_COLUMNS = frozenset({"follow_up_days", "rest_days"})


def _record(record_type: type[_Record], row: Any, **converted: Any) -> _Record:
    """A record from the row's columns of the same names; `converted` gives the others."""
    values = {
        field.name: getattr(row, field.name)
        for field in fields(record_type)
        if field.name not in converted
    }
    return record_type(**values, **converted)


def part(row: Any, table: sa.Table) -> SimpleNamespace:
    """One table's columns of a joined row, by name (both tables have an `id`, a `chat_id`...)."""
    mapping = row._mapping
    return SimpleNamespace(**{column.name: mapping[column] for column in table.c})


def user_record(row: Any) -> User:
    """A users row as a User."""
    return _record(
        User,
        row,
        morning_time=time.fromisoformat(row.morning_time),
        evening_time=time.fromisoformat(row.evening_time) if row.evening_time else None,
        follow_up_days=_int_tuple(row.follow_up_days),
        rest_days=_int_tuple(row.rest_days),
        active=bool(row.active),
        review_time=time.fromisoformat(row.review_time),
        onboarding_step=_onboarding_step(row.onboarding_step),
        awaiting=question_from_json(row.awaiting),
    )


def _onboarding_step(value: str | None) -> OnboardingStep | None:
    return OnboardingStep(value) if value in set(OnboardingStep) else None


def contact_record(row: Any) -> Contact:
    """A contacts row as a Contact."""
    return _record(Contact, row, tier=Tier(row.tier))


def target_record(row: Any) -> Target:
    """A targets row as a Target."""
    return _record(Target, row)


def pending_import_record(row: Any) -> PendingImport:
    """A pending_imports row as a PendingImport (skip reasons it does not know are dropped)."""
    skipped = row.skipped if isinstance(row.skipped, dict) else {}
    known = {reason.value for reason in SkipReason}
    return _record(
        PendingImport,
        row,
        source=ImportSource(row.source),
        keep_emails=bool(row.keep_emails),
        skipped={SkipReason(key): int(count) for key, count in skipped.items() if key in known},
    )


def imported_person_record(row: Any) -> ImportedPerson:
    """A pending_import_rows row as an ImportedPerson."""
    return _record(ImportedPerson, row)


def interaction_record(row: Any) -> Interaction:
    """An interactions row as an Interaction."""
    return _record(
        Interaction,
        row,
        kind=Kind(row.kind),
        channel=Channel(row.channel) if row.channel else None,
        ask=Ask(row.ask) if row.ask else None,
    )


def follow_up_record(row: Any) -> FollowUp:
    """A follow_ups row as a FollowUp."""
    return _record(
        FollowUp, row, status=FollowUpStatus(row.status), reason=FollowUpReason(row.reason)
    )


def opportunity_record(row: Any) -> Opportunity:
    """An opportunities row as an Opportunity."""
    return _record(Opportunity, row, stage=Stage(row.stage))


def fear_record(row: Any) -> Fear:
    """A fears row as a Fear."""
    return _record(Fear, row, outcome=FearOutcome(row.outcome) if row.outcome else None)


def preference_columns(changes: PreferenceChanges) -> dict[str, Any]:
    """The user columns that `changes` sets, as they store them (CLEAR stores NULL)."""
    columns: dict[str, Any] = {}
    for field in fields(changes):
        value = getattr(changes, field.name)
        if value is CLEAR:
            columns[field.name] = None
        elif value is not None:
            columns[field.name] = _column_value(field.name, value)
    return columns


def _column_value(name: str, value: Any) -> Any:
    if name in _TIME_COLUMNS:
        return time_text(value) if value is not None else None
    if name in _DAY_LIST_COLUMNS:
        return int_list_text(value)
    if name == "goal_date" and value is not None and not isinstance(value, date):
        raise TypeError("goal_date takes a date")
    return value


def time_text(value: time) -> str:
    """A time of day as its column stores it: "08:00"."""
    return value.strftime("%H:%M")


def int_list_text(values: Sequence[int]) -> str:
    """Day numbers as their column stores them: "3,7,14"."""
    return ",".join(str(value) for value in values)


def _int_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(number) for number in text.split(",") if number)
