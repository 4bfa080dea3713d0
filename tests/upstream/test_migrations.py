"""The county's migrations build exactly the tables its models declare (SQLite and
PostgreSQL), so a model change without its migration fails here, not at a county."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from caseworker.upstream.db import open_upstream
from caseworker.upstream.models import Base


def test_migrated_schema_matches_the_models(upstream_url: str):
    db = open_upstream(upstream_url)
    try:
        with db.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    finally:
        db.close()
    assert differences == []
