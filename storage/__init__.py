"""Database access: the schema, migrations and the Store that owns every query."""

from storage.store import Claim, DuplicateContactError, Store

__all__ = ["Claim", "DuplicateContactError", "Store"]
