"""Database access: the schema, migrations and the Store that owns every query."""

from storage.store import DuplicateContactError, Store

__all__ = ["DuplicateContactError", "Store"]
