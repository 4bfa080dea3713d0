"""Alembic environment: always run in-process on a connection the store hands over."""

from __future__ import annotations

from alembic import context

from caseworker.store.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only `caseworker db upgrade` runs migrations
    raise RuntimeError("caseworker migrations run through caseworker.store.database")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
