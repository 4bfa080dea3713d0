"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-27 07:37:57.200528
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
        "audit_entry",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("operator_id", sa.Uuid(), nullable=True),
        sa.Column("operator_name", sa.String(length=32), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("entity_type", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.Uuid(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_entry")),
        sa.UniqueConstraint("hash", name=op.f("uq_audit_entry_hash")),
        sa.UniqueConstraint("id", name=op.f("uq_audit_entry_id")),
    )
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_entry_entity_id"), ["entity_id"], unique=False)

    op.create_table(
        "centre",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("township_code", sa.String(length=12), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_centre")),
        sa.UniqueConstraint("code", name=op.f("uq_centre_code")),
    )
    op.create_table(
        "employer",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("credit_code", sa.String(length=18), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("employer_type", sa.String(length=30), nullable=False),
        sa.Column("industry", sa.String(length=100), nullable=True),
        sa.Column("risk_class", sa.Integer(), nullable=True),
        sa.Column("address", sa.String(length=200), nullable=True),
        sa.Column("contact_name", sa.String(length=60), nullable=True),
        sa.Column("contact_phone", sa.String(length=20), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_employer")),
        sa.UniqueConstraint("credit_code", name=op.f("uq_employer_credit_code")),
    )
    with op.batch_alter_table("employer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_employer_name"), ["name"], unique=False)

    op.create_table(
        "household",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("village_code", sa.String(length=12), nullable=True),
        sa.Column("address_detail", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_household")),
    )
    with op.batch_alter_table("household", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_household_village_code"), ["village_code"], unique=False
        )

    op.create_table(
        "reference_data",
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("version", sa.String(length=40), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("kind", "name", name=op.f("pk_reference_data")),
    )
    op.create_table(
        "setting",
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_setting")),
    )
    op.create_table(
        "device",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("centre_id", sa.Uuid(), nullable=False),
        sa.Column("device_number", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("signing_key", sa.LargeBinary(), nullable=False),
        sa.Column("public_key", sa.LargeBinary(), nullable=False),
        sa.Column("last_hlc", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["centre_id"], ["centre.id"], name=op.f("fk_device_centre_id_centre")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device")),
    )
    op.create_table(
        "operator",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("centre_id", sa.Uuid(), nullable=False),
        sa.Column("username", sa.String(length=32, collation="NOCASE"), nullable=False),
        sa.Column("display_name", sa.String(length=60), nullable=False),
        sa.Column("role", sa.String(length=12), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "role IN ('clerk', 'supervisor', 'admin')", name=op.f("ck_operator_role")
        ),
        sa.ForeignKeyConstraint(
            ["centre_id"], ["centre.id"], name=op.f("fk_operator_centre_id_centre")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operator")),
        sa.UniqueConstraint("username", name=op.f("uq_operator_username")),
    )
    op.create_table(
        "person",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=False),
        sa.Column("id_kind", sa.String(length=30), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("sex", sa.String(length=1), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("ethnicity", sa.String(length=2), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("hukou_nature", sa.String(length=30), nullable=True),
        sa.Column("hukou_region_code", sa.String(length=6), nullable=True),
        sa.Column("hukou_village_code", sa.String(length=12), nullable=True),
        sa.Column("hukou_address", sa.String(length=200), nullable=True),
        sa.Column("residence_address", sa.String(length=200), nullable=True),
        sa.Column("employment_category", sa.String(length=30), nullable=True),
        sa.Column("employer_id", sa.Uuid(), nullable=True),
        sa.Column("special_groups", sa.JSON(), nullable=False),
        sa.Column("bank_account", sa.String(length=19), nullable=True),
        sa.Column("household_id", sa.Uuid(), nullable=True),
        sa.Column("relationship_to_head", sa.String(length=2), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["employer_id"], ["employer.id"], name=op.f("fk_person_employer_id_employer")
        ),
        sa.ForeignKeyConstraint(
            ["household_id"], ["household.id"], name=op.f("fk_person_household_id_household")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
        sa.UniqueConstraint("id_number", name=op.f("uq_person_id_number")),
    )
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_employer_id"), ["employer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_person_household_id"), ["household_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_person_hukou_village_code"), ["hukou_village_code"], unique=False
        )

    op.create_table(
        "coverage_survey_entry",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("scheme", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("not_insured_reason", sa.String(length=30), nullable=True),
        sa.Column("insured_where", sa.String(length=100), nullable=True),
        sa.Column("surveyed_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_coverage_survey_entry_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coverage_survey_entry")),
    )
    with op.batch_alter_table("coverage_survey_entry", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_coverage_survey_entry_person_id"), ["person_id"], unique=False
        )

    op.create_table(
        "enrolment",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("scheme", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("tier_fen", sa.Integer(), nullable=True),
        sa.Column("base_fen", sa.Integer(), nullable=True),
        sa.Column("employer_id", sa.Uuid(), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("documents", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "status IN ('active', 'suspended', 'ended')", name=op.f("ck_enrolment_status")
        ),
        sa.ForeignKeyConstraint(
            ["employer_id"], ["employer.id"], name=op.f("fk_enrolment_employer_id_employer")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_enrolment_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enrolment")),
        sa.UniqueConstraint("person_id", "scheme", name=op.f("uq_enrolment_person_id")),
    )
    op.create_table(
        "outbox_entry",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("entity_type", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.Uuid(), nullable=False),
        sa.Column("operation", sa.String(length=20), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("hlc", sa.Integer(), nullable=False),
        sa.Column("operator_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sync_state", sa.String(length=12), nullable=False),
        sa.Column("batch_id", sa.Uuid(), nullable=True),
        sa.Column("result_code", sa.String(length=40), nullable=True),
        sa.Column("result_message", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "sync_state IN ('pending', 'sending', 'accepted', 'rejected', 'conflict')",
            name=op.f("ck_outbox_entry_sync_state"),
        ),
        sa.ForeignKeyConstraint(
            ["operator_id"], ["operator.id"], name=op.f("fk_outbox_entry_operator_id_operator")
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_outbox_entry")),
        sa.UniqueConstraint("id", name=op.f("uq_outbox_entry_id")),
    )
    with op.batch_alter_table("outbox_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_entry_entity_id"), ["entity_id"], unique=False)
        batch_op.create_index("ix_outbox_entry_state_seq", ["sync_state", "seq"], unique=False)

    op.create_table(
        "receipt_counter",
        sa.Column("device_id", sa.Uuid(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_sequence", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["device_id"], ["device.id"], name=op.f("fk_receipt_counter_device_id_device")
        ),
        sa.PrimaryKeyConstraint("device_id", "year", name=op.f("pk_receipt_counter")),
    )
    op.create_table(
        "payment",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("receipt_number", sa.String(length=40), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=False),
        sa.Column("receipt_year", sa.Integer(), nullable=False),
        sa.Column("receipt_sequence", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("enrolment_id", sa.Uuid(), nullable=False),
        sa.Column("scheme", sa.String(length=40), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("tier_fen", sa.Integer(), nullable=True),
        sa.Column("base_fen", sa.Integer(), nullable=True),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("subsidy_fen", sa.Integer(), nullable=False),
        sa.Column("paid_by_government_fen", sa.Integer(), nullable=False),
        sa.Column("personal_fen", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("operator_id", sa.Uuid(), nullable=False),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("voided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("voided_by", sa.Uuid(), nullable=True),
        sa.Column("void_reason", sa.String(length=200), nullable=True),
        sa.CheckConstraint("amount_fen >= 0", name=op.f("ck_payment_amount_non_negative")),
        sa.ForeignKeyConstraint(
            ["device_id"], ["device.id"], name=op.f("fk_payment_device_id_device")
        ),
        sa.ForeignKeyConstraint(
            ["enrolment_id"], ["enrolment.id"], name=op.f("fk_payment_enrolment_id_enrolment")
        ),
        sa.ForeignKeyConstraint(
            ["operator_id"], ["operator.id"], name=op.f("fk_payment_operator_id_operator")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_payment_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["voided_by"], ["operator.id"], name=op.f("fk_payment_voided_by_operator")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment")),
        sa.UniqueConstraint(
            "device_id", "receipt_year", "receipt_sequence", name=op.f("uq_payment_device_id")
        ),
        sa.UniqueConstraint("receipt_number", name=op.f("uq_payment_receipt_number")),
    )
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_payment_business_date"), ["business_date"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_payment_person_id"), ["person_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payment_person_id"))
        batch_op.drop_index(batch_op.f("ix_payment_business_date"))

    op.drop_table("payment")
    op.drop_table("receipt_counter")
    with op.batch_alter_table("outbox_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_entry_state_seq")
        batch_op.drop_index(batch_op.f("ix_outbox_entry_entity_id"))

    op.drop_table("outbox_entry")
    op.drop_table("enrolment")
    with op.batch_alter_table("coverage_survey_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coverage_survey_entry_person_id"))

    op.drop_table("coverage_survey_entry")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_hukou_village_code"))
        batch_op.drop_index(batch_op.f("ix_person_household_id"))
        batch_op.drop_index(batch_op.f("ix_person_employer_id"))

    op.drop_table("person")
    op.drop_table("operator")
    op.drop_table("device")
    op.drop_table("setting")
    op.drop_table("reference_data")
    with op.batch_alter_table("household", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_household_village_code"))

    op.drop_table("household")
    with op.batch_alter_table("employer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_employer_name"))

    op.drop_table("employer")
    op.drop_table("centre")
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_entry_entity_id"))

    op.drop_table("audit_entry")
