"""audit rows keep the field's status before and after the change (undo restores both)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 19:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit", schema=None) as batch_op:
        batch_op.add_column(sa.Column("old_status", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("new_status", sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit", schema=None) as batch_op:
        batch_op.drop_column("new_status")
        batch_op.drop_column("old_status")
