"""The tables, as SQLAlchemy Core metadata (the migrations create them)."""

from __future__ import annotations

import sqlalchemy as sa

from storage.types import UtcDateTime

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def _owning_chat() -> sa.Column[int]:
    """The chat a row belongs to: every query is scoped by it, and /delete cascades on it."""
    return sa.Column(
        "chat_id",
        sa.BigInteger,
        sa.ForeignKey("users.chat_id", ondelete="CASCADE"),
        nullable=False,
    )


users = sa.Table(
    "users",
    metadata,
    sa.Column("chat_id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("name", sa.String(64)),
    sa.Column("timezone", sa.String(64), nullable=False),
    sa.Column("goal_count", sa.Integer, nullable=False),
    sa.Column("goal_date", sa.Date),
    sa.Column("weekly_chats", sa.Integer, nullable=False),
    sa.Column("daily_quota", sa.Integer, nullable=False),
    sa.Column("morning_time", sa.String(5), nullable=False),
    sa.Column("evening_time", sa.String(5)),
    sa.Column("follow_up_days", sa.String(40), nullable=False),
    sa.Column("rest_days", sa.String(20), nullable=False),
    sa.Column("onboarding_step", sa.String(32)),
    sa.Column("onboarded_at", UtcDateTime()),
    sa.Column("awaiting", sa.String(64)),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("paused_at", UtcDateTime()),
    sa.Column("paused_until", UtcDateTime()),
    sa.Column("review_day", sa.Integer, nullable=False, server_default=sa.text("6")),
    sa.Column("review_time", sa.String(5), nullable=False, server_default="18:00"),
    sa.Column("stall_days", sa.Integer, nullable=False, server_default=sa.text("3")),
    sa.Column("fear_prompts", sa.String(10), nullable=False, server_default="some"),
)

contacts = sa.Table(
    "contacts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _owning_chat(),
    sa.Column("name", sa.String(64), nullable=False),
    sa.Column("name_key", sa.String(64), nullable=False),
    sa.Column("tier", sa.String(10), nullable=False),
    sa.Column("note", sa.Text),
    sa.Column("introduced_by_id", sa.Integer, sa.ForeignKey("contacts.id", ondelete="SET NULL")),
    sa.Column("rest_until", UtcDateTime()),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.Column("company", sa.String(100)),
    sa.Column("position", sa.String(100)),
    sa.Column("profile_url", sa.String(200)),
    sa.Column("connected_on", sa.Date),
    sa.Column("email", sa.String(254)),
    sa.UniqueConstraint("chat_id", "name_key"),
    sa.Index(None, "chat_id", "profile_url"),
)

targets = sa.Table(
    "targets",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _owning_chat(),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("name_key", sa.String(100), nullable=False),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.UniqueConstraint("chat_id", "name_key"),
)

# A file read and summarised, waiting for Import or Cancel; its people wait in the rows below.
pending_imports = sa.Table(
    "pending_imports",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _owning_chat(),
    sa.Column("source", sa.String(10), nullable=False),
    sa.Column("file_name", sa.String(100)),
    sa.Column("keep_emails", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("skipped", sa.JSON, nullable=False),
    sa.Column("left_out", sa.Integer, nullable=False),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.Index(None, "chat_id", "created_at"),
    # Ids are never reused, so an old summary's buttons can never confirm a newer file.
    sqlite_autoincrement=True,
)

pending_import_rows = sa.Table(
    "pending_import_rows",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "import_id",
        sa.Integer,
        sa.ForeignKey("pending_imports.id", ondelete="CASCADE"),
        nullable=False,
    ),
    _owning_chat(),
    sa.Column("name", sa.String(64), nullable=False),
    sa.Column("company", sa.String(100)),
    sa.Column("position", sa.String(100)),
    sa.Column("profile_url", sa.String(200)),
    sa.Column("email", sa.String(254)),
    sa.Column("connected_on", sa.Date),
    sa.Index(None, "import_id"),
)

interactions = sa.Table(
    "interactions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _owning_chat(),
    sa.Column(
        "contact_id",
        sa.Integer,
        sa.ForeignKey("contacts.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("channel", sa.String(12)),
    sa.Column("ask", sa.String(10)),
    sa.Column("note", sa.Text),
    sa.Column("at", UtcDateTime(), nullable=False),
    sa.Index(None, "chat_id", "at"),
    sa.Index(None, "contact_id"),
)

follow_ups = sa.Table(
    "follow_ups",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _owning_chat(),
    sa.Column(
        "contact_id",
        sa.Integer,
        sa.ForeignKey("contacts.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("due_at", UtcDateTime(), nullable=False),
    sa.Column("attempt", sa.Integer, nullable=False),
    sa.Column("status", sa.String(10), nullable=False),
    sa.Column("closed_at", UtcDateTime()),
    # The log that planned this follow-up, and the one that closed it (for undo).
    sa.Column("opened_by_id", sa.Integer, sa.ForeignKey("interactions.id", ondelete="SET NULL")),
    sa.Column("closed_by_id", sa.Integer, sa.ForeignKey("interactions.id", ondelete="SET NULL")),
    sa.Column("reason", sa.String(12), nullable=False, server_default="no_reply"),
    sa.Index(None, "chat_id", "status", "due_at"),
    sa.Index(None, "contact_id"),
)

drafts = sa.Table(
    "drafts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _owning_chat(),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("payload", sa.JSON, nullable=False),
    sa.Column("created_at", UtcDateTime(), nullable=False),
)

schedules = sa.Table(
    "schedules",
    metadata,
    sa.Column(
        "chat_id",
        sa.BigInteger,
        sa.ForeignKey("users.chat_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("kind", sa.String(20), primary_key=True),
    sa.Column("next_at", UtcDateTime(), nullable=False, index=True),
    # A retry's row is due again a minute later; this keeps the occurrence it is for.
    sa.Column("occurrence_at", UtcDateTime()),
)

sent_messages = sa.Table(
    "sent_messages",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _owning_chat(),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("period_key", sa.String(20), nullable=False),
    sa.Column("status", sa.String(10), nullable=False),
    sa.Column("claimed_at", UtcDateTime(), nullable=False),
    sa.Column("finished_at", UtcDateTime()),
    # What a morning message showed (JSON), so its buttons can redraw it in place.
    sa.Column("content", sa.Text),
    sa.UniqueConstraint("chat_id", "kind", "period_key"),
)

opportunities = sa.Table(
    "opportunities",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _owning_chat(),
    sa.Column(
        "contact_id",
        sa.Integer,
        sa.ForeignKey("contacts.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("stage", sa.String(12), nullable=False),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.Column("updated_at", UtcDateTime(), nullable=False),
    sa.Index(None, "chat_id", "stage"),
)

fears = sa.Table(
    "fears",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _owning_chat(),
    sa.Column("contact_id", sa.Integer, sa.ForeignKey("contacts.id", ondelete="CASCADE")),
    sa.Column("interaction_id", sa.Integer, sa.ForeignKey("interactions.id", ondelete="SET NULL")),
    sa.Column("text", sa.Text),
    sa.Column("strength_before", sa.Integer, nullable=False),
    sa.Column("strength_after", sa.Integer),
    sa.Column("outcome", sa.String(10)),
    sa.Column("tie_until", UtcDateTime()),
    # A fear that waited for the next outreach and rode on one: until when it had been waiting.
    sa.Column("waited_until", UtcDateTime()),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.Column("tested_at", UtcDateTime()),
    sa.Index(None, "chat_id", "created_at"),
    sa.Index(None, "contact_id"),
)

processed_updates = sa.Table(
    "processed_updates",
    metadata,
    sa.Column("update_id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("chat_id", sa.BigInteger, index=True),
    sa.Column("processed_at", UtcDateTime(), nullable=False, index=True),
)

partnerships = sa.Table(
    "partnerships",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _owning_chat(),  # the user who invited; the partner's own chat is partner_chat_id
    sa.Column("code_digest", sa.String(64), nullable=False, unique=True),
    sa.Column("owner_name", sa.String(64)),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.Column("expires_at", UtcDateTime(), nullable=False),
    sa.Column(
        "partner_chat_id", sa.BigInteger, sa.ForeignKey("users.chat_id", ondelete="SET NULL")
    ),
    sa.Column("partner_name", sa.String(64)),
    sa.Column("accepted_at", UtcDateTime()),
    sa.Column("ended_at", UtcDateTime()),
    # At most one open invite or partnership per user, whichever replica writes it.
    sa.Index(
        None,
        "chat_id",
        unique=True,
        sqlite_where=sa.text("ended_at IS NULL"),
        postgresql_where=sa.text("ended_at IS NULL"),
    ),
    sa.Index(None, "partner_chat_id"),
)

# The broadcast cap shared by replicas: one row per wall-clock second, reused every minute
# (`slot` is the second modulo 60), so the table never grows past 60 rows.
broadcast_slots = sa.Table(
    "broadcast_slots",
    metadata,
    sa.Column("slot", sa.SmallInteger, primary_key=True, autoincrement=False),
    sa.Column("second", sa.BigInteger, nullable=False),  # the Unix second the row counts
    sa.Column("used", sa.Integer, nullable=False),  # sends granted in that second
    sa.Column("granted", sa.Integer, nullable=False),  # what the last request got
)
