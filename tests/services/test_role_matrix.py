"""The role matrix, tested against the real services: every role × every permission, the
services each permission guards called for real, allowed where ROLE_PERMISSIONS allows and
refused (PermissionDenied, nothing written) where it does not.

``GUARDED`` is the table: a permission → the service calls it guards. A permission declared in
``actor.Permission`` with no entry fails ``test_every_permission_is_exercised``. Permissions
whose services are still being built on other branches are listed in ``AWAITING_SERVICE``;
whoever brings such a service adds its calls to ``GUARDED`` and removes it from there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from caseworker.services.actor import ROLE_PERMISSIONS, Permission, Role
from caseworker.services.audit_log import audit_page, filter_choices
from caseworker.services.centre import OpenSession, add_operator, login
from caseworker.services.centre_settings import IDLE_LOCK_MINUTES, change_setting
from caseworker.services.coverage import StatusAnswer, record_answers
from caseworker.services.day_close import close_day, day_overview
from caseworker.services.enrolment import EnrolmentChoice, enrol
from caseworker.services.errors import PermissionDenied
from caseworker.services.operators import (
    change_role,
    disable_operator,
    list_operators,
    reset_password,
)
from caseworker.services.payments import record_payment, record_reprints, void_payment
from caseworker.services.remittance import remittance_list
from caseworker.services.review import approve, returned_to, review_items
from caseworker.services.special_groups import (
    import_special_group_list,
    preview_special_group_list,
)
from caseworker.services.tax_list import match_tax_list
from caseworker.services.tax_payments import record_tax_payment
from caseworker.services.worklist_output import export_worklist
from caseworker.services.worklist_spec import WorklistSpec
from caseworker.services.xlsx_export import export_coverage, export_registry
from caseworker.store.models import AuditEntry, Operator, OutboxEntry, Setting
from tests.conftest import ADMIN_PASSWORD, CLERK_PASSWORD, SUPERVISOR_PASSWORD, TODAY
from tests.services.test_enrolment import farmer
from tests.services.test_tax_list import STRANGER

PASSWORDS = {
    Role.ADMIN: ("admin", ADMIN_PASSWORD),
    Role.SUPERVISOR: ("supervisor", SUPERVISOR_PASSWORD),
    Role.CLERK: ("clerk", CLERK_PASSWORD),
}


@dataclass
class World:
    """The centre's administrator (who prepares what a call needs) and the role under test."""

    admin: OpenSession
    acting: OpenSession

    def person(self) -> object:
        result = enrol(
            self.admin.database,
            self.admin.actor,
            farmer(),
            [EnrolmentChoice("resident_medical")],
            today=TODAY,
        )
        return result.person_id

    def receipt(self) -> str:
        paid = record_payment(
            self.admin.database,
            self.admin.actor,
            person_id=self.person(),
            scheme="resident_medical",
            today=TODAY,
        )
        return paid.receipt_number

    def tax_list(self) -> Path:
        """The tax authority's list with one line nobody here paid: matched as 'only there'."""
        path = self.admin.database.paths.root / "tax-list.csv"
        path.write_text(
            "身份证号,姓名,险种,所属期,金额,凭证号,缴费日期\n"
            f"{STRANGER},钱多多,居民养老,2026,200,332026112500000077,2026-11-25\n",
            encoding="utf-8",
        )
        return path

    def special_list(self) -> Path:
        """Civil affairs' list naming the person enrolled here: matched and marked."""
        self.person()
        path = self.admin.database.paths.root / "dibao.csv"
        path.write_text(
            "身份证号,姓名,类别,认定机关\n320583198001010016,单雄信,低保对象,XX县民政局\n",
            encoding="utf-8",
        )
        return path

    def pending_seqs(self) -> list[int]:
        self.person()
        with self.admin.database.reading() as db:
            return list(db.scalars(select(OutboxEntry.seq).order_by(OutboxEntry.seq)))

    def export_to(self, name: str) -> Path:
        """A file in a folder of its own; a refused export leaves the folder empty."""
        folder = self.admin.database.paths.root / "exports"
        folder.mkdir(exist_ok=True)
        return folder / name

    def spare_operator(self) -> str:
        add_operator(self.admin, username="spare", password="spare pass 123", role=Role.CLERK)
        return "spare"


