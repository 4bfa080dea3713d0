"""key acceptance: a county officer confirms, out of band, an operator's new key after a
recovery at the centre, so the device-signed rotation can be taken once

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 13:40:00
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
        "key_acceptance",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=False),
        sa.Column("username", sa.String(length=32), nullable=False),
        sa.Column("fingerprint", sa.String(length=19), nullable=False),
        sa.Column("accepted_by", sa.String(length=60), nullable=False),
        sa.Column("accepted_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["device_id"], ["device.id"], name=op.f("fk_key_acceptance_device_id_device")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_key_acceptance")),
    )
    op.create_index(
        op.f("ix_key_acceptance_device_id"), "key_acceptance", ["device_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_key_acceptance_device_id"), table_name="key_acceptance")
    op.drop_table("key_acceptance")
