"""receipt originals: the original of each receipt goes out once, every later print a copy

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 12:30:00

``receipt_original`` holds one row per receipt number whose original has been printed or
written as a PDF. Receipts recorded before this version were printed at the desk when they
were paid, so each gets a row (medium ``earlier``, at its payment time, by its collector):
from now on they print as copies.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "receipt_original",
        sa.Column("receipt_number", sa.String(length=40), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("issued_by", sa.Uuid(), nullable=False),
        sa.Column("medium", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(
            ["issued_by"], ["operator.id"], name=op.f("fk_receipt_original_issued_by_operator")
        ),
        sa.PrimaryKeyConstraint("receipt_number", name=op.f("pk_receipt_original")),
    )
    op.execute(
        "INSERT INTO receipt_original (receipt_number, issued_at, issued_by, medium) "
        "SELECT receipt_number, MIN(paid_at), MIN(operator_id), 'earlier' FROM payment "
        "WHERE receipt_number IS NOT NULL GROUP BY receipt_number"
    )


def downgrade() -> None:
    op.drop_table("receipt_original")
