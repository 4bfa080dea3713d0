"""indexes and a counter for the worklists' counts and pages

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 16:00:00

The worklists (``services.worklists``) count on the front page in well under 100 ms over half a
million people: the lists the coverage tally cannot answer read these indexes instead.

- ``payment (scheme, period_start, person_id)`` and ``payment (person_id, scheme, period_start)``: who
  paid last year's period of a yearly scheme, and whether they paid this one;
- ``person (birth_date, sex, employment_category, moved_away_on, deceased_on, id)``: who
  reaches pension age in the next twelve months, counted from the index alone; with
  ``enrolment (person_id) WHERE`` an active employees' pension and ``coverage_status
  (person_id) WHERE`` receiving a pension, two small partial indexes the count probes;
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

And ``worklist_grouped_tally`` (scheme, groups, year → n): present people in a special group
(their list as stored) with an active enrolment in the scheme (year 0) and, of those, the ones
with a live whole-year payment for a year (that year) — the government-paid list is year 0
less the year being collected, over the group lists the parameters pay for. Kept by triggers
on person (insert, delete, special groups, presence), enrolment (insert, delete, status) and
payment (insert, void, delete).

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


# -- the government-paid counter ----------------------------------------------------------
# worklist_grouped_tally (scheme, groups, year → n): present people in a special group (their
# list as stored, e.g. '["dibao"]') with an active enrolment in the scheme — year 0 — and, of
# those, the ones with a live payment of a whole calendar year — that year. The list of a
# scheme and year is then "year 0 minus that year" summed over the group lists the scheme's
# parameters name: which groups and which year are read on the day, never kept here.

_GROUPED = (
    "(coalesce({h}.special_groups, '[]') <> '[]'"
    " AND {h}.moved_away_on IS NULL AND {h}.deceased_on IS NULL)"
)


def _active(person: str, scheme: str) -> str:
    return (
        f"(SELECT count(*) FROM enrolment x WHERE x.person_id = {person} AND x.scheme = {scheme}"
        " AND x.status = 'active')"
    )


def _grouped_bump(select: str) -> str:
    return (
        f"INSERT INTO worklist_grouped_tally (scheme, groups, year, n) {select}"
        " ON CONFLICT (scheme, groups, year) DO UPDATE SET n = n + excluded.n;"
    )


def _yearly_paid(person: str, scheme: str) -> str:
    """The calendar years of a person's live whole-year payments of a scheme (FROM … WHERE)."""
    return (
        f"FROM payment y WHERE y.person_id = {person} AND y.scheme = {scheme}"
        f" AND y.voided_at IS NULL AND {_YEARLY.format(p='y')}"
    )


def _person_counts(row: str, sign: int) -> str:
    """Everything a person row counts for (added or taken away as the row comes or goes)."""
    grouped = _GROUPED.format(h=row)
    year = _YEAR.format(p="y")
    return _grouped_bump(
        f"SELECT e.scheme, {row}.special_groups, 0, {sign} FROM enrolment e"
        f" WHERE e.person_id = {row}.id AND e.status = 'active' AND {grouped}"
        " GROUP BY e.scheme"
    ) + _grouped_bump(
        f"SELECT y.scheme, {row}.special_groups, {year}, {sign}"
        f" {_yearly_paid(f'{row}.id', 'y.scheme')} AND {grouped}"
        f" AND {_active('y.person_id', 'y.scheme')} > 0 GROUP BY y.scheme, {year}"
    )


def _enrolment_counts(row: str, sign: int, active_now: int) -> str:
    """A person's first active enrolment in a scheme came (or the last went): the person and
    their paid years count for the scheme (or stop counting)."""
    person, scheme = f"{row}.person_id", f"{row}.scheme"
    when = (
        f"{row}.status = 'active' AND {_active(person, scheme)} = {active_now}"
        f" AND {_GROUPED.format(h='h')}"
    )
    year = _YEAR.format(p="y")
    return _grouped_bump(
        f"SELECT {scheme}, h.special_groups, 0, {sign} FROM person h"
        f" WHERE h.id = {person} AND {when}"
    ) + _grouped_bump(
        f"SELECT {scheme}, h.special_groups, {year}, {sign} FROM person h, payment y"
        f" WHERE h.id = {person} AND {when} AND y.person_id = {person} AND y.scheme = {scheme}"
        f" AND y.voided_at IS NULL AND {_YEARLY.format(p='y')} GROUP BY {year}"
    )


def _payment_counts(row: str, sign: int, live_now: int) -> str:
    """A person's first live payment of a year came (or the last went)."""
    person, scheme, year = f"{row}.person_id", f"{row}.scheme", _YEAR.format(p=row)
    return _grouped_bump(
        f"SELECT {scheme}, h.special_groups, {year}, {sign} FROM person h"
        f" WHERE h.id = {person} AND {_GROUPED.format(h='h')}"
        f" AND {_live_in(person, scheme, year)} = {live_now} AND {_active(person, scheme)} > 0"
    )


