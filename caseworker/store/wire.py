"""Each entity's wire shape joined to its store model: one table for the client.

Services snapshot rows through it (outbox payloads), the conflict queue resends and
accepts the county's copy through it, and pull applies the registry feed through it. The
shapes themselves (fields, operations) are in ``caseworker.domain.wire``, which the county
reads too without the client's models.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from caseworker.domain.wire import SHAPES, WireShape, from_wire
from caseworker.store.models import (
    CoverageStatus,
    CoverageSurveyEntry,
    Employer,
    Employment,
    Enrolment,
    Household,
    Payment,
    Person,
)


def snapshot(row: Any, fields: tuple[str, ...], *, versioned: bool = True) -> dict[str, Any]:
    """The named fields of ``row`` plus its id (and version): an outbox payload."""
    values = {name: getattr(row, name) for name in fields} | {"id": row.id}
    return values | {"version": row.version} if versioned else values


def snapshot_values(
    values: Mapping[str, Any], fields: tuple[str, ...], *, versioned: bool = True
) -> dict[str, Any]:
    """``snapshot`` of a row given as its column values (the bulk path's dicts)."""
    taken = {name: values[name] for name in fields}
    taken["id"] = values["id"]
    if versioned:
        taken["version"] = values["version"]
    return taken


def apply_fields(
    session: Session, row: Any, payload: dict[str, Any], fields: tuple[str, ...]
) -> None:
    """Write the named fields of a received payload onto ``row`` (absent ones untouched)."""
    for name in fields:
        if name not in payload:
            continue
        value = from_wire(name, payload[name])
        # References to rows this centre never saw would break foreign keys: leave them out.
        if name == "employer_id" and value is not None and session.get(Employer, value) is None:
            value = None
        if name == "household_id" and value is not None and session.get(Household, value) is None:
            value = None
        setattr(row, name, value)


@dataclass(frozen=True)
class EntityWire:
    shape: WireShape
    model: type[Any]
    # A county copy may be written over a local row (pull, "take the county's copy");
    # payments and survey entries are only ever sent.
    applies: bool

    @property
    def fields(self) -> tuple[str, ...]:
        return self.shape.fields

    def snapshot(self, row: Any) -> dict[str, Any]:
        return snapshot(row, self.shape.fields, versioned=self.shape.versioned)

    def snapshot_values(self, values: Mapping[str, Any]) -> dict[str, Any]:
        return snapshot_values(values, self.shape.fields, versioned=self.shape.versioned)

    def apply(self, session: Session, row: Any, payload: dict[str, Any]) -> None:
        apply_fields(session, row, payload, self.shape.fields)


_MODELS: dict[str, tuple[type[Any], bool]] = {
    "person": (Person, True),
    "enrolment": (Enrolment, True),
    "payment": (Payment, False),
    "employer": (Employer, True),
    "household": (Household, True),
    "survey_entry": (CoverageSurveyEntry, False),
    # Keyed by (person, line) here, by coverage_id(person, line) on the wire.
    "coverage": (CoverageStatus, True),
    # Pulled from the township feed; another centre's come without their base.
    "employment": (Employment, True),
}
WIRE: dict[str, EntityWire] = {
    kind: EntityWire(shape, *_MODELS[kind]) for kind, shape in SHAPES.items()
}