Call = Callable[[World], object]

# Each permission → the real service calls it guards; the data each needs is made first by
# the administrator, so what is checked is only the acting role's permission.
GUARDED: dict[Permission, dict[str, Call]] = {
    Permission.ENROL: {
        "enrol": lambda w: enrol(
            w.acting.database,
            w.acting.actor,
            farmer(),
            [EnrolmentChoice("resident_medical")],
            today=TODAY,
        ),
    },
    Permission.RECORD_COVERAGE: {
        "record_answers": lambda w: record_answers(
            w.acting.database,
            w.acting.actor,
            [StatusAnswer(w.person(), "injury", "not_insured", reason="unaware")],
            day=TODAY,
        ),
    },
    Permission.RECORD_PAYMENT: {
        "record_payment": lambda w: (
            lambda person: record_payment(
                w.acting.database,
                w.acting.actor,
                person_id=person,
                scheme="resident_medical",
                today=TODAY,
            )
        )(w.person()),
    },
    Permission.PRINT_COPY: {
        "record_reprints": lambda w: (
            lambda receipt: record_reprints(w.acting.database, w.acting.actor, [receipt])
        )(w.receipt()),
    },
    Permission.VOID_PAYMENT: {
        "void_payment": lambda w: (
            lambda receipt: void_payment(
                w.acting.database, w.acting.actor, receipt_number=receipt, reason="录入错误"
            )
        )(w.receipt()),
    },
    Permission.MANAGE_OPERATORS: {
        "add_operator": lambda w: add_operator(
            w.acting, username="newcomer", password="newcomer pass 1", role=Role.CLERK
        ),
        "list_operators": lambda w: list_operators(w.acting, datetime.now(UTC)),
        "change_role": lambda w: change_role(
            w.acting, w.spare_operator(), role=Role.CLERK, agency="外包公司"
        ),
        "reset_password": lambda w: reset_password(
            w.acting, username=w.spare_operator(), new_password="spare pass 456"
        ),
        "disable_operator": lambda w: disable_operator(w.acting, w.spare_operator()),
    },
    Permission.VIEW: {
        "returned_to": lambda w: returned_to(w.acting.database, w.acting.actor),
    },
    Permission.RECORD_TAX_PAYMENT: {
        "record_tax_payment": lambda w: (
            lambda person: record_tax_payment(
                w.acting.database,
                w.acting.actor,
                person_id=person,
                scheme="resident_medical",
                period_start=date(TODAY.year + 1, 1, 1),  # November collects next year
                method="bank",
                voucher_number="332026112700000001",
                paid_on=TODAY,
                today=TODAY,
            )
        )(w.person()),
    },
    Permission.VIEW_REMITTANCE: {
        "remittance_list": lambda w: remittance_list(w.acting.database, w.acting.actor, TODAY),
    },
    Permission.IMPORT_TAX_LIST: {
        "match_tax_list": lambda w: match_tax_list(w.acting.database, w.acting.actor, w.tax_list()),
    },
    Permission.IMPORT_ROSTER: {
        "preview_special_group_list": lambda w: preview_special_group_list(
            w.acting.database, w.acting.actor, w.special_list(), today=TODAY
        ),
        "import_special_group_list": lambda w: import_special_group_list(
            w.acting.database, w.acting.actor, w.special_list(), today=TODAY
        ),
    },
    Permission.CLOSE_DAY: {
        "day_overview": lambda w: day_overview(w.acting.database, w.acting.actor, TODAY),
        "close_day": lambda w: close_day(
            w.acting.database,
            w.acting.actor,
            operator_id=w.acting.actor.operator_id,
            day=TODAY,
            counted_cash_fen=0,
        ),
    },
    Permission.REVIEW: {
        "review_items": lambda w: review_items(w.acting.database, w.acting.actor, TODAY),
        "approve": lambda w: approve(w.acting.database, w.acting.actor, w.pending_seqs()),
    },
    Permission.VIEW_AUDIT: {
        "audit_page": lambda w: audit_page(w.acting.database, w.acting.actor),
        "filter_choices": lambda w: filter_choices(w.acting.database, w.acting.actor),
    },
    Permission.EXPORT_PERSONAL_DATA: {
        "export_registry": lambda w: export_registry(
            w.acting.database,
            w.acting.actor,
            w.export_to("registry.xlsx"),
            personal_data_confirmed=True,
        ),
        "export_coverage": lambda w: export_coverage(
            w.acting.database,
            w.acting.actor,
            w.export_to("coverage.xlsx"),
            personal_data_confirmed=True,
        ),
        "export_worklist_full_ids": lambda w: export_worklist(
            w.acting.database,
            w.acting.actor,
            WorklistSpec("not_covered"),
            TODAY,
            w.export_to("worklist.xlsx"),
            full_id_numbers=True,
            personal_data_confirmed=True,
        ),
    },
    Permission.MANAGE_CENTRE: {
        "change_setting": lambda w: change_setting(
            w.acting.database, w.acting.actor, IDLE_LOCK_MINUTES, 5
        ),
    },
}

