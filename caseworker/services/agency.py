"""Which agency an operator works for: the centre itself, or a named contractor (外包机构)
whose staff may only be clerks."""

from __future__ import annotations

from caseworker.domain.errors import InvalidValue
from caseworker.services.actor import CONTRACTOR_ROLES, ROLE_LABELS, Role
from caseworker.services.errors import ValidationFailed

AGENCY_MAX = 60


class AgencyInvalid(InvalidValue):
    def __init__(self, field: str, code: str, message: str, message_en: str) -> None:
        super().__init__(field, code, message)
        self.message_en = message_en


def clean_agency(agency: str | None) -> str | None:
    """None (or blank) for the centre's own staff; else the contractor's name, trimmed."""
    if agency is None or not agency.strip():
        return None
    name = " ".join(agency.split())
    if len(name) > AGENCY_MAX:
        raise ValidationFailed(
            [
                AgencyInvalid(
                    "agency",
                    "too_long",
                    f"外包机构名称最多{AGENCY_MAX}个字，现有{len(name)}个，请用简称。",
                    f"An agency name has at most {AGENCY_MAX} characters ({len(name)} given); "
                    "use a shorter name.",
                )
            ]
        )
    return name


def check_agency_role(role: Role, agency: str | None) -> None:
    """A contractor's staff are clerks only: review, voids and administration stay with the
    centre, which supervises them."""
    if agency is not None and role not in CONTRACTOR_ROLES:
        raise ValidationFailed(
            [
                AgencyInvalid(
                    "role",
                    "contractor_clerk_only",
                    f"外包机构“{agency}”的人员只能担任经办员，不能担任{ROLE_LABELS[role]}："
                    "审核、作废和管理须由本中心人员负责。请改选“经办员”，或把机构改为“本中心”。",
                    f"Staff of the contracted agency {agency} may only be clerks, not "
                    f"{role.value}: review, voids and administration stay with the centre. "
                    "Choose clerk, or set the agency to the centre itself.",
                )
            ]
        )
