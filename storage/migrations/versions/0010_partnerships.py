"""Accountability partners: a single-use invite (its code kept as a digest), and once
accepted, who the partner is; at most one open invite or partnership per user.

Revision ID: 0010
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

from storage.types import UtcDateTime

revision = "0010"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "partnerships",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("chat_id", sa.BigInteger, nullable=False),
        sa.Column("code_digest", sa.String(64), nullable=False),
        sa.Column("owner_name", sa.String(64)),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("expires_at", UtcDateTime(), nullable=False),
        sa.Column("partner_chat_id", sa.BigInteger),
        sa.Column("partner_name", sa.String(64)),
        sa.Column("accepted_at", UtcDateTime()),
        sa.Column("ended_at", UtcDateTime()),
        sa.PrimaryKeyConstraint("id", name="pk_partnerships"),
        sa.UniqueConstraint("code_digest", name="uq_partnerships_code_digest"),
        sa.ForeignKeyConstraint(
            ["chat_id"], ["users.chat_id"], name="fk_partnerships_chat_id_users", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["partner_chat_id"],
            ["users.chat_id"],
            name="fk_partnerships_partner_chat_id_users",
            ondelete="SET NULL",
        ),
    )
    op.create_index(
        "ix_partnerships_chat_id",
        "partnerships",
        ["chat_id"],
        unique=True,
        sqlite_where=sa.text("ended_at IS NULL"),
        postgresql_where=sa.text("ended_at IS NULL"),
    )
    op.create_index("ix_partnerships_partner_chat_id", "partnerships", ["partner_chat_id"])


def downgrade() -> None:
    op.drop_table("partnerships")
