"""What each log changed, so it can be taken back: the follow-up a log planned
(`follow_ups.opened_by_id`), the one it closed (`follow_ups.closed_by_id`), and for a fear that
rode on the next outreach, until when it had been waiting (`fears.waited_until`).

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

from storage.types import UtcDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("follow_ups") as batch:
        for column in ("opened_by_id", "closed_by_id"):
            batch.add_column(sa.Column(column, sa.Integer))
            batch.create_foreign_key(
                f"fk_follow_ups_{column}_interactions",
                "interactions",
                [column],
                ["id"],
                ondelete="SET NULL",
            )
    with op.batch_alter_table("fears") as batch:
        batch.add_column(sa.Column("waited_until", UtcDateTime()))


def downgrade() -> None:
    with op.batch_alter_table("fears") as batch:
        batch.drop_column("waited_until")
    with op.batch_alter_table("follow_ups") as batch:
        for column in ("closed_by_id", "opened_by_id"):
            batch.drop_constraint(f"fk_follow_ups_{column}_interactions", type_="foreignkey")
            batch.drop_column(column)
