"""Fears: each one written down, its strength before and after, and the outcome it met.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

from storage.types import UtcDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column("fear_prompts", sa.String(10), nullable=False, server_default="some")
        )
    op.create_table(
        "fears",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("chat_id", sa.BigInteger, nullable=False),
        sa.Column("contact_id", sa.Integer),
        sa.Column("interaction_id", sa.Integer),
        sa.Column("text", sa.Text),
        sa.Column("strength_before", sa.Integer, nullable=False),
        sa.Column("strength_after", sa.Integer),
        sa.Column("outcome", sa.String(10)),
        sa.Column("tie_until", UtcDateTime()),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("tested_at", UtcDateTime()),
        sa.PrimaryKeyConstraint("id", name="pk_fears"),
        sa.ForeignKeyConstraint(
            ["chat_id"], ["users.chat_id"], name="fk_fears_chat_id_users", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contacts.id"], name="fk_fears_contact_id_contacts", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interactions.id"],
            name="fk_fears_interaction_id_interactions",
            ondelete="SET NULL",
        ),
    )
    op.create_index("ix_fears_chat_id_created_at", "fears", ["chat_id", "created_at"])
    op.create_index("ix_fears_contact_id", "fears", ["contact_id"])


def downgrade() -> None:
    op.drop_table("fears")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("fear_prompts")
