"""document_sources and document_pages: a PDF document's original file, and per page its size and the
printed boxes of its text, for the page image the review page shows beside the text

Revision ID: 0009_document_sources
Revises: 0008_i11_scope
Create Date: 2026-12-03 07:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_document_sources"
down_revision = "0008_i11_scope"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "document_sources",
        sa.Column(
            "document_id", sa.Integer(), sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("media_type", sa.String(60), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
    )
    op.create_table(
        "document_pages",
        sa.Column(
            "document_id", sa.Integer(), sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("page", sa.Integer(), primary_key=True),
        sa.Column("width", sa.Float(), nullable=False),
        sa.Column("height", sa.Float(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("boxes", sa.JSON(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("document_pages")
    op.drop_table("document_sources")
