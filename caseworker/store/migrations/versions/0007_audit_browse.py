"""audit screen: indexes for filtering the audit trail by day, operator and action

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 12:30:00

The supervisor's audit screen lists entries newest first, a page at a time, filtered by day,
operator or action. A store holds hundreds of thousands of entries; without these indexes a
filter on a rare action reads the whole table for each page.
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.create_index("ix_audit_entry_at", ["at"], unique=False)
        batch_op.create_index("ix_audit_entry_operator_name", ["operator_name"], unique=False)
        batch_op.create_index("ix_audit_entry_action", ["action"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_entry_action")
        batch_op.drop_index("ix_audit_entry_operator_name")
        batch_op.drop_index("ix_audit_entry_at")
