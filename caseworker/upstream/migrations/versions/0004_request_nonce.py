"""signed GETs carry a nonce, remembered per device until the request would be stale

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "request_nonce",
        sa.Column("device_id", sa.Uuid(), nullable=False),
        sa.Column("nonce", sa.String(length=32), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["device_id"], ["device.id"], name=op.f("fk_request_nonce_device_id_device")
        ),
        sa.PrimaryKeyConstraint("device_id", "nonce", name=op.f("pk_request_nonce")),
    )
    op.create_index(
        op.f("ix_request_nonce_expires_at"), "request_nonce", ["expires_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_request_nonce_expires_at"), table_name="request_nonce")
    op.drop_table("request_nonce")
