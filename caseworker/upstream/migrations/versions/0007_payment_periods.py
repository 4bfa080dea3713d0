"""payment periods: the county keeps each payment's scheme and period, to refuse a second
payment for a period already paid (from another device of the centre, or another centre)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 13:00:00
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _day(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def upgrade() -> None:
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scheme", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("period_start", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("period_end", sa.Date(), nullable=True))
        batch_op.create_index("ix_payment_person_scheme", ["person_id", "scheme"], unique=False)
    # Payments already received: the columns from the payload they arrived with.
    payment = sa.table(
        "payment",
        sa.column("id", sa.Uuid()),
        sa.column("payload", sa.JSON()),
        sa.column("scheme", sa.String()),
        sa.column("period_start", sa.Date()),
        sa.column("period_end", sa.Date()),
    )
    conn = op.get_bind()
    for row in conn.execute(sa.select(payment.c.id, payment.c.payload)).all():
        payload = row.payload if isinstance(row.payload, dict) else {}
        conn.execute(
            payment.update()
            .where(payment.c.id == row.id)
            .values(
                scheme=str(payload.get("scheme") or "")[:40] or None,
                period_start=_day(payload.get("period_start")),
                period_end=_day(payload.get("period_end")),
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.drop_index("ix_payment_person_scheme")
        batch_op.drop_column("period_end")
        batch_op.drop_column("period_start")
        batch_op.drop_column("scheme")
