"""Who is acting, and what their role lets them do."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from enum import StrEnum

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from caseworker.services.errors import PermissionDenied


class Role(StrEnum):
    CLERK = "clerk"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class Permission(StrEnum):
    """Every action a service checks. The matrix below is the one place roles are decided."""

    VIEW = "view"
    ENROL = "enrol"
    RECORD_COVERAGE = "record_coverage"  # households, members and their coverage (surveys)
    RECORD_PAYMENT = "record_payment"  # cash at the desk, with a centre receipt
    RECORD_TAX_PAYMENT = "record_tax_payment"  # paid through the tax authority's channels
    PRINT_COPY = "print_copy"  # a copy (副本) of a receipt already issued
    VIEW_REMITTANCE = "view_remittance"  # the day's cash to remit (解缴)
    IMPORT_TAX_LIST = "import_tax_list"  # the tax authority's list, matched against ours
    IMPORT_ROSTER = "import_roster"  # village rosters and civil affairs' lists, in bulk
    EXPORT_PERSONAL_DATA = "export_personal_data"  # registry and statuses to a file, unmasked
    VOID_PAYMENT = "void_payment"
    CLOSE_DAY = "close_day"  # 日结
    REVIEW = "review"  # end-of-day approval, send back to the clerk
    VIEW_AUDIT = "view_audit"
    MANAGE_OPERATORS = "manage_operators"
    MANAGE_CENTRE = "manage_centre"


_CLERK = {
    Permission.VIEW,
    Permission.ENROL,
    Permission.RECORD_COVERAGE,
    Permission.RECORD_PAYMENT,
    Permission.RECORD_TAX_PAYMENT,
    Permission.PRINT_COPY,
    Permission.VIEW_REMITTANCE,
}
_SUPERVISOR = _CLERK | {
    Permission.IMPORT_TAX_LIST,
    Permission.IMPORT_ROSTER,
    Permission.EXPORT_PERSONAL_DATA,
    Permission.VOID_PAYMENT,
    Permission.CLOSE_DAY,
    Permission.REVIEW,
    Permission.VIEW_AUDIT,
}
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.CLERK: frozenset(_CLERK),
    Role.SUPERVISOR: frozenset(_SUPERVISOR),
    Role.ADMIN: frozenset(Permission),
}
ROLE_LABELS = {Role.CLERK: "经办员", Role.SUPERVISOR: "审核员", Role.ADMIN: "管理员"}
CENTRE_AGENCY_LABEL = "本中心"
# Staff of a contracted agency (外包机构) may hold these roles only: the study behind the
# product asks that the centre supervise them, so review, voids and administration stay with it.
CONTRACTOR_ROLES = frozenset({Role.CLERK})


@dataclass(frozen=True)
class Actor:
    """The logged-in operator on this device; stamped on every change."""

    operator_id: uuid.UUID
    username: str
    display_name: str
    role: Role
    centre_id: uuid.UUID
    centre_code: str
    centre_name: str
    device_id: uuid.UUID
    device_number: int
    # The operator's audit signing key, unwrapped from their key slot at login: every audit
    # entry this actor causes is signed with it. Not compared, never printed.
    signing_key: Ed25519PrivateKey | None = field(default=None, compare=False, repr=False)
    # Sync acting for an operator who is not at the keyboard (a transfer they asked for is
    # taken in): their changes go upstream under their name, but the audit entries are the
    # device's bookkeeping, signed by the device key, since nobody can sign as them.
    by_sync: bool = field(default=False, compare=False)
    # None: staff of the centre itself; else the contracted agency (外包机构) they work for.
    agency: str | None = None

    def may(self, permission: Permission) -> bool:
        """For the UI to hide or disable what this operator cannot do."""
        return permission in ROLE_PERMISSIONS[self.role]

    def require(self, permission: Permission) -> None:
        if permission not in ROLE_PERMISSIONS[self.role]:
            raise PermissionDenied(
                "forbidden",
                f"{ROLE_LABELS[self.role]}无权执行此操作（{permission.value}），请联系审核员或管理员。",
                f"A {self.role.value} may not do this ({permission.value}); ask a supervisor "
                "or an administrator.",
            )
