"""daily close and end-of-day review: a supervisor's close per operator and day, and the
review decision (approved / returned with a comment) per outbox entry

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 12:00:00

``day_close`` rows are never edited: reopening stamps ``reopened_*`` and a new close is a new
row. ``outbox_review`` holds one decision per outbox entry; an entry without one is not
reviewed yet and, while the centre requires review, does not go upstream.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "day_close",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("operator_id", sa.Uuid(), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("receipts", sa.Integer(), nullable=False),
        sa.Column("receipt_lines", sa.Integer(), nullable=False),
        sa.Column("voids", sa.Integer(), nullable=False),
        sa.Column("voided_fen", sa.Integer(), nullable=False),
        sa.Column("collected_fen", sa.Integer(), nullable=False),
        sa.Column("expected_cash_fen", sa.Integer(), nullable=False),
        sa.Column("counted_cash_fen", sa.Integer(), nullable=False),
        sa.Column("difference_fen", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("closed_by", sa.Uuid(), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reopened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reopened_by", sa.Uuid(), nullable=True),
        sa.Column("reopen_reason", sa.String(length=200), nullable=True),
        sa.CheckConstraint("counted_cash_fen >= 0", name=op.f("ck_day_close_counted_non_negative")),
        sa.ForeignKeyConstraint(
            ["closed_by"], ["operator.id"], name=op.f("fk_day_close_closed_by_operator")
        ),
        sa.ForeignKeyConstraint(
            ["operator_id"], ["operator.id"], name=op.f("fk_day_close_operator_id_operator")
        ),
        sa.ForeignKeyConstraint(
            ["reopened_by"], ["operator.id"], name=op.f("fk_day_close_reopened_by_operator")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_day_close")),
    )
    with op.batch_alter_table("day_close", schema=None) as batch_op:
        batch_op.create_index(
            "ix_day_close_operator_day", ["operator_id", "business_date"], unique=False
        )
    op.create_table(
        "outbox_review",
        sa.Column("outbox_seq", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("reviewed_by", sa.Uuid(), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("comment", sa.String(length=200), nullable=True),
        sa.CheckConstraint(
            "state IN ('approved', 'returned')", name=op.f("ck_outbox_review_state")
        ),
        sa.ForeignKeyConstraint(
            ["outbox_seq"],
            ["outbox_entry.seq"],
            name=op.f("fk_outbox_review_outbox_seq_outbox_entry"),
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by"], ["operator.id"], name=op.f("fk_outbox_review_reviewed_by_operator")
        ),
        sa.PrimaryKeyConstraint("outbox_seq", name=op.f("pk_outbox_review")),
    )
    with op.batch_alter_table("outbox_review", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_review_state", ["state"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("outbox_review", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_review_state")
    op.drop_table("outbox_review")
    with op.batch_alter_table("day_close", schema=None) as batch_op:
        batch_op.drop_index("ix_day_close_operator_day")
    op.drop_table("day_close")
