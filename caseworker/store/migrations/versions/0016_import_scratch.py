"""import scratch tables: what a bulk import has seen so far, kept in the store, not in memory

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 18:00:00

A roster of 500,000 rows must import with flat memory: the rows already seen (for the same
person twice in one file), the households made for each household key and each row's outcome
(for the report) live in these tables during the import's transaction, and are emptied before
it ends. Outside an import they are empty.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_row",
        sa.Column("row", sa.Integer(), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("problems", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("row", name=op.f("pk_import_row")),
    )
    op.create_index(op.f("ix_import_row_id_number"), "import_row", ["id_number"])
    op.create_table(
        "import_household",
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("household_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_import_household")),
    )


def downgrade() -> None:
    op.drop_table("import_household")
    op.drop_index(op.f("ix_import_row_id_number"), table_name="import_row")
    op.drop_table("import_row")
