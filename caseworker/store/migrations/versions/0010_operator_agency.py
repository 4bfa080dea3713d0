"""operators' agency: the centre itself (NULL) or a named contracted agency (外包机构)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 12:00:00

Staff of a contracted agency may hold only the clerk role; the services refuse anything else
with words, and the check constraint keeps the rule if a service ever forgets it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("operator", schema=None) as batch_op:
        batch_op.add_column(sa.Column("agency", sa.String(length=60), nullable=True))
        batch_op.create_check_constraint("agency_clerk_only", "agency IS NULL OR role = 'clerk'")


def downgrade() -> None:
    with op.batch_alter_table("operator", schema=None) as batch_op:
        batch_op.drop_constraint("agency_clerk_only", type_="check")
        batch_op.drop_column("agency")
