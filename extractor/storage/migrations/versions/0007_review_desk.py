"""users choose their language, time zone and whether the review page moves on by itself

Revision ID: 0007_review_desk
Revises: 0005
Create Date: 2026-12-02 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_review_desk"
down_revision = "0006_finding_decisions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("locale", sa.String(10), nullable=False, server_default="zh_CN"))
        batch_op.add_column(
            sa.Column("timezone", sa.String(60), nullable=False, server_default="Asia/Shanghai")
        )
        batch_op.add_column(
            sa.Column("auto_advance", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("auto_advance")
        batch_op.drop_column("timezone")
        batch_op.drop_column("locale")
