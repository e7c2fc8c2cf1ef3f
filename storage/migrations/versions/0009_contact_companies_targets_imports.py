"""Where contacts work (company, position, profile address, connection date, e-mail), the
user's target companies, and imports waiting for confirmation.

Revision ID: 0009
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

from storage.types import UtcDateTime

revision = "0009"
down_revision = "0011"
branch_labels = None
depends_on = None


def _chat_id(table: str) -> tuple[sa.Column[int], sa.ForeignKeyConstraint]:
    return sa.Column("chat_id", sa.BigInteger, nullable=False), sa.ForeignKeyConstraint(
        ["chat_id"], ["users.chat_id"], name=f"fk_{table}_chat_id_users", ondelete="CASCADE"
    )


def upgrade() -> None:
    with op.batch_alter_table("contacts") as batch:
        batch.add_column(sa.Column("company", sa.String(100)))
        batch.add_column(sa.Column("position", sa.String(100)))
        batch.add_column(sa.Column("profile_url", sa.String(200)))
        batch.add_column(sa.Column("connected_on", sa.Date))
        batch.add_column(sa.Column("email", sa.String(254)))
    op.create_index("ix_contacts_chat_id_profile_url", "contacts", ["chat_id", "profile_url"])

    chat_id, owner = _chat_id("targets")
    op.create_table(
        "targets",
        sa.Column("id", sa.Integer, primary_key=True),
        chat_id,
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("name_key", sa.String(100), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_targets"),
        owner,
        sa.UniqueConstraint("chat_id", "name_key", name="uq_targets_chat_id_name_key"),
    )

    chat_id, owner = _chat_id("pending_imports")
    op.create_table(
        "pending_imports",
        sa.Column("id", sa.Integer, primary_key=True),
        chat_id,
        sa.Column("source", sa.String(10), nullable=False),
        sa.Column("file_name", sa.String(100)),
        sa.Column("keep_emails", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("skipped", sa.JSON, nullable=False),
        sa.Column("left_out", sa.Integer, nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_pending_imports"),
        owner,
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ix_pending_imports_chat_id_created_at", "pending_imports", ["chat_id", "created_at"]
    )

    chat_id, owner = _chat_id("pending_import_rows")
    op.create_table(
        "pending_import_rows",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("import_id", sa.Integer, nullable=False),
        chat_id,
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("company", sa.String(100)),
        sa.Column("position", sa.String(100)),
        sa.Column("profile_url", sa.String(200)),
        sa.Column("email", sa.String(254)),
        sa.Column("connected_on", sa.Date),
        sa.PrimaryKeyConstraint("id", name="pk_pending_import_rows"),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["pending_imports.id"],
            name="fk_pending_import_rows_import_id_pending_imports",
            ondelete="CASCADE",
        ),
        owner,
    )
    op.create_index("ix_pending_import_rows_import_id", "pending_import_rows", ["import_id"])


def downgrade() -> None:
    op.drop_table("pending_import_rows")
    op.drop_table("pending_imports")
    op.drop_table("targets")
    op.drop_index("ix_contacts_chat_id_profile_url", "contacts")
    with op.batch_alter_table("contacts") as batch:
        for column in ("email", "connected_on", "profile_url", "position", "company"):
            batch.drop_column(column)
