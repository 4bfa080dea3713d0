"""payment lines and channels: one receipt for a visit, tax-channel payments without one

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 12:00:00

A receipt number may now carry several lines (``receipt_line``), one per person and scheme
paid in one visit. ``channel`` says how the money came: ``desk`` (cash at the desk, a centre
receipt) or ``tax`` (paid through the tax authority's channels, recorded with the tax
voucher number and no centre receipt, so the receipt columns are empty).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("receipt_line", sa.Integer(), nullable=False, server_default="1")
        )
        batch_op.add_column(
            sa.Column("channel", sa.String(length=10), nullable=False, server_default="desk")
        )
        batch_op.add_column(sa.Column("voucher_number", sa.String(length=40), nullable=True))
        batch_op.drop_constraint("uq_payment_receipt_number", type_="unique")
        batch_op.drop_constraint("uq_payment_device_id", type_="unique")
        batch_op.alter_column("receipt_number", existing_type=sa.String(length=40), nullable=True)
        batch_op.alter_column("device_id", existing_type=sa.Uuid(), nullable=True)
        batch_op.alter_column("receipt_year", existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column("receipt_sequence", existing_type=sa.Integer(), nullable=True)
        batch_op.create_unique_constraint(
            "uq_payment_receipt_number", ["receipt_number", "receipt_line"]
        )
        batch_op.create_unique_constraint(
            "uq_payment_device_id",
            ["device_id", "receipt_year", "receipt_sequence", "receipt_line"],
        )
        batch_op.create_check_constraint("channel_known", "channel IN ('desk', 'tax')")
        batch_op.create_check_constraint(
            "receipt_or_voucher",
            "(channel = 'desk' AND receipt_number IS NOT NULL)"
            " OR (channel = 'tax' AND voucher_number IS NOT NULL)",
        )
        batch_op.create_index("ix_payment_receipt_number", ["receipt_number"], unique=False)
        batch_op.create_index("ix_payment_voucher_number", ["voucher_number"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.drop_index("ix_payment_voucher_number")
        batch_op.drop_index("ix_payment_receipt_number")
        batch_op.drop_constraint("ck_payment_receipt_or_voucher", type_="check")
        batch_op.drop_constraint("ck_payment_channel_known", type_="check")
        batch_op.drop_constraint("uq_payment_device_id", type_="unique")
        batch_op.drop_constraint("uq_payment_receipt_number", type_="unique")
        batch_op.drop_column("voucher_number")
        batch_op.drop_column("channel")
        batch_op.drop_column("receipt_line")
        batch_op.create_unique_constraint("uq_payment_receipt_number", ["receipt_number"])
        batch_op.create_unique_constraint(
            "uq_payment_device_id", ["device_id", "receipt_year", "receipt_sequence"]
        )
