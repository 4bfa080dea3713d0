"""coverage facets: the tally of present people rolled up per figure of the coverage picture

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 16:00:00

``coverage_tally`` counts status rows per full key (village, sex, birth year, category,
status, reason, scheme, presence). With half a million people that is some 130,000 rows per
line (birth years × villages × categories × statuses multiply), and each figure's GROUP BY
over them takes most of a second. The picture needs only one dimension at a time, so
``coverage_facet`` keeps, per line, the present people's count of each status by village, by
scheme, by reason, by category and by birth year and sex: a few hundred rows per line.

Triggers on ``coverage_tally`` move the facets by the tally's own change (its rows change
only through the triggers of 0011, and only in ``n``), so the facets are exact roll-ups of the
tally whatever writes the statuses. The facets are filled from the tally here.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

# facet name → the key it keeps (an SQL expression over a coverage_tally row ``{r}``).
FACETS = {
    "village": "{r}.village_code",
    "scheme": "{r}.scheme",
    "reason": "{r}.reason",
    "category": "{r}.category",
    "age_sex": "{r}.birth_year || ':' || {r}.sex",
}


def _move(row: str, delta: str) -> str:
    """One upsert per facet, moving each by ``delta`` present people."""
    return "\n".join(
        "INSERT INTO coverage_facet (line, facet, key, status, n)"
        f" SELECT {row}.line, '{facet}', {key.format(r=row)}, {row}.status, {delta}"
        f" WHERE {row}.present AND ({delta}) <> 0"
        " ON CONFLICT (line, facet, key, status) DO UPDATE SET n = n + excluded.n;"
        for facet, key in FACETS.items()
    )


TRIGGERS = {
    "coverage_facet_insert": f"""
        AFTER INSERT ON coverage_tally BEGIN
            {_move("NEW", "NEW.n")}
        END""",
    "coverage_facet_update": f"""
        AFTER UPDATE OF n ON coverage_tally BEGIN
            {_move("NEW", "NEW.n - OLD.n")}
        END""",
    "coverage_facet_delete": f"""
        AFTER DELETE ON coverage_tally BEGIN
            {_move("OLD", "-OLD.n")}
        END""",
}


def upgrade() -> None:
    op.create_table(
        "coverage_facet",
        sa.Column("line", sa.String(length=20), nullable=False),
        sa.Column("facet", sa.String(length=12), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("line", "facet", "key", "status", name=op.f("pk_coverage_facet")),
    )
    for name, body in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")
    for facet, key in FACETS.items():
        op.execute(
            f"""INSERT INTO coverage_facet (line, facet, key, status, n)
                SELECT t.line, '{facet}', {key.format(r="t")}, t.status, sum(t.n)
                FROM coverage_tally t WHERE t.present GROUP BY 1, 2, 3, 4"""
        )


def downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("coverage_facet")
