"""field-visit trips: local planning records (a trip, its households, the people it recorded)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 16:00:00

Trips never go upstream (no outbox): they are this laptop's plan. What a visit finds is
written by the household and coverage services, which do send it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "trip",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("villages", sa.JSON(), nullable=False),
        sa.Column("worklist", sa.JSON(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by"], ["operator.id"], name=op.f("fk_trip_created_by_operator")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trip")),
    )
    op.create_table(
        "trip_household",
        sa.Column("trip_id", sa.Uuid(), nullable=False),
        sa.Column("household_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("visited_on", sa.Date(), nullable=True),
        sa.Column("outcome", sa.String(length=12), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("operator_id", sa.Uuid(), nullable=True),
        sa.CheckConstraint(
            "outcome IS NULL OR outcome IN ('visited', 'nobody_home', 'refused')",
            name=op.f("ck_trip_household_outcome"),
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["household.id"],
            name=op.f("fk_trip_household_household_id_household"),
        ),
        sa.ForeignKeyConstraint(
            ["operator_id"], ["operator.id"], name=op.f("fk_trip_household_operator_id_operator")
        ),
        sa.ForeignKeyConstraint(
            ["trip_id"],
            ["trip.id"],
            name=op.f("fk_trip_household_trip_id_trip"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("trip_id", "household_id", name=op.f("pk_trip_household")),
    )
    op.create_table(
        "trip_person",
        sa.Column("trip_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("household_id", sa.Uuid(), nullable=False),
        sa.Column("change", sa.String(length=12), nullable=False),
        sa.Column("answered", sa.Boolean(), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("operator_id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "change IN ('confirmed', 'added', 'moved_away', 'deceased')",
            name=op.f("ck_trip_person_change"),
        ),
        sa.ForeignKeyConstraint(
            ["household_id"], ["household.id"], name=op.f("fk_trip_person_household_id_household")
        ),
        sa.ForeignKeyConstraint(
            ["operator_id"], ["operator.id"], name=op.f("fk_trip_person_operator_id_operator")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_trip_person_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["trip_id"], ["trip.id"], name=op.f("fk_trip_person_trip_id_trip"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("trip_id", "person_id", name=op.f("pk_trip_person")),
    )


def downgrade() -> None:
    op.drop_table("trip_person")
    op.drop_table("trip_household")
    op.drop_table("trip")
