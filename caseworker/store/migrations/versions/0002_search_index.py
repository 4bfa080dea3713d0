"""search index: reversed ID and phone columns, name keys

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 08:00:00

Registry search matches indexed prefixes only, so tails of ID numbers and phones are
stored reversed and every name gets its character, pinyin and initials keys. Rows written
before this revision are indexed here, so an upgraded database finds them too.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from caseworker.store.search_index import search_columns

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(sa.Column("id_number_reversed", sa.String(length=18), nullable=True))
        batch_op.add_column(sa.Column("phone_reversed", sa.String(length=20), nullable=True))

    op.create_table(
        "person_search_key",
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_person_search_key_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("key", "person_id", name=op.f("pk_person_search_key")),
    )

    connection = op.get_bind()
    person = sa.table(
        "person",
        sa.column("id", sa.Uuid()),
        sa.column("name", sa.String()),
        sa.column("id_number", sa.String()),
        sa.column("phone", sa.String()),
        sa.column("id_number_reversed", sa.String()),
        sa.column("phone_reversed", sa.String()),
    )
    search_key = sa.table(
        "person_search_key", sa.column("key", sa.String()), sa.column("person_id", sa.Uuid())
    )
    rows = connection.execute(
        sa.select(person.c.id, person.c.name, person.c.id_number, person.c.phone)
    )
    for person_id, name, id_number, phone in rows.fetchall():
        columns = search_columns(name, id_number, phone)
        connection.execute(
            person.update()
            .where(person.c.id == person_id)
            .values(
                id_number_reversed=columns.id_number_reversed, phone_reversed=columns.phone_reversed
            )
        )
        if columns.name_keys:
            connection.execute(
                search_key.insert(), [{"key": k, "person_id": person_id} for k in columns.name_keys]
            )

    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.alter_column("id_number_reversed", existing_type=sa.String(18), nullable=False)
        batch_op.create_index(
            batch_op.f("ix_person_id_number_reversed"), ["id_number_reversed"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_person_phone"), ["phone"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_person_phone_reversed"), ["phone_reversed"], unique=False
        )
    with op.batch_alter_table("person_search_key", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_person_search_key_person_id"), ["person_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("person_search_key", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_search_key_person_id"))
    op.drop_table("person_search_key")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_phone_reversed"))
        batch_op.drop_index(batch_op.f("ix_person_phone"))
        batch_op.drop_index(batch_op.f("ix_person_id_number_reversed"))
        batch_op.drop_column("phone_reversed")
        batch_op.drop_column("id_number_reversed")
