"""The coverage counters of the people a bulk writer has just sent, added set-based.

While ``bulk_person`` lists them, the triggers that count a status row's insert and update
(migrations 0011, 0014, 0019) leave their rows alone. ``count_bulk_people`` then adds what
those triggers would have added, from the rows as they now stand, and empties the list:

- ``coverage_tally`` and ``worklist_tally``: each row once, under its present key (an
  insert and any later updates net to that). ``coverage_facet`` follows through its own
  triggers on the tally, a few hundred upserts per send instead of five per row change.
- ``coverage_month``: a row arrives as ``unknown`` in the current month; a row whose status
  has since changed leaves ``unknown`` and joins its status in the month of its ``as_of``,
  as the update trigger books a change. (A row whose status changed twice within one send is
  booked once, in its last status's month; the running sums, the trend, are the same.)
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

# CROSS JOIN: SQLite then walks the list and looks each person's rows up. With a plain JOIN
# the planner (no statistics) scanned every status row of the store at each send, which made a
# 50,000-row import quadratic.
_ROWS = "FROM bulk_person b CROSS JOIN coverage_status s ON s.person_id = b.id"
_TALLY_KEY = "line, status, reason, scheme, village_code, sex, birth_year, category, present"
_WL_KEY = "line, status, category, birth_year, present"
_AS_OF_MONTH = "strftime('%Y-%m', coalesce(s.as_of, date('now')))"

STATEMENTS = (
    f"""INSERT INTO coverage_tally ({_TALLY_KEY}, n)
        SELECT s.line, s.status, coalesce(s.reason, ''), coalesce(s.scheme, ''),
            coalesce(s.village_code, ''), coalesce(s.sex, ''), coalesce(s.birth_year, 0),
            coalesce(s.category, ''), s.present, count(*)
        {_ROWS} WHERE 1 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
        ON CONFLICT ({_TALLY_KEY}) DO UPDATE SET n = n + excluded.n""",
    f"""INSERT INTO worklist_tally ({_WL_KEY}, n)
        SELECT s.line, s.status, coalesce(s.category, ''), coalesce(s.birth_year, 0),
            s.present, count(*)
        {_ROWS} WHERE 1 GROUP BY 1, 2, 3, 4, 5
        ON CONFLICT ({_WL_KEY}) DO UPDATE SET n = n + excluded.n""",
    f"""INSERT INTO coverage_month (month, line, status, n)
        SELECT month, line, status, sum(n) FROM (
            SELECT strftime('%Y-%m', 'now') AS month, s.line, 'unknown' AS status, 1 AS n
            {_ROWS} WHERE s.present
            UNION ALL
            SELECT {_AS_OF_MONTH}, s.line, 'unknown', -1
            {_ROWS} WHERE s.present AND s.status <> 'unknown'
            UNION ALL
            SELECT {_AS_OF_MONTH}, s.line, s.status, 1
            {_ROWS} WHERE s.present AND s.status <> 'unknown'
        ) WHERE 1 GROUP BY 1, 2, 3
        ON CONFLICT (month, line, status) DO UPDATE SET n = n + excluded.n""",
    "DELETE FROM bulk_person",
)


def count_bulk_people(session: Session) -> None:
    """Count the listed people's status rows and empty the list (in the caller's transaction)."""
    for statement in STATEMENTS:
        session.execute(text(statement))
