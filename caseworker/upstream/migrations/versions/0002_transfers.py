"""county server: person transfers between centres, and the county's own audit rows

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "transfer",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("from_centre", sa.String(length=12), nullable=False),
        sa.Column("to_centre", sa.String(length=12), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("requested_by_device", sa.Uuid(), nullable=False),
        sa.Column("request_sha256", sa.String(length=64), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decided_by", sa.String(length=60), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_transfer_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["to_centre"], ["centre.code"], name=op.f("fk_transfer_to_centre_centre")
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_device"],
            ["device.id"],
            name=op.f("fk_transfer_requested_by_device_device"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transfer")),
    )
    op.create_index(op.f("ix_transfer_person_id"), "transfer", ["person_id"], unique=False)
    op.create_index(op.f("ix_transfer_to_centre"), "transfer", ["to_centre"], unique=False)
    op.create_index(op.f("ix_transfer_state"), "transfer", ["state"], unique=False)
    op.create_table(
        "county_audit",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=60), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("subject_id", sa.Uuid(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_county_audit")),
    )


def downgrade() -> None:
    op.drop_table("county_audit")
    op.drop_index(op.f("ix_transfer_state"), table_name="transfer")
    op.drop_index(op.f("ix_transfer_to_centre"), table_name="transfer")
    op.drop_index(op.f("ix_transfer_person_id"), table_name="transfer")
    op.drop_table("transfer")
