"""signed audit trail: operators' public keys, entry signatures, audit carried by batches

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 09:00:00

Entries written before this revision stay unsigned (``signature`` NULL); ``audit verify``
reports them as written before signing keys, not as forgeries. Operators get a signing key
the next time they log in.
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
        "operator_key",
        sa.Column("operator_id", sa.Uuid(), nullable=False),
        sa.Column("valid_from_seq", sa.Integer(), nullable=False),
        sa.Column("public_key", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["operator_id"], ["operator.id"], name=op.f("fk_operator_key_operator_id_operator")
        ),
        sa.PrimaryKeyConstraint("operator_id", "valid_from_seq", name=op.f("pk_operator_key")),
    )
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.add_column(sa.Column("signature", sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column("signer", sa.String(length=36), nullable=True))
    with op.batch_alter_table("sync_batch", schema=None) as batch_op:
        batch_op.add_column(sa.Column("audit_first_seq", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("audit_last_seq", sa.Integer(), nullable=True))
    with op.batch_alter_table("sync_link", schema=None) as batch_op:
        batch_op.add_column(sa.Column("county_audit_seq", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("county_audit_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("county_audit_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sync_link", schema=None) as batch_op:
        batch_op.drop_column("county_audit_at")
        batch_op.drop_column("county_audit_hash")
        batch_op.drop_column("county_audit_seq")
    with op.batch_alter_table("sync_batch", schema=None) as batch_op:
        batch_op.drop_column("audit_last_seq")
        batch_op.drop_column("audit_first_seq")
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_column("signer")
        batch_op.drop_column("signature")
    op.drop_table("operator_key")
