"""The broadcast cap shared by replicas: each wall-clock second's sends are counted in one
row (60 rows, reused every minute), so several processes together stay under Telegram's cap.

Revision ID: 0012
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "broadcast_slots",
        sa.Column("slot", sa.SmallInteger, primary_key=True, autoincrement=False),
        sa.Column("second", sa.BigInteger, nullable=False),
        sa.Column("used", sa.Integer, nullable=False),
        sa.Column("granted", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("slot", name="pk_broadcast_slots"),
    )


def downgrade() -> None:
    op.drop_table("broadcast_slots")
