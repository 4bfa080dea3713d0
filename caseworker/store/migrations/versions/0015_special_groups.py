"""special-group memberships from civil affairs' lists

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 18:00:00

``special_group_membership``: a person in a special group (低保, 特困, 残疾 …) as a list from
civil affairs says, with its dates, issuing office and certificate number, and the list it came
from (file name, SHA-256, row). One row per person, group and list: importing the same list
again writes nothing. The person's ``special_groups`` (what the government-paid worklist and
the counters of 0014 read) is changed by the import through the normal person change, so the
triggers of 0014 keep ``worklist_grouped_tally`` in step; nothing here needs a trigger.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "special_group_membership",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("group_code", sa.String(length=30), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("office", sa.String(length=100), nullable=False),
        sa.Column("certificate_number", sa.String(length=60), nullable=True),
        sa.Column("source_file", sa.String(length=255), nullable=False),
        sa.Column("source_sha256", sa.String(length=64), nullable=False),
        sa.Column("source_row", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("operator_id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "valid_until IS NULL OR valid_from IS NULL OR valid_from <= valid_until",
            name=op.f("ck_special_group_membership_dates_in_order"),
        ),
        sa.ForeignKeyConstraint(
            ["operator_id"],
            ["operator.id"],
            name=op.f("fk_special_group_membership_operator_id_operator"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_special_group_membership_person_id_person"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_special_group_membership")),
        sa.UniqueConstraint(
            "person_id",
            "group_code",
            "source_sha256",
            name=op.f("uq_special_group_membership_person_id"),
        ),
    )
    op.create_index(
        op.f("ix_special_group_membership_person_id"),
        "special_group_membership",
        ["person_id"],
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_special_group_membership_person_id"), table_name="special_group_membership"
    )
    op.drop_table("special_group_membership")
