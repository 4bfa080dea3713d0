"""Alembic environment of the county server: run in-process on a handed-over connection."""

from __future__ import annotations

from alembic import context

from caseworker.upstream.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - migrations run through caseworker.upstream.db
    raise RuntimeError("upstream migrations run through caseworker.upstream.db")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
