"""Storage: the SQL schema (SQLAlchemy 2.x typed ORM), its Alembic migrations and the repository functions.

The CLI and the review server call only the keyword-only functions of `extractor.storage.repo`.
"""

from extractor.storage.db import make_engine, session_scope
from extractor.storage.repo import (
    DocumentSummary,
    init_db,
    list_documents,
    load_result,
    record_failure,
    store_result,
)

__all__ = [
    "DocumentSummary",
    "init_db",
    "list_documents",
    "load_result",
    "make_engine",
    "record_failure",
    "session_scope",
    "store_result",
]
