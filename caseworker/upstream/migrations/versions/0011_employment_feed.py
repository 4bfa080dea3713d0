"""employment feed: employers and stays already held go into the township registry feed

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 23:00:00

From now on every accepted employer and stay (增员 … 减员) is appended to the registry feed
(issue 13). The ones the county received before are appended here, once, so a centre of the
township that pulls gets them too and no stay names an employer it was never sent: employers
under their centre's township first (and under each other township their stays' persons
belong to), then each stay under its person's township. Data only,
no schema change, so the revision can be re-chained behind another lane's.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_REGISTRY = sa.table(
    "registry_change",
    sa.column("seq", sa.BigInteger()),
    sa.column("township_code", sa.String()),
    sa.column("entity_type", sa.String()),
    sa.column("entity_id", sa.Uuid()),
    sa.column("version", sa.Integer()),
    sa.column("centre_code", sa.String()),
    sa.column("payload", sa.JSON()),
)
_COUNTER = sa.table("feed_counter", sa.column("name", sa.String()), sa.column("value"))
_CENTRE = sa.table("centre", sa.column("code", sa.String()), sa.column("township_code"))
_PERSON = sa.table("person", sa.column("id", sa.Uuid()), sa.column("township_code"))


def _entity(name: str, *extra: sa.ColumnClause) -> sa.TableClause:
    return sa.table(
        name,
        sa.column("id", sa.Uuid()),
        sa.column("version", sa.Integer()),
        sa.column("centre_code", sa.String()),
        sa.column("payload", sa.JSON()),
        sa.column("updated_at"),
        *extra,
    )


def upgrade() -> None:
    conn = op.get_bind()
    employer = _entity("employer")
    employment = _entity(
        "employment", sa.column("person_id", sa.Uuid()), sa.column("employer_id", sa.Uuid())
    )
    employers = sa.select(
        employer.c.id,
        employer.c.version,
        employer.c.centre_code,
        employer.c.payload,
        _CENTRE.c.township_code,
    ).outerjoin(_CENTRE, _CENTRE.c.code == employer.c.centre_code)
    stays = sa.select(
        employment.c.id,
        employment.c.version,
        employment.c.centre_code,
        employment.c.payload,
        _PERSON.c.township_code,
        employment.c.employer_id,
    ).outerjoin(_PERSON, _PERSON.c.id == employment.c.person_id)
    held = list(conn.execute(employers.order_by(employer.c.updated_at, employer.c.id)))
    stay_rows = list(conn.execute(stays.order_by(employment.c.updated_at, employment.c.id)))
    # A stay whose person's township is not its employer's takes the employer there too,
    # before it, as the server now does at intake (a migrant worker's hukou township).
    by_id = {row.id: row for row in held}
    elsewhere: dict[tuple, tuple] = {}
    for stay in stay_rows:
        owner = by_id.get(stay.employer_id)
        township = stay.township_code
        if owner is not None and township is not None and township != owner.township_code:
            elsewhere.setdefault((owner.id, township), (*owner[:4], township))
    rows = (
        [("employer", *row) for row in held]
        + [("employer", *row) for row in elsewhere.values()]
        + [("employment", *row[:5]) for row in stay_rows]
    )
    if not rows:
        return
    # The counter row's lock held to commit, as the server takes it (upstream/intake.py).
    conn.execute(
        sa.update(_COUNTER)
        .where(_COUNTER.c.name == "registry")
        .values(value=_COUNTER.c.value + len(rows))
    )
    first = int(conn.scalar(sa.select(_COUNTER.c.value).where(_COUNTER.c.name == "registry")))
    first -= len(rows)
    conn.execute(
        sa.insert(_REGISTRY),
        [
            {
                "seq": first + n + 1,
                "township_code": township,
                "entity_type": kind,
                "entity_id": entity_id,
                "version": version,
                "centre_code": centre_code,
                "payload": payload,
            }
            for n, (kind, entity_id, version, centre_code, payload, township) in enumerate(rows)
        ],
    )


def downgrade() -> None:
    op.execute(sa.delete(_REGISTRY).where(_REGISTRY.c.entity_type.in_(("employer", "employment"))))
