"""transfers: who manages each person at the county, and this centre's transfer requests

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 09:00:00

``person.owner_centre_code`` is what the registry feed last said (None: this centre), so
the person view can say who manages a person and an edit refused upstream is no surprise.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner_centre_code", sa.String(length=12), nullable=True))
    op.create_table(
        "transfer_request",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("requested_by", sa.Uuid(), nullable=False),
        sa.Column("outbox_seq", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=True),
        sa.Column("county_person_id", sa.Uuid(), nullable=True),
        sa.Column("from_centre", sa.String(length=12), nullable=True),
        sa.Column("from_centre_name", sa.String(length=100), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("adopted_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "state IN ('unsent', 'requested', 'approved', 'refused')",
            name=op.f("ck_transfer_request_state"),
        ),
        sa.ForeignKeyConstraint(
            ["requested_by"],
            ["operator.id"],
            name=op.f("fk_transfer_request_requested_by_operator"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transfer_request")),
    )
    with op.batch_alter_table("transfer_request", schema=None) as batch_op:
        batch_op.create_index("ix_transfer_request_id_number", ["id_number"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("transfer_request", schema=None) as batch_op:
        batch_op.drop_index("ix_transfer_request_id_number")
    op.drop_table("transfer_request")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_column("owner_centre_code")
