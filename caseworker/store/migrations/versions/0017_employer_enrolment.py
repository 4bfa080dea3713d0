"""employer enrolment: the employer's schemes, employment spells, yearly base declarations

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 21:00:00

单位参保登记 adds the employees' schemes an employer takes part in, since when and its
work-injury floating step; 增员/减员 are spells in ``employment`` (history, one row per stay);
缴费基数申报 writes ``base_declaration``. Self-contained: it only adds, so the revision ids can
be re-chained behind another lane's migration.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def _stamped() -> list[sa.Column]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
    ]


def upgrade() -> None:
    with op.batch_alter_table("employer") as batch_op:
        batch_op.add_column(sa.Column("schemes", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("insured_from", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("work_injury_float_bp", sa.Integer(), nullable=True))
    op.create_table(
        "employment",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("employer_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("end_reason", sa.String(length=30), nullable=True),
        sa.Column("schemes", sa.JSON(), nullable=False),
        sa.Column("base_fen", sa.Integer(), nullable=False),
        *_stamped(),
        sa.CheckConstraint(
            "end_date IS NULL OR end_date >= start_date",
            name=op.f("ck_employment_dates_in_order"),
        ),
        sa.CheckConstraint("kind IN ('employee', 'platform')", name=op.f("ck_employment_kind")),
        sa.ForeignKeyConstraint(
            ["employer_id"], ["employer.id"], name=op.f("fk_employment_employer_id_employer")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_employment_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_employment")),
    )
    op.create_index(op.f("ix_employment_employer_id"), "employment", ["employer_id"])
    op.create_index(op.f("ix_employment_person_id"), "employment", ["person_id"])
    op.create_table(
        "base_declaration",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("employer_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("wage_fen", sa.Integer(), nullable=False),
        sa.Column("base_fen", sa.Integer(), nullable=False),
        sa.Column("clamp", sa.String(length=12), nullable=True),
        sa.Column("declared_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("operator_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["employer_id"], ["employer.id"], name=op.f("fk_base_declaration_employer_id_employer")
        ),
        sa.ForeignKeyConstraint(
            ["operator_id"], ["operator.id"], name=op.f("fk_base_declaration_operator_id_operator")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_base_declaration_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_base_declaration")),
        sa.UniqueConstraint(
            "employer_id", "person_id", "year", name=op.f("uq_base_declaration_employer_id")
        ),
    )
    op.create_index(op.f("ix_base_declaration_employer_id"), "base_declaration", ["employer_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_base_declaration_employer_id"), table_name="base_declaration")
    op.drop_table("base_declaration")
    op.drop_index(op.f("ix_employment_person_id"), table_name="employment")
    op.drop_index(op.f("ix_employment_employer_id"), table_name="employment")
    op.drop_table("employment")
    with op.batch_alter_table("employer") as batch_op:
        batch_op.drop_column("work_injury_float_bp")
        batch_op.drop_column("insured_from")
        batch_op.drop_column("schemes")