# Every declared permission has its services above: a new permission fails
# ``test_every_permission_is_exercised`` until its calls are added.
AWAITING_SERVICE: frozenset[Permission] = frozenset()

CASES = [
    pytest.param(role, permission, name, call, id=f"{role.value}-{permission.value}-{name}")
    for role in Role
    for permission, calls in GUARDED.items()
    for name, call in calls.items()
]


def test_every_permission_is_exercised() -> None:
    missing = set(Permission) - set(GUARDED) - AWAITING_SERVICE
    assert not missing, f"no guarded service tested for {sorted(p.value for p in missing)}"
    assert not set(GUARDED) & AWAITING_SERVICE, "a tested permission is still marked awaiting"
    assert all(GUARDED.values()), "a permission with an empty list of services"


def _written(session: OpenSession) -> tuple[int, ...]:
    with session.database.reading() as db:
        return tuple(
            db.scalar(select(func.count()).select_from(model))
            for model in (AuditEntry, OutboxEntry, Operator, Setting)
        )


@pytest.mark.parametrize(("role", "permission", "name", "call"), CASES)
def test_role_permission_service(
    centre: OpenSession, role: Role, permission: Permission, name: str, call: Call
) -> None:
    username, password = PASSWORDS[role]
    acting = centre if role is Role.ADMIN else login(centre.database.paths, username, password)
    try:
        world = World(centre, acting)
        allowed = permission in ROLE_PERMISSIONS[role]
        assert acting.actor.may(permission) is allowed
        if allowed:
            call(world)  # the real service, all the way through
            return
        # The attacker's try: refused in words, and nothing the call would write is there.
        prepared = _PreparedWorld(world)
        before = _written(centre)
        with pytest.raises(PermissionDenied) as refused:
            call(prepared)
        assert permission.value in refused.value.message_en
        assert _written(centre) == before
        exports = centre.database.paths.root / "exports"
        assert not exports.exists() or not any(exports.iterdir())
    finally:
        if acting is not centre:
            acting.close()


class _PreparedWorld(World):
    """The data a call needs, made before counting what is written: a refused call must
    write nothing at all, so the administrator's preparation is not counted against it."""

    def __init__(self, world: World) -> None:
        super().__init__(world.admin, world.acting)
        self._person = world.person()
        self._receipt = world.receipt()
        self._spare = world.spare_operator()

    def person(self) -> object:
        return self._person

    def receipt(self) -> str:
        return self._receipt

    def spare_operator(self) -> str:
        return self._spare


def test_the_matrix_keeps_supervision_with_supervisors_and_administration_with_admins() -> None:
    clerk, supervisor = ROLE_PERMISSIONS[Role.CLERK], ROLE_PERMISSIONS[Role.SUPERVISOR]
    supervising = {
        Permission.VOID_PAYMENT,
        Permission.CLOSE_DAY,
        Permission.REVIEW,
        Permission.VIEW_AUDIT,
        Permission.IMPORT_TAX_LIST,
        Permission.IMPORT_ROSTER,
        Permission.EXPORT_PERSONAL_DATA,
    }
    administering = {Permission.MANAGE_OPERATORS, Permission.MANAGE_CENTRE}
    assert not clerk & (supervising | administering)
    assert supervising <= supervisor and not supervisor & administering
    assert ROLE_PERMISSIONS[Role.ADMIN] == frozenset(Permission)
