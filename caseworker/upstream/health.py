"""Liveness and readiness of the county server, for a load balancer or a service manager.

``/healthz``: the process answers (no database: a database outage must not get every worker
restarted). ``/readyz``: the database answers within a few seconds and its schema is at the
head this code was written for; otherwise 503 with what is wrong, so the proxy sends
centres elsewhere (or nowhere) until it is fixed. Both answer the same in every worker.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import inspect, text
from sqlalchemy.exc import SQLAlchemyError

from caseworker.upstream.db import UpstreamDb, head_revision, known_revisions

# Per statement, on PostgreSQL: a database that hangs must not hang the probe too.
READY_STATEMENT_TIMEOUT_MS = 3000


@dataclass(frozen=True)
class Readiness:
    ready: bool
    code: str
    revision: str | None
    head: str


def readiness(db: UpstreamDb) -> Readiness:
    head = head_revision()
    try:
        with db.engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(
                    text(f"SET LOCAL statement_timeout = {READY_STATEMENT_TIMEOUT_MS}")
                )
            revision = (
                connection.scalar(text("SELECT version_num FROM alembic_version"))
                if inspect(connection).has_table("alembic_version")  # asked, not caught:
                else None  # a failed statement would abort the transaction on PostgreSQL
            )
    except SQLAlchemyError:
        return Readiness(False, "database_unavailable", None, head)
    if revision != head:
        # Behind: `caseworker-upstream serve` (or alembic) has not migrated it yet. Unknown:
        # newer code migrated it (an upgrade half rolled out, or rolled back).
        known = revision in known_revisions()
        return Readiness(
            False,
            "schema_behind" if known or revision is None else "schema_unknown",
            revision,
            head,
        )
    return Readiness(True, "ready", revision, head)
