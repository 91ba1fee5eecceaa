"""the review queue reads from indexes only: fields carry their record's kind; (status, record_id, priority)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 20:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("fields", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=60), nullable=False, server_default=""))
    op.execute(
        "UPDATE fields SET kind = (SELECT records.kind FROM records WHERE records.id = fields.record_id)"
    )
    with op.batch_alter_table("fields", schema=None) as batch_op:
        batch_op.create_index("ix_fields_status_kind", ["status", "kind"], unique=False)
        batch_op.create_index(
            "ix_fields_status_record_priority", ["status", "record_id", "priority"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("fields", schema=None) as batch_op:
        batch_op.drop_index("ix_fields_status_record_priority")
        batch_op.drop_index("ix_fields_status_kind")
        batch_op.drop_column("kind")
