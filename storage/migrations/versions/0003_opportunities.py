"""Opportunities: the pipeline per contact (chat, exploring, apply, interview, ... closed).

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

from storage.types import UtcDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "opportunities",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("chat_id", sa.BigInteger, nullable=False),
        sa.Column("contact_id", sa.Integer, nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("stage", sa.String(12), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_opportunities"),
        sa.ForeignKeyConstraint(
            ["chat_id"],
            ["users.chat_id"],
            name="fk_opportunities_chat_id_users",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name="fk_opportunities_contact_id_contacts",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_opportunities_chat_id_stage", "opportunities", ["chat_id", "stage"])


def downgrade() -> None:
    op.drop_table("opportunities")
