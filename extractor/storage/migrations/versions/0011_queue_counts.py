"""queue_counts: the fields (and record rows) waiting for review per document and kind, kept in step with
fields.status; and an index in the queue's order (priority descending, then record), which replaces
(status, priority)

Revision ID: 0011_queue_counts
Revises: 0010_login_failures
Create Date: 2026-12-03 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_queue_counts"
down_revision = "0010_login_failures"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "queue_counts",
        sa.Column(
            "document_id", sa.Integer(), sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("kind", sa.String(60), primary_key=True),
        sa.Column("fields", sa.Integer(), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
    )
    op.execute(
        "INSERT INTO queue_counts (document_id, kind, fields, records) "
        "SELECT document_id, kind, count(*), count(DISTINCT record_id) FROM fields "
        "WHERE status = 'needs_review' GROUP BY document_id, kind"
    )
    op.create_index(
        "ix_fields_status_priority_desc_record", "fields", ["status", sa.text("priority DESC"), "record_id"]
    )
    # the new index serves every query (status, priority) did; each priority update kept both
    op.drop_index("ix_fields_status_priority", table_name="fields")


def downgrade() -> None:
    op.create_index("ix_fields_status_priority", "fields", ["status", "priority"])
    op.drop_index("ix_fields_status_priority_desc_record", table_name="fields")
    op.drop_table("queue_counts")
