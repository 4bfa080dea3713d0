"""device revocation: a device's key retired by the county (stolen or retired computer)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 02:30:00

Three nullable columns on ``device``, set once by ``caseworker-upstream device revoke``:
when, by whom, why. Every device registered before stays valid (all three NULL).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("device") as batch:
        batch.add_column(sa.Column("revoked_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("revoked_by", sa.String(length=60), nullable=True))
        batch.add_column(sa.Column("revoke_note", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("device") as batch:
        batch.drop_column("revoke_note")
        batch.drop_column("revoked_by")
        batch.drop_column("revoked_at")
