"""A retried scheduled message keeps the occurrence it was for: its row is due again a minute
later, and `occurrence_at` says which morning, evening or week the retry is still about.

Revision ID: 0011
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

from storage.types import UtcDateTime

revision = "0011"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("schedules") as batch:
        batch.add_column(sa.Column("occurrence_at", UtcDateTime()))


def downgrade() -> None:
    with op.batch_alter_table("schedules") as batch:
        batch.drop_column("occurrence_at")
