"""indexes and a counter for the worklists' counts and pages

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 16:00:00

The worklists (``services.worklists``) count on the front page in well under 100 ms over half a
million people: the lists the coverage tally cannot answer read these indexes instead.

- ``payment (scheme, period_start, person_id)`` and ``payment (person_id, scheme, period_start)``: who
  paid last year's period of a yearly scheme, and whether they paid this one;
- ``person (birth_date)``: who reaches pension age in the next twelve months;
- ``person (id) WHERE special_groups <> '[]'``: the few people in a special group, without
  reading everyone's list;
- ``coverage_status (village_code, person_id, line)``: a list's pages in village order, each
  read from the index without sorting the whole list; ``coverage_status (birth_year, line)``:
  the few who turn 16 this year, without reading everyone's rows.

And ``worklist_paid_tally`` (scheme, year → n): how many present people have a live payment
for a calendar year of a scheme and none for the next year — the renewals due, counted as
payments are written, voided or deleted and as people move away or die (triggers below), so
the front page reads one row instead of probing every payment of last year. Only payments
of a whole calendar year count (yearly schemes); which schemes are yearly, and which year is
being collected, the worklists service reads from the parameters.

And ``worklist_tally`` (line, status, category, birth year, present → n): the coverage tally
with only the keys the front page's lists ask about, so their counts sum a few hundred rows
rather than the coverage tally's hundred thousand (which also splits by village, reason,
scheme and sex). Kept by triggers on ``coverage_status`` beside those of 0011.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


_YEAR = "CAST(strftime('%Y', {p}.period_start) AS INTEGER)"
_YEARLY = (
    "(strftime('%m-%d', {p}.period_start) = '01-01'"
    " AND {p}.period_end = strftime('%Y', {p}.period_start) || '-12-31')"
)


def _live_in(person: str, scheme: str, year: str) -> str:
    """Live whole-year payments of the person and scheme for ``year`` (an SQL expression)."""
    return (
        f"(SELECT count(*) FROM payment q WHERE q.person_id = {person} AND q.scheme = {scheme}"
        f" AND q.voided_at IS NULL AND q.period_start = printf('%04d-01-01', {year})"
        f" AND q.period_end = printf('%04d-12-31', {year}))"
    )


def _present(person: str) -> str:
    return (
        f"EXISTS (SELECT 1 FROM person h WHERE h.id = {person}"
        " AND h.moved_away_on IS NULL AND h.deceased_on IS NULL)"
    )


def _bump(scheme: str, year: str, n: str, when: str) -> str:
    return (
        f"INSERT INTO worklist_paid_tally (scheme, year, n) SELECT {scheme}, {year}, {n}"
        f" WHERE {when} ON CONFLICT (scheme, year) DO UPDATE SET n = n + excluded.n;"
    )


def _gone(row: str) -> str:
    """A live payment left (voided or deleted): if its year is now unpaid, the year stops
    counting and the year before counts again."""
    p, s, y = f"{row}.person_id", f"{row}.scheme", _YEAR.format(p=row)
    unpaid = f"{_live_in(p, s, y)} = 0 AND {_present(p)}"
    return _bump(s, y, "-1", f"{unpaid} AND {_live_in(p, s, f'{y} + 1')} = 0") + _bump(
        s, f"{y} - 1", "1", f"{unpaid} AND {_live_in(p, s, f'{y} - 1')} > 0"
    )


_NEW_YEAR = _YEAR.format(p="NEW")
_NEWLY_PAID = (
    f"{_live_in('NEW.person_id', 'NEW.scheme', _NEW_YEAR)} = 1 AND {_present('NEW.person_id')}"
)
_PRESENT_NOW = "(NEW.moved_away_on IS NULL AND NEW.deceased_on IS NULL)"
_PRESENT_BEFORE = "(OLD.moved_away_on IS NULL AND OLD.deceased_on IS NULL)"
TRIGGERS = {
    "worklist_paid_insert": f"""
        AFTER INSERT ON payment WHEN NEW.voided_at IS NULL AND {_YEARLY.format(p="NEW")} BEGIN
            {
        _bump(
            "NEW.scheme",
            _NEW_YEAR,
            "1",
            f"{_NEWLY_PAID} AND {_live_in('NEW.person_id', 'NEW.scheme', f'{_NEW_YEAR} + 1')} = 0",
        )
    }
            {
        _bump(
            "NEW.scheme",
            f"{_NEW_YEAR} - 1",
            "-1",
            f"{_NEWLY_PAID} AND {_live_in('NEW.person_id', 'NEW.scheme', f'{_NEW_YEAR} - 1')} > 0",
        )
    }
        END""",
    "worklist_paid_void": f"""
        AFTER UPDATE OF voided_at ON payment
        WHEN OLD.voided_at IS NULL AND NEW.voided_at IS NOT NULL AND {_YEARLY.format(p="NEW")}
        BEGIN
            {_gone("NEW")}
        END""",
    "worklist_paid_delete": f"""
        AFTER DELETE ON payment WHEN OLD.voided_at IS NULL AND {_YEARLY.format(p="OLD")} BEGIN
            {_gone("OLD")}
        END""",
    "worklist_paid_presence": f"""
        AFTER UPDATE OF moved_away_on, deceased_on ON person
        WHEN {_PRESENT_NOW} IS NOT {_PRESENT_BEFORE} BEGIN
            INSERT INTO worklist_paid_tally (scheme, year, n)
            SELECT p.scheme, {_YEAR.format(p="p")}, CASE WHEN {_PRESENT_NOW} THEN 1 ELSE -1 END
            FROM payment p WHERE p.person_id = NEW.id AND p.voided_at IS NULL
                AND {_YEARLY.format(p="p")}
                AND {_live_in("p.person_id", "p.scheme", _YEAR.format(p="p") + " + 1")} = 0
            GROUP BY p.scheme, {_YEAR.format(p="p")}
            ON CONFLICT (scheme, year) DO UPDATE SET n = n + excluded.n;
        END""",
}


_WL_KEY = "line, status, category, birth_year, present"


def _wl_bump(row: str, n: int) -> str:
    return (
        f"INSERT INTO worklist_tally ({_WL_KEY}, n) SELECT {row}.line, {row}.status,"
        f" coalesce({row}.category, ''), coalesce({row}.birth_year, 0), {row}.present, {n}"
        f" WHERE 1 ON CONFLICT ({_WL_KEY}) DO UPDATE SET n = n + excluded.n;"
    )


TRIGGERS |= {
    "worklist_tally_insert": f"""
        AFTER INSERT ON coverage_status BEGIN
            {_wl_bump("NEW", 1)}
        END""",
    "worklist_tally_update": f"""
        AFTER UPDATE OF line, status, category, birth_year, present ON coverage_status
        WHEN OLD.line IS NOT NEW.line OR OLD.status IS NOT NEW.status
            OR OLD.category IS NOT NEW.category OR OLD.birth_year IS NOT NEW.birth_year
            OR OLD.present IS NOT NEW.present
        BEGIN
            {_wl_bump("OLD", -1)}
            {_wl_bump("NEW", 1)}
        END""",
    "worklist_tally_delete": f"""
        AFTER DELETE ON coverage_status BEGIN
            {_wl_bump("OLD", -1)}
        END""",
}


def upgrade() -> None:
    op.create_table(
        "worklist_paid_tally",
        sa.Column("scheme", sa.String(length=40), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("scheme", "year", name=op.f("pk_worklist_paid_tally")),
    )
    op.create_table(
        "worklist_tally",
        sa.Column("line", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("category", sa.String(length=30), nullable=False),
        sa.Column("birth_year", sa.Integer(), nullable=False),
        sa.Column("present", sa.Boolean(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "line", "status", "category", "birth_year", "present", name=op.f("pk_worklist_tally")
        ),
    )
    for name, body in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")
    op.execute(
        f"""INSERT INTO worklist_tally ({_WL_KEY}, n)
            SELECT line, status, coalesce(category, ''), coalesce(birth_year, 0), present,
                count(*)
            FROM coverage_status GROUP BY 1, 2, 3, 4, 5"""
    )
    # Payments already in the store are counted now.
    year = _YEAR.format(p="p")
    op.execute(
        f"""INSERT INTO worklist_paid_tally (scheme, year, n)
            SELECT p.scheme, {year}, count(DISTINCT p.person_id) FROM payment p
            WHERE p.voided_at IS NULL AND {_YEARLY.format(p="p")} AND {_present("p.person_id")}
                AND {_live_in("p.person_id", "p.scheme", year + " + 1")} = 0
            GROUP BY p.scheme, {year}"""
    )
    op.create_index("ix_payment_scheme_period", "payment", ["scheme", "period_start", "person_id"])
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
    op.create_index("ix_coverage_status_birth_year", "coverage_status", ["birth_year", "line"])


def downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("worklist_paid_tally")
    op.drop_table("worklist_tally")
    op.drop_index("ix_coverage_status_birth_year", table_name="coverage_status")
    op.drop_index("ix_coverage_status_village", table_name="coverage_status")
    op.drop_index("ix_person_special_groups", table_name="person")
    op.drop_index("ix_person_birth_date", table_name="person")
    op.drop_index("ix_payment_person_scheme_period", table_name="payment")
    op.drop_index("ix_payment_scheme_period", table_name="payment")
