"""The Store: every query the bot makes, each scoped by chat id, one transaction per use case.

`Store` is one object over one engine, combining the queries of each aggregate (a module
each: users, contacts, interactions and follow-ups, opportunities, schedules, fears, drafts,
processed updates, export, target companies, pending imports, and a batch of mornings'
inputs). Rows become the frozen dataclasses of bot.coaching.domain at this boundary
(storage/rows.py); nothing here knows Telegram.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from storage.contacts import ContactQueries, DuplicateContactError
from storage.database import create_engine, migrate
from storage.drafts import DraftQueries
from storage.export import ExportQueries
from storage.fears import FearQueries
from storage.imports import ImportQueries
from storage.interactions import FollowUpPlan, InteractionQueries
from storage.morning_inputs import MorningInputQueries
from storage.opportunities import OpportunityQueries
from storage.partners import PartnerQueries
from storage.replicas import ReplicaQueries
from storage.schedules import (
    ClaimOutcome,
    DueSchedule,
    MessageClaim,
    ScheduleMove,
    ScheduleQueries,
    SendStatus,
)
from storage.targets import TargetQueries
from storage.updates import Claim, UpdateQueries
from storage.users import UserQueries

__all__ = [
    "Claim",
    "ClaimOutcome",
    "DueSchedule",
    "DuplicateContactError",
    "FollowUpPlan",
    "MessageClaim",
    "ScheduleMove",
    "SendStatus",
    "Store",
]


class Store(
    UserQueries,
    ContactQueries,
    InteractionQueries,
    OpportunityQueries,
    ScheduleQueries,
    FearQueries,
    DraftQueries,
    UpdateQueries,
    ExportQueries,
    TargetQueries,
    ImportQueries,
    PartnerQueries,
    ReplicaQueries,
    MorningInputQueries,
):
    """Async access to one database (SQLite file or PostgreSQL)."""

    @classmethod
    async def open(cls, database_url: str) -> Store:
        """Connect, apply pending migrations and return a ready store."""
        engine = create_engine(database_url)
        await migrate(engine)
        return cls(engine)

    async def close(self) -> None:
        """Release every connection."""
        await self._engine.dispose()

    @property
    def engine(self) -> AsyncEngine:
        """The engine underneath, for maintenance checks and tests."""
        return self._engine
