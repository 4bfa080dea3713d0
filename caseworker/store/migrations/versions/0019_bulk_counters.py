"""bulk counters: the coverage tallies of a bulk write counted once per send, set-based

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01 23:30:00

Each new person makes three status rows, and each row's insert and later update move
``coverage_tally`` (and through it five ``coverage_facet`` rows), ``coverage_month`` and
``worklist_tally`` one row at a time: at a bulk write's rate that is most of its SQL. While a
bulk writer sends its rows, the people it creates are listed in ``bulk_person``; the triggers
of 0011 and 0014 that count a status row's insert and update skip those people, and the writer
adds their rows' contributions set-based at the end of each send
(``store.counters.count_bulk_people``) and empties the table. Outside a send it is empty, and
every trigger counts as before. Self-contained (a table and four triggers redefined), so the
revision can be re-chained behind another lane's migration.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

SKIP_BULK = "NOT EXISTS (SELECT 1 FROM bulk_person b WHERE b.id = NEW.person_id)"
COUNTED = {  # revision file → the triggers of it that count a status row's insert or update
    "0011_coverage.py": ("coverage_tally_insert", "coverage_tally_update"),
    "0014_worklist_indexes.py": ("worklist_tally_insert", "worklist_tally_update"),
}


def _revision(name: str) -> ModuleType:
    """An earlier revision's module: its trigger bodies, not copies of them."""
    spec = importlib.util.spec_from_file_location(
        f"_rev_{name[:4]}", Path(__file__).with_name(name)
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _original() -> dict[str, str]:
    bodies = {}
    for file, names in COUNTED.items():
        triggers = _revision(file).TRIGGERS
        bodies |= {name: triggers[name] for name in names}
    return bodies


def skipping_bulk(body: str) -> str:
    """The trigger, with the bulk writer's people left to the set-based count."""
    head, begin, rest = body.partition("BEGIN")
    when = re.search(r"\bWHEN\b", head)
    if when is None:
        head = f"{head.rstrip()} WHEN {SKIP_BULK}\n        "
    else:
        condition = head[when.end() :].strip()
        head = f"{head[: when.start()]}WHEN ({condition}) AND {SKIP_BULK}\n        "
    return head + begin + rest


def _replace(bodies: dict[str, str]) -> None:
    for name, body in bodies.items():
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute(f"CREATE TRIGGER {name} {body}")


def upgrade() -> None:
    op.create_table(
        "bulk_person",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bulk_person")),
        sqlite_with_rowid=False,
    )
    _replace({name: skipping_bulk(body) for name, body in _original().items()})


def downgrade() -> None:
    _replace(_original())
    op.drop_table("bulk_person")
