"""sync with the county: sealed batches, the server link, feed cursors, resolutions

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 09:00:00

Batches keep their exact bytes, hash and signature so a retry re-sends the same bytes;
the outbox gets an index on batch_id, used when an answer is applied.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_batch",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("sealed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("record_count", sa.Integer(), nullable=False),
        sa.Column("first_seq", sa.Integer(), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("exported_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_via", sa.String(length=10), nullable=True),
        sa.Column("answer", sa.LargeBinary(), nullable=True),
        sa.CheckConstraint(
            "state IN ('sealed', 'answered', 'refused')", name=op.f("ck_sync_batch_state")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_batch")),
    )
    with op.batch_alter_table("sync_batch", schema=None) as batch_op:
        batch_op.create_index("ix_sync_batch_state_sealed_at", ["state", "sealed_at"], unique=False)

    op.create_table(
        "sync_cursor",
        sa.Column("feed", sa.String(length=20), nullable=False),
        sa.Column("cursor", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("feed", name=op.f("pk_sync_cursor")),
    )
    op.create_table(
        "sync_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("server_url", sa.String(length=300), nullable=True),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("township_code", sa.String(length=12), nullable=True),
        sa.Column("last_success_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("clock_skew_seconds", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_link")),
    )
    op.create_table(
        "sync_resolution",
        sa.Column("outbox_seq", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("resolved_by", sa.Uuid(), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("new_outbox_id", sa.Uuid(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "action IN ('resubmitted', 'accepted_server', 'dismissed')",
            name=op.f("ck_sync_resolution_action"),
        ),
        sa.ForeignKeyConstraint(
            ["outbox_seq"],
            ["outbox_entry.seq"],
            name=op.f("fk_sync_resolution_outbox_seq_outbox_entry"),
        ),
        sa.ForeignKeyConstraint(
            ["resolved_by"], ["operator.id"], name=op.f("fk_sync_resolution_resolved_by_operator")
        ),
        sa.PrimaryKeyConstraint("outbox_seq", name=op.f("pk_sync_resolution")),
    )
    with op.batch_alter_table("outbox_entry", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_entry_batch_id", ["batch_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("outbox_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_entry_batch_id")
    op.drop_table("sync_resolution")
    op.drop_table("sync_link")
    op.drop_table("sync_cursor")
    with op.batch_alter_table("sync_batch", schema=None) as batch_op:
        batch_op.drop_index("ix_sync_batch_state_sealed_at")
    op.drop_table("sync_batch")
