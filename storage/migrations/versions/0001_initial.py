"""Users, contacts, the interaction log, follow-ups and drafts awaiting confirmation.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

from storage.types import UtcDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
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
        sa.PrimaryKeyConstraint("chat_id", name="pk_users"),
    )
    op.create_table(
        "contacts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("chat_id", sa.BigInteger, nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("name_key", sa.String(64), nullable=False),
        sa.Column("tier", sa.String(10), nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("introduced_by_id", sa.Integer),
        sa.Column("rest_until", UtcDateTime()),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_contacts"),
        sa.ForeignKeyConstraint(
            ["chat_id"],
            ["users.chat_id"],
            name="fk_contacts_chat_id_users",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["introduced_by_id"],
            ["contacts.id"],
            name="fk_contacts_introduced_by_id_contacts",
            ondelete="SET NULL",
        ),
        sa.UniqueConstraint("chat_id", "name_key", name="uq_contacts_chat_id_name_key"),
    )
    op.create_table(
        "interactions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("chat_id", sa.BigInteger, nullable=False),
        sa.Column("contact_id", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("channel", sa.String(12)),
        sa.Column("ask", sa.String(10)),
        sa.Column("note", sa.Text),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_interactions"),
        sa.ForeignKeyConstraint(
            ["chat_id"],
            ["users.chat_id"],
            name="fk_interactions_chat_id_users",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name="fk_interactions_contact_id_contacts",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_interactions_chat_id_at", "interactions", ["chat_id", "at"])
    op.create_index("ix_interactions_contact_id", "interactions", ["contact_id"])
    op.create_table(
        "follow_ups",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("chat_id", sa.BigInteger, nullable=False),
        sa.Column("contact_id", sa.Integer, nullable=False),
        sa.Column("due_at", UtcDateTime(), nullable=False),
        sa.Column("attempt", sa.Integer, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("closed_at", UtcDateTime()),
        sa.PrimaryKeyConstraint("id", name="pk_follow_ups"),
        sa.ForeignKeyConstraint(
            ["chat_id"],
            ["users.chat_id"],
            name="fk_follow_ups_chat_id_users",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name="fk_follow_ups_contact_id_contacts",
            ondelete="CASCADE",
        ),
    )
    op.create_index(
        "ix_follow_ups_chat_id_status_due_at", "follow_ups", ["chat_id", "status", "due_at"]
    )
    op.create_index("ix_follow_ups_contact_id", "follow_ups", ["contact_id"])
    op.create_table(
        "drafts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("chat_id", sa.BigInteger, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_drafts"),
        sa.ForeignKeyConstraint(
            ["chat_id"],
            ["users.chat_id"],
            name="fk_drafts_chat_id_users",
            ondelete="CASCADE",
        ),
    )


def downgrade() -> None:
    op.drop_table("drafts")
    op.drop_table("follow_ups")
    op.drop_table("interactions")
    op.drop_table("contacts")
    op.drop_table("users")
