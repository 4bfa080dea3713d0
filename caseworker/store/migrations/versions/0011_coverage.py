"""coverage status per person and insurance line, household events, and their tallies

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 15:00:00

Every person gets a row per insurance line (status ``unknown`` until a record or a survey
says more; ``valid_until`` 0001-01-01 marks it unseen, for ``services.coverage.refresh``). Triggers, not services, keep the rows and the counts right, so a bulk insert,
a pull from the county or a future import cannot forget them:

- a new person gets its rows, with the person's village (the household's, else the hukou
  village), sex, birth year, employment category and presence copied on;
- a change of those facts (or of the household's village) is copied onto the rows;
- every insert, change or delete of a row moves ``coverage_tally`` (counts per key) and
  ``coverage_month`` (net change of present people per month, line and status).

The lines are written out here as they stood when this revision shipped; a new line in
``coverage_line.json`` needs its own revision (a test compares the two). A
later revision that rebuilds the person, household or coverage_status table in batch mode
must create these triggers again.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

LINES = ("pension", "medical", "injury")

_VILLAGE = (
    "coalesce((SELECT h.village_code FROM household h WHERE h.id = {p}.household_id),"
    " {p}.hukou_village_code)"
)
_PRESENT = "({p}.moved_away_on IS NULL AND {p}.deceased_on IS NULL)"
_BIRTH_YEAR = "CAST(strftime('%Y', {p}.birth_date) AS INTEGER)"
_TALLY_KEY = "line, status, reason, scheme, village_code, sex, birth_year, category, present"


def _tally_values(row: str, n: int) -> str:
    return (
        f"{row}.line, {row}.status, coalesce({row}.reason, ''), coalesce({row}.scheme, ''),"
        f" coalesce({row}.village_code, ''), coalesce({row}.sex, ''),"
        f" coalesce({row}.birth_year, 0), coalesce({row}.category, ''), {row}.present, {n}"
    )


def _tally(row: str, n: int) -> str:
    return (
        f"INSERT INTO coverage_tally ({_TALLY_KEY}, n) SELECT {_tally_values(row, n)} WHERE 1"
        f" ON CONFLICT ({_TALLY_KEY}) DO UPDATE SET n = n + excluded.n;"
    )


def _month(row: str, n: int, month: str, when: str) -> str:
    return (
        f"INSERT INTO coverage_month (month, line, status, n) SELECT {month}, {row}.line,"
        f" {row}.status, {n} WHERE {when}"
        " ON CONFLICT (month, line, status) DO UPDATE SET n = n + excluded.n;"
    )


_AS_OF_MONTH = "strftime('%Y-%m', coalesce(NEW.as_of, date('now')))"
_NOW_MONTH = "strftime('%Y-%m', 'now')"
_CHANGED = "(OLD.status IS NOT NEW.status OR OLD.present IS NOT NEW.present)"
_CHANGE_MONTH = f"CASE WHEN OLD.status IS NOT NEW.status THEN {_AS_OF_MONTH} ELSE {_NOW_MONTH} END"

TRIGGERS = {
    "coverage_tally_insert": f"""
        AFTER INSERT ON coverage_status BEGIN
            {_tally("NEW", 1)}
            {_month("NEW", 1, _AS_OF_MONTH, "NEW.present")}
        END""",
    "coverage_tally_update": f"""
        AFTER UPDATE OF line, status, reason, scheme, village_code, sex, birth_year, category,
            present ON coverage_status BEGIN
            {_tally("OLD", -1)}
            DELETE FROM coverage_tally WHERE n = 0 AND line = OLD.line AND status = OLD.status
                AND reason = coalesce(OLD.reason, '') AND scheme = coalesce(OLD.scheme, '')
                AND village_code = coalesce(OLD.village_code, '') AND sex = coalesce(OLD.sex, '')
                AND birth_year = coalesce(OLD.birth_year, 0)
                AND category = coalesce(OLD.category, '') AND present = OLD.present;
            {_tally("NEW", 1)}
            {_month("OLD", -1, _CHANGE_MONTH, f"OLD.present AND {_CHANGED}")}
            {_month("NEW", 1, _CHANGE_MONTH, f"NEW.present AND {_CHANGED}")}
        END""",
    "coverage_tally_delete": f"""
        AFTER DELETE ON coverage_status BEGIN
            {_tally("OLD", -1)}
            {_month("OLD", -1, _NOW_MONTH, "OLD.present")}
        END""",
    "person_coverage_rows": f"""
        AFTER INSERT ON person BEGIN
            INSERT INTO coverage_status (person_id, line, status, version, valid_until,
                present, village_code, sex, birth_year, category)
            SELECT NEW.id, lines.line, 'unknown', 0, '0001-01-01', {_PRESENT.format(p="NEW")},
                {_VILLAGE.format(p="NEW")}, NEW.sex, {_BIRTH_YEAR.format(p="NEW")},
                NEW.employment_category
            FROM ({" UNION ALL ".join(f"SELECT '{line}' AS line" for line in LINES)}) AS lines;
        END""",
    "person_coverage_facts": f"""
        AFTER UPDATE OF household_id, hukou_village_code, sex, birth_date, employment_category,
            moved_away_on, deceased_on ON person BEGIN
            UPDATE coverage_status SET village_code = {_VILLAGE.format(p="NEW")},
                sex = NEW.sex, birth_year = {_BIRTH_YEAR.format(p="NEW")},
                category = NEW.employment_category, present = {_PRESENT.format(p="NEW")}
            WHERE person_id = NEW.id;
        END""",
    "household_coverage_village": """
        AFTER UPDATE OF village_code ON household BEGIN
            UPDATE coverage_status SET village_code = coalesce(NEW.village_code,
                (SELECT p.hukou_village_code FROM person p WHERE p.id = coverage_status.person_id))
            WHERE person_id IN (SELECT p.id FROM person p WHERE p.household_id = NEW.id);
        END""",
}


def upgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(sa.Column("moved_in_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("moved_away_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("deceased_on", sa.Date(), nullable=True))
    op.create_table(
        "coverage_status",
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("line", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("scheme", sa.String(length=40), nullable=True),
        sa.Column("reason", sa.String(length=30), nullable=True),
        sa.Column("insured_where", sa.String(length=100), nullable=True),
        sa.Column("as_of", sa.Date(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=True),
        sa.Column("operator_id", sa.Uuid(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.Column("village_code", sa.String(length=12), nullable=True),
        sa.Column("sex", sa.String(length=1), nullable=True),
        sa.Column("birth_year", sa.Integer(), nullable=True),
        sa.Column("category", sa.String(length=30), nullable=True),
        sa.Column("present", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "status IN ('insured_here', 'insured_elsewhere', 'not_insured', 'not_applicable',"
            " 'unknown')",
            name=op.f("ck_coverage_status_status"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_coverage_status_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("person_id", "line", name=op.f("pk_coverage_status")),
    )
    op.create_index("ix_coverage_status_valid_until", "coverage_status", ["valid_until"])
    op.create_table(
        "coverage_tally",
        sa.Column("line", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=30), nullable=False),
        sa.Column("scheme", sa.String(length=40), nullable=False),
        sa.Column("village_code", sa.String(length=12), nullable=False),
        sa.Column("sex", sa.String(length=1), nullable=False),
        sa.Column("birth_year", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=30), nullable=False),
        sa.Column("present", sa.Boolean(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "line",
            "status",
            "reason",
            "scheme",
            "village_code",
            "sex",
            "birth_year",
            "category",
            "present",
            name=op.f("pk_coverage_tally"),
        ),
    )
    op.create_table(
        "coverage_month",
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("line", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("month", "line", "status", name=op.f("pk_coverage_month")),
    )
    for name, body in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")
    # People already in the store get their rows (and so their counts) now; what their
    # records say is derived by the coverage service on the next login.
    lines = " UNION ALL ".join(f"SELECT '{line}' AS line" for line in LINES)
    op.execute(
        f"""INSERT INTO coverage_status (person_id, line, status, version, valid_until,
                present, village_code, sex, birth_year, category)
            SELECT p.id, lines.line, 'unknown', 0, '0001-01-01', {_PRESENT.format(p="p")},
                {_VILLAGE.format(p="p")}, p.sex, {_BIRTH_YEAR.format(p="p")},
                p.employment_category
            FROM person p CROSS JOIN ({lines}) AS lines"""
    )


def downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("coverage_month")
    op.drop_table("coverage_tally")
    op.drop_index("ix_coverage_status_valid_until", table_name="coverage_status")
    op.drop_table("coverage_status")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_column("deceased_on")
        batch_op.drop_column("moved_away_on")
        batch_op.drop_column("moved_in_on")
