"""employment: each person's stays at employers (增员 … 减员) and platform links (issue 13)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 21:10:00

Self-contained: one new table, so the revision can be re-chained behind another lane's.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "employment",
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("employer_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("centre_code", sa.String(length=12), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_employment_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_employment")),
    )
    op.create_index(op.f("ix_employment_person_id"), "employment", ["person_id"], unique=False)
    op.create_index(op.f("ix_employment_employer_id"), "employment", ["employer_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_employment_employer_id"), table_name="employment")
    op.drop_index(op.f("ix_employment_person_id"), table_name="employment")
    op.drop_table("employment")