_ENROLMENT_CHANGED = (
    "OLD.person_id IS NOT NEW.person_id OR OLD.scheme IS NOT NEW.scheme"
    " OR OLD.status IS NOT NEW.status"
)
TRIGGERS |= {
    "worklist_grouped_person_insert": f"""
        AFTER INSERT ON person BEGIN
            {_person_counts("NEW", 1)}
        END""",
    "worklist_grouped_person_update": f"""
        AFTER UPDATE OF special_groups, moved_away_on, deceased_on ON person
        WHEN OLD.special_groups IS NOT NEW.special_groups OR {_PRESENT_NOW} IS NOT {_PRESENT_BEFORE}
        BEGIN
            {_person_counts("OLD", -1)}
            {_person_counts("NEW", 1)}
        END""",
    "worklist_grouped_person_delete": f"""
        AFTER DELETE ON person BEGIN
            {_person_counts("OLD", -1)}
        END""",
    "worklist_grouped_enrolment_insert": f"""
        AFTER INSERT ON enrolment BEGIN
            {_enrolment_counts("NEW", 1, 1)}
        END""",
    "worklist_grouped_enrolment_update": f"""
        AFTER UPDATE OF person_id, scheme, status ON enrolment WHEN {_ENROLMENT_CHANGED} BEGIN
            {_enrolment_counts("OLD", -1, 0)}
            {_enrolment_counts("NEW", 1, 1)}
        END""",
    "worklist_grouped_enrolment_delete": f"""
        AFTER DELETE ON enrolment BEGIN
            {_enrolment_counts("OLD", -1, 0)}
        END""",
    "worklist_grouped_payment_insert": f"""
        AFTER INSERT ON payment WHEN NEW.voided_at IS NULL AND {_YEARLY.format(p="NEW")} BEGIN
            {_payment_counts("NEW", 1, 1)}
        END""",
    "worklist_grouped_payment_void": f"""
        AFTER UPDATE OF voided_at ON payment
        WHEN OLD.voided_at IS NULL AND NEW.voided_at IS NOT NULL AND {_YEARLY.format(p="NEW")}
        BEGIN
            {_payment_counts("NEW", -1, 0)}
        END""",
    "worklist_grouped_payment_delete": f"""
        AFTER DELETE ON payment WHEN OLD.voided_at IS NULL AND {_YEARLY.format(p="OLD")} BEGIN
            {_payment_counts("OLD", -1, 0)}
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
    op.create_table(
        "worklist_grouped_tally",
        sa.Column("scheme", sa.String(length=40), nullable=False),
        sa.Column("groups", sa.Text(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("scheme", "groups", "year", name=op.f("pk_worklist_grouped_tally")),
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
    grouped = _GROUPED.format(h="h")
    op.execute(
        f"""INSERT INTO worklist_grouped_tally (scheme, groups, year, n)
            SELECT e.scheme, h.special_groups, 0, count(DISTINCT e.person_id)
            FROM enrolment e JOIN person h ON h.id = e.person_id
            WHERE e.status = 'active' AND {grouped} GROUP BY 1, 2"""
    )
    year = _YEAR.format(p="y")
    op.execute(
        f"""INSERT INTO worklist_grouped_tally (scheme, groups, year, n)
            SELECT y.scheme, h.special_groups, {year}, count(DISTINCT y.person_id)
            FROM payment y JOIN person h ON h.id = y.person_id
            WHERE y.voided_at IS NULL AND {_YEARLY.format(p="y")} AND {grouped}
                AND {_active("y.person_id", "y.scheme")} > 0
            GROUP BY 1, 2, 3"""
    )
    op.create_index("ix_payment_scheme_period", "payment", ["scheme", "period_start", "person_id"])
    op.create_index(
        "ix_payment_person_scheme_period", "payment", ["person_id", "scheme", "period_start"]
    )
    op.create_index(
        "ix_person_birth_date",
        "person",
        ["birth_date", "sex", "employment_category", "moved_away_on", "deceased_on", "id"],
    )
    op.create_index(
        "ix_enrolment_employee_pension",
        "enrolment",
        ["person_id"],
        sqlite_where=sa.text(
            "status = 'active' AND scheme IN ('employee_pension', 'employee_pension_flexible')"
        ),
    )
    op.create_index(
        "ix_coverage_status_receiving_pension",
        "coverage_status",
        ["person_id"],
        sqlite_where=sa.text(
            "line = 'pension' AND status = 'not_applicable' AND reason = 'receiving_pension'"
        ),
    )
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
    op.drop_table("worklist_grouped_tally")
    op.drop_table("worklist_paid_tally")
    op.drop_table("worklist_tally")
    op.drop_index("ix_coverage_status_birth_year", table_name="coverage_status")
    op.drop_index("ix_coverage_status_village", table_name="coverage_status")
    op.drop_index("ix_person_special_groups", table_name="person")
    op.drop_index("ix_coverage_status_receiving_pension", table_name="coverage_status")
    op.drop_index("ix_enrolment_employee_pension", table_name="enrolment")
    op.drop_index("ix_person_birth_date", table_name="person")
    op.drop_index("ix_payment_person_scheme_period", table_name="payment")
    op.drop_index("ix_payment_scheme_period", table_name="payment")
