"""Why each follow-up is planned (no reply yet, "later", a chat to book, a booked chat, a next
step), and what a morning message showed, so its buttons can redraw it in place.

Revision ID: 0008
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("follow_ups") as batch:
        batch.add_column(
            sa.Column("reason", sa.String(12), nullable=False, server_default="no_reply")
        )
    with op.batch_alter_table("sent_messages") as batch:
        batch.add_column(sa.Column("content", sa.Text))


def downgrade() -> None:
    with op.batch_alter_table("sent_messages") as batch:
        batch.drop_column("content")
    with op.batch_alter_table("follow_ups") as batch:
        batch.drop_column("reason")
