"""indexes for the worklists' counts and pages

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 16:00:00

The worklists (``services.worklists``) count on the front page in well under 100 ms over half a
million people: the lists the coverage tally cannot answer read these indexes instead.

- ``payment (scheme, period_start)`` and ``payment (person_id, scheme, period_start)``: who
  paid last year's period of a yearly scheme, and whether they paid this one;
- ``person (birth_date)``: who reaches pension age in the next twelve months;
- ``person (id) WHERE special_groups <> '[]'``: the few people in a special group, without
  reading everyone's list;
- ``coverage_status (village_code, person_id, line)``: a list's pages in village order, each
  read from the index without sorting the whole list.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_payment_scheme_period", "payment", ["scheme", "period_start"])
    op.create_index(
        "ix_payment_person_scheme_period", "payment", ["person_id", "scheme", "period_start"]
    )
    op.create_index("ix_person_birth_date", "person", ["birth_date"])
    op.create_index(
        "ix_person_special_groups",
        "person",
        ["id"],
        sqlite_where=sa.text("special_groups <> '[]'"),
    )
    op.create_index(
        "ix_coverage_status_village", "coverage_status", ["village_code", "person_id", "line"]
    )


def downgrade() -> None:
    op.drop_index("ix_coverage_status_village", table_name="coverage_status")
    op.drop_index("ix_person_special_groups", table_name="person")
    op.drop_index("ix_person_birth_date", table_name="person")
    op.drop_index("ix_payment_person_scheme_period", table_name="payment")
    op.drop_index("ix_payment_scheme_period", table_name="payment")
