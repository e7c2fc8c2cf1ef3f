"""Logging set-up: one format, quiet chatty libraries, and no secret or user's words written out.

Three rules, applied to every line of every logger by one filter:
- each secret (the bot token, the webhook secret, the database password) is replaced by
  `[token]` wherever it appears, message and traceback alike;
- a library's DEBUG line keeps its text and its numbers but not its other arguments: PTB,
  aiosqlite and others log whole updates, API parameters and SQL parameters at DEBUG, and
  those hold what users typed (contact names, notes, fears). Our own lines log ids only;
- PostgreSQL's DETAIL lines, which quote the row values a constraint refused, are dropped
  from error texts (SQLAlchemy's own parameter echo is off: `hide_parameters`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping

# Loggers of our own packages: their DEBUG lines are written to log ids, not content.
OWN_PACKAGES = frozenset({"bot", "handlers", "storage", "__main__"})
HIDDEN = "[…]"
_POSTGRES_DETAIL = re.compile(r"\n?DETAIL: [^\n]*")


class RedactingFilter(logging.Filter):
    """Applies the three rules of this module to each record's final text."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self._secrets = [secret for secret in secrets if secret]

    def filter(self, record: logging.LogRecord) -> bool:
        library_debug = (
            record.levelno < logging.INFO and record.name.split(".")[0] not in OWN_PACKAGES
        )
        if library_debug:
            _withhold_arguments(record)
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a withheld argument did not fit its placeholder
            message = f"{record.msg} {HIDDEN}"
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if library_debug and record.exc_text:
            error = record.exc_info[1] if record.exc_info else None
            record.exc_text = f"({type(error).__name__} withheld at DEBUG)"
        message = self.redact(message)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        record.msg, record.args = message, None
        return True

    def redact(self, text: str) -> str:
        """`text` without the secrets and without PostgreSQL's DETAIL lines."""
        for secret in self._secrets:
            text = text.replace(secret, "[token]")
        return _POSTGRES_DETAIL.sub("", text)


def _withhold_arguments(record: logging.LogRecord) -> None:
    """Keep a record's numbers; replace every other argument (or a non-text message)."""
    if not isinstance(record.msg, str):
        record.msg, record.args = HIDDEN, None
        return
    if isinstance(record.args, Mapping):
        record.args = {key: _number_or_hidden(value) for key, value in record.args.items()}
    elif record.args:
        record.args = tuple(_number_or_hidden(value) for value in record.args)


def _number_or_hidden(value: object) -> object:
    return value if isinstance(value, (int, float)) or value is None else HIDDEN


def configure_logging(level: str, secrets: list[str]) -> RedactingFilter:
    """Log to stderr at `level` through one RedactingFilter (returned, to redact other text)."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    redacting = RedactingFilter(secrets)
    handler.addFilter(redacting)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # APScheduler logs every job run at INFO; keep it to warnings.
    logging.getLogger("apscheduler").setLevel(max(logging.WARNING, root.level))
    return redacting
