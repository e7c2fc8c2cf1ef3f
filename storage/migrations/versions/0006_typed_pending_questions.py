"""Pending questions as versioned JSON: `users.awaiting` held string prefixes ("opp:12",
"cmd:reach"); it now holds `{"v": 1, "q": "opportunity_title", "contact_id": 12}`, so one
kind of question can never be read as another.

Revision ID: 0006
Revises: 0005
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_users = sa.table("users", sa.column("chat_id", sa.BigInteger), sa.column("awaiting", sa.String))
# The prefixes of the old format, as this migration found them (frozen here on purpose).
_WITH_ID = {
    "next:": ("next_step", "contact_id"),
    "gave:": ("gift", "contact_id"),
    "opp:": ("opportunity_title", "contact_id"),
    "dn:": ("draft_name", "draft_id"),
}


def _converted(old: str) -> str | None:
    if old == "onboarding":
        return json.dumps({"v": 1, "q": "onboarding"})
    if old == "cmd:add":
        return json.dumps({"v": 1, "q": "new_contact"})
    if old.startswith("cmd:") and old[4:] in ("reach", "reply", "chat", "gave"):
        return json.dumps({"v": 1, "q": "log_arguments", "command": old[4:]})
    if old.startswith("fear:"):
        return json.dumps({"v": 1, "q": "fear"})
    if old.startswith("set:"):
        return json.dumps({"v": 1, "q": "setting", "key": old[4:]})
    for prefix, (question, field) in _WITH_ID.items():
        if old.startswith(prefix) and old[len(prefix) :].isdecimal():
            return json.dumps({"v": 1, "q": question, field: int(old[len(prefix) :])})
    return None  # unreadable: the question is simply forgotten


def upgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(_users.c.chat_id, _users.c.awaiting).where(_users.c.awaiting.is_not(None))
    ).all()
    for chat_id, old in rows:
        if not old.startswith("{"):
            connection.execute(
                _users.update().where(_users.c.chat_id == chat_id).values(awaiting=_converted(old))
            )


def downgrade() -> None:
    op.execute(_users.update().values(awaiting=None))
