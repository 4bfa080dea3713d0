"""coverage: each person's coverage status per insurance line, as the owning centre sent it

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 15:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "coverage",
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("line", sa.String(length=20), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("centre_code", sa.String(length=12), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_coverage_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coverage")),
    )
    op.create_index(op.f("ix_coverage_person_id"), "coverage", ["person_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_coverage_person_id"), table_name="coverage")
    op.drop_table("coverage")
