"""documents keep their disclosure findings; reviewers' decisions on them, keyed by the finding id

Revision ID: 0006_finding_decisions
Revises: 0005
Create Date: 2026-12-02 12:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_finding_decisions"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "document_findings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "document_id", sa.Integer(), sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("finding_id", sa.String(64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(60), nullable=False),
        sa.Column("severity", sa.String(10), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("span_start", sa.Integer(), nullable=True),
        sa.Column("span_end", sa.Integer(), nullable=True),
        sa.Column("page", sa.Integer(), nullable=True),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.UniqueConstraint("document_id", "finding_id", name="uq_document_findings_document_finding"),
    )
    op.create_index("ix_document_findings_document_id", "document_findings", ["document_id"])
    op.create_index("ix_document_findings_finding_id", "document_findings", ["finding_id"])
    op.create_table(
        "finding_decisions",
        sa.Column("finding_id", sa.String(64), primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("decision", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
        sa.Column("username", sa.String(100), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_finding_decisions_sha256", "finding_decisions", ["sha256"])


def downgrade() -> None:
    op.drop_index("ix_finding_decisions_sha256", table_name="finding_decisions")
    op.drop_table("finding_decisions")
    op.drop_index("ix_document_findings_finding_id", table_name="document_findings")
    op.drop_index("ix_document_findings_document_id", table_name="document_findings")
    op.drop_table("document_findings")
