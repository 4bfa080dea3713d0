"""payment lines: one centre receipt may carry several lines, a tax-channel payment none

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 12:00:00
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
        batch_op.drop_constraint("uq_payment_receipt_number", type_="unique")
        batch_op.alter_column("receipt_number", existing_type=sa.String(length=40), nullable=True)
        batch_op.create_unique_constraint(
            "uq_payment_receipt_number", ["receipt_number", "receipt_line"]
        )


def downgrade() -> None:
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.drop_constraint("uq_payment_receipt_number", type_="unique")
        batch_op.drop_column("receipt_line")
        batch_op.create_unique_constraint("uq_payment_receipt_number", ["receipt_number"])
