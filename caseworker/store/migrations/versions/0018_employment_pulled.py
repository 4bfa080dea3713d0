"""employment pulled: a stay from another centre of the township may come without its base

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01 23:00:00

Stays now come back in the township registry feed (issue 13). The wage base goes only to the
centre that made the stay; the township's other centres keep the stay with no base, so
``employment.base_fen`` may be null. Employers come with them; one that another centre
registered says so in ``employer.owner_centre_code``, and only its own centre changes it.

A client before this one read the feed without asking for employers and stays, and its cursor
moved past them; the registry cursor goes back to 0, so the first pull after the upgrade
reads the feed once more and gets them (everything else it already holds is skipped by
version). Self-contained (a column relaxed, a cursor reset), so the revision can be
re-chained behind another lane's.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("employment") as batch_op:
        batch_op.alter_column("base_fen", existing_type=sa.Integer(), nullable=True)
    with op.batch_alter_table("employer") as batch_op:
        batch_op.add_column(sa.Column("owner_centre_code", sa.String(12), nullable=True))
    op.execute("UPDATE sync_cursor SET cursor = 0 WHERE feed = 'registry'")


def downgrade() -> None:
    # Another centre's stays hold no base here: they go, as they came, with the feed.
    op.execute("DELETE FROM employment WHERE base_fen IS NULL")
    with op.batch_alter_table("employment") as batch_op:
        batch_op.alter_column("base_fen", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("employer") as batch_op:
        batch_op.drop_column("owner_centre_code")
