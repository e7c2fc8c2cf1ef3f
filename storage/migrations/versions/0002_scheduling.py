"""Scheduled coaching: each user's next due instant per kind, the sent-log, pause and review.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

from storage.types import UtcDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()))
        batch.add_column(sa.Column("paused_at", UtcDateTime()))
        batch.add_column(sa.Column("paused_until", UtcDateTime()))
        batch.add_column(
            sa.Column("review_day", sa.Integer, nullable=False, server_default=sa.text("6"))
        )
        batch.add_column(
            sa.Column("review_time", sa.String(5), nullable=False, server_default="18:00")
        )
        batch.add_column(
            sa.Column("stall_days", sa.Integer, nullable=False, server_default=sa.text("3"))
        )
    op.create_table(
        "schedules",
        sa.Column("chat_id", sa.BigInteger, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("next_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("chat_id", "kind", name="pk_schedules"),
        sa.ForeignKeyConstraint(
            ["chat_id"], ["users.chat_id"], name="fk_schedules_chat_id_users", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_schedules_next_at", "schedules", ["next_at"])
    op.create_table(
        "sent_messages",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("chat_id", sa.BigInteger, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("period_key", sa.String(20), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("claimed_at", UtcDateTime(), nullable=False),
        sa.Column("finished_at", UtcDateTime()),
        sa.PrimaryKeyConstraint("id", name="pk_sent_messages"),
        sa.ForeignKeyConstraint(
            ["chat_id"],
            ["users.chat_id"],
            name="fk_sent_messages_chat_id_users",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint(
            "chat_id", "kind", "period_key", name="uq_sent_messages_chat_id_kind_period_key"
        ),
    )


def downgrade() -> None:
    op.drop_table("sent_messages")
    op.drop_table("schedules")
    with op.batch_alter_table("users") as batch:
        for column in ("stall_days", "review_time", "review_day", "paused_until", "paused_at"):
            batch.drop_column(column)
        batch.drop_column("active")
