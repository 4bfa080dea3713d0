"""entries superseded when the county re-anchors a device's audit chain after a loss

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 10:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "device_audit_superseded",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("operator_id", sa.Uuid(), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=True),
        sa.Column("county_audit_seq", sa.Integer(), nullable=False),
        sa.Column("superseded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["county_audit_seq"],
            ["county_audit.seq"],
            name=op.f("fk_device_audit_superseded_county_audit_seq_county_audit"),
        ),
        sa.ForeignKeyConstraint(
            ["device_id"], ["device.id"], name=op.f("fk_device_audit_superseded_device_id_device")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device_audit_superseded")),
    )
    op.create_index(
        op.f("ix_device_audit_superseded_device_id"),
        "device_audit_superseded",
        ["device_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_device_audit_superseded_device_id"), table_name="device_audit_superseded"
    )
    op.drop_table("device_audit_superseded")
