"""fields.linked: whether another field's decision can move this field's queue priority (it carries a
failing check with a label), so that a decision in a kind without such fields re-orders nothing else

Revision ID: 0012_fields_linked
Revises: 0011_queue_counts
Create Date: 2026-12-03 17:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from extractor.queue_order import linked

revision = "0012_fields_linked"
down_revision = "0011_queue_counts"
branch_labels = None
depends_on = None

BATCH = 5000


def upgrade() -> None:
    with op.batch_alter_table("fields", schema=None) as batch_op:
        batch_op.add_column(sa.Column("linked", sa.Boolean(), nullable=False, server_default=sa.false()))
    fields = sa.table(
        "fields",
        sa.column("id", sa.Integer()),
        sa.column("reasons", sa.JSON()),
        sa.column("linked", sa.Boolean()),
    )
    bind = op.get_bind()
    last = 0
    while True:
        rows = bind.execute(
            sa.select(fields.c.id, fields.c.reasons)
            .where(fields.c.id > last)
            .order_by(fields.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            break
        last = rows[-1].id
        ids = [r.id for r in rows if linked(r.reasons or [])]
        if ids:
            bind.execute(sa.update(fields).where(fields.c.id.in_(ids)).values(linked=True))


def downgrade() -> None:
    with op.batch_alter_table("fields", schema=None) as batch_op:
        batch_op.drop_column("linked")
