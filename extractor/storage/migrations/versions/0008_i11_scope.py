"""records and segments carry their scope (which unit a table covers); a record is unique per
document, kind, scope and key, so a document printing a table for 部门 and for 单位 keeps both

Revision ID: 0008_i11_scope
Revises: 0007_review_desk
Create Date: 2026-12-02 16:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_i11_scope"
down_revision = "0007_review_desk"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("segments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scope", sa.String(200), nullable=False, server_default=""))
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scope", sa.String(200), nullable=False, server_default=""))
        batch_op.drop_constraint("uq_records_document_kind_key", type_="unique")
        batch_op.create_unique_constraint(
            "uq_records_document_kind_scope_key", ["document_id", "kind", "scope", "key"]
        )


def downgrade() -> None:
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.drop_constraint("uq_records_document_kind_scope_key", type_="unique")
        batch_op.create_unique_constraint("uq_records_document_kind_key", ["document_id", "kind", "key"])
        batch_op.drop_column("scope")
    with op.batch_alter_table("segments", schema=None) as batch_op:
        batch_op.drop_column("scope")
