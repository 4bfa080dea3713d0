"""county server: centres, devices, batches, the registry and feeds

Revision ID: 0001
Revises:
Create Date: 2026-11-28 09:00:00

Timestamps are naive UTC (the models' UtcDateTime), the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "centre",
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("township_code", sa.String(length=12), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_centre")),
    )
    op.create_index(op.f("ix_centre_township_code"), "centre", ["township_code"], unique=False)
    op.create_table(
        "employer",
        sa.Column("credit_code", sa.String(length=18), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("centre_code", sa.String(length=12), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_employer")),
        sa.UniqueConstraint("credit_code", name=op.f("uq_employer_credit_code")),
    )
    op.create_table(
        "feed_counter",
        sa.Column("name", sa.String(length=20), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_feed_counter")),
    )
    op.create_table(
        "household",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("centre_code", sa.String(length=12), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_household")),
    )
    op.create_table(
        "person",
        sa.Column("id_number", sa.String(length=18), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("township_code", sa.String(length=12), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("centre_code", sa.String(length=12), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
        sa.UniqueConstraint("id_number", name=op.f("uq_person_id_number")),
    )
    op.create_index(op.f("ix_person_township_code"), "person", ["township_code"], unique=False)
    op.create_table(
        "reference_item",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("version", sa.String(length=40), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("loaded_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_reference_item")),
        sa.UniqueConstraint("kind", "name", "version", name=op.f("uq_reference_item_kind")),
    )
    op.create_table(
        "registry_change",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("township_code", sa.String(length=12), nullable=True),
        sa.Column("entity_type", sa.String(length=20), nullable=False),
        sa.Column("entity_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("centre_code", sa.String(length=12), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_registry_change")),
    )
    op.create_index(
        "ix_registry_change_township_seq", "registry_change", ["township_code", "seq"], unique=False
    )
    op.create_table(
        "device",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("centre_code", sa.String(length=12), nullable=False),
        sa.Column("device_number", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("public_key", sa.LargeBinary(), nullable=False),
        sa.Column("registered_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["centre_code"], ["centre.code"], name=op.f("fk_device_centre_code_centre")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device")),
        sa.UniqueConstraint("centre_code", "device_number", name=op.f("uq_device_centre_code")),
    )
    op.create_index(op.f("ix_device_centre_code"), "device", ["centre_code"], unique=False)
    op.create_table(
        "enrolment",
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("scheme", sa.String(length=40), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("centre_code", sa.String(length=12), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_enrolment_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enrolment")),
        sa.UniqueConstraint("person_id", "scheme", name=op.f("uq_enrolment_person_id")),
    )
    op.create_index(op.f("ix_enrolment_person_id"), "enrolment", ["person_id"], unique=False)
    op.create_table(
        "enrolment_token",
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("centre_code", sa.String(length=12), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.Column("device_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["centre_code"], ["centre.code"], name=op.f("fk_enrolment_token_centre_code_centre")
        ),
        sa.PrimaryKeyConstraint("token_sha256", name=op.f("pk_enrolment_token")),
    )
    op.create_table(
        "survey_entry",
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("centre_code", sa.String(length=12), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_survey_entry_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_entry")),
    )
    op.create_index(op.f("ix_survey_entry_person_id"), "survey_entry", ["person_id"], unique=False)
    op.create_table(
        "batch",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=False),
        sa.Column("centre_code", sa.String(length=12), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("byte_count", sa.Integer(), nullable=False),
        sa.Column("record_count", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("via", sa.String(length=10), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("answer", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(
            ["device_id"], ["device.id"], name=op.f("fk_batch_device_id_device")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_batch")),
    )
    op.create_index(op.f("ix_batch_device_id"), "batch", ["device_id"], unique=False)
    op.create_table(
        "payment",
        sa.Column("receipt_number", sa.String(length=40), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("enrolment_id", sa.Uuid(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("voided", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("centre_code", sa.String(length=12), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["enrolment_id"], ["enrolment.id"], name=op.f("fk_payment_enrolment_id_enrolment")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_payment_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment")),
        sa.UniqueConstraint("receipt_number", name=op.f("uq_payment_receipt_number")),
    )
    op.create_index(op.f("ix_payment_person_id"), "payment", ["person_id"], unique=False)
    op.create_table(
        "applied_record",
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("batch_id", sa.Uuid(), nullable=False),
        sa.Column("entity_type", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["batch.id"], name=op.f("fk_applied_record_batch_id_batch")
        ),
        sa.PrimaryKeyConstraint("record_id", name=op.f("pk_applied_record")),
    )
    op.create_index(
        op.f("ix_applied_record_batch_id"), "applied_record", ["batch_id"], unique=False
    )

    counter = sa.table(
        "feed_counter", sa.column("name", sa.String()), sa.column("value", sa.BigInteger())
    )
    op.bulk_insert(counter, [{"name": "registry", "value": 0}, {"name": "reference", "value": 0}])


def downgrade() -> None:
    op.drop_index(op.f("ix_applied_record_batch_id"), table_name="applied_record")
    op.drop_table("applied_record")
    op.drop_index(op.f("ix_payment_person_id"), table_name="payment")
    op.drop_table("payment")
    op.drop_index(op.f("ix_batch_device_id"), table_name="batch")
    op.drop_table("batch")
    op.drop_index(op.f("ix_survey_entry_person_id"), table_name="survey_entry")
    op.drop_table("survey_entry")
    op.drop_table("enrolment_token")
    op.drop_index(op.f("ix_enrolment_person_id"), table_name="enrolment")
    op.drop_table("enrolment")
    op.drop_index(op.f("ix_device_centre_code"), table_name="device")
    op.drop_table("device")
    op.drop_index("ix_registry_change_township_seq", table_name="registry_change")
    op.drop_table("registry_change")
    op.drop_table("reference_item")
    op.drop_index(op.f("ix_person_township_code"), table_name="person")
    op.drop_table("person")
    op.drop_table("household")
    op.drop_table("feed_counter")
    op.drop_table("employer")
    op.drop_index(op.f("ix_centre_township_code"), table_name="centre")
    op.drop_table("centre")
